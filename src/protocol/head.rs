//! What routing needs of a server frame — its kind, conversation, message id and socket
//! id — read through any JSON view without decoding the whole event. The client reads
//! it from the object the engine's `JSON.parse` made (so that a frame is parsed once, by
//! the fastest parser there is, and handed to callbacks as that same object); the full
//! [`ServerFrame`](super::ServerFrame) is decoded only by the server and native tests (the
//! widget reads a message's content from the payload's view, with
//! [`read_content`](super::read_content)).
//!
//! The rules are those of [`decode_server_frame`](super::decode_server_frame): a frame
//! that one rejects the other rejects with the same error (a property test holds them
//! to it).

use serde_json::Value;

use super::error::{DecodeError, PayloadError};
use super::json;

/// A read-only view of parsed JSON.
pub trait JsonView: Clone {
    /// `self[key]` when `self` is an object that has `key` (its value may be `null`).
    fn field(&self, key: &'static str) -> Option<Self>;
    /// [`field`](Self::field) of a value the caller knows to be an object (in the browser
    /// one question fewer to the engine).
    fn member(&self, key: &'static str) -> Option<Self> {
        self.field(key)
    }
    /// A string, exactly.
    fn string(&self) -> Option<String>;
    /// A string, or a number or boolean as its text (what servers send for ids).
    fn lenient_string(&self) -> Option<String>;
    /// Whether this is exactly the string `s` (in the browser a comparison in the engine,
    /// without copying the string into wasm memory).
    fn is_str(&self, s: &'static str) -> bool {
        self.string().as_deref() == Some(s)
    }
    /// [`lenient_string`](Self::lenient_string) of a field of a value the caller knows to be
    /// an object (`None` when absent).
    fn member_text(&self, key: &'static str) -> Option<String> {
        self.member(key)?.lenient_string()
    }
    /// [`string`](Self::string) of a field (`None` when absent, or when `self` is no object).
    fn field_string(&self, key: &'static str) -> Option<String> {
        self.field(key)?.string()
    }
    /// [`lenient_string`](Self::lenient_string) of a field (`None` when absent, or when
    /// `self` is no object).
    fn field_text(&self, key: &'static str) -> Option<String> {
        self.field(key)?.lenient_string()
    }
    /// A number.
    fn number(&self) -> Option<f64>;
    /// The name of the value's JSON type, for error messages ("an object", "null"…).
    fn kind(&self) -> &'static str;

    fn is_object(&self) -> bool {
        self.kind() == "an object"
    }

    fn is_null(&self) -> bool {
        self.kind() == "null"
    }

    /// How a reader keeps a part it does not read (a button's value, an action, a content
    /// item of an unknown type) as it is: a serde value of a serde value, the engine's own
    /// value in the browser.
    type Part: Clone + std::fmt::Debug + PartialEq;
    fn part(&self) -> Self::Part;

    /// The items of an array; `None` for anything else.
    fn items(&self) -> Option<Vec<Self>>;
}

impl JsonView for &Value {
    fn field(&self, key: &'static str) -> Option<Self> {
        self.get(key)
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn lenient_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn kind(&self) -> &'static str {
        json::kind(self)
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().map(|items| items.iter().collect())
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    type Part = Value;

    fn part(&self) -> Value {
        (*self).clone()
    }
}

/// The kinds of server event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    SocketConnected,
    ConversationStartSuccess,
    BotMessage,
    LivechatMessage,
    Action,
    ConversationUpdate,
    /// Also a `conversation_update` that carries a `general_error`.
    GeneralError,
    ConversationTranscript,
    MessageEditedSuccess,
    Unknown,
}

/// The known wire event types, the most frequent first.
const KINDS: [(&str, EventKind); 9] = [
    ("bot_message", EventKind::BotMessage),
    ("livechat_message", EventKind::LivechatMessage),
    ("action", EventKind::Action),
    ("conversation_update", EventKind::ConversationUpdate),
    ("general_error", EventKind::GeneralError),
    ("socket_connected", EventKind::SocketConnected),
    (
        "conversation_start_success",
        EventKind::ConversationStartSuccess,
    ),
    ("conversation_transcript", EventKind::ConversationTranscript),
    ("message_edited_success", EventKind::MessageEditedSuccess),
];

impl EventKind {
    /// The kind of an `event_type` value as parsed; `None` when it is not a string.
    /// Known types are recognised by comparison ([`JsonView::is_str`]): the type is read out
    /// only when it is unknown.
    pub fn read<V: JsonView>(event_type: &V) -> Option<EventKind> {
        match KINDS.iter().find(|(name, _)| event_type.is_str(name)) {
            Some((_, kind)) => Some(*kind),
            None => event_type.string().map(|_| EventKind::Unknown),
        }
    }

    /// The kind of a wire event type.
    pub fn of(event_type: &str) -> EventKind {
        KINDS
            .iter()
            .find(|(name, _)| *name == event_type)
            .map_or(EventKind::Unknown, |(_, kind)| *kind)
    }
}

/// A frame's routing fields, and where its parts are in the parsed frame.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameHead<V> {
    pub kind: EventKind,
    /// `event_payload` as received (`None` when the frame has none).
    pub payload: Option<V>,
    /// The conversation the event names (a `general_error` nested in a
    /// `conversation_update`: the one its inner payload names).
    pub conversation_id: Option<String>,
    /// A bot message's `ch_msg_id`.
    pub message_id: Option<String>,
    /// `socket_connected`'s `socket_id`.
    pub socket_id: Option<String>,
    /// The object that holds a `general_error`'s fields (its payload, or the payload
    /// nested in a `conversation_update`).
    pub error: Option<V>,
}

impl<V: JsonView> FrameHead<V> {
    /// Reads a parsed frame in either envelope shape (`{action, event:{…}}` or bare).
    pub fn read(frame: &V) -> Result<FrameHead<V>, DecodeError> {
        // The wrapped shape when `event` is an object (asked only when it has no
        // `event_type`: an object that has one is the common case, and each question costs
        // a call into the engine in the browser).
        let nested = frame.field("event");
        let nested_type = nested.as_ref().and_then(|e| e.field("event_type"));
        let (event, event_type, is_object) = match (nested, nested_type) {
            // Only an object has a field.
            (Some(e), Some(t)) => (e, Some(t), true),
            (Some(e), None) if e.is_object() => (e, None, true),
            _ => (frame.clone(), frame.field("event_type"), false),
        };
        let event_type = event_type.ok_or(DecodeError::NoEventType)?;
        let kind = EventKind::read(&event_type).ok_or(DecodeError::NoEventType)?;
        let payload = if is_object {
            event.member("event_payload")
        } else {
            event.field("event_payload")
        };
        // Read once the payload is known to be an object (or absent).
        let text = |key: &'static str| payload.as_ref()?.member_text(key);
        let mut head = FrameHead {
            kind,
            conversation_id: None,
            message_id: None,
            socket_id: None,
            error: None,
            // Moved in at the end (a copy is a call into the engine in the browser).
            payload: None,
        };
        if kind == EventKind::Unknown {
            head.conversation_id = payload
                .as_ref()
                .and_then(|p| p.field("conversation_id"))
                .and_then(|c| c.string());
            head.payload = payload;
            return Ok(head);
        }
        let invalid = |reason: PayloadError| DecodeError::InvalidPayload {
            event_type: event_type.string().unwrap_or_default(),
            reason,
        };
        if let Some(p) = payload.as_ref().filter(|p| !p.is_object()) {
            return Err(invalid(PayloadError::NotAnObject(p.kind())));
        }
        let required = |key: &'static str| {
            text(key).ok_or_else(|| {
                let found = payload.as_ref().and_then(|p| p.field(key));
                invalid(PayloadError::not_a_string(key, found.map(|f| f.kind())))
            })
        };
        head.conversation_id = payload
            .as_ref()
            .and_then(|p| p.member_text("conversation_id"));
        match kind {
            EventKind::SocketConnected => {
                head.conversation_id = None;
                head.socket_id = Some(required("socket_id")?);
            }
            EventKind::ConversationStartSuccess => {
                head.conversation_id = Some(required("conversation_id")?);
            }
            EventKind::BotMessage => head.message_id = text("ch_msg_id"),
            EventKind::GeneralError => head.error = payload.clone(),
            EventKind::ConversationUpdate => {
                let nested = payload
                    .as_ref()
                    .and_then(|p| p.field("event_payload"))
                    .filter(|_| {
                        payload
                            .as_ref()
                            .and_then(|p| p.field("event_type"))
                            .is_some_and(|t| t.is_str("general_error"))
                    });
                if let Some(inner) = nested {
                    head.kind = EventKind::GeneralError;
                    head.conversation_id = inner
                        .field("conversation_id")
                        .and_then(|c| c.lenient_string());
                    head.error = Some(inner);
                } else if text("type").as_deref() == Some("general_error") {
                    head.kind = EventKind::GeneralError;
                    head.error = payload.clone();
                }
            }
            _ => {}
        }
        head.payload = payload;
        Ok(head)
    }
}

impl<V: JsonView> FrameHead<V> {
    /// Where the content of a message too large for the socket waits: the `message_link`
    /// of a `general_error` 413 (also one nested in a `conversation_update`). Both faces
    /// fetch it from here instead of showing the error.
    pub fn large_message_link(&self) -> Option<String> {
        let error = self.error.as_ref()?;
        if error_code(error) != Some(413) {
            return None;
        }
        error.field("message_link")?.lenient_string()
    }
}

/// A `general_error`'s code as a number (servers send `413` or `"413"`).
pub fn error_code<V: JsonView>(fields: &V) -> Option<i64> {
    let code = fields.field("error_code")?;
    match code.number() {
        Some(n) => Some(n as i64),
        None => crate::text::integer(code.string()?.trim_ascii()),
    }
}
