//! Fault injection for tests, mounted at `/__faults` only with `--faults`:
//! drop or close every socket, take the server "down" for a while, fail or delay the next
//! HTTP sends, push malformed/unknown/arbitrary frames, burst bot messages, and
//! send a message through the 413 large-message link, and run the retention sweep days ahead.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use captivate_chat::protocol::{ServerEvent, ServerFrame};
use serde_json::{json, Value};

use crate::channel::{push_bot_message, send_large};
use crate::{ApiError, AppState};

/// Pending faults.
#[derive(Default)]
pub struct Faults {
    fail_next: AtomicU64,
    fail_status: AtomicU64,
    delay_next: AtomicU64,
    delay_ms: AtomicU64,
    greet_next: AtomicU64,
    greet_answer_delay_ms: AtomicU64,
    down_until: Mutex<Option<Instant>>,
    /// While down, HTTP sends still work (only sockets are refused).
    down_sockets_only: std::sync::atomic::AtomicBool,
    /// Until then, every socket is cut `flap_after_ms` after its `socket_connected`.
    flap_until: Mutex<Option<Instant>>,
    flap_after_ms: AtomicU64,
}

impl Faults {
    /// For a conversation start: whether to greet at once on the socket, and how long to
    /// hold the HTTP answer back after that (so that the frames arrive first).
    pub fn take_greeting(&self) -> Option<Duration> {
        take_one(&self.greet_next)
            .then(|| Duration::from_millis(self.greet_answer_delay_ms.load(Ordering::SeqCst)))
    }

    /// Whether the server is pretending to be unreachable.
    pub fn is_down(&self) -> bool {
        let guard = self.down_until.lock().unwrap_or_else(|p| p.into_inner());
        guard.is_some_and(|until| Instant::now() < until)
    }

    /// How long after `socket_connected` a new socket is cut, while the server flaps.
    pub fn flap_after(&self) -> Option<Duration> {
        let guard = self.flap_until.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .is_some_and(|until| Instant::now() < until)
            .then(|| Duration::from_millis(self.flap_after_ms.load(Ordering::SeqCst)))
    }

    /// The failure the next HTTP send gets, if one is pending (waits out a pending delay first).
    pub async fn take_http_fault(&self) -> Option<Response> {
        if self.is_down() && !self.down_sockets_only.load(Ordering::SeqCst) {
            return Some(
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Server unavailable (fault injection)",
                )
                .into_response(),
            );
        }
        if take_one(&self.delay_next) {
            tokio::time::sleep(Duration::from_millis(self.delay_ms.load(Ordering::SeqCst))).await;
        }
        if take_one(&self.fail_next) {
            let status = StatusCode::from_u16(self.fail_status.load(Ordering::SeqCst) as u16)
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return Some(ApiError::new(status, "Injected failure").into_response());
        }
        None
    }
}

fn take_one(counter: &AtomicU64) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

/// The most any fault number may be: an hour in milliseconds, or that many frames, sends or
/// messages. Larger values are cut to it (a huge `ms` would overflow the clock, a huge
/// `count` would hold the server for ever).
const FAULT_MAX: u64 = 3_600_000;

fn num(body: &Value, key: &str, default: u64) -> u64 {
    body.get(key)
        .and_then(Value::as_u64)
        .unwrap_or(default)
        .min(FAULT_MAX)
}

fn conversation(body: &Value) -> Result<String, ApiError> {
    body.get("conversation_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "conversation_id is required"))
}

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/sockets", get(sockets))
        .route("/drop-sockets", post(drop_sockets))
        .route("/close-sockets", post(close_sockets))
        .route("/down", post(down))
        .route("/flap", post(flap))
        .route("/http", post(http))
        .route("/frames", post(frames))
        .route("/push", post(push))
        .route("/burst", post(burst))
        .route("/large", post(large))
        .route("/greet-on-start", post(greet_on_start))
        .route("/sweep", post(sweep))
}

async fn sockets(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "open": state.hub.open_sockets() }))
}

async fn drop_sockets(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "dropped": state.hub.drop_all() }))
}

/// `{code}`: closes every socket with a close frame (1000 by default: clients do not reconnect).
async fn close_sockets(
    State(state): State<Arc<AppState>>,
    body: Option<Json<Value>>,
) -> Json<Value> {
    let code = body.map(|Json(b)| num(&b, "code", 1000)).unwrap_or(1000);
    Json(json!({ "closed": state.hub.close_all(u16::try_from(code).unwrap_or(1000)) }))
}

/// `{ms, sockets_only}`: drop every socket, then refuse sockets (and sends, unless
/// `sockets_only`) for `ms` milliseconds.
async fn down(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Json<Value> {
    let ms = num(&body, "ms", 1000);
    let sockets_only = body.get("sockets_only").and_then(Value::as_bool) == Some(true);
    state
        .faults
        .down_sockets_only
        .store(sockets_only, Ordering::SeqCst);
    *state
        .faults
        .down_until
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(Instant::now() + Duration::from_millis(ms));
    Json(json!({ "dropped": state.hub.drop_all(), "down_ms": ms }))
}

/// `{ms, after_ms}`: for `ms` milliseconds, accept every socket and cut it `after_ms` after
/// its `socket_connected` (a proxy or server that drops each connection: a reconnect storm).
async fn flap(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Json<Value> {
    let ms = num(&body, "ms", 5000);
    let after = num(&body, "after_ms", 100);
    let f = &state.faults;
    f.flap_after_ms.store(after, Ordering::SeqCst);
    *f.flap_until.lock().unwrap_or_else(|p| p.into_inner()) =
        Some(Instant::now() + Duration::from_millis(ms));
    Json(json!({ "dropped": state.hub.drop_all(), "flap_ms": ms, "after_ms": after }))
}

/// `{days}`: runs the retention sweep as if `days` days had passed (conversations past their
/// `timeToLive`, files past their `ttlDays`); answers what it removed.
async fn sweep(
    State(state): State<Arc<AppState>>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let days = num(&body, "days", 0).min(100 * 365) as i64;
    let swept = state.store.sweep_expired(
        crate::store::now_secs() + days * 24 * 3600,
        state.config.retention_days,
    )?;
    Ok(Json(json!({
        "conversations": swept.conversations,
        "files": swept.files,
        "largeMessages": swept.large_messages,
    })))
}

/// `{fail, status, delay, delay_ms}`: the next `fail` sends answer `status` (503), the next `delay` wait `delay_ms`.
async fn http(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Json<Value> {
    let f = &state.faults;
    f.fail_next.store(num(&body, "fail", 0), Ordering::SeqCst);
    f.fail_status
        .store(num(&body, "status", 503), Ordering::SeqCst);
    f.delay_next.store(num(&body, "delay", 0), Ordering::SeqCst);
    f.delay_ms
        .store(num(&body, "delay_ms", 0), Ordering::SeqCst);
    Json(json!({ "ok": true }))
}

/// `{kind: malformed|unknown|wrong-types|no-conversation|raw, count, conversation_id?, text?}`
/// (`raw`: `text` as it is).
async fn frames(
    State(state): State<Arc<AppState>>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let count = num(&body, "count", 1).min(100_000);
    let kind = body
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("malformed");
    let text = match kind {
        "malformed" => "{\"event\": {\"event_type\": \"bot_message\", ".to_owned(),
        "unknown" => json!({ "action": "receiveMessage", "event": { "event_type": "surprise_event", "event_payload": { "conversation_id": body.get("conversation_id"), "x": 1 } } }).to_string(),
        "wrong-types" => json!({ "action": "receiveMessage", "event": { "event_type": "bot_message", "event_payload": "not an object" } }).to_string(),
        "raw" => body
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "raw frames need a text"))?
            .to_owned(),
        "no-conversation" => ServerFrame::new(ServerEvent::BotMessage { conversation_id: None, ch_msg_id: None, content: json!([{ "type": "text", "text": "a message with no conversation_id" }]) }, None).to_json(),
        other => return Err(ApiError::new(StatusCode::BAD_REQUEST, format!("unknown frame kind: {other}"))),
    };
    let mut sent = 0;
    for _ in 0..count {
        sent += match body
            .get("conversation_id")
            .and_then(Value::as_str)
            .and_then(|c| state.hub.socket_of(c))
        {
            Some(socket) => usize::from(state.hub.send_text(&socket, text.clone())),
            None => state.hub.broadcast_text(&text),
        };
    }
    Ok(Json(json!({ "sent": sent })))
}

/// `{count, answer_delay_ms}`: the next `count` conversation starts get a bot message on the
/// socket right after `conversation_start_success`, and their HTTP answer `answer_delay_ms`
/// later (a server that greets before the client has its answer).
async fn greet_on_start(
    State(state): State<Arc<AppState>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    let f = &state.faults;
    f.greet_next.store(num(&body, "count", 1), Ordering::SeqCst);
    f.greet_answer_delay_ms
        .store(num(&body, "answer_delay_ms", 0), Ordering::SeqCst);
    Json(json!({ "ok": true }))
}

/// `{conversation_id, event_type, payload}` or `{conversation_id, content, store}`: pushes an
/// arbitrary event (e.g. hostile bot content for the XSS suite) to a conversation's socket.
async fn push(
    State(state): State<Arc<AppState>>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let id = conversation(&body)?;
    if let Some(content) = body.get("content") {
        let store = body.get("store").and_then(Value::as_bool).unwrap_or(true);
        let sent = push_bot_message(&state, &id, content.clone(), store)?;
        return Ok(Json(json!({ "sent": sent })));
    }
    let event_type = body
        .get("event_type")
        .and_then(Value::as_str)
        .unwrap_or("bot_message");
    let payload = body.get("payload").cloned().unwrap_or(json!({}));
    let text = json!({ "action": "receiveMessage", "event": { "event_type": event_type, "event_payload": payload, "event_id": uuid::Uuid::new_v4().to_string() } }).to_string();
    let sent = state
        .hub
        .socket_of(&id)
        .is_some_and(|s| state.hub.send_text(&s, text));
    Ok(Json(json!({ "sent": sent })))
}

/// `{conversation_id, count, store?}`: `count` bot messages as fast as the socket takes them.
async fn burst(
    State(state): State<Arc<AppState>>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let id = conversation(&body)?;
    let count = num(&body, "count", 100).min(100_000);
    let store = body.get("store").and_then(Value::as_bool).unwrap_or(false);
    let mut sent = 0u64;
    for i in 1..=count {
        let content = json!([{ "type": "text", "text": format!("Burst message {i} of {count}") }]);
        if push_bot_message(&state, &id, content, store)? {
            sent += 1;
        }
    }
    Ok(Json(json!({ "sent": sent })))
}

/// `{conversation_id, origin?}`: a message delivered through the 413 `message_link` path.
async fn large(
    State(state): State<Arc<AppState>>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let id = conversation(&body)?;
    let content = body.get("content").cloned().unwrap_or_else(
        || json!([{ "type": "text", "text": "A large message, fetched from its link." }]),
    );
    send_large(&state, &id, &content, &state.public_origin())?;
    Ok(Json(json!({ "sent": true })))
}
