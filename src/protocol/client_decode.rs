//! Client → server events as a server reads them: an envelope decoded into a
//! [`ClientEvent`] with serde_json values (the local server, native tests), leniently where
//! 7.0.0's own sends vary, and the readers a server keys things with.

use serde_json::Value;

use super::client_event::{ClientEvent, ClientFrame};
use super::error::{DecodeError, PayloadError};
use super::json;
use super::JsonView;

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

impl ClientFrame {
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
    v?.lenient_string()
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
