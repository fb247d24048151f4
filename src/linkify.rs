//! The linkifier for plain text from a bot or agent: URLs, `www.` addresses and e-mail
//! addresses become links (`www.` given `https://`, e-mail `mailto:`), everything else stays
//! text. Pure, and property-tested: it never panics and never changes the text.

/// A piece of plain text: words, or a link found in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    /// `href` (with a scheme), and the text shown.
    Link {
        href: String,
        label: String,
    },
}

fn is_url_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '<' | '>' | '"' | '\'' | '`' | '{' | '}' | '|' | '\\' | '^'
        )
}

/// Splits text into plain runs and links: `http(s)://…`, `www.…` and e-mail addresses.
/// Trailing punctuation (`.`, `,`, `)`…) stays outside the link.
pub fn linkify(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut plain = String::new();
    // Where the characters in `plain` begin (kept, not counted: counting at every `@` was
    // quadratic on a text of many).
    let mut plain_from = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let rest = &text[pos..];
        let at_word_start = i == 0 || !chars[i - 1].1.is_alphanumeric();
        // The first 8 characters (a byte slice could split one, and lowering the whole rest
        // at every character would be quadratic).
        let head = rest.char_indices().nth(8).map_or(rest, |(p, _)| &rest[..p]);
        let lower = head.to_ascii_lowercase();
        let is_link = at_word_start
            && (lower.starts_with("https://")
                || lower.starts_with("http://")
                || lower.starts_with("www."));
        if is_link {
            let mut j = i;
            while j < chars.len() && is_url_char(chars[j].1) {
                j += 1;
            }
            while j > i
                && matches!(
                    chars[j - 1].1,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']'
                )
            {
                j -= 1;
            }
            let end = chars.get(j).map(|(p, _)| *p).unwrap_or(text.len());
            let label = &text[pos..end];
            if label.len() > 8 {
                if !plain.is_empty() {
                    out.push(Segment::Text(std::mem::take(&mut plain)));
                }
                plain_from = j;
                let href = if lower.starts_with("www.") {
                    ["https://", label].concat()
                } else {
                    label.to_owned()
                };
                out.push(Segment::Link {
                    href,
                    label: label.to_owned(),
                });
                i = j;
                continue;
            }
        }
        if c == '@' && i > 0 {
            // An e-mail address: local part before, a dotted domain after. The local part
            // is taken only from text not yet in a segment (`plain` holds chars[plain_from..i]).
            let floor = plain_from;
            let mut start = i;
            while start > floor
                && (chars[start - 1].1.is_alphanumeric()
                    || matches!(chars[start - 1].1, '.' | '_' | '-' | '+'))
            {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len()
                && (chars[end].1.is_alphanumeric() || matches!(chars[end].1, '.' | '-'))
            {
                end += 1;
            }
            while end > i + 1 && chars[end - 1].1 == '.' {
                end -= 1;
            }
            let local_len = i - start;
            let domain: String = chars[i + 1..end].iter().map(|(_, c)| *c).collect();
            if local_len > 0 && domain.contains('.') && !domain.starts_with('.') {
                let local: String = chars[start..i].iter().map(|(_, c)| *c).collect();
                let prefix: String = chars[plain_from..start].iter().map(|(_, c)| *c).collect();
                if !prefix.is_empty() {
                    out.push(Segment::Text(prefix));
                }
                plain.clear();
                let address = [local.as_str(), "@", &domain].concat();
                out.push(Segment::Link {
                    href: ["mailto:", &address].concat(),
                    label: address,
                });
                i = end;
                plain_from = end;
                continue;
            }
        }
        plain.push(c);
        i += 1;
    }
    if !plain.is_empty() {
        out.push(Segment::Text(plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkify_finds_urls_www_and_emails() {
        let s = linkify(
            "See https://captivatechat.ai/docs, or www.example.com. Mail hello@example.com!",
        );
        assert_eq!(
            s,
            vec![
                Segment::Text("See ".into()),
                Segment::Link {
                    href: "https://captivatechat.ai/docs".into(),
                    label: "https://captivatechat.ai/docs".into()
                },
                Segment::Text(", or ".into()),
                Segment::Link {
                    href: "https://www.example.com".into(),
                    label: "www.example.com".into()
                },
                Segment::Text(". Mail ".into()),
                Segment::Link {
                    href: "mailto:hello@example.com".into(),
                    label: "hello@example.com".into()
                },
                Segment::Text("!".into()),
            ]
        );
    }

    fn text_of(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| match s {
                Segment::Text(t) => t.as_str(),
                Segment::Link { label, .. } => label.as_str(),
            })
            .collect()
    }

    #[test]
    fn linkify_takes_a_local_part_only_from_text_not_yet_linked() {
        // Was `a@b.cob.co@c.de` (the second address reused the first one's domain).
        let s = linkify("a@b.co@c.de");
        assert_eq!(text_of(&s), "a@b.co@c.de");
        assert_eq!(
            s[0],
            Segment::Link {
                href: "mailto:a@b.co".into(),
                label: "a@b.co".into()
            }
        );
        let s = linkify("see https://x.example/a@b.co and é@ü.de");
        assert_eq!(text_of(&s), "see https://x.example/a@b.co and é@ü.de");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Whatever the text, linkify never panics and shows exactly that text (texts made
        /// of the pieces links and addresses are made of, so that they meet often).
        #[test]
        fn linkify_keeps_every_character(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "a", "b", "é", "@", ".", "co", "-", "+", " ", ",", ")", "www.", "https://", "http://", "/",
        ]), 0..24)) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(text_of(&linkify(&text)), text);
        }

        #[test]
        fn linkify_keeps_every_character_of_any_string(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(text_of(&linkify(&text)), text);
        }
    }

    #[test]
    fn linkify_leaves_other_text_alone() {
        assert_eq!(
            linkify("javascript:alert(1) and a@b"),
            vec![Segment::Text("javascript:alert(1) and a@b".into())]
        );
        assert_eq!(linkify(""), vec![]);
        assert_eq!(
            linkify("ünïcödé @ http:// x"),
            vec![Segment::Text("ünïcödé @ http:// x".into())]
        );
    }

    // What a hostile bot could send: 200,000 characters of what makes the linkifier look
    // around. Each is done in one pass (a quadratic one took seconds per message in a
    // browser; here it would take minutes), and every character is kept.
    #[test]
    fn hostile_texts_are_read_in_one_pass() {
        let n = 200_000;
        for text in [
            "@".repeat(n),
            "a@".repeat(n / 2),
            ["x".repeat(n / 2), "@".repeat(n / 2)].concat(),
            "a.b@c".repeat(n / 5),
            "www.".repeat(n / 4),
            "http://".repeat(n / 7),
        ] {
            let segments = linkify(&text);
            assert_eq!(text_of(&segments), text);
        }
    }
}
