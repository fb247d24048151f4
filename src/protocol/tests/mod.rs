//! The protocol's native tests, one file per concern; the helpers they share are here.

use serde_json::{json, Value};

use super::*;

mod client_events;
mod content;
mod heads;
mod never_panic;
mod server_events;
mod transcripts;

fn server(v: Value) -> ServerFrame {
    match ServerFrame::from_value(&v) {
        Ok(frame) => frame,
        Err(e) => panic!("{v} did not decode: {e}"),
    }
}

fn client(v: Value) -> ClientFrame {
    match ClientFrame::from_value(&v) {
        Ok(frame) => frame,
        Err(e) => panic!("{v} did not decode: {e}"),
    }
}

fn wrapped(event_type: &str, payload: Value) -> Value {
    json!({ "action": "receiveMessage", "event": { "event_type": event_type, "event_payload": payload, "event_id": "e1", "accepts_response_payload": false } })
}

/// The head read without decoding agrees with the full decoder: same kind, conversation,
/// ids and error code, or the same error.
fn head_agrees(v: &Value) -> Result<(), String> {
    match (FrameHead::read(&v), ServerFrame::from_value(v)) {
        (Err(a), Err(b)) if a == b => Ok(()),
        (Ok(head), Ok(frame)) => {
            let ev = &frame.event;
            let message_id = match ev {
                ServerEvent::BotMessage { ch_msg_id, .. } => ch_msg_id.as_deref(),
                _ => None,
            };
            let socket_id = match ev {
                ServerEvent::SocketConnected { socket_id } => Some(socket_id.as_str()),
                _ => None,
            };
            let code = match ev {
                ServerEvent::GeneralError(e) => e.error_code,
                _ => None,
            };
            let seen = (
                head.kind,
                head.conversation_id.as_deref(),
                head.message_id.as_deref(),
                head.socket_id.as_deref(),
                head.error.as_ref().and_then(error_code),
            );
            let want = (ev.kind(), ev.conversation_id(), message_id, socket_id, code);
            if seen == want {
                Ok(())
            } else {
                Err(format!("{v}: head {seen:?}, decoded {want:?}"))
            }
        }
        (a, b) => Err(format!("{v}: head {a:?}, decoded {b:?}")),
    }
}
