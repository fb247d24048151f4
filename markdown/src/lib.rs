//! Markdown → HTML for the chat widget. The widget's wasm keeps it in a part of its own
//! (pulldown-cmark is a large share of the widget's bytes; see `src/widget/markdown.rs`),
//! loaded once the page is idle or when the first markdown item arrives. Its HTML goes
//! through the widget's one sanitizer like any bot markup.
//!
//! Named character references (`&ouml;`, `&DoubleLongLeftRightArrow;`: 2,125 names) are
//! decoded by the caller's `decode` — in the widget, the browser's own copy of the same HTML
//! table — so that the widget's build can leave pulldown-cmark's copy out (a quarter of the
//! markdown part: `scripts/entity-table.mjs`). pulldown-cmark still decides *where* a
//! reference counts (text, link destinations and titles, info strings) and where it stays
//! as written (code, autolinks, raw HTML): each `&` that could open a named reference is
//! handed to it as a numeric reference to a marker character that the source does not hold
//! (`&#1;` where U+0001 is free), which it decodes exactly where it would have decoded the
//! name, and leaves as written everywhere else; the marks are then read back from its HTML.
//! Two differences: a link label is at most 999 characters, and each marked `&` counts 3
//! more (`&#1;`), so a label of nearly 1,000 characters with references in it may no longer
//! be one; and a tab at the end of a heading that ends with a reference stays (as it does
//! after any other text: pulldown-cmark drops it only after a reference it decoded itself),
//! where the browser does not show it.

use pulldown_cmark::{html, Options, Parser};
use pulldown_cmark_escape::{escape_href, escape_html, FmtWriter};

/// The values of named character references (`names` without `&` and `;`), `None` where a
/// name is not one.
pub type Decode<'a> = &'a dyn Fn(&[&str]) -> Vec<Option<String>>;

/// CommonMark with tables, strikethrough and task lists, as HTML (unsanitized).
pub fn to_html(md: &str, decode: Decode) -> String {
    match marker(md) {
        Some(m) => {
            let marks = Marks::new(m);
            marks.unmark(&cmark(&marks.mark(md)), decode)
        }
        // A source holding every candidate marker (thousands of distinct characters): its
        // named references read as written.
        None => cmark(md),
    }
}

/// pulldown-cmark's HTML.
fn cmark(md: &str) -> String {
    let parser = Parser::new_ext(
        md,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS,
    );
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// A marker for `md`: a character that neither occurs in it, nor is the value of one of its
/// numeric references, nor has its percent-encoding in it (as pulldown-cmark writes it, which
/// is how a trace is matched: a source's `%0e` is not `%0E`) — so that every trace of the
/// marker in pulldown-cmark's HTML is one this module put there. Control characters first
/// (their references are the shortest), then the private use area.
fn marker(md: &str) -> Option<char> {
    let referenced = numeric_references(md);
    (1..=8)
        .chain(14..=31)
        .chain(0xE000..=0xF8FF)
        .filter_map(char::from_u32)
        .find(|&m| {
            !md.contains(m)
                && !referenced.contains(&u32::from(m))
                && !md.contains(&percent_encoded(m))
        })
}

/// The code points `md`'s numeric references (`&#42;`, `&#x2A;`) could stand for, wherever
/// they are.
fn numeric_references(md: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for (i, _) in md.match_indices("&#") {
        let rest = md.get(i + 2..).unwrap_or_default();
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let len = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        if let Some(n) = digits
            .get(..len.min(8))
            .and_then(|d| u32::from_str_radix(d, radix).ok())
        {
            found.push(n);
        }
    }
    found
}

/// `m`'s UTF-8 bytes as pulldown-cmark percent-encodes them in a link (`%01`, `%EE%80%80`).
fn percent_encoded(m: char) -> String {
    let mut out = String::new();
    let _ = escape_href(&mut FmtWriter(&mut out), m.encode_utf8(&mut [0; 4]));
    out
}

/// `[A-Za-z0-9]*;` at the start of `s`: the name of a possible reference, and its length
/// with the `;`.
fn name_at(s: &str) -> Option<(&str, usize)> {
    let len = s.bytes().take_while(u8::is_ascii_alphanumeric).count();
    (s.as_bytes().get(len) == Some(&b';')).then(|| (s.get(..len).unwrap_or_default(), len + 1))
}

/// The traces of one marker.
struct Marks {
    m: char,
    /// What stands for `&` in the source: `&#1;`.
    reference: String,
    /// The reference left as written and escaped (code, autolinks): `&amp;#1;`.
    literal: String,
    /// The decoded marker in a link destination: `%01`.
    href: String,
}

/// What a trace of the marker in pulldown-cmark's HTML stands for.
enum Trace<'h> {
    /// An escaped `&`, in code or an autolink (`&amp;#1;`), or a marker on its own.
    Literal,
    /// A raw `&`, in raw HTML (`&#1;`).
    Raw,
    /// A reference decoded in text or an attribute (the marker, then `name;`).
    Text(&'h str),
    /// A reference decoded in a link destination (`%01`, then `name;`).
    Href(&'h str),
}

impl Marks {
    fn new(m: char) -> Marks {
        // core::fmt is in the part anyway: pulldown-cmark's HTML writer uses it.
        let code = u32::from(m).to_string();
        Marks {
            m,
            reference: ["&#", &code, ";"].concat(),
            literal: ["&amp;#", &code, ";"].concat(),
            href: percent_encoded(m),
        }
    }

    /// `md` with every `&` that could open a named reference (`&` + `[A-Za-z0-9]*;`) replaced
    /// by the marker's numeric reference.
    fn mark(&self, md: &str) -> String {
        let mut out = String::with_capacity(md.len() + 64);
        let mut copied = 0;
        for (i, _) in md.match_indices('&') {
            if name_at(md.get(i + 1..).unwrap_or_default()).is_some() {
                out.push_str(md.get(copied..i).unwrap_or_default());
                out.push_str(&self.reference);
                copied = i + 1;
            }
        }
        out.push_str(md.get(copied..).unwrap_or_default());
        out
    }

    /// The trace of the marker at the start of `s`, if any, and its length. A marker without a
    /// name after it (pulldown-cmark never splits them) stands for the `&` it replaced.
    fn trace<'h>(&self, s: &'h str) -> Option<(Trace<'h>, usize)> {
        if s.starts_with(&self.literal) {
            return Some((Trace::Literal, self.literal.len()));
        }
        if s.starts_with(&self.reference) {
            return Some((Trace::Raw, self.reference.len()));
        }
        let (head, text) = if s.starts_with(self.m) {
            (self.m.len_utf8(), true)
        } else if s.starts_with(&self.href) {
            (self.href.len(), false)
        } else {
            return None;
        };
        let Some((name, len)) = name_at(s.get(head..).unwrap_or_default()) else {
            return text.then_some((Trace::Literal, head));
        };
        let trace = if text {
            Trace::Text(name)
        } else {
            Trace::Href(name)
        };
        Some((trace, head + len))
    }

    /// pulldown-cmark's `html` with the marks turned back into what they stand for: `&` as
    /// written where a reference does not count, and each decoded reference's value
    /// (escaped for where it is) or, for a name that is not one, its text.
    fn unmark(&self, html: &str, decode: Decode) -> String {
        let mut traces = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        let mut i = 0;
        while let Some(rest) = html.get(i..).filter(|r| !r.is_empty()) {
            let Some(skip) = rest.find(['&', '%', self.m]) else {
                break;
            };
            i += skip;
            match self.trace(html.get(i..).unwrap_or_default()) {
                Some((trace, len)) => {
                    if let Trace::Text(name) | Trace::Href(name) = trace {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                    traces.push((i, trace, len));
                    i += len;
                }
                // A `&` or `%` of something else (a marker is always a trace).
                None => i += 1,
            }
        }
        let values = if names.is_empty() {
            Vec::new()
        } else {
            decode(&names)
        };
        let value = |name: &str| {
            let at = names.iter().position(|n| *n == name)?;
            values.get(at)?.as_deref()
        };
        let mut out = String::with_capacity(html.len());
        let mut copied = 0;
        for (at, trace, len) in traces {
            out.push_str(html.get(copied..at).unwrap_or_default());
            copied = at + len;
            match trace {
                Trace::Literal => out.push_str("&amp;"),
                Trace::Raw => out.push('&'),
                Trace::Text(name) | Trace::Href(name) => {
                    let as_written = ["&", name, ";"].concat();
                    let v = value(name).unwrap_or(&as_written);
                    // The writer pulldown-cmark's HTML uses: one copy of each escape in the part.
                    let w = &mut FmtWriter(&mut out);
                    let _ = match trace {
                        Trace::Href(_) => escape_href(w, v),
                        _ => escape_html(w, v),
                    };
                }
            }
        }
        out.push_str(html.get(copied..).unwrap_or_default());
        out
    }
}

#[cfg(test)]
mod tests;
