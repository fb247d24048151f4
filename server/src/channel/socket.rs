//! `GET /dev?apiKey=KEY`: the socket that receives events (and, in the manual's older
//! flow, takes client events too).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use captivate_chat::protocol::{ClientFrame, DecodeError, ServerEvent};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;

use super::events::handle;
use super::{error_frame, event_frame};
use crate::hub::Outgoing;
use crate::{ApiError, AppState};

/// `GET /dev?apiKey=KEY` (or `apikey`): the socket that receives events.
pub async fn socket(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
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
    if state.hub.open_for_key(&key) >= state.config.max_sockets_per_key {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many sockets open for this API key",
        )
        .into_response();
    }
    let origin = state.public_origin();
    // The HTTP body limit applies to socket messages too (axum's default is 64 MiB).
    upgrade
        .max_message_size(crate::MAX_MESSAGE_BYTES)
        .max_frame_size(crate::MAX_MESSAGE_BYTES)
        .on_upgrade(move |ws| run_socket(state, ws, key, origin))
}

pub(super) async fn run_socket(
    state: Arc<AppState>,
    ws: WebSocket,
    api_key: String,
    origin: String,
) {
    let (socket_id, mut outgoing, backlog) = state.hub.register(&api_key);
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
    if let Some(after) = state.faults.flap_after() {
        let (state, id) = (state.clone(), socket_id.clone());
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            state.hub.drop_one(&id);
        });
    }
    // Idle sockets are pinged; one that answers nothing for 2½ pings is gone (a half-open
    // connection would otherwise stay for ever).
    let ping = state.config.ping_interval;
    let mut pings = tokio::time::interval_at(tokio::time::Instant::now() + ping, ping);
    let mut heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            // Cut for reading too slowly (see `hub::MAX_BACKLOG_BYTES`).
            _ = backlog.cut.notified() => break,
            _ = pings.tick() => {
                if heard.elapsed() > ping * 5 / 2 {
                    break;
                }
                // A connection that cannot take even a ping within the interval is gone too.
                let sent = tokio::time::timeout(ping, sink.send(Message::Ping(Default::default()))).await;
                if !matches!(sent, Ok(Ok(()))) {
                    break;
                }
            }
            out = outgoing.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    let n = text.len();
                    let sent = tokio::select! {
                        r = sink.send(Message::Text(text.into())) => r.is_ok(),
                        _ = backlog.cut.notified() => false,
                    };
                    backlog.written(n);
                    if !sent {
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
            msg = incoming.next() => match msg.inspect(|_| heard = tokio::time::Instant::now()) {
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
pub(super) async fn on_socket_text(
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
