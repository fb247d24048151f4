//! The plain text a sighted visitor reads in a message, for what screen readers announce:
//! markdown without its markup (no `**`, no `#`, no table pipes) and without the URLs of
//! links and images (a link reads as its text, an image as its alternative text). Pure, so
//! that the widget can announce a markdown reply before (or without) its markdown part.

/// The text a reader sees when `md` is rendered.
pub fn markdown_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut in_fence = false;
    for line in md.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            push_words(&mut out, trimmed);
            continue;
        }
        if is_rule(trimmed) || is_table_separator(trimmed) || is_reference_definition(trimmed) {
            continue;
        }
        push_words(&mut out, &inline_text(block_content(trimmed)));
    }
    out
}

/// Appends `text` to `out`, words separated by single spaces.
fn push_words(out: &mut String, text: &str) {
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// `---`, `***`, `___` (with optional spaces): a thematic break.
fn is_rule(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| marks.chars().all(|c| c.to_string() == *m))
}

/// `|---|:---:|` under a table's header.
fn is_table_separator(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// `[label]: https://…` (a link reference: not shown).
fn is_reference_definition(line: &str) -> bool {
    line.starts_with('[') && crate::text::contains(line, "]:")
}

/// A line without its block markers: heading `#`s, quote `>`s, list bullets and numbers.
fn block_content(line: &str) -> &str {
    let mut rest = line;
    loop {
        let before = rest;
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('>') {
            rest = r;
        } else if rest.starts_with('#') {
            let r = rest.trim_start_matches('#');
            if r.is_empty() || r.starts_with(' ') {
                rest = r;
            }
        } else if let Some(r) = ["- ", "* ", "+ "].iter().find_map(|b| rest.strip_prefix(b)) {
            rest = r;
        } else {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let after = rest.get(digits..).unwrap_or("");
            if digits > 0 && (after.starts_with(". ") || after.starts_with(") ")) {
                rest = after.get(2..).unwrap_or("");
            }
        }
        if rest == before.trim_start() && rest.len() == before.trim_start().len() {
            return rest.trim_end_matches('#').trim();
        }
    }
}

/// Inline markup removed: `![alt](url)` → alt, `[text](url)` → text, `<tag>` dropped,
/// emphasis and code markers dropped, backslash escapes resolved, table pipes as spaces.
///
/// In time linear in the line, whatever it holds: every forward search (the `>` that closes
/// a `<`, the `]` that closes a `[`, the `)` after it) is read from tables made in one pass,
/// and a link's text is read in place, not by a call for each level of brackets (a hostile
/// line of 100,000 `<` or `[` would take quadratic time, or overflow the stack).
fn inline_text(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let ahead = Ahead::new(&chars);
    let n = chars.len();
    // At a link's closing `]`: where the text resumes (after its `(…)` or `[ref]`).
    let mut resume: Vec<Option<usize>> = vec![None; n];
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some(end) = resume.get(i).copied().flatten() {
            i = end;
            continue;
        }
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                out.extend(next);
                i += 2;
            }
            // An image reads as its alt text, a link as its text.
            '!' | '[' if c == '[' || next == Some('[') => {
                let open = if c == '!' { i + 1 } else { i };
                match link_end(&chars, &ahead, open) {
                    Some((close, end)) => {
                        if let Some(at) = resume.get_mut(close) {
                            *at = Some(end);
                        }
                        i = open + 1;
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '<' => match ahead.gt.get(i + 1).copied().filter(|&gt| gt < n) {
                // An autolink shows its address; a tag shows nothing. Neither holds a `<`:
                // a `<` with another before its `>` is text.
                Some(gt) if gt > i + 1 && ahead.lt.get(i + 1).is_some_and(|&lt| lt > gt) => {
                    let inner: String = chars.get(i + 1..gt).unwrap_or_default().iter().collect();
                    if crate::text::contains(&inner, "://")
                        || inner.contains('@') && !inner.contains(' ')
                    {
                        out.push_str(&inner);
                    } else if !(inner
                        .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!'))
                    {
                        out.push('<');
                        i += 1;
                        continue;
                    }
                    i = gt + 1;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            },
            '*' | '~' | '`' => i += 1,
            // `_` marks emphasis only at a word's edge (snake_case stays).
            '_' => {
                let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let inside = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                if inside {
                    out.push('_');
                }
                i += 1;
            }
            '|' => {
                out.push(' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// For each position of a line, where the next character of a kind is (the line's length
/// when there is none), and each `[`'s closing `]`: made in one pass each.
struct Ahead {
    gt: Vec<usize>,
    lt: Vec<usize>,
    paren: Vec<usize>,
    bracket: Vec<usize>,
    closing: Vec<Option<usize>>,
}

impl Ahead {
    fn new(chars: &[char]) -> Ahead {
        let next = |want: fn(char) -> bool| {
            let mut next = vec![chars.len(); chars.len() + 1];
            for (k, &c) in chars.iter().enumerate().rev() {
                let after = next.get(k + 1).copied().unwrap_or(chars.len());
                if let Some(at) = next.get_mut(k) {
                    *at = if want(c) { k } else { after };
                }
            }
            next
        };
        // Brackets matched as the depth counts them: a `]` closes the innermost open `[`.
        let mut closing = vec![None; chars.len()];
        let mut open = Vec::new();
        for (k, &c) in chars.iter().enumerate() {
            match c {
                '[' => open.push(k),
                ']' => {
                    if let Some(at) = open.pop().and_then(|o| closing.get_mut(o)) {
                        *at = Some(k);
                    }
                }
                _ => {}
            }
        }
        Ahead {
            gt: next(|c| c == '>'),
            lt: next(|c| c == '<'),
            paren: next(|c| c == ')'),
            bracket: next(|c| c == '[' || c == ']'),
            closing,
        }
    }
}

/// For `[` at `open`: where its `]` is, and the index after `](…)`, `[…]` or `[…][ref]`;
/// `None` when the brackets do not close on this line.
fn link_end(chars: &[char], ahead: &Ahead, open: usize) -> Option<(usize, usize)> {
    let close = ahead.closing.get(open).copied().flatten()?;
    let end = match chars.get(close + 1) {
        Some('(') => {
            ahead
                .paren
                .get(close + 2)
                .copied()
                .filter(|&p| p < chars.len())?
                + 1
        }
        // `[text][ref]`: a reference label holds no bracket (`[a][ ![img](u)` is no reference).
        Some('[') => match ahead.bracket.get(close + 2).copied() {
            Some(b) if chars.get(b) == Some(&']') => b + 1,
            _ => close + 1,
        },
        _ => close + 1,
    };
    Some((close, end))
}

#[cfg(test)]
mod tests {
    use super::markdown_text;
    use proptest::prelude::*;

    #[test]
    fn markup_is_gone_and_urls_are_not_read() {
        let cases = [
            (
                "Here ![status](http://x.test/s.png) **bold**",
                "Here status bold",
            ),
            (
                "# Title\n\nSome *emphasis* and `code`.",
                "Title Some emphasis and code.",
            ),
            (
                "See [the docs](https://docs.test/a?b=c) now",
                "See the docs now",
            ),
            ("- one\n- two\n1. three\n> quoted", "one two three quoted"),
            ("| a | b |\n|---|:-:|\n| 1 | 2 |", "a b 1 2"),
            ("```rust\nlet x = 1;\n```", "let x = 1;"),
            (
                "snake_case_name and __strong__ and _em_",
                "snake_case_name and strong and em",
            ),
            ("a \\*literal\\* star", "a *literal* star"),
            (
                "<b>bold</b> and <https://a.test/x>",
                "bold and https://a.test/x",
            ),
            ("[ref link][r]\n\n[r]: https://r.test", "ref link"),
            ("2 < 3 and 5 > 4", "2 < 3 and 5 > 4"),
            ("---\n***", ""),
            ("![](https://tracker.test/?q=secret)", ""),
            ("nested [![img](u)](v)", "nested img"),
            ("## Heading ##", "Heading"),
        ];
        for (md, text) in cases {
            assert_eq!(markdown_text(md), text, "{md:?}");
        }
    }

    proptest! {
        // Whatever a bot sends: no panic, no longer than its input, and no image URL read.
        #[test]
        fn never_panics_nor_reads_image_urls(md in ".{0,200}", url in "[a-z]{3,12}") {
            let text = markdown_text(&md);
            prop_assert!(text.chars().count() <= md.chars().count());
            let image = format!("{md} ![pic](https://{url}.test/x.png) end");
            let read = markdown_text(&image);
            let needle = format!("{url}.test");
            prop_assert!(!read.contains(&needle) || md.contains(&needle));
        }
    }

    // What a hostile bot could send: 200,000 characters of what makes the reader look ahead,
    // or nest. Each is read in one pass, with no call per level of brackets (a quadratic
    // reader took seconds per message in a browser; a recursive one would overflow the stack).
    #[test]
    fn hostile_markdown_is_read_in_one_pass() {
        let n = 200_000;
        let cases = [
            ("<".repeat(n), "<".repeat(n)),
            (
                ["<".repeat(n / 2), ">".to_owned()].concat(),
                ["<".repeat(n / 2), ">".to_owned()].concat(),
            ),
            ("[".repeat(n), "[".repeat(n)),
            (
                ["[".repeat(n / 2), "]".repeat(n / 2)].concat(),
                String::new(),
            ),
            ("[a](".repeat(n / 4), "[a](".repeat(n / 4)),
            ("![".repeat(n / 2), "![".repeat(n / 2)),
            ("[a][".repeat(n / 4), "a[".repeat(n / 4)),
        ];
        for (md, text) in cases {
            let read = markdown_text(&md);
            assert!(
                read == text,
                "{}…: {}…",
                md.get(..12).unwrap_or(&md),
                read.get(..24).unwrap_or(&read)
            );
        }
    }
}
