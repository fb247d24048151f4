//! What a face missed while the socket was away: the transcript entries it has not shown,
//! chosen by one rule for both faces. After a reconnect the drop-in hands the bot messages
//! among them to `onMessage`; the widget merges into a conversation's list what it lacks.

use std::hash::BuildHasher;

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
pub fn missed<'a, V>(
    entries: &'a [TranscriptEntry<V>],
    since: Since<'_>,
    shown: impl Fn(&TranscriptEntry<V>) -> bool,
) -> impl Iterator<Item = &'a TranscriptEntry<V>> {
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

/// The ids of the last [`Heard::CAPACITY`] messages handed out, so that none is handed out
/// twice (a live reply that a gap fill handed out already, or a frame sent twice): the oldest
/// leaves first. A ring of ids beside their hashes: an id is looked for among the hashes, and
/// the text of any that match is compared, so a collision cannot hide a message. Nothing
/// moves when an id is added: the oldest slot is overwritten in place.
#[derive(Debug, Default)]
pub struct Heard {
    hashes: Vec<u64>,
    ids: Vec<String>,
    /// Where the next id goes once the ring is full (the oldest one's place).
    next: usize,
}

impl Heard {
    pub const CAPACITY: usize = 256;

    fn hash(id: &str) -> u64 {
        // The same everywhere; equal hashes are checked by text anyway.
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    fn find(&self, id: &str, hash: u64) -> bool {
        self.hashes
            .iter()
            .zip(&self.ids)
            .any(|(h, known)| *h == hash && known == id)
    }

    /// Whether `id` is among the last ids heard.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id, Self::hash(id))
    }

    /// Remembers `id`; `false` when it was known already (then nothing changes).
    pub fn insert(&mut self, id: &str) -> bool {
        self.insert_hashed(id, Self::hash(id))
    }

    fn insert_hashed(&mut self, id: &str, hash: u64) -> bool {
        if self.find(id, hash) {
            return false;
        }
        if self.ids.len() < Self::CAPACITY {
            self.hashes.push(hash);
            self.ids.push(id.to_owned());
            return true;
        }
        if let (Some(h), Some(known)) =
            (self.hashes.get_mut(self.next), self.ids.get_mut(self.next))
        {
            *h = hash;
            known.clear();
            known.push_str(id);
        }
        self.next = (self.next + 1) % Self::CAPACITY;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::{missed, Heard, Since};
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

    #[test]
    fn heard_ids_are_known_until_the_ring_turns_past_them() {
        let mut heard = Heard::default();
        assert!(!heard.contains("m0"));
        assert!(heard.insert("m0"));
        assert!(!heard.insert("m0"));
        assert!(heard.contains("m0"));
        assert!(!heard.contains("m"));
        assert!(!heard.contains("m00"));
        for i in 1..Heard::CAPACITY {
            heard.insert(&format!("m{i}"));
        }
        // Full: every one is known, the first one too.
        assert!((0..Heard::CAPACITY).all(|i| heard.contains(&format!("m{i}"))));
        // One more pushes out the oldest only; known ids do not move the ring.
        assert!(!heard.insert("m1"));
        assert!(heard.insert("new"));
        assert!(!heard.contains("m0"));
        assert!(heard.contains("m1") && heard.contains("new"));
        heard.insert("newer");
        assert!(!heard.contains("m1"));
        assert!(heard.contains("m2") && heard.contains("newer"));
        // A whole turn later only the last CAPACITY remain.
        for i in 0..Heard::CAPACITY {
            heard.insert(&format!("x{i}"));
        }
        assert!(!heard.contains("new") && !heard.contains("newer"));
        assert!((0..Heard::CAPACITY).all(|i| heard.contains(&format!("x{i}"))));
        assert_eq!(heard.ids.len(), Heard::CAPACITY);
    }

    #[test]
    fn ids_that_share_a_hash_are_told_apart_by_their_text() {
        let mut heard = Heard::default();
        // The same hash: the second id is new, and both are known afterwards.
        assert!(heard.insert_hashed("a", 7));
        assert!(heard.insert_hashed("b", 7));
        assert!(!heard.insert_hashed("a", 7) && !heard.insert_hashed("b", 7));
        assert!(heard.find("a", 7) && heard.find("b", 7) && !heard.find("c", 7));
        assert!(!heard.find("a", 8));
        // As the ring turns past them, each leaves in its turn.
        for i in 0..Heard::CAPACITY - 1 {
            heard.insert_hashed(&format!("m{i}"), u64::MAX - i as u64);
        }
        assert!(!heard.find("a", 7) && heard.find("b", 7));
        heard.insert_hashed("last", u64::MAX - 1000);
        assert!(!heard.find("b", 7));
    }
}
