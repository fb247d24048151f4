//! What bot and agent content may contain once rendered: the allow-list behind the one
//! sanitizer (`widget::sanitize`), and the URL rules for links, images and media (the
//! linkifier for plain text is [`crate::linkify`]). Pure, so that every rule is tested natively.

pub use crate::linkify::{linkify, Segment};

/// What happens to an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagRule {
    /// Kept (with its allowed attributes).
    Keep,
    /// Removed, its children kept.
    Unwrap,
    /// Removed with everything inside it.
    Drop,
}

/// The rule for a tag name (lower case).
pub fn tag_rule(tag: &str) -> TagRule {
    match tag {
        "p" | "br" | "hr" | "b" | "strong" | "i" | "em" | "u" | "s" | "del" | "ins" | "mark"
        | "small" | "sub" | "sup" | "code" | "pre" | "kbd" | "samp" | "blockquote" | "q"
        | "cite" | "abbr" | "ul" | "ol" | "li" | "dl" | "dt" | "dd" | "h1" | "h2" | "h3" | "h4"
        | "h5" | "h6" | "a" | "img" | "span" | "div" | "table" | "thead" | "tbody" | "tfoot"
        | "tr" | "th" | "td" | "caption" | "colgroup" | "col" | "figure" | "figcaption"
        | "details" | "summary" | "section" | "article" | "header" | "footer" | "time" => {
            TagRule::Keep
        }
        "script" | "style" | "iframe" | "frame" | "frameset" | "object" | "embed" | "applet"
        | "template" | "noscript" | "noembed" | "noframes" | "svg" | "math" | "form" | "input"
        | "button" | "select" | "textarea" | "option" | "optgroup" | "title" | "head" | "meta"
        | "link" | "base" | "xmp" | "plaintext" | "listing" | "canvas" | "audio" | "video"
        | "source" | "track" | "picture" | "portal" | "dialog" | "slot" | "marquee" | "param"
        | "isindex" | "keygen" => TagRule::Drop,
        _ => TagRule::Unwrap,
    }
}

/// What a kept attribute's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrRule {
    /// Plain text (no URL meaning).
    Text,
    /// A link target: http(s), mailto, tel.
    LinkUrl,
    /// An image source: http(s) or a raster `data:image/…`.
    ImageUrl,
    /// A small non-negative integer.
    Number,
    /// `ltr`, `rtl` or `auto`.
    Direction,
    /// `language-…` classes on code only.
    CodeClass,
}

/// The rule for an attribute of a kept tag, or `None` when it is removed.
/// There is no `style`, `id`, `name`, `class` (but for code), `on*`, `src` outside images, `srcset`…
pub fn attr_rule(tag: &str, attr: &str) -> Option<AttrRule> {
    match (tag, attr) {
        (_, "title" | "lang") => Some(AttrRule::Text),
        (_, "dir") => Some(AttrRule::Direction),
        ("a", "href") => Some(AttrRule::LinkUrl),
        ("img", "src") => Some(AttrRule::ImageUrl),
        ("img", "alt") => Some(AttrRule::Text),
        ("img", "width" | "height") => Some(AttrRule::Number),
        ("td" | "th", "colspan" | "rowspan") => Some(AttrRule::Number),
        ("th", "scope") => Some(AttrRule::Text),
        ("ol", "start") => Some(AttrRule::Number),
        ("col" | "colgroup", "span") => Some(AttrRule::Number),
        ("code" | "pre", "class") => Some(AttrRule::CodeClass),
        ("time", "datetime") => Some(AttrRule::Text),
        _ => None,
    }
}

/// Checks a value that is not a URL.
pub fn value_ok(rule: AttrRule, value: &str) -> bool {
    match rule {
        AttrRule::Text => true,
        AttrRule::Number => {
            !value.is_empty() && value.len() <= 4 && value.bytes().all(|b| b.is_ascii_digit())
        }
        AttrRule::Direction => matches!(value, "ltr" | "rtl" | "auto"),
        AttrRule::CodeClass => value.strip_prefix("language-").is_some_and(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }),
        AttrRule::LinkUrl | AttrRule::ImageUrl => false,
    }
}

/// Whether a URL, *as the browser parsed it* (`protocol` with its colon, the full `href`),
/// may be a link target.
pub fn link_allowed(protocol: &str) -> bool {
    matches!(protocol, "http:" | "https:" | "mailto:" | "tel:")
}

/// Whether a parsed URL may be an image (or other media) source: http(s), or a `data:`
/// URL of a raster image type (never SVG, never HTML).
/// Whether markup from a bot or an agent may load an image from `origin`
/// (`scheme://host[:port]`) at once, without the visitor's click: the origin is listed, or
/// its host is (an entry without a scheme), or `*` is. A prompt-injected bot could otherwise
/// send what the visitor said to any host in an image address, with no click.
pub fn image_origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let origin = origin.to_ascii_lowercase();
    let host = crate::text::find(&origin, "://")
        .and_then(|at| origin.get(at + 3..))
        .unwrap_or(&origin);
    let host_only = host.split(':').next().unwrap_or(host);
    allowed.iter().any(|entry| {
        let entry = entry.trim().trim_end_matches('/').to_ascii_lowercase();
        entry == "*"
            || entry == origin
            || (!crate::text::contains(&entry, "://") && (entry == host || entry == host_only))
    })
}

pub fn image_allowed(protocol: &str, href: &str) -> bool {
    match protocol {
        "http:" | "https:" => true,
        "data:" => {
            let lower = href.get(..40).unwrap_or(href).to_ascii_lowercase();
            [
                "data:image/png",
                "data:image/jpeg",
                "data:image/jpg",
                "data:image/gif",
                "data:image/webp",
                "data:image/avif",
            ]
            .iter()
            .any(|p| {
                lower
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with([';', ',']))
            })
        }
        _ => false,
    }
}

/// Whether a parsed URL may be an audio source or a download link.
pub fn media_allowed(protocol: &str) -> bool {
    matches!(protocol, "http:" | "https:")
}

/// Renames what could be an event-handler attribute (`onerror=`…) inside tags to
/// `data-defused-on…` before the browser's inert parse. The allow-list would drop those
/// attributes anyway; this keeps Chromium from even *checking* them against the page's
/// CSP (it does so at parse time, and a page with `report-uri` would receive a report for
/// every hostile message). Quotes are deliberately not tracked: a value that looks like
/// ` onx=` is renamed too, which only ever removes.
pub fn defuse_handlers(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 16);
    let mut in_tag = false;
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !in_tag {
            if b == b'<' && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                in_tag = true;
            }
            i += 1;
            continue;
        }
        if b == b'>' {
            in_tag = false;
            i += 1;
            continue;
        }
        let separator = b.is_ascii_whitespace() || matches!(b, b'/' | b'"' | b'\'' | b'=' | b'`');
        let on = bytes
            .get(i + 1)
            .is_some_and(|c| c.eq_ignore_ascii_case(&b'o'))
            && bytes
                .get(i + 2)
                .is_some_and(|c| c.eq_ignore_ascii_case(&b'n'))
            && bytes.get(i + 3).is_some_and(|c| c.is_ascii_alphabetic());
        if separator && on {
            out.push_str(&html[last..=i]);
            out.push_str("data-defused-");
            last = i + 1;
            i += 3;
            continue;
        }
        i += 1;
    }
    out.push_str(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_load_at_once_only_from_allowed_origins() {
        let allowed = vec![
            "https://chat.example.com".to_owned(),
            "cdn.example.com".to_owned(),
        ];
        assert!(image_origin_allowed("https://chat.example.com", &allowed));
        assert!(image_origin_allowed("HTTPS://Chat.Example.com", &allowed));
        assert!(!image_origin_allowed("http://chat.example.com", &allowed));
        assert!(image_origin_allowed("https://cdn.example.com", &allowed));
        assert!(image_origin_allowed(
            "https://cdn.example.com:8443",
            &allowed
        ));
        assert!(!image_origin_allowed("https://tracker.test", &allowed));
        assert!(!image_origin_allowed(
            "https://cdn.example.com.tracker.test",
            &allowed
        ));
        assert!(image_origin_allowed(
            "https://tracker.test",
            &["*".to_owned()]
        ));
        assert!(!image_origin_allowed("https://tracker.test", &[]));
    }

    #[test]
    fn dangerous_elements_are_dropped_with_their_content() {
        for tag in [
            "script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta",
            "template", "noscript",
        ] {
            assert_eq!(tag_rule(tag), TagRule::Drop, "{tag}");
        }
        assert_eq!(tag_rule("custom-element"), TagRule::Unwrap);
        assert_eq!(tag_rule("a"), TagRule::Keep);
    }

    #[test]
    fn no_event_handler_style_or_clobbering_attribute_survives() {
        for attr in [
            "onerror",
            "onclick",
            "style",
            "id",
            "name",
            "class",
            "srcset",
            "formaction",
            "xlink:href",
            "background",
        ] {
            assert_eq!(attr_rule("img", attr), None, "{attr}");
            assert_eq!(attr_rule("a", attr), None, "{attr}");
        }
        assert_eq!(attr_rule("a", "href"), Some(AttrRule::LinkUrl));
        assert_eq!(attr_rule("div", "href"), None);
        assert_eq!(attr_rule("code", "class"), Some(AttrRule::CodeClass));
    }

    #[test]
    fn values_are_checked() {
        assert!(value_ok(AttrRule::Number, "12"));
        assert!(!value_ok(AttrRule::Number, "1e9"));
        assert!(!value_ok(AttrRule::Number, "99999"));
        assert!(value_ok(AttrRule::CodeClass, "language-rust"));
        assert!(!value_ok(AttrRule::CodeClass, "language-x onclick"));
        assert!(!value_ok(AttrRule::Direction, "javascript:"));
    }

    #[test]
    fn url_schemes() {
        assert!(link_allowed("https:") && link_allowed("mailto:") && link_allowed("tel:"));
        for p in [
            "javascript:",
            "vbscript:",
            "data:",
            "file:",
            "blob:",
            "about:",
        ] {
            assert!(!link_allowed(p), "{p}");
        }
        assert!(image_allowed("data:", "data:image/png;base64,AAAA"));
        assert!(!image_allowed("data:", "data:image/svg+xml;base64,AAAA"));
        assert!(!image_allowed(
            "data:",
            "data:text/html,<script>alert(1)</script>"
        ));
        assert!(!image_allowed("javascript:", "javascript:alert(1)"));
        assert!(!media_allowed("data:"));
    }

    #[test]
    fn handler_attributes_are_renamed_before_parsing() {
        assert_eq!(
            defuse_handlers("<img src=x onerror=alert(1)>"),
            "<img src=x data-defused-onerror=alert(1)>"
        );
        assert_eq!(
            defuse_handlers("<svg/OnLoad=x>"),
            "<svg/data-defused-OnLoad=x>"
        );
        assert_eq!(
            defuse_handlers("<img src=x id/=' onerror=alert(1)//'>"),
            "<img src=x id/=' data-defused-onerror=alert(1)//'>"
        );
        assert_eq!(
            defuse_handlers("text with online=yes <b>bold</b>"),
            "text with online=yes <b>bold</b>"
        );
        assert_eq!(
            defuse_handlers("é <a title=\"x\"\tonclick=1>ü</a>"),
            "é <a title=\"x\"\tdata-defused-onclick=1>ü</a>"
        );
    }
}
