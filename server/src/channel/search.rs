//! Listing a visitor's conversations: `filter` (exact metadata values) and `search`
//! (wildcard patterns over metadata fields).

use serde_json::{json, Value};

use crate::store::Conversation;

pub(super) fn summary(c: &Conversation) -> Value {
    json!({
        "conversation_id": c.id,
        "metadata": c.metadata,
        "apiKey": c.api_key,
        "userId": c.user_id,
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
    })
}

/// `filter`: every named metadata field equals the given value.
pub(super) fn matches_filter(metadata: &Value, filter: Option<&Value>) -> bool {
    match filter {
        Some(Value::Object(f)) => f.iter().all(|(k, v)| metadata.get(k) == Some(v)),
        _ => true,
    }
}

/// The longest search pattern accepted, in characters (a longer one is refused).
pub const MAX_PATTERN_CHARS: usize = 256;
/// How much of a metadata field a search reads, in characters.
pub const MAX_FIELD_CHARS: usize = 16 * 1024;

/// A search pattern that is too long, if any: its field's name.
pub(super) fn overlong_pattern(search: Option<&Value>) -> Option<String> {
    let Some(Value::Object(s)) = search else {
        return None;
    };
    s.iter()
        .find(|(_, p)| {
            p.as_str()
                .is_some_and(|p| p.chars().count() > MAX_PATTERN_CHARS)
        })
        .map(|(k, _)| k.clone())
}

/// `search`: every named metadata field matches a wildcard pattern (`*`, `?`;
/// without wildcards, a case-insensitive substring). Reads the first
/// [`MAX_FIELD_CHARS`] of each field.
pub(super) fn matches_search(metadata: &Value, search: Option<&Value>) -> bool {
    let Some(Value::Object(s)) = search else {
        return true;
    };
    s.iter().all(|(k, pattern)| {
        let Some(pattern) = pattern.as_str() else {
            return metadata.get(k) == Some(pattern);
        };
        let text: Vec<char> = match metadata.get(k) {
            Some(Value::String(t)) => lower(t),
            Some(Value::Null) | None => return false,
            Some(other) => lower(&other.to_string()),
        };
        let pattern: Vec<char> = lower(pattern);
        if pattern.contains(&'*') || pattern.contains(&'?') {
            wildcard(&pattern, &text)
        } else {
            find(&pattern, &text).is_some()
        }
    })
}

fn lower(s: &str) -> Vec<char> {
    s.chars()
        .take(MAX_FIELD_CHARS)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Glob match in time linear in the text for a bounded pattern: the pattern's pieces
/// between `*`s are found leftmost, in order (no backtracking).
pub(super) fn wildcard(p: &[char], t: &[char]) -> bool {
    let pieces: Vec<&[char]> = p.split(|c| *c == '*').collect();
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return t.is_empty();
    };
    if pieces.len() == 1 {
        return same(first, t);
    }
    if t.len() < first.len() + last.len()
        || !same(first, &t[..first.len()])
        || !same(last, &t[t.len() - last.len()..])
    {
        return false;
    }
    let mut rest = &t[first.len()..t.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match find(piece, rest) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// Whether a piece (`?` matching any one character) matches `t` exactly.
fn same(piece: &[char], t: &[char]) -> bool {
    piece.len() == t.len() && piece.iter().zip(t).all(|(p, c)| *p == '?' || p == c)
}

/// Where a piece first matches in `t`.
fn find(piece: &[char], t: &[char]) -> Option<usize> {
    let last = t.len().checked_sub(piece.len())?;
    (0..=last).find(|&i| same(piece, &t[i..i + piece.len()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_search() {
        let m = json!({ "title": "Order A-1042 shipped", "n": 5 });
        assert!(matches_search(
            &m,
            Some(&json!({ "title": "order*shipped" }))
        ));
        assert!(!matches_search(&m, Some(&json!({ "title": "a-10?2" }))));
        assert!(matches_search(&m, Some(&json!({ "title": "*a-10?2*" }))));
        assert!(matches_search(&m, Some(&json!({ "title": "1042" }))));
        assert!(!matches_search(&m, Some(&json!({ "missing": "x" }))));
        assert!(matches_filter(&m, Some(&json!({ "n": 5 }))));
        assert!(!matches_filter(&m, Some(&json!({ "n": "5" }))));
    }

    #[test]
    fn wildcard_pieces() {
        let m = |p: &str, t: &str| {
            wildcard(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("*", ""));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("a*b*c", "abc"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*b*c", "acb"));
        assert!(m("*ab", "aab"));
        assert!(!m("ab*ab", "ab"));
        assert!(m("ab*ab", "abab"));
        assert!(m("?*?", "xy"));
        assert!(!m("?*?", "x"));
        assert!(m("**a**", "bab"));
    }

    #[test]
    fn a_pathological_search_is_bounded() {
        // `*a*a*…*b` over a long run of `a`: exponential for a backtracking matcher,
        // quadratic for the single-star one this replaced.
        let pattern = format!("{}b", "*a".repeat(MAX_PATTERN_CHARS / 2 - 1));
        let title = "a".repeat(100_000);
        let m = json!({ "title": title });
        assert!(!matches_search(&m, Some(&json!({ "title": pattern }))));
        assert_eq!(overlong_pattern(Some(&json!({ "title": pattern }))), None);
        let long = "x".repeat(MAX_PATTERN_CHARS + 1);
        assert_eq!(
            overlong_pattern(Some(&json!({ "title": long }))),
            Some("title".to_owned())
        );
    }
}
