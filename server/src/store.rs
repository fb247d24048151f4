//! Persistence: conversations, messages, metadata and stored files in one SQLite
//! database (a file by default, or in memory for tests).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn now_ms() -> i64 {
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
CREATE TABLE IF NOT EXISTS large_messages (
  id TEXT PRIMARY KEY,
  api_key TEXT NOT NULL,
  content TEXT NOT NULL
);
";

fn parse_json(text: String) -> Value {
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
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
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

    /// Soft delete hides a conversation; hard delete removes it and its messages.
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

    /// A message earlier sent with this `client_msg_id` and this exact content.
    pub fn find_retry(
        &self,
        conversation_id: &str,
        client_msg_id: &str,
        content: &Value,
    ) -> StoreResult<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM messages WHERE conversation_id = ?1 AND client_msg_id = ?2 AND content = ?3 AND author = 'user'",
                params![conversation_id, client_msg_id, content.to_string()],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Stores a message and returns its id.
    pub fn add_message(
        &self,
        conversation_id: &str,
        author: Author,
        content: &Value,
        client_msg_id: Option<&str>,
    ) -> StoreResult<String> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = now_ms();
        let conn = self.conn();
        conn.execute(
            "INSERT INTO messages (id, conversation_id, author, content, client_msg_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, conversation_id, author.as_str(), content.to_string(), client_msg_id, now],
        )?;
        conn.execute(
            "UPDATE conversations SET updated_at = ?2 WHERE id = ?1",
            params![conversation_id, now],
        )?;
        Ok(id)
    }

    /// Replaces a message's content; false when the conversation has no such message.
    pub fn edit_message(
        &self,
        conversation_id: &str,
        message_id: &str,
        content: &Value,
    ) -> StoreResult<bool> {
        let n = self.conn().execute(
            "UPDATE messages SET content = ?3, edited = 1 WHERE conversation_id = ?1 AND id = ?2",
            params![conversation_id, message_id, content.to_string()],
        )?;
        Ok(n > 0)
    }

    /// Every message of a conversation, oldest first.
    pub fn messages(&self, conversation_id: &str) -> StoreResult<Vec<StoredMessage>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, author, content, client_msg_id, created_at, edited FROM messages WHERE conversation_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![conversation_id], |row| {
            Ok(StoredMessage {
                id: row.get(0)?,
                author: row.get(1)?,
                content: parse_json(row.get(2)?),
                client_msg_id: row.get(3)?,
                created_at: row.get(4)?,
                edited: row.get::<_, i64>(5)? != 0,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Keeps a message too large for a frame; returns its id.
    pub fn add_large_message(&self, api_key: &str, content: &Value) -> StoreResult<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.conn().execute(
            "INSERT INTO large_messages (id, api_key, content) VALUES (?1, ?2, ?3)",
            params![id, api_key, content.to_string()],
        )?;
        Ok(id)
    }

    /// A large message's content, if it exists for this API key.
    pub fn large_message(&self, id: &str, api_key: &str) -> StoreResult<Option<Value>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT content FROM large_messages WHERE id = ?1 AND api_key = ?2",
                params![id, api_key],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .map(parse_json))
    }

    /// Stores an uploaded file under `key`.
    pub fn add_file(
        &self,
        key: &str,
        file: &StoredFile,
        text: &str,
        ttl_days: Option<i64>,
    ) -> StoreResult<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO files (key, filename, mimetype, bytes, text, ttl_days, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![key, file.filename, file.mimetype, file.bytes, text, ttl_days, now_secs()],
        )?;
        Ok(())
    }

    /// Issues a download token for a stored file, valid until `expires_at` (epoch seconds).
    pub fn add_file_link(&self, file_key: &str, expires_at: i64) -> StoreResult<Option<String>> {
        let conn = self.conn();
        let exists: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM files WHERE key = ?1",
                params![file_key],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Ok(None);
        }
        let token = uuid::Uuid::new_v4().simple().to_string();
        conn.execute(
            "INSERT INTO file_links (token, file_key, expires_at) VALUES (?1, ?2, ?3)",
            params![token, file_key, expires_at],
        )?;
        Ok(Some(token))
    }

    /// The file behind a download token that has not expired.
    pub fn file_by_link(&self, token: &str) -> StoreResult<Option<StoredFile>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT f.filename, f.mimetype, f.bytes FROM file_links l JOIN files f ON f.key = l.file_key
                 WHERE l.token = ?1 AND l.expires_at > ?2",
                params![token, now_secs()],
                |row| Ok(StoredFile { filename: row.get(0)?, mimetype: row.get(1)?, bytes: row.get(2)? }),
            )
            .optional()?)
    }

    /// One transcript entry per stored message, in the shape Captivate's `/api/transcript` uses.
    pub fn transcript(&self, conversation_id: &str, bot_name: &str) -> StoreResult<Vec<Value>> {
        Ok(self
            .messages(conversation_id)?
            .into_iter()
            .map(|m| transcript_entry(&m, bot_name))
            .collect())
    }
}

fn transcript_entry(m: &StoredMessage, bot_name: &str) -> Value {
    let mut entry = json!({
        "from": m.author,
        "message_id": m.id,
        "channelName": "custom",
        "created_at": m.created_at,
    });
    let messages = match &m.content {
        Value::Array(items) => Value::Array(items.clone()),
        Value::Object(obj) if obj.contains_key("type") => Value::Array(vec![m.content.clone()]),
        Value::Object(obj) => {
            let text = obj.get("text").and_then(Value::as_str).unwrap_or("");
            if text.is_empty() {
                json!([])
            } else {
                json!([{ "type": "text", "text": text }])
            }
        }
        Value::String(s) => json!([{ "type": "text", "text": s }]),
        _ => json!([]),
    };
    if let Value::Object(map) = &mut entry {
        map.insert("messages".into(), messages);
        if m.author == "user" {
            map.insert("content".into(), m.content.clone());
            if let Some(files) = m.content.get("files") {
                map.insert("files".into(), files.clone());
            }
            if let Some(id) = &m.client_msg_id {
                map.insert("client_msg_id".into(), json!(id));
            }
        }
        if m.author == "bot" {
            map.insert("chatbotName".into(), json!(bot_name));
        }
        if m.author == "livechat" {
            map.insert("livechatName".into(), json!(crate::bot::AGENT_NAME));
        }
        if m.edited {
            map.insert("edited".into(), json!(true));
        }
    }
    entry
}
