//! What a face missed while the socket was away: the transcript entries it has not shown,
//! chosen by one rule for both faces. After a reconnect the drop-in hands the bot messages
//! among them to `onMessage`; the widget merges into a conversation's list what it lacks.

use crate::protocol::TranscriptEntry;

/// Where what a face has shown of a conversation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since<'a> {
    /// Nothing is known to have been shown: every entry may have been missed.
    Start,
    /// The message with this id was the last one shown. When the transcript no longer holds
    /// it, nothing counts as missed: what came after a message that cannot be found cannot
    /// be told from what came before it.
    After(&'a str),
}

/// The entries after `since` that `shown` does not claim, in transcript order.
pub fn missed<'a>(
    entries: &'a [TranscriptEntry],
    since: Since<'_>,
    shown: impl Fn(&TranscriptEntry) -> bool,
) -> impl Iterator<Item = &'a TranscriptEntry> {
    let start = match since {
        Since::Start => 0,
        Since::After(id) => entries
            .iter()
            .position(|e| e.message_id.as_deref() == Some(id))
            .map_or(entries.len(), |i| i + 1),
    };
    entries
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter(move |e| !shown(e))
}

#[cfg(test)]
mod tests {
    use super::{missed, Since};
    use crate::protocol::{parse_transcript, Sender, TranscriptEntry};
    use serde_json::json;

    fn transcript() -> Vec<TranscriptEntry> {
        parse_transcript(&json!({ "transcript": [
            { "from": "user", "message_id": "u1", "text": "hi" },
            { "from": "bot", "message_id": "b1", "text": "hello" },
            { "from": "user", "message_id": "u2", "text": "and?" },
            { "from": "bot", "message_id": "b2", "text": "this" },
            { "from": "bot", "message_id": "b3", "text": "and that" },
        ] }))
    }

    fn ids<'a>(entries: impl Iterator<Item = &'a TranscriptEntry>) -> Vec<&'a str> {
        entries.filter_map(|e| e.message_id.as_deref()).collect()
    }

    #[test]
    fn from_the_start_everything_not_shown() {
        let t = transcript();
        assert_eq!(
            ids(missed(&t, Since::Start, |_| false)),
            ["u1", "b1", "u2", "b2", "b3"]
        );
        let shown = ["u1", "b2"];
        let not_shown = missed(&t, Since::Start, |e| {
            shown.contains(&e.message_id.as_deref().unwrap_or_default())
        });
        assert_eq!(ids(not_shown), ["b1", "u2", "b3"]);
    }

    #[test]
    fn after_the_last_message_shown_only_what_follows_it() {
        let t = transcript();
        assert_eq!(
            ids(missed(&t, Since::After("b1"), |_| false)),
            ["u2", "b2", "b3"]
        );
        // The drop-in's view: bot messages only.
        let bot_only = missed(&t, Since::After("b1"), |e| e.from != Sender::Bot);
        assert_eq!(ids(bot_only), ["b2", "b3"]);
        assert_eq!(
            ids(missed(&t, Since::After("b3"), |_| false)),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_last_message_the_transcript_lacks_leaves_nothing_to_fill() {
        let t = transcript();
        assert_eq!(
            ids(missed(&t, Since::After("gone"), |_| false)),
            Vec::<&str>::new()
        );
        assert_eq!(
            ids(missed(&[], Since::Start, |_| false)),
            Vec::<&str>::new()
        );
    }
}
