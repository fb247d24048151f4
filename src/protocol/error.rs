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
    InvalidPayload { event_type: String, reason: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NotJson(reason) => write!(f, "frame is not valid JSON: {reason}"),
            DecodeError::NoEventType => {
                write!(
                    f,
                    "frame has no event_type (neither at the top level nor under `event`)"
                )
            }
            DecodeError::InvalidPayload { event_type, reason } => {
                write!(f, "invalid `{event_type}` payload: {reason}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}
