//! The custom channel: the WebSocket that pushes events, the HTTP endpoint that takes
//! every client event, transcripts, large-message links, and the bot's delivery queue.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use captivate_chat::protocol::{
    ActionItem, ClientEvent, ClientFrame, ConversationUpdate, DecodeError, GeneralError,
    Pagination, ServerEvent, ServerFrame,
};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::bot::{self, BotState, Reply};
use crate::hub::Outgoing;
use crate::store::{Author, Conversation};
use crate::{origin, ApiError, AppState};

/// Conversations a `get_user_conversations_v2` page holds when the client names no limit.
const DEFAULT_PAGE_SIZE: u64 = 10;

fn event_frame(event: ServerEvent) -> ServerFrame {
    ServerFrame::new(event, Some(uuid::Uuid::new_v4().to_string()))
}

fn error_frame(conversation_id: Option<&str>, code: i64, desc: &str) -> ServerFrame {
    event_frame(ServerEvent::GeneralError(GeneralError {
        conversation_id: conversation_id.map(str::to_owned),
        error_code: Some(code),
        error_desc: Some(desc.to_owned()),
        message_link: None,
    }))
}

fn api_key(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
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

// ---------- WebSocket ----------

/// `GET /dev?apiKey=KEY` (or `apikey`): the socket that receives events.
pub async fn socket(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if state.faults.is_down() {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Server unavailable (fault injection)",
        )
        .into_response();
    }
    let key = query
        .get("apiKey")
        .or_else(|| query.get("apikey"))
        .cloned()
        .unwrap_or_default();
    if key.is_empty() {
        return ApiError::new(StatusCode::UNAUTHORIZED, "Missing apiKey query parameter")
            .into_response();
    }
    if !state.key_allowed(&key) {
        return ApiError::new(StatusCode::FORBIDDEN, "Invalid API key").into_response();
    }
    let origin = origin(&headers);
    upgrade.on_upgrade(move |ws| run_socket(state, ws, key, origin))
}

async fn run_socket(state: Arc<AppState>, ws: WebSocket, api_key: String, origin: String) {
    let (socket_id, mut outgoing) = state.hub.register(&api_key);
    let (mut sink, mut incoming) = ws.split();
    let hello = event_frame(ServerEvent::SocketConnected {
        socket_id: socket_id.clone(),
    });
    if sink
        .send(Message::Text(hello.to_json().into()))
        .await
        .is_err()
    {
        state.hub.unregister(&socket_id);
        return;
    }
    loop {
        tokio::select! {
            out = outgoing.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close(code)) => {
                    let close = axum::extract::ws::CloseFrame { code, reason: "closed by the server".into() };
                    if sink.send(Message::Close(Some(close))).await.is_ok() {
                        // Finish the closing handshake, so that the client sees a clean close with our code.
                        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), async {
                            while let Some(Ok(msg)) = incoming.next().await {
                                if matches!(msg, Message::Close(_)) {
                                    break;
                                }
                            }
                        })
                        .await;
                    }
                    break;
                }
                // Dropping the socket without a close frame is what a network failure looks like.
                Some(Outgoing::Drop) | None => break,
            },
            msg = incoming.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    on_socket_text(&state, &socket_id, &api_key, &origin, text.as_str()).await;
                }
                Some(Ok(Message::Binary(_))) => {
                    state.hub.send(&socket_id, &error_frame(None, 400, "Binary frames are not supported; send JSON text"));
                }
                Some(Ok(Message::Close(_))) => {
                    // Send the queued close reply, so the client sees a clean close with its own code.
                    let _ = sink.close().await;
                    break;
                }
                None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    state.hub.unregister(&socket_id);
}

/// The manual's older flow: client events sent over the socket itself.
async fn on_socket_text(
    state: &Arc<AppState>,
    socket_id: &str,
    api_key: &str,
    origin: &str,
    text: &str,
) {
    let parsed = serde_json::from_str::<Value>(text)
        .map_err(|e| DecodeError::NotJson(e.to_string()))
        .and_then(ClientFrame::from_owned);
    match parsed {
        Ok(mut frame) => {
            frame.socket_id = Some(socket_id.to_owned());
            let conversation_id = frame.event.conversation_id().map(str::to_owned);
            if let Err(e) = handle(state, api_key, frame, origin).await {
                state.hub.send(
                    socket_id,
                    &error_frame(
                        conversation_id.as_deref(),
                        e.status.as_u16().into(),
                        &e.message,
                    ),
                );
            }
        }
        Err(e) => {
            state
                .hub
                .send(socket_id, &error_frame(None, 400, &e.to_string()));
        }
    }
}

// ---------- HTTP ----------

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
    match handle(&state, &key, frame, &origin(&headers)).await {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => {
            // A real client hears about failures on its socket too.
            if let Some(socket) = socket {
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

/// A live conversation of this API key, or 404.
fn owned(state: &AppState, api_key: &str, id: &str) -> Result<Conversation, ApiError> {
    match state.store.conversation(id)? {
        Some(c) if c.api_key == api_key => Ok(c),
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Conversation not found: {id}"),
        )),
    }
}

/// Applies one client event and returns the HTTP answer.
async fn handle(
    state: &Arc<AppState>,
    api_key: &str,
    frame: ClientFrame,
    origin: &str,
) -> Result<Value, ApiError> {
    let socket = frame
        .socket_id
        .filter(|s| state.hub.api_key_of(s).is_some());
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
            let user_id = user_id
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
            if !state
                .store
                .edit_message(&conversation_id, &message_id, &content)?
            {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("Message not found: {message_id}"),
                ));
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
            state.store.delete_conversation(&conversation_id, soft)?;
            state.bots.forget(&conversation_id);
            Ok(
                json!({ "status": "success", "conversation_id": conversation_id, "softdelete": soft }),
            )
        }
        ClientEvent::GetUserConversations { user_id } => {
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
                    keys
                }
                _ => vec![api_key.to_owned()],
            };
            let all = state.store.user_conversations(&user_id, &keys)?;
            let matching: Vec<&Conversation> = all
                .iter()
                .filter(|c| {
                    matches_filter(&c.metadata, filter.as_ref())
                        && matches_search(&c.metadata, search.as_ref())
                })
                .collect();
            let page = Pagination::from_value(pagination.as_ref(), DEFAULT_PAGE_SIZE);
            let total = matching.len() as u64;
            let total_pages = total.div_ceil(page.limit);
            let start = (page.page - 1).saturating_mul(page.limit);
            let items: Vec<Value> = matching
                .iter()
                .skip(start as usize)
                .take(page.limit as usize)
                .map(|c| summary(c))
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

fn summary(c: &Conversation) -> Value {
    json!({
        "conversation_id": c.id,
        "metadata": c.metadata,
        "apiKey": c.api_key,
        "userId": c.user_id,
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
    })
}

/// `filter`: every named metadata field equals the given value.
fn matches_filter(metadata: &Value, filter: Option<&Value>) -> bool {
    match filter {
        Some(Value::Object(f)) => f.iter().all(|(k, v)| metadata.get(k) == Some(v)),
        _ => true,
    }
}

/// `search`: every named metadata field matches a wildcard pattern (`*`, `?`;
/// without wildcards, a case-insensitive substring).
fn matches_search(metadata: &Value, search: Option<&Value>) -> bool {
    let Some(Value::Object(s)) = search else {
        return true;
    };
    s.iter().all(|(k, pattern)| {
        let Some(pattern) = pattern.as_str() else {
            return metadata.get(k) == Some(pattern);
        };
        let text = match metadata.get(k) {
            Some(Value::String(t)) => t.to_lowercase(),
            Some(Value::Null) | None => return false,
            Some(other) => other.to_string().to_lowercase(),
        };
        let pattern = pattern.to_lowercase();
        if pattern.contains(['*', '?']) {
            wildcard(
                &pattern.chars().collect::<Vec<_>>(),
                &text.chars().collect::<Vec<_>>(),
            )
        } else {
            text.contains(&pattern)
        }
    })
}

fn wildcard(p: &[char], t: &[char]) -> bool {
    // Iterative glob match with backtracking to the last `*`.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

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

// ---------- the bot's delivery queue ----------

/// Work for a conversation's bot.
pub enum Job {
    Message { content: Value, origin: String },
    Action { id: String, data: Value },
}

/// One worker per conversation, so replies go out in the order messages came in.
#[derive(Default)]
pub struct BotRunner {
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<Job>>>,
}

impl BotRunner {
    fn queues(&self) -> std::sync::MutexGuard<'_, HashMap<String, mpsc::UnboundedSender<Job>>> {
        self.queues.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues a job for the conversation's bot, starting its worker if needed.
    pub fn enqueue(&self, state: &Arc<AppState>, conversation_id: &str, job: Job) {
        let mut queues = self.queues();
        let job = match queues.get(conversation_id) {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(job);
        queues.insert(conversation_id.to_owned(), tx);
        tokio::spawn(bot_worker(state.clone(), conversation_id.to_owned(), rx));
    }

    /// Stops the worker of a deleted conversation.
    pub fn forget(&self, conversation_id: &str) {
        self.queues().remove(conversation_id);
    }
}

async fn bot_worker(
    state: Arc<AppState>,
    conversation_id: String,
    mut jobs: mpsc::UnboundedReceiver<Job>,
) {
    let mut bot_state = BotState::default();
    let mut origin = String::from("http://127.0.0.1");
    while let Some(job) = jobs.recv().await {
        let replies = match job {
            Job::Message { content, origin: o } => {
                origin = o;
                bot::reply_to_message(&content, &mut bot_state, &origin)
            }
            Job::Action { id, data } => bot::reply_to_action(&id, &data, &mut bot_state),
        };
        for (i, reply) in replies.into_iter().enumerate() {
            let pause = if i == 0 {
                state.config.bot_delay
            } else {
                state.config.bot_delay / 3
            };
            tokio::time::sleep(pause).await;
            if let Err(e) = deliver(&state, &conversation_id, reply, &origin) {
                eprintln!(
                    "captivate-server: bot reply for {conversation_id} failed: {}",
                    e.message
                );
            }
        }
    }
}

/// Stores and pushes one bot reply.
fn deliver(
    state: &AppState,
    conversation_id: &str,
    reply: Reply,
    origin: &str,
) -> Result<(), ApiError> {
    let conv = Some(conversation_id.to_owned());
    let event = match reply {
        Reply::Bot(content) => {
            let id = state
                .store
                .add_message(conversation_id, Author::Bot, &content, None)?;
            ServerEvent::BotMessage {
                conversation_id: conv,
                ch_msg_id: Some(id),
                content,
            }
        }
        Reply::Agent(content) => {
            state
                .store
                .add_message(conversation_id, Author::Agent, &content, None)?;
            ServerEvent::LivechatMessage {
                conversation_id: conv,
                content,
            }
        }
        Reply::Action { id, data } => ServerEvent::Action {
            conversation_id: conv,
            actions: vec![ActionItem {
                id: id.to_owned(),
                data,
            }],
        },
        Reply::Update { kind, data } => ServerEvent::ConversationUpdate(ConversationUpdate {
            kind: kind.to_owned(),
            conversation_id: conv,
            data,
        }),
        Reply::Large(content) => return send_large(state, conversation_id, &content, origin),
        Reply::Error { code, desc } => {
            return {
                state.hub.send_to_conversation(
                    conversation_id,
                    &error_frame(Some(conversation_id), code, desc),
                );
                Ok(())
            }
        }
    };
    state
        .hub
        .send_to_conversation(conversation_id, &event_frame(event));
    Ok(())
}

/// Sends a message as a 413 `general_error` with a link the client fetches it from.
pub fn send_large(
    state: &AppState,
    conversation_id: &str,
    content: &Value,
    origin: &str,
) -> Result<(), ApiError> {
    let Some(conv) = state.store.conversation(conversation_id)? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Conversation not found: {conversation_id}"),
        ));
    };
    state
        .store
        .add_message(conversation_id, Author::Bot, content, None)?;
    let id = state.store.add_large_message(&conv.api_key, content)?;
    let f = event_frame(ServerEvent::GeneralError(GeneralError {
        conversation_id: Some(conversation_id.to_owned()),
        error_code: Some(413),
        error_desc: Some("Message too large for the socket; fetch it from message_link".to_owned()),
        message_link: Some(format!("{origin}/api/messages/{id}")),
    }));
    state.hub.send_to_conversation(conversation_id, &f);
    Ok(())
}

/// Pushes a bot message (stored or not) straight to a conversation's socket.
pub fn push_bot_message(
    state: &AppState,
    conversation_id: &str,
    content: Value,
    store: bool,
) -> Result<bool, ApiError> {
    let id = if store {
        Some(
            state
                .store
                .add_message(conversation_id, Author::Bot, &content, None)?,
        )
    } else {
        None
    };
    let event = ServerEvent::BotMessage {
        conversation_id: Some(conversation_id.to_owned()),
        ch_msg_id: id,
        content,
    };
    Ok(state
        .hub
        .send_to_conversation(conversation_id, &event_frame(event)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_search() {
        let m = json!({ "title": "Order A-1042 shipped", "n": 5 });
        assert!(matches_search(
            &m,
            Some(&json!({ "title": "order*shipped" }))
        ));
        assert!(!matches_search(&m, Some(&json!({ "title": "a-10?2" }))));
        assert!(matches_search(&m, Some(&json!({ "title": "*a-10?2*" }))));
        assert!(matches_search(&m, Some(&json!({ "title": "1042" }))));
        assert!(!matches_search(&m, Some(&json!({ "missing": "x" }))));
        assert!(matches_filter(&m, Some(&json!({ "n": 5 }))));
        assert!(!matches_filter(&m, Some(&json!({ "n": "5" }))));
    }
}
