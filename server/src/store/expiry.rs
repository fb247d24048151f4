//! Retention: a conversation's `timeToLive` and a file's `ttlDays` are kept, what has
//! neither goes after the server's retention, and a conversation's files go with it.
//!
//! A conversation with `timeToLive` (days, in its metadata) is deleted, with its messages
//! and files, that many days after its last activity; a file uploaded with `ttlDays` stops
//! being served that many days after its upload and is then deleted. Deleting a
//! conversation for good deletes the files uploaded under its path (`APIKEY/CONVERSATION_ID/…`,
//! by a trigger in the schema), whatever the way it was deleted.

use rusqlite::params;

use super::{Store, StoreResult};

const DAY_SECS: i64 = 24 * 3600;

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub conversations: usize,
    pub files: usize,
    pub large_messages: usize,
}

/// SQL condition: a `files` row (aliased `f`) still within its `ttlDays` at `?now` (seconds).
pub(super) const FILE_ALIVE: &str =
    "(f.ttl_days IS NULL OR f.created_at + f.ttl_days * 86400 > ?2)";

impl Store {
    /// Deletes what has outlived its time to live at `now_secs` (seconds since the epoch):
    /// conversations past their `timeToLive` and files past their `ttlDays`; with
    /// `retention_days` (0: none), also conversations without a `timeToLive` untouched that
    /// long, files uploaded without `ttlDays` that long ago, and large messages that old.
    pub fn sweep_expired(&self, now_secs: i64, retention_days: u32) -> StoreResult<Swept> {
        let conn = self.conn();
        let ms = now_secs.saturating_mul(1000);
        let mut conversations = conn.execute(
            "DELETE FROM conversations
             WHERE CAST(json_extract(metadata, '$.timeToLive') AS INTEGER) > 0
               AND updated_at + CAST(json_extract(metadata, '$.timeToLive') AS INTEGER) * ?2 <= ?1",
            params![ms, DAY_SECS * 1000],
        )?;
        let mut files = conn.execute(
            "DELETE FROM files WHERE ttl_days IS NOT NULL AND created_at + ttl_days * ?2 <= ?1",
            params![now_secs, DAY_SECS],
        )?;
        let mut large_messages = 0;
        if retention_days > 0 {
            let kept = i64::from(retention_days) * DAY_SECS;
            conversations += conn.execute(
                "DELETE FROM conversations
                 WHERE COALESCE(CAST(json_extract(metadata, '$.timeToLive') AS INTEGER), 0) <= 0
                   AND updated_at + ?2 <= ?1",
                params![ms, kept * 1000],
            )?;
            files += conn.execute(
                "DELETE FROM files WHERE ttl_days IS NULL AND created_at + ?2 <= ?1",
                params![now_secs, kept],
            )?;
            large_messages = conn.execute(
                "DELETE FROM large_messages WHERE created_at + ?2 <= ?1",
                params![now_secs, kept],
            )?;
        }
        conn.execute(
            "DELETE FROM file_links WHERE expires_at <= ?1",
            params![now_secs],
        )?;
        Ok(Swept {
            conversations,
            files,
            large_messages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{now_secs, StoredFile};
    use serde_json::{json, Map, Value};

    fn file(store: &Store, key: &str, ttl: Option<i64>) {
        let f = StoredFile {
            filename: "a.txt".into(),
            mimetype: "text/plain".into(),
            bytes: b"a".to_vec(),
        };
        store.add_file(key, &f, "a", ttl).unwrap();
    }

    fn ttl(days: i64) -> Map<String, Value> {
        json!({ "timeToLive": days }).as_object().cloned().unwrap()
    }

    #[test]
    fn conversations_and_files_go_when_their_time_to_live_has_passed() {
        let store = Store::in_memory().unwrap();
        let kept = store
            .create_conversation("k", "u", &json!({}), &json!({}))
            .unwrap();
        let short = store
            .create_conversation("k", "u", &json!({}), &json!({}))
            .unwrap();
        let long = store
            .create_conversation("k", "u", &json!({}), &json!({}))
            .unwrap();
        store.set_metadata(&short.id, &ttl(1)).unwrap();
        store.set_metadata(&long.id, &ttl(30)).unwrap();
        file(&store, &format!("k/{}/f-a.txt", short.id), None);
        file(&store, "k/other/f-b.txt", Some(7));
        file(&store, "k/other/f-c.txt", None);
        let now = now_secs();

        assert_eq!(store.sweep_expired(now, 0).unwrap(), Swept::default());
        let swept = store.sweep_expired(now + 2 * DAY_SECS, 0).unwrap();
        assert_eq!((swept.conversations, swept.files), (1, 0));
        assert!(store.conversation(&short.id).unwrap().is_none());
        // The conversation's file went with it (the trigger), the others stay.
        assert!(store
            .add_file_link(&format!("k/{}/f-a.txt", short.id), now + 60)
            .unwrap()
            .is_none());
        assert!(store
            .add_file_link("k/other/f-b.txt", now + 60)
            .unwrap()
            .is_some());

        let swept = store.sweep_expired(now + 8 * DAY_SECS, 0).unwrap();
        assert_eq!((swept.conversations, swept.files), (0, 1));
        assert!(store
            .add_file_link("k/other/f-b.txt", now + 60)
            .unwrap()
            .is_none());
        assert!(store
            .add_file_link("k/other/f-c.txt", now + 60)
            .unwrap()
            .is_some());
        assert!(store.conversation(&kept.id).unwrap().is_some());
        assert!(store.conversation(&long.id).unwrap().is_some());
        assert_eq!(
            store
                .sweep_expired(now + 31 * DAY_SECS, 0)
                .unwrap()
                .conversations,
            1
        );
    }

    #[test]
    fn a_file_past_its_ttl_is_not_served_even_before_a_sweep() {
        let store = Store::in_memory().unwrap();
        file(&store, "k/c/f-a.txt", Some(1));
        let token = store
            .add_file_link("k/c/f-a.txt", now_secs() + 60)
            .unwrap()
            .unwrap();
        assert!(store.file_by_link(&token).unwrap().is_some());
        store
            .conn()
            .execute("UPDATE files SET created_at = created_at - 2 * 86400", [])
            .unwrap();
        assert!(store.file_by_link(&token).unwrap().is_none());
        assert!(store
            .add_file_link("k/c/f-a.txt", now_secs() + 60)
            .unwrap()
            .is_none());
    }
}
