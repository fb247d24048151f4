//! `POST /api/custom-channel/sockets/message`: every client → server event, applied.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use captivate_chat::protocol::{
    flag, user_key, ClientEvent, ClientFrame, Pagination, ServerEvent, ServerFrame,
};
use serde_json::{json, Value};

use super::delivery::{push_bot_message, Job};
use super::search::{matches_filter, matches_search, overlong_pattern, summary, MAX_PATTERN_CHARS};
use super::{api_key, error_frame, event_frame, owned, DEFAULT_PAGE_SIZE};
use crate::bot;
use crate::store::{Author, Conversation};
use crate::{ApiError, AppState};

/// `POST /api/custom-channel/sockets/message`: every client → server event.
pub async fn message(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(fault) = state.faults.take_http_fault().await {
        return fault;
    }
    let key = match api_key(&state, &headers) {
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("Body is not valid JSON: {e}"),
            )
            .into_response()
        }
    };
    let frame = match ClientFrame::from_owned(value) {
        Ok(f) => f,
        Err(e) => return ApiError::new(StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let socket = frame.socket_id.clone();
    let conversation_id = frame.event.conversation_id().map(str::to_owned);
    match handle(&state, &key, frame, &state.public_origin()).await {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => {
            // A real client hears about failures on its socket too (if it is this key's).
            if let Some(socket) = socket.filter(|s| state.hub.key_may_use(s, &key) == Some(true)) {
                state.hub.send(
                    &socket,
                    &error_frame(
                        conversation_id.as_deref(),
                        e.status.as_u16().into(),
                        &e.message,
                    ),
                );
            }
            e.into_response()
        }
    }
}

/// Applies one client event and returns the HTTP answer.
pub(super) async fn handle(
    state: &Arc<AppState>,
    api_key: &str,
    frame: ClientFrame,
    origin: &str,
) -> Result<Value, ApiError> {
    // A socket opened with another key is not this key's to write into (unless its client
    // listed this key's conversations); one that is gone is ignored.
    let socket = match frame.socket_id {
        Some(s) => match state.hub.key_may_use(&s, api_key) {
            Some(true) => Some(s),
            Some(false) => {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "socket_id belongs to a socket opened with another API key",
                ))
            }
            None => None,
        },
        None => None,
    };
    let route = |conversation_id: &str| {
        if let Some(s) = &socket {
            state.hub.route(conversation_id, s);
        }
    };
    match frame.event {
        ClientEvent::ConversationStart {
            user_id,
            user_basic_info,
            metadata,
        } => {
            let user_id = user_key(user_id.as_ref())
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "anon".to_owned());
            let conv =
                state
                    .store
                    .create_conversation(api_key, &user_id, &user_basic_info, &metadata)?;
            route(&conv.id);
            state.hub.send_to_conversation(
                &conv.id,
                &event_frame(ServerEvent::ConversationStartSuccess {
                    conversation_id: conv.id.clone(),
                }),
            );
            if let Some(hold) = state.faults.take_greeting() {
                let greeting =
                    json!([{ "type": "text", "text": "Welcome! (sent with the start)" }]);
                push_bot_message(state, &conv.id, greeting, true)?;
                tokio::time::sleep(hold).await;
            }
            Ok(json!({ "status": "success", "conversation_id": conv.id, "userId": user_id }))
        }
        ClientEvent::UserMessage {
            client_msg_id,
            conversation_id,
            content,
        } => {
            owned(state, api_key, &conversation_id)?;
            route(&conversation_id);
            if let Some(id) = &client_msg_id {
                if let Some(existing) = state.store.find_retry(&conversation_id, id, &content)? {
                    return Ok(
                        json!({ "status": "success", "conversation_id": conversation_id, "message_id": existing, "client_msg_id": id, "duplicate": true }),
                    );
                }
            }
            let message_id = state.store.add_message(
                &conversation_id,
                Author::User,
                &content,
                client_msg_id.as_deref(),
            )?;
            state.bots.enqueue(
                state,
                &conversation_id,
                Job::Message {
                    content,
                    origin: origin.to_owned(),
                },
            );
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "message_id": message_id, "client_msg_id": client_msg_id }),
            )
        }
        ClientEvent::Action {
            id,
            data,
            conversation_id,
        } => {
            owned(state, api_key, &conversation_id)?;
            route(&conversation_id);
            state.bots.enqueue(
                state,
                &conversation_id,
                Job::Action {
                    id: id.clone(),
                    data,
                },
            );
            Ok(json!({ "status": "success", "conversation_id": conversation_id, "action": id }))
        }
        ClientEvent::Metadata {
            metadata,
            conversation_id,
            ..
        } => {
            owned(state, api_key, &conversation_id)?;
            route(&conversation_id);
            let Value::Object(update) = metadata else {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "metadata must be an object",
                ));
            };
            if let Some(ttl) = update.get("timeToLive") {
                if !matches!(ttl.as_i64(), Some(1 | 7 | 30 | 90)) {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "timeToLive must be one of 1, 7, 30, 90",
                    ));
                }
            }
            let public = state
                .store
                .set_metadata(&conversation_id, &update)?
                .unwrap_or(Value::Null);
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "metadata": public }),
            )
        }
        ClientEvent::MetadataRequest { conversation_id } => {
            let conv = owned(state, api_key, &conversation_id)?;
            route(&conversation_id);
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "metadata": conv.metadata }),
            )
        }
        ClientEvent::EditMessage {
            conversation_id,
            message_id,
            content,
            ..
        } => {
            owned(state, api_key, &conversation_id)?;
            route(&conversation_id);
            match state
                .store
                .edit_message(&conversation_id, &message_id, &content)?
            {
                Some(true) => {}
                Some(false) => {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        format!("Only the visitor's own messages can be edited: {message_id}"),
                    ))
                }
                None => {
                    return Err(ApiError::new(
                        StatusCode::NOT_FOUND,
                        format!("Message not found: {message_id}"),
                    ))
                }
            }
            state.hub.send_to_conversation(
                &conversation_id,
                &event_frame(ServerEvent::MessageEditedSuccess {
                    conversation_id: Some(conversation_id.clone()),
                    message_id: Some(message_id.clone()),
                }),
            );
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "message_id": message_id }),
            )
        }
        ClientEvent::DeleteConversation {
            conversation_id,
            soft,
        } => {
            owned(state, api_key, &conversation_id)?;
            let soft = flag(&soft);
            state.store.delete_conversation(&conversation_id, soft)?;
            state.bots.forget(&conversation_id);
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "softdelete": soft }),
            )
        }
        ClientEvent::GetUserConversations { user_id } => {
            let user_id = required_user(user_id.as_ref())?;
            let list = state
                .store
                .user_conversations(&user_id, &[api_key.to_owned()])?;
            Ok(json!({ "conversations": list.iter().map(summary).collect::<Vec<_>>() }))
        }
        ClientEvent::GetUserConversationsV2 {
            user_id,
            filter,
            search,
            pagination,
            api_keys,
        } => {
            let keys = match api_keys {
                Some(keys) if !keys.is_empty() => {
                    if let Some(bad) = keys.iter().find(|k| !state.key_allowed(k)) {
                        return Err(ApiError::new(
                            StatusCode::FORBIDDEN,
                            format!("Invalid API key in apiKeys: {bad}"),
                        ));
                    }
                    // 7.0.0 then sends for those conversations with their keys and this socket.
                    if let Some(s) = &socket {
                        state.hub.grant(s, &keys);
                    }
                    keys
                }
                _ => vec![api_key.to_owned()],
            };
            let user_id = required_user(user_id.as_ref())?;
            if let Some(field) = overlong_pattern(search.as_ref()) {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("search pattern for `{field}` is longer than {MAX_PATTERN_CHARS} characters"),
                ));
            }
            let all = state.store.user_conversations(&user_id, &keys)?;
            // Searching many long fields still takes a while: off the request workers.
            let matching: Vec<Conversation> = tokio::task::spawn_blocking(move || {
                all.into_iter()
                    .filter(|c| {
                        matches_filter(&c.metadata, filter.as_ref())
                            && matches_search(&c.metadata, search.as_ref())
                    })
                    .collect()
            })
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            let page = Pagination::from_value(pagination.as_ref(), DEFAULT_PAGE_SIZE);
            let total = matching.len() as u64;
            let total_pages = total.div_ceil(page.limit);
            let start = (page.page - 1).saturating_mul(page.limit);
            let items: Vec<Value> = matching
                .iter()
                .skip(start as usize)
                .take(page.limit as usize)
                .map(summary)
                .collect();
            Ok(json!({
                "conversations": items,
                "pagination": {
                    "hasNextPage": page.page < total_pages,
                    "hasPrevPage": page.page > 1,
                    "page": page.page,
                    "pageSize": page.limit,
                    "total": total,
                    "totalPages": total_pages,
                }
            }))
        }
        ClientEvent::DeleteUserConversations { user_id, soft } => {
            let (user_id, soft) = (required_user(Some(&user_id))?, flag(&soft));
            let n = state
                .store
                .delete_user_conversations(api_key, &user_id, soft)?;
            Ok(json!({ "status": "success", "userId": user_id, "deleted": n, "softdelete": soft }))
        }
        ClientEvent::ConversationTranscriptRequest { conversation_id } => {
            owned(state, api_key, &conversation_id)?;
            route(&conversation_id);
            let transcript = state.store.transcript(&conversation_id, bot::BOT_NAME)?;
            if let Some(s) = &socket {
                let raw = json!({ "conversation_id": conversation_id, "transcript": transcript });
                let f = ServerFrame {
                    event: ServerEvent::from_parts("conversation_transcript", &raw).map_err(
                        |e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
                    )?,
                    event_id: None,
                    payload: raw,
                };
                state.hub.send(s, &f);
            }
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "transcript": transcript }),
            )
        }
        ClientEvent::Unknown { event_type, .. } => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("Unknown event_type: {event_type}"),
        )),
    }
}

/// The user a listing or deletion is for: a string, or a number as its text.
fn required_user(user_id: Option<&Value>) -> Result<String, ApiError> {
    user_key(user_id).ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "missing `userId`"))
}
