//! Server → client events: the WebSocket frames a Captivate server pushes, in either
//! envelope shape (`{action:"receiveMessage", event:{…}}` or the bare `{event_type, …}`).
//!
//! Every decoded frame keeps its raw payload, because the drop-in JS API hands the
//! payload's parts to callbacks exactly as they arrived.

use serde_json::Value;

use super::content::{parse_content, ContentItem};
use super::error::{DecodeError, PayloadError};
use super::head::EventKind;
use super::json;
use super::transcript::{parse_transcript, TranscriptEntry};

/// The `action` of the wrapped server envelope.
pub const SERVER_ACTION: &str = "receiveMessage";

/// One item of an `action` event.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    /// `id`, or its alias `action`.
    pub id: String,
    pub data: Value,
}

/// A `conversation_update` (agent connected or left, assignment failed, …).
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationUpdate {
    pub kind: String,
    pub conversation_id: Option<String>,
    pub data: Value,
}

/// A `general_error`; code 413 carries a link to fetch a large message from.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralError {
    pub conversation_id: Option<String>,
    pub error_code: Option<i64>,
    pub error_desc: Option<String>,
    pub message_link: Option<String>,
}

/// One server → client event.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerEvent {
    SocketConnected {
        socket_id: String,
    },
    ConversationStartSuccess {
        conversation_id: String,
    },
    /// `content` as sent (normally a list of content items; see [`ServerEvent::content_items`]).
    BotMessage {
        conversation_id: Option<String>,
        ch_msg_id: Option<String>,
        content: Value,
    },
    LivechatMessage {
        conversation_id: Option<String>,
        content: Value,
    },
    Action {
        conversation_id: Option<String>,
        actions: Vec<ActionItem>,
    },
    ConversationUpdate(ConversationUpdate),
    GeneralError(GeneralError),
    ConversationTranscript {
        conversation_id: Option<String>,
        transcript: Vec<TranscriptEntry>,
    },
    MessageEditedSuccess {
        conversation_id: Option<String>,
        message_id: Option<String>,
    },
    /// Any other event type, kept as received.
    Unknown {
        event_type: String,
        payload: Value,
    },
}

/// A decoded frame: the event, its id, and the payload as it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerFrame {
    pub event: ServerEvent,
    pub event_id: Option<String>,
    pub payload: Value,
}

impl ServerEvent {
    /// The wire name of this event.
    pub fn event_type(&self) -> &str {
        match self {
            ServerEvent::SocketConnected { .. } => "socket_connected",
            ServerEvent::ConversationStartSuccess { .. } => "conversation_start_success",
            ServerEvent::BotMessage { .. } => "bot_message",
            ServerEvent::LivechatMessage { .. } => "livechat_message",
            ServerEvent::Action { .. } => "action",
            ServerEvent::ConversationUpdate(_) => "conversation_update",
            ServerEvent::GeneralError(_) => "general_error",
            ServerEvent::ConversationTranscript { .. } => "conversation_transcript",
            ServerEvent::MessageEditedSuccess { .. } => "message_edited_success",
            ServerEvent::Unknown { event_type, .. } => event_type,
        }
    }

    /// The kind of this event.
    pub fn kind(&self) -> EventKind {
        match self {
            ServerEvent::Unknown { .. } => EventKind::Unknown,
            ServerEvent::GeneralError(_) => EventKind::GeneralError,
            other => EventKind::of(other.event_type()),
        }
    }

    /// The conversation the event names, if it names one.
    pub fn conversation_id(&self) -> Option<&str> {
        match self {
            ServerEvent::ConversationStartSuccess { conversation_id } => Some(conversation_id),
            ServerEvent::BotMessage {
                conversation_id, ..
            }
            | ServerEvent::LivechatMessage {
                conversation_id, ..
            }
            | ServerEvent::Action {
                conversation_id, ..
            }
            | ServerEvent::ConversationTranscript {
                conversation_id, ..
            }
            | ServerEvent::MessageEditedSuccess {
                conversation_id, ..
            } => conversation_id.as_deref(),
            ServerEvent::ConversationUpdate(u) => u.conversation_id.as_deref(),
            ServerEvent::GeneralError(e) => e.conversation_id.as_deref(),
            ServerEvent::SocketConnected { .. } => None,
            ServerEvent::Unknown { payload, .. } => {
                payload.get("conversation_id").and_then(Value::as_str)
            }
        }
    }

    /// The content items of a bot or live-chat message, decoded leniently.
    pub fn content_items(&self) -> Vec<ContentItem> {
        match self {
            ServerEvent::BotMessage { content, .. }
            | ServerEvent::LivechatMessage { content, .. } => parse_content(content),
            _ => Vec::new(),
        }
    }

    /// The payload this event is sent with.
    pub fn payload(&self) -> Value {
        let s = |v: &Option<String>| v.as_ref().map(|x| Value::String(x.clone()));
        match self {
            ServerEvent::SocketConnected { socket_id } => {
                json::obj([("socket_id", socket_id.as_str().into())])
            }
            ServerEvent::ConversationStartSuccess { conversation_id } => {
                json::obj([("conversation_id", conversation_id.as_str().into())])
            }
            ServerEvent::BotMessage {
                conversation_id,
                ch_msg_id,
                content,
            } => json::object([
                ("type", Some("message_create".into())),
                ("ch_msg_id", s(ch_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("content", Some(content.clone())),
            ]),
            ServerEvent::LivechatMessage {
                conversation_id,
                content,
            } => json::object([
                ("type", Some("message_create".into())),
                ("conversation_id", s(conversation_id)),
                ("content", Some(content.clone())),
            ]),
            ServerEvent::Action {
                conversation_id,
                actions,
            } => json::object([
                ("conversation_id", s(conversation_id)),
                (
                    "actions",
                    Some(Value::Array(
                        actions
                            .iter()
                            .map(|a| {
                                json::obj([("id", a.id.as_str().into()), ("data", a.data.clone())])
                            })
                            .collect(),
                    )),
                ),
            ]),
            ServerEvent::ConversationUpdate(u) => json::object([
                ("type", Some(u.kind.as_str().into())),
                ("conversation_id", s(&u.conversation_id)),
                ("data", Some(u.data.clone())),
            ]),
            ServerEvent::GeneralError(e) => json::object([
                ("conversation_id", s(&e.conversation_id)),
                ("error_code", e.error_code.map(Value::from)),
                ("error_desc", s(&e.error_desc)),
                ("message_link", s(&e.message_link)),
            ]),
            ServerEvent::ConversationTranscript {
                conversation_id,
                transcript,
            } => json::object([
                ("conversation_id", s(conversation_id)),
                (
                    "transcript",
                    Some(Value::Array(
                        transcript.iter().map(TranscriptEntry::to_value).collect(),
                    )),
                ),
            ]),
            ServerEvent::MessageEditedSuccess {
                conversation_id,
                message_id,
            } => json::object([
                ("conversation_id", s(conversation_id)),
                ("message_id", s(message_id)),
            ]),
            ServerEvent::Unknown { payload, .. } => payload.clone(),
        }
    }

    /// Reads one event from its type and payload.
    pub fn from_parts(event_type: &str, payload: &Value) -> Result<ServerEvent, DecodeError> {
        let invalid = |reason: PayloadError| DecodeError::InvalidPayload {
            event_type: event_type.to_owned(),
            reason,
        };
        let known = matches!(
            event_type,
            "socket_connected"
                | "conversation_start_success"
                | "bot_message"
                | "livechat_message"
                | "action"
                | "conversation_update"
                | "general_error"
                | "conversation_transcript"
                | "message_edited_success"
        );
        if !known {
            return Ok(ServerEvent::Unknown {
                event_type: event_type.to_owned(),
                payload: payload.clone(),
            });
        }
        if !payload.is_object() {
            return Err(invalid(PayloadError::NotAnObject(json::kind(payload))));
        }
        let conv = json::string(payload, "conversation_id");
        Ok(match event_type {
            "socket_connected" => ServerEvent::SocketConnected {
                socket_id: json::required_string(payload, "socket_id").map_err(invalid)?,
            },
            "conversation_start_success" => ServerEvent::ConversationStartSuccess {
                conversation_id: json::required_string(payload, "conversation_id")
                    .map_err(invalid)?,
            },
            "bot_message" => ServerEvent::BotMessage {
                conversation_id: conv,
                ch_msg_id: json::string(payload, "ch_msg_id"),
                content: json::value(payload, "content"),
            },
            "livechat_message" => ServerEvent::LivechatMessage {
                conversation_id: conv,
                content: json::value(payload, "content"),
            },
            "action" => ServerEvent::Action {
                conversation_id: conv,
                actions: json::list(payload, "actions")
                    .into_iter()
                    .filter_map(|a| {
                        let id = json::string(a, "id").or_else(|| json::string(a, "action"))?;
                        let data = match a.get("data") {
                            Some(d) => d.clone(),
                            None => json::value(a, "payload"),
                        };
                        Some(ActionItem { id, data })
                    })
                    .collect(),
            },
            "conversation_update" => {
                // The old manual nests a general_error inside a conversation_update frame.
                let nested = payload.get("event_payload").filter(|_| {
                    json::string(payload, "event_type").as_deref() == Some("general_error")
                });
                if let Some(inner) = nested {
                    ServerEvent::GeneralError(general_error(inner))
                } else if json::string(payload, "type").as_deref() == Some("general_error") {
                    ServerEvent::GeneralError(general_error(payload))
                } else {
                    ServerEvent::ConversationUpdate(ConversationUpdate {
                        kind: json::string(payload, "type").unwrap_or_default(),
                        conversation_id: conv,
                        data: json::value(payload, "data"),
                    })
                }
            }
            "general_error" => ServerEvent::GeneralError(general_error(payload)),
            "conversation_transcript" => {
                let raw = match payload.get("transcript") {
                    Some(t) if !t.is_null() => t,
                    _ => payload.get("messages").unwrap_or(&Value::Null),
                };
                ServerEvent::ConversationTranscript {
                    conversation_id: conv,
                    transcript: parse_transcript(raw),
                }
            }
            _ => ServerEvent::MessageEditedSuccess {
                conversation_id: conv,
                message_id: json::string(payload, "message_id"),
            },
        })
    }
}

fn general_error(payload: &Value) -> GeneralError {
    GeneralError {
        conversation_id: json::string(payload, "conversation_id"),
        error_code: json::integer(payload, "error_code"),
        error_desc: json::string(payload, "error_desc"),
        message_link: json::string(payload, "message_link"),
    }
}

impl ServerFrame {
    /// A frame for `event` with its canonical payload.
    pub fn new(event: ServerEvent, event_id: Option<String>) -> ServerFrame {
        let payload = event.payload();
        ServerFrame {
            event,
            event_id,
            payload,
        }
    }

    /// The frame in the wrapped `receiveMessage` shape the official client reads.
    pub fn to_value(&self) -> Value {
        json::obj([
            ("action", SERVER_ACTION.into()),
            (
                "event",
                json::obj([
                    ("event_type", self.event.event_type().into()),
                    ("event_payload", self.payload.clone()),
                    ("event_id", self.event_id.clone().into()),
                    ("accepts_response_payload", false.into()),
                ]),
            ),
        ])
    }

    /// The frame as JSON text.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// Reads a frame in either envelope shape.
    pub fn from_value(v: &Value) -> Result<ServerFrame, DecodeError> {
        ServerFrame::from_owned(v.clone())
    }

    /// Reads a frame in either envelope shape, taking it apart (no copy of the payload).
    pub fn from_owned(v: Value) -> Result<ServerFrame, DecodeError> {
        let (event, event_type, payload) = json::envelope(v)?;
        Ok(ServerFrame {
            event: ServerEvent::from_parts(&event_type, &payload)?,
            event_id: json::string(&event, "event_id"),
            payload,
        })
    }
}

/// Decodes one WebSocket frame's text. Never panics.
pub fn decode_server_frame(text: &str) -> Result<ServerFrame, DecodeError> {
    let v: Value = serde_json::from_str(text).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    ServerFrame::from_owned(v)
}
