//! Client → server events: what `captivate-chat-api` 7.0.0 POSTs to
//! `/api/custom-channel/sockets/message` (and what the manual's older flow sends
//! over the socket itself), with the exact field names and defaults it uses.

use serde_json::Value;

use super::error::{DecodeError, PayloadError};
use super::json::{self, JsonBuild};

/// The `action` of every client envelope.
pub const CLIENT_ACTION: &str = "sendMessage";
/// The `type` the official client puts on messages and edits.
pub const MESSAGE_CREATE: &str = "message_create";

/// One client → server event. Its JSON parts are `serde_json` values where it is decoded
/// (the server, native tests) and the engine's own objects where a client builds one
/// ([`JsonBuild`]): what the page gave goes out as it is, without a conversion each way.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent<V = Value> {
    /// Starts a conversation; the reply is `conversation_start_success` on the socket.
    /// 7.0.0 always sends `metadata.private` (its default `{}` is truthy).
    /// User ids and flags are JSON values: 7.0.0 passes on what the page gave (a number
    /// stays a number, `undefined` is left out); a server reads them with [`user_key`]
    /// and [`flag`].
    ConversationStart {
        user_id: Option<V>,
        user_basic_info: V,
        metadata: V,
    },
    /// A visitor's message. `content` is `{type:"text", text}` for a string, else as given.
    UserMessage {
        client_msg_id: Option<String>,
        conversation_id: String,
        content: V,
    },
    /// A visitor's action (e.g. the reserved `escalateToHuman`).
    Action {
        id: String,
        data: V,
        conversation_id: String,
    },
    /// Sets metadata; `{private: …}` for private metadata, `{timeToLive: d}` for a TTL.
    Metadata {
        metadata: V,
        client_msg_id: Option<String>,
        conversation_id: String,
        target: Option<String>,
    },
    /// Asks for the conversation's metadata; the HTTP answer carries it.
    MetadataRequest { conversation_id: String },
    /// Replaces the content of an earlier message.
    EditMessage {
        client_msg_id: Option<String>,
        conversation_id: String,
        message_id: String,
        content: V,
    },
    /// Deletes one conversation; soft by default.
    DeleteConversation { conversation_id: String, soft: V },
    /// Lists a user's conversations (v1: no options).
    GetUserConversations { user_id: Option<V> },
    /// Lists a user's conversations with options; each is sent only when non-empty.
    GetUserConversationsV2 {
        user_id: Option<V>,
        filter: Option<V>,
        search: Option<V>,
        pagination: Option<V>,
        api_keys: Option<Vec<String>>,
    },
    /// Deletes every conversation of a user; soft by default.
    DeleteUserConversations { user_id: V, soft: V },
    /// Asks for a transcript over the socket (the manual's flow; 7.0.0 uses HTTP).
    ConversationTranscriptRequest { conversation_id: String },
    /// Any other event type, kept as sent.
    Unknown { event_type: String, payload: V },
}

/// A client event with the socket that should receive the replies.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFrame<V = Value> {
    pub event: ClientEvent<V>,
    /// 7.0.0 always sends the key, `null` before `socket_connected`.
    pub socket_id: Option<String>,
}

/// Page and page size of a `get_user_conversations_v2` request (the client may send strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    pub page: u64,
    pub limit: u64,
}

impl Pagination {
    /// Reads `{page, limit}`; page defaults to 1, limit to `default_limit`, both at least 1.
    pub fn from_value(v: Option<&Value>, default_limit: u64) -> Pagination {
        let empty = Value::Null;
        let v = v.unwrap_or(&empty);
        Pagination {
            page: json::unsigned(v, "page").unwrap_or(1).max(1),
            limit: json::unsigned(v, "limit").unwrap_or(default_limit).max(1),
        }
    }
}

impl<V: JsonBuild> ClientEvent<V> {
    /// The wire name of this event.
    pub fn event_type(&self) -> &str {
        match self {
            ClientEvent::ConversationStart { .. } => "conversation_start",
            ClientEvent::UserMessage { .. } => "user_message",
            ClientEvent::Action { .. } => "action",
            ClientEvent::Metadata { .. } => "metadata",
            ClientEvent::MetadataRequest { .. } => "metadata_request",
            ClientEvent::EditMessage { .. } => "edit_message",
            ClientEvent::DeleteConversation { .. } => "delete_conversation",
            ClientEvent::GetUserConversations { .. } => "get_user_conversations",
            ClientEvent::GetUserConversationsV2 { .. } => "get_user_conversations_v2",
            ClientEvent::DeleteUserConversations { .. } => "delete_user_conversations",
            ClientEvent::ConversationTranscriptRequest { .. } => "conversation_transcript_request",
            ClientEvent::Unknown { event_type, .. } => event_type,
        }
    }

    /// The conversation this event is about, if any.
    pub fn conversation_id(&self) -> Option<&str> {
        match self {
            ClientEvent::UserMessage {
                conversation_id, ..
            }
            | ClientEvent::Action {
                conversation_id, ..
            }
            | ClientEvent::Metadata {
                conversation_id, ..
            }
            | ClientEvent::MetadataRequest { conversation_id }
            | ClientEvent::EditMessage {
                conversation_id, ..
            }
            | ClientEvent::DeleteConversation {
                conversation_id, ..
            }
            | ClientEvent::ConversationTranscriptRequest { conversation_id } => {
                Some(conversation_id)
            }
            _ => None,
        }
    }

    /// `content` as 7.0.0 builds it: a string becomes `{type:"text", text}`.
    pub fn text_content(text: &str) -> V {
        V::object(&[
            ("type", Some(V::text("text"))),
            ("text", Some(V::text(text))),
        ])
    }

    /// The `event_payload` exactly as the official client sends it.
    pub fn payload(&self) -> V {
        let s = |v: &str| Some(V::text(v));
        let opt = |v: &Option<String>| v.as_deref().and_then(s);
        match self {
            ClientEvent::ConversationStart {
                user_id,
                user_basic_info,
                metadata,
            } => V::object(&[
                ("userId", user_id.clone()),
                ("userBasicInfo", Some(user_basic_info.clone())),
                ("metadata", Some(metadata.clone())),
            ]),
            ClientEvent::UserMessage {
                client_msg_id,
                conversation_id,
                content,
            } => V::object(&[
                ("type", s(MESSAGE_CREATE)),
                ("client_msg_id", opt(client_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("content", Some(content.clone())),
            ]),
            ClientEvent::Action {
                id,
                data,
                conversation_id,
            } => V::object(&[
                ("type", s("normal")),
                ("id", s(id)),
                ("data", Some(data.clone())),
                ("conversation_id", s(conversation_id)),
            ]),
            ClientEvent::Metadata {
                metadata,
                client_msg_id,
                conversation_id,
                target,
            } => V::object(&[
                ("metadata", Some(metadata.clone())),
                ("client_msg_id", opt(client_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("target", opt(target)),
            ]),
            ClientEvent::MetadataRequest { conversation_id }
            | ClientEvent::ConversationTranscriptRequest { conversation_id } => {
                V::object(&[("conversation_id", s(conversation_id))])
            }
            ClientEvent::EditMessage {
                client_msg_id,
                conversation_id,
                message_id,
                content,
            } => V::object(&[
                ("type", s(MESSAGE_CREATE)),
                ("client_msg_id", opt(client_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("message_id", s(message_id)),
                ("content", Some(content.clone())),
            ]),
            ClientEvent::DeleteConversation {
                conversation_id,
                soft,
            } => V::object(&[
                ("conversation_id", s(conversation_id)),
                ("softdelete", Some(soft.clone())),
            ]),
            ClientEvent::GetUserConversations { user_id } => {
                V::object(&[("userId", user_id.clone())])
            }
            ClientEvent::GetUserConversationsV2 {
                user_id,
                filter,
                search,
                pagination,
                api_keys,
            } => V::object(&[
                ("userId", user_id.clone()),
                ("filter", filter.clone()),
                ("search", search.clone()),
                ("pagination", pagination.clone()),
                ("apiKeys", api_keys.as_deref().map(V::strings)),
            ]),
            ClientEvent::DeleteUserConversations { user_id, soft } => V::object(&[
                ("userId", Some(user_id.clone())),
                ("softdelete", Some(soft.clone())),
            ]),
            ClientEvent::Unknown { payload, .. } => payload.clone(),
        }
    }
}

impl ClientEvent {
    /// Reads one event from its type and payload. Unknown types are kept;
    /// a known type with a broken payload is an error.
    pub fn from_parts(event_type: &str, payload: &Value) -> Result<ClientEvent, DecodeError> {
        let invalid = |reason: PayloadError| DecodeError::InvalidPayload {
            event_type: event_type.to_owned(),
            reason,
        };
        if !matches!(payload, Value::Object(_)) && !is_known(event_type) {
            return Ok(ClientEvent::Unknown {
                event_type: event_type.to_owned(),
                payload: payload.clone(),
            });
        }
        if !matches!(payload, Value::Object(_)) {
            return Err(invalid(PayloadError::NotAnObject(json::kind(payload))));
        }
        let conv = || json::required_string(payload, "conversation_id").map_err(invalid);
        // A user id must be there and read as a key; it is kept as sent.
        let user = || {
            json::required_string(payload, "userId")
                .map(|_| json::value(payload, "userId"))
                .map_err(invalid)
        };
        let soft = || {
            payload
                .get("softdelete")
                .cloned()
                .unwrap_or(Value::Bool(true))
        };
        let present = |key: &'static str| match payload.get(key) {
            None | Some(Value::Null) => Err(invalid(PayloadError::Missing(key))),
            Some(v) => Ok(v.clone()),
        };
        let nonempty = |key: &str| payload.get(key).filter(|v| !v.is_null()).cloned();
        Ok(match event_type {
            "conversation_start" => ClientEvent::ConversationStart {
                user_id: payload.get("userId").cloned(),
                user_basic_info: json::value(payload, "userBasicInfo"),
                metadata: json::value(payload, "metadata"),
            },
            "user_message" => ClientEvent::UserMessage {
                client_msg_id: json::string(payload, "client_msg_id"),
                conversation_id: conv()?,
                content: present("content")?,
            },
            "action" => ClientEvent::Action {
                id: json::required_string(payload, "id").map_err(invalid)?,
                data: json::value(payload, "data"),
                conversation_id: conv()?,
            },
            "metadata" => ClientEvent::Metadata {
                metadata: present("metadata")?,
                client_msg_id: json::string(payload, "client_msg_id"),
                conversation_id: conv()?,
                target: json::string(payload, "target"),
            },
            "metadata_request" => ClientEvent::MetadataRequest {
                conversation_id: conv()?,
            },
            "edit_message" => ClientEvent::EditMessage {
                client_msg_id: json::string(payload, "client_msg_id"),
                conversation_id: conv()?,
                message_id: json::required_string(payload, "message_id").map_err(invalid)?,
                content: present("content")?,
            },
            "delete_conversation" => ClientEvent::DeleteConversation {
                conversation_id: conv()?,
                soft: soft(),
            },
            "get_user_conversations" => ClientEvent::GetUserConversations {
                user_id: Some(user()?),
            },
            "get_user_conversations_v2" => ClientEvent::GetUserConversationsV2 {
                user_id: Some(user()?),
                filter: nonempty("filter"),
                search: nonempty("search"),
                pagination: nonempty("pagination"),
                api_keys: match payload.get("apiKeys") {
                    Some(Value::Array(keys)) => Some(
                        keys.iter()
                            .filter_map(|k| k.as_str().map(str::to_owned))
                            .collect(),
                    ),
                    None | Some(Value::Null) => None,
                    Some(other) => {
                        return Err(invalid(PayloadError::WrongKind {
                            field: "apiKeys",
                            expected: "an array",
                            got: json::kind(other),
                        }))
                    }
                },
            },
            "delete_user_conversations" => ClientEvent::DeleteUserConversations {
                user_id: user()?,
                soft: soft(),
            },
            "conversation_transcript_request" => ClientEvent::ConversationTranscriptRequest {
                conversation_id: conv()?,
            },
            other => ClientEvent::Unknown {
                event_type: other.to_owned(),
                payload: payload.clone(),
            },
        })
    }
}

fn is_known(event_type: &str) -> bool {
    matches!(
        event_type,
        "conversation_start"
            | "user_message"
            | "action"
            | "metadata"
            | "metadata_request"
            | "edit_message"
            | "delete_conversation"
            | "get_user_conversations"
            | "get_user_conversations_v2"
            | "delete_user_conversations"
            | "conversation_transcript_request"
    )
}

impl<V: JsonBuild> ClientFrame<V> {
    /// The envelope as JSON: `{action:"sendMessage", event:{event_type, event_payload, socket_id}}`.
    pub fn to_value(&self) -> V {
        self.event.envelope(self.socket_id.as_deref())
    }
}

impl<V: JsonBuild> ClientEvent<V> {
    /// This event in its envelope for the socket `socket_id` (what [`ClientFrame::to_value`]
    /// writes), built from a borrowed event.
    pub fn envelope(&self, socket_id: Option<&str>) -> V {
        let socket_id = socket_id.map_or_else(V::null, V::text);
        V::object(&[
            ("action", Some(V::text(CLIENT_ACTION))),
            (
                "event",
                Some(V::object(&[
                    ("event_type", Some(V::text(self.event_type()))),
                    ("event_payload", Some(self.payload())),
                    ("socket_id", Some(socket_id)),
                ])),
            ),
        ])
    }
}

impl ClientFrame {
    /// The envelope as a JSON string, ready to POST.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// Reads an envelope (`{action, event:{…}}`, or the bare `{event_type, …}` shape).
    pub fn from_value(v: &Value) -> Result<ClientFrame, DecodeError> {
        ClientFrame::from_owned(v.clone())
    }

    /// Reads an envelope, taking it apart (no copy of the payload).
    pub fn from_owned(v: Value) -> Result<ClientFrame, DecodeError> {
        let (event, event_type, payload) = json::envelope(v)?;
        Ok(ClientFrame {
            event: ClientEvent::from_parts(&event_type, &payload)?,
            socket_id: json::string(&event, "socket_id"),
        })
    }
}

/// Decodes a client envelope from text. Never panics.
pub fn decode_client_frame(text: &str) -> Result<ClientFrame, DecodeError> {
    let v: Value = serde_json::from_str(text).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    ClientFrame::from_owned(v)
}

/// A user id as a server keys it: a string, or a number or boolean as its text; `None`
/// for what is missing, `null` or structured.
pub fn user_key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A flag as a JavaScript server reads it (`softdelete: 0` is false), and the text
/// `"false"` as false too.
pub fn flag(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty() && !s.eq_ignore_ascii_case("false"),
        Value::Array(_) | Value::Object(_) => true,
    }
}
