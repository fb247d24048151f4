//! REST reads: transcripts and the links of messages too large for the socket.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::{api_key, owned};
use crate::bot;
use crate::{ApiError, AppState};

#[derive(serde::Deserialize)]
pub struct TranscriptQuery {
    conversation_id: Option<String>,
}

/// `GET /api/transcript?conversation_id=ID`.
pub async fn transcript(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<TranscriptQuery>,
) -> Result<Json<Value>, ApiError> {
    let key = api_key(&state, &headers)?;
    let id = q.conversation_id.filter(|c| !c.is_empty()).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "conversation_id query parameter is required",
        )
    })?;
    owned(&state, &key, &id)?;
    Ok(Json(
        json!({ "conversation_id": id, "transcript": state.store.transcript(&id, bot::BOT_NAME)? }),
    ))
}

/// `GET /api/messages/{id}`: a message that was too large for the socket.
pub async fn large_message(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let key = api_key(&state, &headers)?;
    match state.store.large_message(&id, &key)? {
        Some(content) => Ok(Json(json!({ "botMessage": { "content": content } }))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Message not found: {id}"),
        )),
    }
}
