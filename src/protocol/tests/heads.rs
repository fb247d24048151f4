//! Routing heads (`FrameHead::read`) agree with the full decoder on every documented frame.

use serde_json::{json, Value};

use super::*;

#[test]
fn routing_heads_agree_with_the_decoder_on_every_documented_frame() {
    let frames = [
        json!({ "event_type": "socket_connected", "event_payload": { "socket_id": "s1" } }),
        wrapped("socket_connected", json!({})),
        wrapped("socket_connected", json!({ "socket_id": { "x": 1 } })),
        wrapped(
            "conversation_start_success",
            json!({ "conversation_id": 42 }),
        ),
        wrapped(
            "conversation_start_success",
            json!({ "conversation_id": null }),
        ),
        wrapped(
            "bot_message",
            json!({ "conversation_id": "c1", "ch_msg_id": 7, "content": [] }),
        ),
        wrapped("bot_message", Value::Null),
        wrapped("bot_message", json!([1, 2])),
        wrapped(
            "livechat_message",
            json!({ "conversation_id": "c2", "content": "hi" }),
        ),
        wrapped("action", json!({ "conversation_id": "c1", "actions": [] })),
        wrapped(
            "conversation_update",
            json!({ "type": "livechatAgentConnected", "conversation_id": "c1" }),
        ),
        wrapped(
            "conversation_update",
            json!({ "type": "general_error", "conversation_id": "c1", "error_code": "413" }),
        ),
        wrapped(
            "conversation_update",
            json!({ "event_type": "general_error", "conversation_id": "outer",
            "event_payload": { "conversation_id": "inner", "error_code": 500, "error_desc": "x" } }),
        ),
        wrapped(
            "conversation_update",
            json!({ "event_type": "general_error", "event_payload": "odd" }),
        ),
        wrapped(
            "general_error",
            json!({ "conversation_id": "c1", "error_code": 413, "message_link": "http://x/1" }),
        ),
        wrapped("general_error", json!({ "error_code": 413.0 })),
        wrapped(
            "conversation_transcript",
            json!({ "conversation_id": "c1", "transcript": [] }),
        ),
        wrapped(
            "message_edited_success",
            json!({ "conversation_id": "c1", "message_id": "m" }),
        ),
        wrapped("something_new", json!({ "conversation_id": "c9" })),
        wrapped("something_new", json!({ "conversation_id": 9 })),
        wrapped("something_new", json!("text payload")),
        json!({ "event": "not an object", "event_type": "bot_message" }),
        json!({ "event": { "event_type": 5 } }),
        json!([1, 2, 3]),
        json!("bot_message"),
    ];
    for v in &frames {
        if let Err(e) = head_agrees(v) {
            panic!("{e}");
        }
    }
    let head = FrameHead::read(&&frames[12]).unwrap();
    assert_eq!(head.kind, EventKind::GeneralError);
    assert_eq!(head.conversation_id.as_deref(), Some("inner"));
    assert_eq!(
        head.error
            .and_then(|e| e.get("error_desc"))
            .and_then(Value::as_str),
        Some("x")
    );
}
