//! The custom channel: the WebSocket that pushes events ([`socket`]), the HTTP endpoint
//! that takes every client event ([`events`]), conversation search ([`search`]),
//! transcripts and large-message links ([`rest`]), and the bot's delivery queue
//! ([`delivery`]). What they share is here.

mod delivery;
mod events;
mod rest;
mod search;
mod socket;

pub use delivery::{push_bot_message, send_large, BotRunner};
pub use events::message;
pub use rest::{large_message, transcript};
pub use socket::socket;

use axum::http::{HeaderMap, StatusCode};
use captivate_chat::protocol::{GeneralError, ServerEvent, ServerFrame};

use crate::store::Conversation;
use crate::{ApiError, AppState};

/// Conversations a `get_user_conversations_v2` page holds when the client names no limit.
pub(super) const DEFAULT_PAGE_SIZE: u64 = 10;

pub(super) fn event_frame(event: ServerEvent) -> ServerFrame {
    ServerFrame::new(event, Some(uuid::Uuid::new_v4().to_string()))
}

pub(super) fn error_frame(conversation_id: Option<&str>, code: i64, desc: &str) -> ServerFrame {
    event_frame(ServerEvent::GeneralError(GeneralError {
        conversation_id: conversation_id.map(str::to_owned),
        error_code: Some(code),
        error_desc: Some(desc.to_owned()),
        message_link: None,
    }))
}

pub(super) fn api_key(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    match headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        None | Some("") => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Missing x-api-key header",
        )),
        Some(key) if !state.key_allowed(key) => {
            Err(ApiError::new(StatusCode::FORBIDDEN, "Invalid API key"))
        }
        Some(key) => Ok(key.to_owned()),
    }
}

/// A live conversation of this API key, or 404.
pub(super) fn owned(state: &AppState, api_key: &str, id: &str) -> Result<Conversation, ApiError> {
    match state.store.conversation(id)? {
        Some(c) if c.api_key == api_key => Ok(c),
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Conversation not found: {id}"),
        )),
    }
}
