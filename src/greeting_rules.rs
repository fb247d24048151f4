//! When the widget's proactive greeting shows (`greeting`, `greetingPages`, `greetingEvery`):
//! on which pages, and how long after it was last shown. Pure, so that the rules are tested
//! natively; the widget's side is `widget::greeting`.

/// Whether the page at `path` (`location.pathname`) is one of `patterns` (every page when
/// there are none). A pattern is a path in which `*` stands for any text, `/` included
/// (`/pricing`, `/docs/*`, `*/checkout`); one without `*` matches that path exactly, with
/// or without a trailing `/`.
pub fn page_matches(patterns: &[String], path: &str) -> bool {
    patterns.is_empty()
        || patterns.iter().any(|p| {
            let p = p.trim();
            !p.is_empty()
                && (glob(p, path)
                    || (!p.contains('*') && p.trim_end_matches('/') == path.trim_end_matches('/')))
        })
}

/// Whether `text` matches `pattern`, `*` matching any run of characters. At most
/// `pattern.len()` steps per character of `text` (the page's own patterns are short; the
/// path may be long): on a mismatch, only the last `*` takes one more character and the
/// rest of the pattern is tried again, since a later `*` absorbs whatever an earlier one
/// would have.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // The last `*` seen and the position in `text` it matched up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

/// Whether a greeting last shown at `shown_at` (milliseconds since the epoch; `None`:
/// never) may show again at `now`, `every_days` later. A time in the future (a clock set
/// back) counts as long ago rather than blocking the greeting for good.
pub fn greeting_due(shown_at: Option<f64>, now: f64, every_days: f64) -> bool {
    match shown_at {
        Some(at) if at.is_finite() && at <= now => now - at >= every_days * 86_400_000.0,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn every_page_without_patterns() {
        assert!(page_matches(&[], "/"));
        assert!(page_matches(&[], "/anything/at/all"));
    }

    #[test]
    fn patterns_match_paths_with_stars_and_exact_paths_with_or_without_a_slash() {
        let p = pages(&["/pricing", "/docs/*", "*/checkout"]);
        assert!(page_matches(&p, "/pricing"));
        assert!(page_matches(&p, "/pricing/"));
        assert!(!page_matches(&p, "/pricing/enterprise"));
        assert!(page_matches(&p, "/docs/"));
        assert!(page_matches(&p, "/docs/a/b"));
        assert!(!page_matches(&p, "/doc"));
        assert!(page_matches(&p, "/shop/cart/checkout"));
        assert!(!page_matches(&p, "/checkout/done"));
        assert!(!page_matches(&pages(&["", "  "]), "/"));
        assert!(page_matches(&pages(&["*"]), "/x"));
    }

    #[test]
    fn glob_backtracks_over_stars() {
        assert!(glob("a*b*c", "aXXbYYbZc"));
        assert!(glob("*a*", "bab"));
        assert!(!glob("a*b", "aXXbY"));
        assert!(glob("**", ""));
        assert!(!glob("a", ""));
        assert!(glob("/é*", "/été"));
    }

    #[test]
    fn a_hostile_path_costs_linear_time() {
        // 200,000 characters against a pattern that fails at the very end: a matcher that
        // tried every split of the text between the stars would not finish.
        let path = "a".repeat(200_000);
        assert!(!glob("*a*a*a*b", &path));
        assert!(glob("*a*a*a*", &path));
    }

    #[test]
    fn due_again_after_the_days_given() {
        let day = 86_400_000.0;
        let now = 100.0 * day;
        assert!(greeting_due(None, now, 1.0));
        assert!(!greeting_due(Some(now - day / 2.0), now, 1.0));
        assert!(greeting_due(Some(now - day), now, 1.0));
        assert!(greeting_due(Some(now - 1.0), now, 0.0));
        assert!(!greeting_due(Some(now - 6.0 * day), now, 7.0));
        // A clock set back, or a value that is no time.
        assert!(greeting_due(Some(now + day), now, 1.0));
        assert!(greeting_due(Some(f64::NAN), now, 1.0));
    }
}
