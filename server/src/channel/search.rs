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

/// `search`: every named metadata field matches a wildcard pattern (`*`, `?`;
/// without wildcards, a case-insensitive substring).
pub(super) fn matches_search(metadata: &Value, search: Option<&Value>) -> bool {
    let Some(Value::Object(s)) = search else {
        return true;
    };
    s.iter().all(|(k, pattern)| {
        let Some(pattern) = pattern.as_str() else {
            return metadata.get(k) == Some(pattern);
        };
        let text = match metadata.get(k) {
            Some(Value::String(t)) => t.to_lowercase(),
            Some(Value::Null) | None => return false,
            Some(other) => other.to_string().to_lowercase(),
        };
        let pattern = pattern.to_lowercase();
        if pattern.contains(['*', '?']) {
            wildcard(
                &pattern.chars().collect::<Vec<_>>(),
                &text.chars().collect::<Vec<_>>(),
            )
        } else {
            text.contains(&pattern)
        }
    })
}

pub(super) fn wildcard(p: &[char], t: &[char]) -> bool {
    // Iterative glob match with backtracking to the last `*`.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
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
}
