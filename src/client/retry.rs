//! The client's timing rules, pure so that they are tested natively: how long to wait
//! before reconnecting after a loss, which failed sends are worth another try, and how
//! long to pause before it. Randomness comes in as an argument (`random` in `[0, 1)`,
//! `Math.random()` in the browser), so that the jitter is spread yet testable.

/// Milliseconds before reconnect attempt `attempt` (0 for the first after a loss).
///
/// The first try comes soon, spread over 50–250 ms so that a server dropping every socket
/// is not hit by all its clients at once; then 0.5 s, 1 s, 2 s… up to [`VISIBLE_CAP_MS`]
/// while someone may be looking (`visible`: a page on screen, or no page at all, as in
/// Node), [`HIDDEN_CAP_MS`] for a page in a hidden tab (which tries at once when it is shown
/// again), each scaled by a jitter between ½ and 1.
pub fn reconnect_delay_ms(attempt: u32, random: f64, visible: bool) -> u32 {
    let random = random.clamp(0.0, 1.0);
    let cap = if visible {
        VISIBLE_CAP_MS
    } else {
        HIDDEN_CAP_MS
    };
    let delay = match attempt {
        0 => 50.0 + random * 200.0,
        n => {
            let base = 500f64 * f64::from(1u32 << (n - 1).min(6));
            base.min(cap) * (0.5 + random * 0.5)
        }
    };
    delay as u32
}

/// The longest wait between reconnect attempts while a visitor may be watching
/// "Reconnecting…" (socket.io waits 5 s at most): back within seconds after a deploy, and
/// still no more than one try every 5–10 s per client against a server that keeps failing.
pub const VISIBLE_CAP_MS: f64 = 10_000.0;

/// The longest wait for a page in a hidden tab.
pub const HIDDEN_CAP_MS: f64 = 30_000.0;

/// How long a link must have stayed up for its loss to start the backoff afresh.
pub const STABLE_MS: f64 = 15_000.0;

/// The backoff attempt after a loss of a link that was up for `up_for_ms`: a link that
/// stayed up was a real recovery, and the next try comes soon again; one that was cut
/// sooner (a server or proxy that accepts each socket and drops it) keeps the backoff
/// growing, so that a flapping server sees one client at most every 5–10 s, not five times a
/// second.
pub fn attempt_after_loss(attempt: u32, up_for_ms: f64) -> u32 {
    if up_for_ms >= STABLE_MS {
        0
    } else {
        attempt
    }
}

/// Whether a failed send may succeed if tried again: network errors (no status),
/// timeouts, too early / too many requests, and server errors.
pub fn is_transient(status: Option<u16>) -> bool {
    matches!(
        status,
        None | Some(408) | Some(425) | Some(429) | Some(500..=599)
    )
}

/// Milliseconds to pause after try number `tries` (1 for the first) of an outbox message
/// failed transiently: 0.4 s, 0.8 s, 1.6 s… up to 8 s, each scaled by a jitter between ½
/// and 1.
pub fn send_pause_ms(tries: u32, random: f64) -> u32 {
    let random = random.clamp(0.0, 1.0);
    let base = 400f64 * f64::from(1u32 << tries.saturating_sub(1).min(5));
    (base.min(8_000.0) * (0.5 + random * 0.5)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reconnect_is_soon_and_spread() {
        for visible in [true, false] {
            assert_eq!(reconnect_delay_ms(0, 0.0, visible), 50);
            assert_eq!(reconnect_delay_ms(0, 0.5, visible), 150);
            assert!(reconnect_delay_ms(0, 0.999_999, visible) <= 250);
        }
    }

    #[test]
    fn reconnects_back_off_to_ten_seconds_while_visible_and_thirty_while_hidden() {
        let at_most = |visible| -> Vec<u32> {
            (1..12)
                .map(|n| reconnect_delay_ms(n, 1.0, visible))
                .collect()
        };
        assert_eq!(
            at_most(true),
            [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000, 10000, 10000]
        );
        assert_eq!(
            at_most(false),
            [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]
        );
        // The jitter halves at most.
        assert_eq!(reconnect_delay_ms(3, 0.0, true), 1000);
        assert_eq!(reconnect_delay_ms(40, 0.0, true), 5000);
        assert_eq!(reconnect_delay_ms(40, 0.0, false), 15000);
        // Out-of-range randomness cannot push it outside the window.
        assert_eq!(reconnect_delay_ms(2, 7.0, true), 1000);
        assert_eq!(reconnect_delay_ms(2, -1.0, true), 500);
        assert_eq!(
            reconnect_delay_ms(u32::MAX, f64::NAN.max(0.0), false),
            15000
        );
    }

    #[test]
    fn only_a_link_that_stayed_up_resets_the_backoff() {
        assert_eq!(attempt_after_loss(5, 100.0), 5);
        assert_eq!(attempt_after_loss(5, STABLE_MS - 1.0), 5);
        assert_eq!(attempt_after_loss(5, STABLE_MS), 0);
        assert_eq!(attempt_after_loss(0, 60_000.0), 0);
        // A clock that went backwards is not a stable link.
        assert_eq!(attempt_after_loss(3, -5.0), 3);
        assert_eq!(attempt_after_loss(3, f64::NAN), 3);
    }

    #[test]
    fn only_transient_failures_are_retried() {
        for status in [
            None,
            Some(408),
            Some(425),
            Some(429),
            Some(500),
            Some(503),
            Some(599),
        ] {
            assert!(is_transient(status), "{status:?}");
        }
        for status in [
            Some(400),
            Some(401),
            Some(403),
            Some(404),
            Some(413),
            Some(422),
            Some(600),
        ] {
            assert!(!is_transient(status), "{status:?}");
        }
    }

    #[test]
    fn send_pauses_grow_to_eight_seconds() {
        let at_most: Vec<u32> = (1..9).map(|n| send_pause_ms(n, 1.0)).collect();
        assert_eq!(at_most, [400, 800, 1600, 3200, 6400, 8000, 8000, 8000]);
        assert_eq!(send_pause_ms(1, 0.0), 200);
        assert_eq!(send_pause_ms(0, 1.0), 400);
        assert_eq!(send_pause_ms(u32::MAX, 0.0), 4000);
    }
}
