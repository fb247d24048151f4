//! Small text searches and the `{name}` placeholder fill, without std's substring
//! searcher: `str::contains(&str)`, `split_once(&str)` and `str::replace` link its
//! Two-Way search, which costs more bytes than it saves time here (docs/size.md, "Tricks"):
//! the needles are a few bytes, in short texts.

/// Where `needle` first starts in `haystack` (a byte offset on a character boundary).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `s` as a decimal integer, exactly as `s.parse::<i64>()` reads it (an optional sign, then
/// digits; nothing else, no overflow), in a few words of code where std's generic integer
/// parser took half a kilobyte.
pub fn integer(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    // Negative values are built downwards: i64::MIN has no positive counterpart.
    digits.bytes().try_fold(0i64, |n, b| {
        let d = i64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
        let n = n.checked_mul(10)?;
        if negative {
            n.checked_sub(d)
        } else {
            n.checked_add(d)
        }
    })
}

/// `s` without the `byte`s it ends with (an ASCII byte: a base URL's trailing slashes),
/// without std's character searcher (which decodes UTF-8 backwards for `trim_end_matches`).
pub fn trim_end_byte(s: &str, byte: u8) -> &str {
    let end = s.bytes().rposition(|b| b != byte).map_or(0, |i| i + 1);
    // After a byte that is not `byte` comes `byte` (ASCII) or the end: a character boundary.
    s.get(..end).unwrap_or(s)
}

/// `template` with each `{name}` that `args` names replaced by its value, in one pass (a
/// value is never searched again, so a name inside one stays as it is); any other brace
/// is kept.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let named = from.get(1..).and_then(|after| {
            let close = after.find('}')?;
            let name = after.get(..close)?;
            let (_, value) = args.iter().find(|(k, _)| *k == name)?;
            Some((*value, close + 2))
        });
        match named {
            Some((value, used)) => {
                out.push_str(value);
                rest = from.get(used..).unwrap_or_default();
            }
            None => {
                out.push('{');
                rest = from.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// `n` in decimal, without core::fmt. Every number the code writes goes through here as a
/// `u32` (widen smaller ones with `.into()`): one copy of itoa's code in each module.
pub fn decimal(n: u32) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

/// A count (a length, a number of unread messages) in decimal.
pub fn count(n: usize) -> String {
    decimal(u32::try_from(n).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::{contains, fill, find, integer, trim_end_byte};

    #[test]
    fn reads_integers_like_str_parse() {
        let cases = [
            "",
            "+",
            "-",
            "0",
            "-0",
            "+0",
            "413",
            "+413",
            "-413",
            " 413",
            "413 ",
            "4 13",
            "0x10",
            "1e3",
            "1.0",
            "++1",
            "-+1",
            "\u{663}",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "00000000000000000000000042",
        ];
        for s in cases {
            assert_eq!(integer(s), s.parse::<i64>().ok(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn reads_any_text_like_str_parse(s in "[-+]?[0-9]{0,21}|.{0,6}") {
            proptest::prop_assert_eq!(integer(&s), s.parse::<i64>().ok());
        }
    }

    #[test]
    fn trims_a_trailing_byte_like_trim_end_matches() {
        for s in [
            "",
            "/",
            "///",
            "https://a.example",
            "https://a.example/",
            "https://a.example//",
            "é/",
            "/é",
            "a/b/",
        ] {
            assert_eq!(trim_end_byte(s, b'/'), s.trim_end_matches('/'), "{s:?}");
        }
    }

    #[test]
    fn finds_like_str_find() {
        for (h, n) in [
            ("https://a.example", "://"),
            ("[x]: y", "]:"),
            ("no", "://"),
            ("", "a"),
            ("a", ""),
            ("ééé://", "://"),
            ("ab", "abc"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
            assert_eq!(contains(h, n), h.contains(n));
        }
    }

    #[test]
    fn fills_named_placeholders_once() {
        assert_eq!(
            fill("Download {name}", &[("name", "a.pdf")]),
            "Download a.pdf"
        );
        assert_eq!(
            fill("{count} unread, {count}!", &[("count", "3")]),
            "3 unread, 3!"
        );
        // A value is not filled again; unknown names and lone braces stay.
        assert_eq!(
            fill("{name} joined {host}", &[("name", "{host}"), ("host", "h")]),
            "{host} joined h"
        );
        assert_eq!(fill("{other} {", &[("name", "x")]), "{other} {");
        assert_eq!(fill("}{name", &[("name", "x")]), "}{name");
        assert_eq!(fill("{é}", &[("é", "e")]), "e");
        assert_eq!(fill("", &[]), "");
    }
}
