//! The Captivate custom-channel wire protocol as plain Rust data
//! (`shared/reference/PROTOCOL.md`).
//!
//! Pure: no I/O, no web-sys. Decoding never panics: every frame becomes a known
//! event, an `Unknown` event that keeps the raw JSON, or a [`DecodeError`] that
//! says what was wrong.
//!
//! ```
//! use captivate_chat::protocol::{decode_server_frame, ServerEvent};
//! let frame = decode_server_frame(
//!     r#"{"event_type":"socket_connected","event_payload":{"socket_id":"s1"}}"#,
//! ).unwrap();
//! assert_eq!(frame.event, ServerEvent::SocketConnected { socket_id: "s1".into() });
//! ```

mod client_decode;
mod client_event;
mod content;
mod error;
mod head;
pub(crate) mod json;
mod server_event;
mod transcript;

pub use client_decode::{decode_client_frame, flag, user_key, Pagination};
pub use client_event::{ClientEvent, ClientFrame, CLIENT_ACTION, MESSAGE_CREATE};
pub use content::{parse_content, read_content, ButtonOption, Buttons, Card, ContentItem, FileRef};
pub use error::{DecodeError, PayloadError};
pub use head::{error_code, EventKind, FrameHead, JsonView};
pub use json::JsonBuild;
pub use server_event::{
    decode_server_frame, ActionItem, ConversationUpdate, GeneralError, ServerEvent, ServerFrame,
    SERVER_ACTION,
};
pub use transcript::{parse_transcript, read_transcript, Sender, TranscriptEntry};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
