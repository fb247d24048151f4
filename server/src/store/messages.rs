//! Messages: adding (with retries recognised by `client_msg_id`), editing, reading, large
//! messages kept for their link, and transcripts in Captivate's shape.

use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

use super::{now_ms, parse_json, Author, Store, StoreResult, StoredMessage};

impl Store {
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

    /// Replaces the content of one of the visitor's messages. `Ok(None)` when the
    /// conversation has no such message, `Ok(Some(false))` when it is the bot's or an
    /// agent's (a visitor cannot rewrite what they said).
    pub fn edit_message(
        &self,
        conversation_id: &str,
        message_id: &str,
        content: &Value,
    ) -> StoreResult<Option<bool>> {
        let conn = self.conn();
        let author: Option<String> = conn
            .query_row(
                "SELECT author FROM messages WHERE conversation_id = ?1 AND id = ?2",
                params![conversation_id, message_id],
                |row| row.get(0),
            )
            .optional()?;
        match author.as_deref() {
            None => Ok(None),
            Some(a) if a != Author::User.as_str() => Ok(Some(false)),
            Some(_) => {
                conn.execute(
                    "UPDATE messages SET content = ?3, edited = 1 WHERE conversation_id = ?1 AND id = ?2",
                    params![conversation_id, message_id, content.to_string()],
                )?;
                Ok(Some(true))
            }
        }
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
            "INSERT INTO large_messages (id, api_key, content, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, api_key, content.to_string(), super::now_secs()],
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
