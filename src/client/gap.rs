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
/// leaves first. A ring of ids beside their hashes, and a count of the ring's hashes in each
/// of [`Heard::BUCKETS`] buckets: an id whose bucket is empty was not heard, which settles
/// nearly every new id without looking at the ring; otherwise the ring's hashes are scanned
/// and the text of any that match compared, so a collision cannot hide a message. Nothing
/// moves when an id is added: the oldest slot is overwritten in place.
#[derive(Debug, Default)]
pub struct Heard {
    hashes: Vec<u64>,
    ids: Vec<String>,
    /// Where the next id goes once the ring is full (the oldest one's place).
    next: usize,
    /// How many of the ring's hashes fall in each bucket (made on the first insert). A count
    /// that reaches `u8::MAX` stays there: that bucket is then always scanned.
    buckets: Vec<u8>,
}

impl Heard {
    pub const CAPACITY: usize = 256;
    /// 16 buckets per id of a full ring: about 6 % of new ids find theirs taken.
    pub const BUCKETS: usize = 4096;

    fn hash(id: &str) -> u64 {
        // The same everywhere; equal hashes are checked by text anyway.
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    fn bucket(hash: u64) -> usize {
        // The low bits (`BUCKETS` is a power of two), where `FxHasher::finish` rotates its
        // best ones. Not the top bits: on wasm32 the hash is a `usize`, so the top 32 bits of
        // the `u64` are always zero (every id fell into bucket 0 and each insert scanned the
        // whole ring: 4 % of a frame's dispatch).
        hash as usize & (Self::BUCKETS - 1)
    }

    fn find(&self, id: &str, hash: u64) -> bool {
        self.buckets.get(Self::bucket(hash)).is_some_and(|n| *n > 0)
            && self
                .hashes
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
        if self.buckets.is_empty() {
            self.buckets = vec![0; Self::BUCKETS];
        }
        if let Some(n) = self.buckets.get_mut(Self::bucket(hash)) {
            *n = n.saturating_add(1);
        }
        if self.ids.len() < Self::CAPACITY {
            self.hashes.push(hash);
            self.ids.push(id.to_owned());
            return true;
        }
        if let (Some(h), Some(known)) =
            (self.hashes.get_mut(self.next), self.ids.get_mut(self.next))
        {
            let old = std::mem::replace(h, hash);
            // A saturated count stays (its bucket is scanned from then on).
            if let Some(n) = self
                .buckets
                .get_mut(Self::bucket(old))
                .filter(|n| **n < u8::MAX)
            {
                *n = n.saturating_sub(1);
            }
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
        let counted: usize = heard.buckets.iter().map(|n| usize::from(*n)).sum();
        assert_eq!(counted, Heard::CAPACITY);
    }

    #[test]
    fn ids_that_share_a_hash_or_a_bucket_are_told_apart_by_their_text() {
        let mut heard = Heard::default();
        let bucket = Heard::bucket;
        // The same hash: the second id is new, and both are known afterwards.
        assert!(heard.insert_hashed("a", 7));
        assert!(heard.insert_hashed("b", 7));
        assert!(!heard.insert_hashed("a", 7) && !heard.insert_hashed("b", 7));
        assert!(heard.find("a", 7) && heard.find("b", 7) && !heard.find("c", 7));
        // Another hash in the same bucket is not the same id.
        let other = 7 + Heard::BUCKETS as u64;
        assert_eq!(bucket(7), bucket(other));
        assert!(!heard.find("a", other));
        assert_eq!(heard.buckets.get(bucket(7)), Some(&2));
        // As the ring turns past them, the bucket stays counted until both have left.
        for i in 0..Heard::CAPACITY - 1 {
            heard.insert_hashed(&format!("m{i}"), u64::MAX - i as u64);
        }
        assert!(!heard.find("a", 7) && heard.find("b", 7));
        assert_eq!(heard.buckets.get(bucket(7)), Some(&1));
        heard.insert_hashed("last", u64::MAX - 1000);
        assert!(!heard.find("b", 7));
        assert_eq!(heard.buckets.get(bucket(7)), Some(&0));
    }

    #[test]
    fn ids_spread_over_the_buckets_with_a_32_bit_hash_as_with_a_64_bit_one() {
        // wasm32's FxHasher finishes with a `usize`: its hashes never reach the top half of a
        // `u64`, and they must still spread. The two hashes here are shaped as `FxHasher`'s on
        // each width (multiplicative with its constant, then rotated as its `finish` does).
        let ids: Vec<String> = (0..Heard::CAPACITY)
            .map(|i| format!("conv-7f3a-m{i}"))
            .collect();
        let spread = |hash: &dyn Fn(&str) -> u64| {
            let mut used: Vec<usize> = ids.iter().map(|id| Heard::bucket(hash(id))).collect();
            used.sort_unstable();
            used.dedup();
            used.len()
        };
        let fx32 = |id: &str| {
            let word = id.bytes().fold(0u32, |h, b| {
                (h.rotate_left(5) ^ u32::from(b)).wrapping_mul(0x93d7_65dd)
            });
            u64::from(word.rotate_left(15))
        };
        let fx64 = |id: &str| {
            let word = id.bytes().fold(0u64, |h, b| {
                (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0xf135_7aea_2e62_a9c5)
            });
            word.rotate_left(26)
        };
        // 256 ids in 4,096 buckets: nearly all in buckets of their own.
        assert!(spread(&fx32) > 230, "32-bit: {}", spread(&fx32));
        assert!(spread(&fx64) > 230, "64-bit: {}", spread(&fx64));
        assert!(spread(&Heard::hash) > 230);
    }

    #[test]
    fn a_full_bucket_stays_counted_and_its_ids_are_still_found() {
        let mut heard = Heard::default();
        // More ids in one bucket than a count holds: all of the ring's are found, and once
        // the ring has turned past them the bucket is scanned rather than trusted.
        let hash = |i: usize| (i * Heard::BUCKETS) as u64;
        for i in 0..Heard::CAPACITY + 10 {
            assert!(heard.insert_hashed(&format!("s{i}"), hash(i)));
        }
        assert_eq!(heard.buckets.get(Heard::bucket(0)), Some(&u8::MAX));
        assert!((10..Heard::CAPACITY + 10).all(|i| heard.find(&format!("s{i}"), hash(i))));
        assert!(!heard.find("s0", 0));
        assert!(heard.insert_hashed("s0", 0));
    }
}
