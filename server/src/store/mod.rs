//! Persistence: conversations, messages, metadata and stored files in one SQLite
//! database (a file by default, or in memory for tests).
//!
//! This file opens the database and keeps conversations; [`messages`] keeps messages,
//! large messages and transcripts, [`files`] uploaded files and their links, [`expiry`]
//! what outlives its time to live.

mod expiry;
mod files;
mod messages;

pub use expiry::Swept;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub(super) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A storage failure, reported to clients as a 500.
#[derive(Debug)]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage error: {}", self.0)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who wrote a stored message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    User,
    Bot,
    Agent,
}

impl Author {
    fn as_str(self) -> &'static str {
        match self {
            Author::User => "user",
            Author::Bot => "bot",
            Author::Agent => "livechat",
        }
    }
}

/// A conversation row.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub id: String,
    pub api_key: String,
    pub user_id: String,
    pub metadata: Value,
    pub private_metadata: Value,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted: bool,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMessage {
    pub id: String,
    pub author: String,
    pub content: Value,
    pub client_msg_id: Option<String>,
    pub created_at: i64,
    pub edited: bool,
}

/// A stored file.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub filename: String,
    pub mimetype: String,
    pub bytes: Vec<u8>,
}

/// The database behind the server.
pub struct Store {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  api_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_basic_info TEXT NOT NULL,
  metadata TEXT NOT NULL,
  private_metadata TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS conversations_user ON conversations(user_id, api_key);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  author TEXT NOT NULL,
  content TEXT NOT NULL,
  client_msg_id TEXT,
  created_at INTEGER NOT NULL,
  edited INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages(conversation_id, seq);
CREATE INDEX IF NOT EXISTS messages_client_id ON messages(conversation_id, client_msg_id);
CREATE TABLE IF NOT EXISTS files (
  key TEXT PRIMARY KEY,
  filename TEXT NOT NULL,
  mimetype TEXT NOT NULL,
  bytes BLOB NOT NULL,
  text TEXT NOT NULL,
  ttl_days INTEGER,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS file_links (
  token TEXT PRIMARY KEY,
  file_key TEXT NOT NULL REFERENCES files(key) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS conversation_files AFTER DELETE ON conversations BEGIN
  DELETE FROM files
  WHERE substr(key, 1, length(OLD.api_key) + length(OLD.id) + 2) = OLD.api_key || '/' || OLD.id || '/';
END;
CREATE TABLE IF NOT EXISTS large_messages (
  id TEXT PRIMARY KEY,
  api_key TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT 0
);
";

pub(super) fn parse_json(text: String) -> Value {
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Shallow merge: keys of `update` replace those of `base`.
fn merge(base: &mut Value, update: &Map<String, Value>) {
    if !base.is_object() {
        *base = Value::Object(Map::new());
    }
    if let Value::Object(map) = base {
        for (k, v) in update {
            map.insert(k.clone(), v.clone());
        }
    }
}

impl Store {
    /// Opens (and creates if needed) the database file at `path`.
    pub fn open(path: &Path) -> StoreResult<Store> {
        Store::init(Connection::open(path)?)
    }

    /// A database that lives only as long as the process.
    pub fn in_memory() -> StoreResult<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> StoreResult<Store> {
        conn.execute_batch(SCHEMA)?;
        // A database from before large messages were dated: theirs count as old.
        let dated: bool = conn.query_row(
            "SELECT COUNT(*) > 0 FROM pragma_table_info('large_messages') WHERE name = 'created_at'",
            [],
            |r| r.get(0),
        )?;
        if !dated {
            conn.execute_batch(
                "ALTER TABLE large_messages ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0",
            )?;
        }
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    pub(super) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent: keep serving.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Creates a conversation; `metadata.private` is kept apart as private metadata.
    pub fn create_conversation(
        &self,
        api_key: &str,
        user_id: &str,
        user_basic_info: &Value,
        metadata: &Value,
    ) -> StoreResult<Conversation> {
        let id = uuid::Uuid::new_v4().to_string();
        let mut public = Value::Object(Map::new());
        let mut private = Value::Object(Map::new());
        if let Value::Object(map) = metadata {
            let mut m = map.clone();
            if let Some(Value::Object(p)) = m.remove("private") {
                merge(&mut private, &p);
            }
            merge(&mut public, &m);
        }
        let now = now_ms();
        self.conn().execute(
            "INSERT INTO conversations (id, api_key, user_id, user_basic_info, metadata, private_metadata, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, api_key, user_id, user_basic_info.to_string(), public.to_string(), private.to_string(), now],
        )?;
        Ok(Conversation {
            id,
            api_key: api_key.to_owned(),
            user_id: user_id.to_owned(),
            metadata: public,
            private_metadata: private,
            created_at: now,
            updated_at: now,
            deleted: false,
        })
    }

    fn row_to_conversation(row: &rusqlite::Row<'_>) -> rusqlite::Result<Conversation> {
        Ok(Conversation {
            id: row.get(0)?,
            api_key: row.get(1)?,
            user_id: row.get(2)?,
            metadata: parse_json(row.get(3)?),
            private_metadata: parse_json(row.get(4)?),
            created_at: row.get(5)?,
            updated_at: row.get(6)?,
            deleted: row.get::<_, i64>(7)? != 0,
        })
    }

    /// A conversation that is not deleted, whatever its API key.
    pub fn conversation(&self, id: &str) -> StoreResult<Option<Conversation>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, api_key, user_id, metadata, private_metadata, created_at, updated_at, deleted
                 FROM conversations WHERE id = ?1 AND deleted = 0",
                params![id],
                Store::row_to_conversation,
            )
            .optional()?)
    }

    /// The live conversations of a user under any of `api_keys`, newest first.
    pub fn user_conversations(
        &self,
        user_id: &str,
        api_keys: &[String],
    ) -> StoreResult<Vec<Conversation>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, api_key, user_id, metadata, private_metadata, created_at, updated_at, deleted
             FROM conversations WHERE user_id = ?1 AND deleted = 0 ORDER BY updated_at DESC, created_at DESC",
        )?;
        let rows = stmt.query_map(params![user_id], Store::row_to_conversation)?;
        let mut out = Vec::new();
        for row in rows {
            let c = row?;
            if api_keys.contains(&c.api_key) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Merges `update` into the metadata; its `private` part goes to private metadata.
    pub fn set_metadata(
        &self,
        id: &str,
        update: &Map<String, Value>,
    ) -> StoreResult<Option<Value>> {
        let Some(mut conv) = self.conversation(id)? else {
            return Ok(None);
        };
        let mut update = update.clone();
        if let Some(Value::Object(p)) = update.remove("private") {
            merge(&mut conv.private_metadata, &p);
        }
        merge(&mut conv.metadata, &update);
        self.conn().execute(
            "UPDATE conversations SET metadata = ?2, private_metadata = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, conv.metadata.to_string(), conv.private_metadata.to_string(), now_ms()],
        )?;
        Ok(Some(conv.metadata))
    }

    /// Soft delete hides a conversation; hard delete removes it, its messages and its files.
    pub fn delete_conversation(&self, id: &str, soft: bool) -> StoreResult<bool> {
        let conn = self.conn();
        let n = if soft {
            conn.execute(
                "UPDATE conversations SET deleted = 1 WHERE id = ?1 AND deleted = 0",
                params![id],
            )?
        } else {
            conn.execute("DELETE FROM conversations WHERE id = ?1", params![id])?
        };
        Ok(n > 0)
    }

    /// Deletes every conversation of a user under one API key; returns how many.
    pub fn delete_user_conversations(
        &self,
        api_key: &str,
        user_id: &str,
        soft: bool,
    ) -> StoreResult<usize> {
        let conn = self.conn();
        Ok(if soft {
            conn.execute(
                "UPDATE conversations SET deleted = 1 WHERE user_id = ?1 AND api_key = ?2 AND deleted = 0",
                params![user_id, api_key],
            )?
        } else {
            conn.execute(
                "DELETE FROM conversations WHERE user_id = ?1 AND api_key = ?2",
                params![user_id, api_key],
            )?
        })
    }
}
