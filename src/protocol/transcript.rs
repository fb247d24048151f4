//! Transcript entries (`GET /api/transcript` → `{transcript:[…]}`, or the socket's
//! `conversation_transcript`), in every shape PROTOCOL.md lists, flattened to one
//! entry per message.

use serde_json::Value;

use super::content::{parse_content, ContentItem};
use super::json;

/// Who wrote a transcript entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    User,
    Bot,
    /// A human (live-chat) agent.
    Agent,
    Other(String),
}

impl Sender {
    /// Reads `from`, trimming stray spaces (`"agent "`) and ignoring case.
    pub fn parse(from: &str) -> Sender {
        match from.trim().to_ascii_lowercase().as_str() {
            "user" | "visitor" | "customer" => Sender::User,
            "bot" | "chatbot" | "ai_agent" => Sender::Bot,
            "livechat" | "agent" | "human_agent" => Sender::Agent,
            other => Sender::Other(other.to_owned()),
        }
    }
}

/// One message of a transcript. Its content and actions are read from `raw` when asked
/// (the drop-in's gap fill needs neither, and reading content links the content parser).
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptEntry {
    pub from: Sender,
    pub message_id: Option<String>,
    pub chatbot_name: Option<String>,
    pub livechat_name: Option<String>,
    /// The entry as received.
    pub raw: Value,
}

impl TranscriptEntry {
    /// The entry as it was received.
    pub fn to_value(&self) -> Value {
        self.raw.clone()
    }

    /// What the entry shows, in every shape PROTOCOL.md lists.
    pub fn content(&self) -> Vec<ContentItem> {
        let entry = &self.raw;
        let mut content = Vec::new();
        match entry.get("messages") {
            Some(Value::Array(items)) => content.extend(items.iter().map(ContentItem::parse)),
            Some(holder @ Value::Object(_)) => {
                content.extend(parse_content(&json::value(holder, "messages")));
            }
            _ => {}
        }
        // `content` repeats what `messages` holds when both are present.
        let content_field = if content.is_empty() {
            entry.get("content")
        } else {
            None
        };
        match content_field {
            Some(c @ Value::Object(_)) if c.get("type").is_none() => {
                if let Some(text) = json::string(c, "text").filter(|t| !t.is_empty()) {
                    content.push(ContentItem::Text(text));
                }
                if c.get("files").is_some() {
                    content.push(ContentItem::parse(&json::obj([
                        ("type", "files".into()),
                        ("files", c["files"].clone()),
                    ])));
                }
            }
            Some(c) => content.extend(parse_content(c)),
            None => {}
        }
        if content.is_empty() {
            if let Some(text) = json::string(entry, "text") {
                content.push(ContentItem::Text(text));
            }
        }
        if matches!(entry.get("files"), Some(Value::Array(f)) if !f.is_empty()) {
            content.push(ContentItem::parse(&json::obj([
                ("type", "files".into()),
                ("files", entry["files"].clone()),
            ])));
        }
        content
    }

    /// The id the visitor's client gave the message (`client_msg_id`), when the server kept it.
    pub fn client_msg_id(&self) -> Option<&str> {
        self.raw.get("client_msg_id").and_then(Value::as_str)
    }

    /// Names of actions attached to the entry (`id`, or `title` in the old manual).
    pub fn actions(&self) -> Vec<String> {
        let mut actions = match self.raw.get("messages") {
            Some(holder @ Value::Object(_)) => action_names(holder),
            _ => Vec::new(),
        };
        actions.extend(action_names(&self.raw));
        actions
    }

    fn parse(entry: &Value) -> TranscriptEntry {
        TranscriptEntry {
            from: Sender::parse(&json::string(entry, "from").unwrap_or_default()),
            message_id: json::string(entry, "message_id").or_else(|| json::string(entry, "id")),
            chatbot_name: json::string(entry, "chatbotName"),
            livechat_name: json::string(entry, "livechatName"),
            raw: entry.clone(),
        }
    }
}

fn action_names(v: &Value) -> Vec<String> {
    json::list(v, "actions")
        .into_iter()
        .filter_map(|a| match a {
            Value::String(s) => Some(s.clone()),
            _ => json::string(a, "id")
                .or_else(|| json::string(a, "title"))
                .or_else(|| json::string(a, "action")),
        })
        .collect()
}

/// Decodes a transcript list, flattening the old nested form
/// (`[{event_id, messages:[{from, …, messages:[…]}]}]`). Never fails.
pub fn parse_transcript(transcript: &Value) -> Vec<TranscriptEntry> {
    let mut out = Vec::new();
    for entry in json::list(transcript, "transcript")
        .into_iter()
        .chain(top_level(transcript))
    {
        collect(entry, &mut out, 0);
    }
    out
}

/// A bare array is the list itself; `{transcript:[…]}` is handled by the caller.
fn top_level(transcript: &Value) -> Vec<&Value> {
    match transcript {
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

fn collect(entry: &Value, out: &mut Vec<TranscriptEntry>, depth: usize) {
    if !entry.is_object() {
        return;
    }
    let is_group = entry.get("from").is_none()
        && matches!(entry.get("messages"), Some(Value::Array(m)) if m.iter().any(|x| x.get("from").is_some()));
    if is_group && depth < 4 {
        for inner in json::list(entry, "messages") {
            collect(inner, out, depth + 1);
        }
    } else {
        out.push(TranscriptEntry::parse(entry));
    }
}
