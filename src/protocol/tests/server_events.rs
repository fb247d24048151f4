//! Server → client events: each documented event in both envelope shapes, errors that name the field, unknown events kept, round trips.

use serde_json::{json, Value};

use super::*;

#[test]
fn socket_connected_in_the_bare_shape_of_the_manual() {
    let f = server(
        json!({ "event_type": "socket_connected", "event_payload": { "socket_id": "abc=" }, "event_id": "9" }),
    );
    assert_eq!(
        f.event,
        ServerEvent::SocketConnected {
            socket_id: "abc=".into()
        }
    );
    assert_eq!(f.event_id.as_deref(), Some("9"));
}

#[test]
fn socket_connected_in_the_wrapped_shape() {
    let f = server(wrapped("socket_connected", json!({ "socket_id": "s" })));
    assert_eq!(
        f.event,
        ServerEvent::SocketConnected {
            socket_id: "s".into()
        }
    );
    assert_eq!(f.event_id.as_deref(), Some("e1"));
}

#[test]
fn socket_connected_without_socket_id_is_an_error_naming_the_field() {
    let err = ServerFrame::from_value(&wrapped("socket_connected", json!({}))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `socket_connected` payload: missing `socket_id`"
    );
    // A null counts as missing; a structured value is named by its kind, as a type.
    let null = ServerFrame::from_value(&wrapped("socket_connected", json!({ "socket_id": null })));
    assert_eq!(
        null.unwrap_err(),
        ServerFrame::from_value(&wrapped("socket_connected", json!({}))).unwrap_err()
    );
    let err = ServerFrame::from_value(&wrapped("socket_connected", json!({ "socket_id": [1] })));
    assert_eq!(
        err.unwrap_err(),
        DecodeError::InvalidPayload {
            event_type: "socket_connected".into(),
            reason: PayloadError::WrongKind {
                field: "socket_id",
                expected: "a string",
                got: "an array"
            }
        }
    );
    let err = ServerFrame::from_value(&wrapped("socket_connected", json!({ "socket_id": {} })));
    assert_eq!(
        err.unwrap_err().to_string(),
        "invalid `socket_connected` payload: `socket_id` must be a string, got an object"
    );
    // Ordinary Rust errors: usable wherever a `dyn Error` is.
    let missing: Box<dyn std::error::Error> = Box::new(PayloadError::Missing("socket_id"));
    assert_eq!(missing.to_string(), "missing `socket_id`");
}

#[test]
fn conversation_start_success_carries_the_id() {
    let f = server(wrapped(
        "conversation_start_success",
        json!({ "conversation_id": "c1" }),
    ));
    assert_eq!(
        f.event,
        ServerEvent::ConversationStartSuccess {
            conversation_id: "c1".into()
        }
    );
    assert_eq!(f.event.conversation_id(), Some("c1"));
}

#[test]
fn bot_message_keeps_raw_content_and_decodes_items() {
    let content = json!([{ "type": "text", "text": "Hello" }, { "type": "md", "md": "**hi**" }]);
    let f = server(wrapped(
        "bot_message",
        json!({ "type": "message_create", "ch_msg_id": "m1", "bot": {}, "content": content }),
    ));
    match &f.event {
        ServerEvent::BotMessage {
            conversation_id,
            ch_msg_id,
            content: raw,
        } => {
            assert_eq!(conversation_id, &None);
            assert_eq!(ch_msg_id.as_deref(), Some("m1"));
            assert_eq!(raw, &content);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        f.event.content_items(),
        vec![
            ContentItem::Text("Hello".into()),
            ContentItem::Markdown("**hi**".into())
        ]
    );
    assert_eq!(f.payload["bot"], json!({}), "the raw payload is kept whole");
}

#[test]
fn livechat_message_names_its_conversation() {
    let f = server(wrapped(
        "livechat_message",
        json!({ "type": "message_create", "conversation_id": "c2", "content": [{ "type": "text", "text": "Agent here" }] }),
    ));
    assert_eq!(f.event.conversation_id(), Some("c2"));
    assert_eq!(
        f.event.content_items(),
        vec![ContentItem::Text("Agent here".into())]
    );
}

#[test]
fn action_accepts_id_or_action_alias_and_payload_as_data() {
    let f = server(wrapped(
        "action",
        json!({ "actions": [
        { "id": "getLocation", "data": { "a": 1 } },
        { "action": "apiCall", "payload": { "b": 2 } },
        { "nothing": true }
    ] }),
    ));
    assert_eq!(
        f.event,
        ServerEvent::Action {
            conversation_id: None,
            actions: vec![
                ActionItem {
                    id: "getLocation".into(),
                    data: json!({ "a": 1 })
                },
                ActionItem {
                    id: "apiCall".into(),
                    data: json!({ "b": 2 })
                },
            ]
        }
    );
}

#[test]
fn action_with_a_single_object_instead_of_a_list() {
    let f = server(wrapped(
        "action",
        json!({ "actions": { "id": "escalateToHuman" } }),
    ));
    assert_eq!(
        f.event,
        ServerEvent::Action {
            conversation_id: None,
            actions: vec![ActionItem {
                id: "escalateToHuman".into(),
                data: Value::Null
            }]
        }
    );
}

#[test]
fn conversation_update_for_each_documented_type() {
    for kind in [
        "failedAgentAssignment",
        "livechatAgentConnected",
        "livechatAgentDisconnected",
    ] {
        let f = server(wrapped(
            "conversation_update",
            json!({ "type": kind, "conversation_id": "c", "data": { "agent": "Ann" } }),
        ));
        assert_eq!(
            f.event,
            ServerEvent::ConversationUpdate(ConversationUpdate {
                kind: kind.into(),
                conversation_id: Some("c".into()),
                data: json!({ "agent": "Ann" })
            })
        );
    }
}

#[test]
fn general_error_with_413_link() {
    let f = server(wrapped(
        "general_error",
        json!({ "conversation_id": "c", "error_code": 413, "error_desc": "too large", "message_link": "http://x/m/1" }),
    ));
    assert_eq!(
        f.event,
        ServerEvent::GeneralError(GeneralError {
            conversation_id: Some("c".into()),
            error_code: Some(413),
            error_desc: Some("too large".into()),
            message_link: Some("http://x/m/1".into())
        })
    );
}

#[test]
fn general_error_code_as_string_and_no_description() {
    let f = server(wrapped("general_error", json!({ "error_code": "500" })));
    assert_eq!(
        f.event,
        ServerEvent::GeneralError(GeneralError {
            conversation_id: None,
            error_code: Some(500),
            error_desc: None,
            message_link: None
        })
    );
}

#[test]
fn general_error_nested_in_conversation_update_decodes_as_an_error() {
    let nested = json!({ "event_type": "general_error", "event_payload": { "conversation_id": "c", "error_code": 400, "error_desc": "bad" } });
    let f = server(wrapped("conversation_update", nested));
    assert!(matches!(
        f.event,
        ServerEvent::GeneralError(GeneralError {
            error_code: Some(400),
            ..
        })
    ));
    let typed = json!({ "type": "general_error", "conversation_id": "c", "error_code": 401, "error_desc": "no" });
    let f = server(wrapped("conversation_update", typed));
    assert!(matches!(
        f.event,
        ServerEvent::GeneralError(GeneralError {
            error_code: Some(401),
            ..
        })
    ));
}

#[test]
fn conversation_transcript_from_transcript_or_messages() {
    let a = server(wrapped(
        "conversation_transcript",
        json!({ "conversation_id": "c", "transcript": [{ "from": "user", "messages": [{ "type": "text", "text": "hi" }] }] }),
    ));
    let b = server(wrapped(
        "conversation_transcript",
        json!({ "conversation_id": "c", "messages": [{ "from": "bot", "messages": ["yo"] }] }),
    ));
    for (f, sender) in [(a, Sender::User), (b, Sender::Bot)] {
        match f.event {
            ServerEvent::ConversationTranscript { transcript, .. } => {
                assert_eq!(transcript[0].from, sender)
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn message_edited_success() {
    let f = server(wrapped(
        "message_edited_success",
        json!({ "conversation_id": "c", "message_id": "m" }),
    ));
    assert_eq!(
        f.event,
        ServerEvent::MessageEditedSuccess {
            conversation_id: Some("c".into()),
            message_id: Some("m".into())
        }
    );
}

#[test]
fn unknown_event_keeps_raw_json() {
    let f = server(wrapped(
        "typing_indicator",
        json!({ "conversation_id": "c", "on": true }),
    ));
    assert_eq!(
        f.event,
        ServerEvent::Unknown {
            event_type: "typing_indicator".into(),
            payload: json!({ "conversation_id": "c", "on": true })
        }
    );
    assert_eq!(f.event.conversation_id(), Some("c"));
}

#[test]
fn frames_that_are_not_events_are_typed_errors() {
    assert!(matches!(
        decode_server_frame("not json"),
        Err(DecodeError::NotJson(_))
    ));
    assert_eq!(decode_server_frame("[1,2]"), Err(DecodeError::NoEventType));
    assert_eq!(
        decode_server_frame(r#"{"event":{"event_type":5}}"#),
        Err(DecodeError::NoEventType)
    );
    let err =
        decode_server_frame(r#"{"event_type":"bot_message","event_payload":"x"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `bot_message` payload: payload must be an object, got a string"
    );
}

#[test]
fn every_server_event_round_trips_through_the_wrapped_envelope() {
    let events = vec![
        ServerEvent::SocketConnected {
            socket_id: "s".into(),
        },
        ServerEvent::ConversationStartSuccess {
            conversation_id: "c".into(),
        },
        ServerEvent::BotMessage {
            conversation_id: Some("c".into()),
            ch_msg_id: Some("m".into()),
            content: json!([{ "type": "text", "text": "x" }]),
        },
        ServerEvent::LivechatMessage {
            conversation_id: Some("c".into()),
            content: json!([]),
        },
        ServerEvent::Action {
            conversation_id: Some("c".into()),
            actions: vec![ActionItem {
                id: "a".into(),
                data: json!({ "k": [1] }),
            }],
        },
        ServerEvent::ConversationUpdate(ConversationUpdate {
            kind: "livechatAgentConnected".into(),
            conversation_id: Some("c".into()),
            data: json!({}),
        }),
        ServerEvent::GeneralError(GeneralError {
            conversation_id: Some("c".into()),
            error_code: Some(413),
            error_desc: Some("d".into()),
            message_link: Some("l".into()),
        }),
        ServerEvent::MessageEditedSuccess {
            conversation_id: Some("c".into()),
            message_id: Some("m".into()),
        },
        ServerEvent::Unknown {
            event_type: "x".into(),
            payload: json!({ "y": 1 }),
        },
    ];
    for event in events {
        let frame = ServerFrame::new(event.clone(), Some("id".into()));
        let back = decode_server_frame(&frame.to_json()).unwrap();
        assert_eq!(back, frame, "{}", frame.to_json());
    }
}
