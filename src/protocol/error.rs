//! Why a frame could not be decoded, in words a developer can act on.

use std::fmt;

/// A frame that is neither a known event nor a well-formed unknown one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The text is not JSON at all.
    NotJson(String),
    /// JSON, but not an object with an `event_type` (top level or under `event`).
    NoEventType,
    /// A known event type whose payload lacks a field or has one of the wrong type.
    InvalidPayload {
        event_type: String,
        reason: PayloadError,
    },
}

/// What is wrong with a known event's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadError {
    /// The payload is not an object; the JSON kind it is ("an array", "null"…).
    NotAnObject(&'static str),
    /// A required field is absent or null.
    Missing(&'static str),
    /// A field of the wrong JSON kind.
    WrongKind {
        field: &'static str,
        expected: &'static str,
        got: &'static str,
    },
}

impl PayloadError {
    /// A required string field `field` that is not one: missing when absent or null
    /// (`got` is the JSON kind of what is there, `None` when nothing is).
    pub fn not_a_string(field: &'static str, got: Option<&'static str>) -> PayloadError {
        match got.filter(|kind| *kind != "null") {
            None => PayloadError::Missing(field),
            Some(got) => PayloadError::WrongKind {
                field,
                expected: "a string",
                got,
            },
        }
    }
}

// Messages are put together by concatenation, not `format!`: every formatting call site
// costs the wasm code of its own, and the drop-in words these on its error paths.

impl PayloadError {
    /// What is wrong, in words.
    pub fn message(&self) -> String {
        match self {
            PayloadError::NotAnObject(got) => ["payload must be an object, got ", got].concat(),
            PayloadError::Missing(field) => ["missing `", field, "`"].concat(),
            PayloadError::WrongKind {
                field,
                expected,
                got,
            } => ["`", field, "` must be ", expected, ", got ", got].concat(),
        }
    }
}

impl DecodeError {
    /// Why the frame could not be decoded, in words.
    pub fn message(&self) -> String {
        match self {
            DecodeError::NotJson(reason) => ["frame is not valid JSON: ", reason].concat(),
            DecodeError::NoEventType => {
                "frame has no event_type (neither at the top level nor under `event`)".to_owned()
            }
            DecodeError::InvalidPayload { event_type, reason } => {
                ["invalid `", event_type, "` payload: ", &reason.message()].concat()
            }
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

// Both say their whole cause in their message (a payload's reason is part of the
// decode error's), so neither names a `source`.
impl std::error::Error for DecodeError {}

impl std::error::Error for PayloadError {}
