//! Transcript entries (`GET /api/transcript` → `{transcript:[…]}`, or the socket's
//! `conversation_transcript`), in every shape PROTOCOL.md lists, flattened to one
//! entry per message.

use serde_json::Value;

use super::content::{files_in, read_content, ContentItem};
use super::json;
use super::JsonView;

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
        match from.trim_ascii().to_ascii_lowercase().as_str() {
            "user" | "visitor" | "customer" => Sender::User,
            "bot" | "chatbot" | "ai_agent" => Sender::Bot,
            "livechat" | "agent" | "human_agent" => Sender::Agent,
            other => Sender::Other(other.to_owned()),
        }
    }
}

/// One message of a transcript, its entry as received in `raw`: a `serde_json` value (what
/// [`parse_transcript`] gives, and what [`content`](TranscriptEntry::content) and the other
/// readers read), or any [`JsonView`] (the drop-in reads the engine's parsed objects as they
/// are, with [`read_transcript`]). Its content and actions are read from `raw` when asked
/// (the drop-in's gap fill needs neither, and reading content links the content parser).
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptEntry<V = Value> {
    pub from: Sender,
    pub message_id: Option<String>,
    pub chatbot_name: Option<String>,
    pub livechat_name: Option<String>,
    /// The entry as received.
    pub raw: V,
}

impl<R> TranscriptEntry<R> {
    /// Reads an entry (an object), keeping what `own` makes of it.
    fn read<V: JsonView>(entry: V, own: fn(V) -> R) -> TranscriptEntry<R> {
        TranscriptEntry {
            from: Sender::parse(&entry.member_text("from").unwrap_or_default()),
            message_id: entry
                .member_text("message_id")
                .or_else(|| entry.member_text("id")),
            chatbot_name: entry.member_text("chatbotName"),
            livechat_name: entry.member_text("livechatName"),
            raw: own(entry),
        }
    }
}

impl TranscriptEntry {
    /// The entry as it was received.
    pub fn to_value(&self) -> Value {
        self.raw.clone()
    }

    /// What the entry shows, in every shape PROTOCOL.md lists.
    pub fn content(&self) -> Vec<ContentItem> {
        content_of(&&self.raw)
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
}

impl<V: JsonView> TranscriptEntry<V> {
    /// [`content`](TranscriptEntry::content) of an entry kept as a view of the parsed answer.
    pub fn shown_content(&self) -> Vec<ContentItem<V::Part>> {
        content_of(&self.raw)
    }

    /// [`client_msg_id`](TranscriptEntry::client_msg_id) of such an entry.
    pub fn client_msg_id_text(&self) -> Option<String> {
        self.raw.field_string("client_msg_id")
    }
}

/// What an entry shows: its `messages` (a list, or an object that holds one), else its
/// `content` (which repeats `messages` when both are present), else its `text`; then its
/// `files`.
fn content_of<V: JsonView>(entry: &V) -> Vec<ContentItem<V::Part>> {
    let mut content = Vec::new();
    if let Some(messages) = entry.field("messages") {
        match messages.items() {
            Some(items) => content.extend(items.iter().map(ContentItem::read)),
            None if messages.is_object() => {
                if let Some(inner) = messages.field("messages") {
                    content.extend(read_content(&inner));
                }
            }
            None => {}
        }
    }
    let content_field = if content.is_empty() {
        entry.field("content")
    } else {
        None
    };
    match content_field {
        Some(c) if c.is_object() && c.field("type").is_none() => {
            if let Some(text) = c.field_text("text").filter(|t| !t.is_empty()) {
                content.push(ContentItem::Text(text));
            }
            if let Some(files) = c.field("files") {
                content.push(files_in(files, None));
            }
        }
        Some(c) => content.extend(read_content(&c)),
        None => {}
    }
    if content.is_empty() {
        if let Some(text) = entry.field_text("text") {
            content.push(ContentItem::Text(text));
        }
    }
    if let Some(files) = entry
        .field("files")
        .filter(|f| f.items().is_some_and(|f| !f.is_empty()))
    {
        content.push(files_in(files, None));
    }
    content
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
    entries(transcript, |raw| raw.clone())
}

/// [`parse_transcript`] over any view of the parsed answer, each entry's `raw` a view of it:
/// `{transcript:[…]}` or a bare list.
pub fn read_transcript<V: JsonView>(transcript: V) -> Vec<TranscriptEntry<V>> {
    entries(transcript, |raw| raw)
}

/// The entries of a transcript, each one's `raw` what `own` makes of its view.
fn entries<V: JsonView, R>(transcript: V, own: fn(V) -> R) -> Vec<TranscriptEntry<R>> {
    let mut out = Vec::new();
    if let Some(list) = transcript.field("transcript") {
        match list.items() {
            Some(items) => {
                for entry in items {
                    collect(entry, own, &mut out, 0);
                }
            }
            None => collect(list, own, &mut out, 0),
        }
    }
    for entry in transcript.items().unwrap_or_default() {
        collect(entry, own, &mut out, 0);
    }
    out
}

fn collect<V: JsonView, R>(
    entry: V,
    own: fn(V) -> R,
    out: &mut Vec<TranscriptEntry<R>>,
    depth: usize,
) {
    if !entry.is_object() {
        return;
    }
    let group = match entry.member("from") {
        None if depth < 4 => entry
            .member("messages")
            .and_then(|m| m.items())
            .filter(|m| m.iter().any(|x| x.field("from").is_some())),
        _ => None,
    };
    match group {
        Some(inner) => {
            for e in inner {
                collect(e, own, out, depth + 1);
            }
        }
        None => out.push(TranscriptEntry::read(entry, own)),
    }
}
