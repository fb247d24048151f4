//! Protocol tests: every event and content variant of PROTOCOL.md, both envelope
//! shapes, round trips, and property tests that no input panics.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

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

// ---------- server → client ----------

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

// ---------- client → server ----------

#[test]
fn conversation_start_as_7_0_0_sends_it() {
    let frame = ClientFrame {
        event: ClientEvent::ConversationStart {
            user_id: Some(json!("u1")),
            user_basic_info: json!({ "firstName": "Ann" }),
            metadata: json!({ "m": 1, "private": {} }),
        },
        socket_id: None,
    };
    assert_eq!(
        frame.to_value(),
        json!({ "action": "sendMessage", "event": { "event_type": "conversation_start", "event_payload": { "userId": "u1", "userBasicInfo": { "firstName": "Ann" }, "metadata": { "m": 1, "private": {} } }, "socket_id": null } })
    );
}

#[test]
fn conversation_start_user_id_is_optional() {
    let f = client(json!({ "event": { "event_type": "conversation_start", "event_payload": {} } }));
    assert_eq!(
        f.event,
        ClientEvent::ConversationStart {
            user_id: None,
            user_basic_info: Value::Null,
            metadata: Value::Null
        }
    );
}

#[test]
fn user_message_payload_matches_the_official_client() {
    let e = ClientEvent::UserMessage {
        client_msg_id: Some("unique-message-id-1".into()),
        conversation_id: "c".into(),
        content: ClientEvent::text_content("hi"),
    };
    assert_eq!(
        e.payload(),
        json!({ "type": "message_create", "client_msg_id": "unique-message-id-1", "conversation_id": "c", "content": { "type": "text", "text": "hi" } })
    );
    let f = ClientFrame {
        event: e.clone(),
        socket_id: Some("s".into()),
    };
    assert_eq!(decode_client_frame(&f.to_json()).unwrap(), f);
}

#[test]
fn user_message_without_conversation_is_an_error() {
    let err = ClientFrame::from_value(
        &json!({ "event": { "event_type": "user_message", "event_payload": { "content": "x" } } }),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `user_message` payload: missing `conversation_id`"
    );
    let err = ClientFrame::from_value(&json!({ "event": { "event_type": "user_message", "event_payload": { "conversation_id": "c" } } })).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `user_message` payload: missing `content`"
    );
}

#[test]
fn action_payload() {
    let e = ClientEvent::Action {
        id: "escalateToHuman".into(),
        data: json!({}),
        conversation_id: "c".into(),
    };
    assert_eq!(
        e.payload(),
        json!({ "type": "normal", "id": "escalateToHuman", "data": {}, "conversation_id": "c" })
    );
}

#[test]
fn metadata_private_ttl_and_target() {
    for metadata in [
        json!({ "a": 1 }),
        json!({ "private": { "k": "v" } }),
        json!({ "timeToLive": 7 }),
    ] {
        let f = client(
            json!({ "event": { "event_type": "metadata", "event_payload": { "metadata": metadata, "client_msg_id": "metadata-1", "conversation_id": "c" } } }),
        );
        assert_eq!(
            f.event,
            ClientEvent::Metadata {
                metadata,
                client_msg_id: Some("metadata-1".into()),
                conversation_id: "c".into(),
                target: None
            }
        );
    }
    let f = client(
        json!({ "event": { "event_type": "metadata", "event_payload": { "metadata": {}, "conversation_id": "c", "target": "bot_live" } } }),
    );
    assert!(
        matches!(f.event, ClientEvent::Metadata { target: Some(ref t), .. } if t == "bot_live")
    );
}

#[test]
fn metadata_request_edit_and_transcript_request() {
    assert_eq!(
        client(json!({ "event": { "event_type": "metadata_request", "event_payload": { "conversation_id": "c" } } })).event,
        ClientEvent::MetadataRequest { conversation_id: "c".into() }
    );
    let edit = client(
        json!({ "event": { "event_type": "edit_message", "event_payload": { "type": "message_create", "client_msg_id": "edit-message-id-1", "conversation_id": "c", "message_id": 42, "content": { "type": "text", "text": "new" } } } }),
    );
    assert_eq!(
        edit.event,
        ClientEvent::EditMessage {
            client_msg_id: Some("edit-message-id-1".into()),
            conversation_id: "c".into(),
            message_id: "42".into(),
            content: json!({ "type": "text", "text": "new" })
        }
    );
    assert_eq!(
        client(json!({ "event_type": "conversation_transcript_request", "event_payload": { "conversation_id": "c" } })).event,
        ClientEvent::ConversationTranscriptRequest { conversation_id: "c".into() }
    );
}

#[test]
fn deletes_default_to_soft() {
    assert_eq!(
        client(json!({ "event": { "event_type": "delete_conversation", "event_payload": { "conversation_id": "c" } } })).event,
        ClientEvent::DeleteConversation { conversation_id: "c".into(), soft: json!(true) }
    );
    assert_eq!(
        client(json!({ "event": { "event_type": "delete_conversation", "event_payload": { "conversation_id": "c", "softdelete": false } } })).event,
        ClientEvent::DeleteConversation { conversation_id: "c".into(), soft: json!(false) }
    );
    let e = ClientEvent::DeleteUserConversations {
        user_id: json!("u"),
        soft: json!(true),
    };
    assert_eq!(e.payload(), json!({ "userId": "u", "softdelete": true }));
    assert_eq!(client(json!({ "event": { "event_type": "delete_user_conversations", "event_payload": e.payload() } })).event, e);
}

#[test]
fn user_conversations_v1_and_v2() {
    let v1 = ClientEvent::GetUserConversations {
        user_id: Some(json!("u")),
    };
    assert_eq!(v1.payload(), json!({ "userId": "u" }));
    let v2 = ClientEvent::GetUserConversationsV2 {
        user_id: Some(json!("u")),
        filter: Some(json!({ "status": "open" })),
        search: None,
        pagination: Some(json!({ "page": "2", "limit": 5 })),
        api_keys: Some(vec!["k1".into(), "k2".into()]),
    };
    assert_eq!(
        v2.payload(),
        json!({ "userId": "u", "filter": { "status": "open" }, "pagination": { "page": "2", "limit": 5 }, "apiKeys": ["k1", "k2"] })
    );
    let back = client(
        json!({ "event": { "event_type": "get_user_conversations_v2", "event_payload": v2.payload() } }),
    );
    assert_eq!(back.event, v2);
    let err = ClientFrame::from_value(&json!({ "event": { "event_type": "get_user_conversations_v2", "event_payload": { "userId": "u", "apiKeys": "k" } } })).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid `get_user_conversations_v2` payload: `apiKeys` must be an array, got a string"
    );
}

#[test]
fn pagination_reads_strings_and_defaults() {
    assert_eq!(
        Pagination::from_value(Some(&json!({ "page": "3", "limit": "10" })), 20),
        Pagination { page: 3, limit: 10 }
    );
    assert_eq!(
        Pagination::from_value(None, 20),
        Pagination { page: 1, limit: 20 }
    );
    assert_eq!(
        Pagination::from_value(Some(&json!({ "page": 0, "limit": -4 })), 20),
        Pagination { page: 1, limit: 20 }
    );
}

#[test]
fn unknown_client_event_keeps_raw_json() {
    let f = client(json!({ "event": { "event_type": "typing", "event_payload": [1] } }));
    assert_eq!(
        f.event,
        ClientEvent::Unknown {
            event_type: "typing".into(),
            payload: json!([1])
        }
    );
    assert_eq!(f.to_value()["event"]["event_payload"], json!([1]));
}

#[test]
fn client_events_know_their_conversation() {
    let e: ClientEvent = ClientEvent::MetadataRequest {
        conversation_id: "c".into(),
    };
    assert_eq!(e.conversation_id(), Some("c"));
    assert_eq!(
        ClientEvent::GetUserConversations {
            user_id: Some(json!("u"))
        }
        .conversation_id(),
        None
    );
}

#[test]
fn every_client_event_round_trips() {
    let events = vec![
        ClientEvent::ConversationStart {
            user_id: Some(json!("u")),
            user_basic_info: json!({}),
            metadata: json!({ "private": {} }),
        },
        ClientEvent::UserMessage {
            client_msg_id: Some("1".into()),
            conversation_id: "c".into(),
            content: json!({ "text": "t", "files": [] }),
        },
        ClientEvent::Action {
            id: "a".into(),
            data: json!({ "x": 1 }),
            conversation_id: "c".into(),
        },
        ClientEvent::Metadata {
            metadata: json!({ "a": 1 }),
            client_msg_id: Some("m".into()),
            conversation_id: "c".into(),
            target: Some("live".into()),
        },
        ClientEvent::MetadataRequest {
            conversation_id: "c".into(),
        },
        ClientEvent::EditMessage {
            client_msg_id: Some("e".into()),
            conversation_id: "c".into(),
            message_id: "m".into(),
            content: json!("x"),
        },
        ClientEvent::DeleteConversation {
            conversation_id: "c".into(),
            soft: json!(false),
        },
        ClientEvent::GetUserConversations {
            user_id: Some(json!("u")),
        },
        ClientEvent::GetUserConversationsV2 {
            user_id: Some(json!("u")),
            filter: None,
            search: Some(json!({ "title": "a*" })),
            pagination: None,
            api_keys: None,
        },
        ClientEvent::DeleteUserConversations {
            user_id: json!("u"),
            soft: json!(true),
        },
        ClientEvent::ConversationTranscriptRequest {
            conversation_id: "c".into(),
        },
    ];
    for event in events {
        let frame = ClientFrame {
            event,
            socket_id: Some("s".into()),
        };
        assert_eq!(decode_client_frame(&frame.to_json()).unwrap(), frame);
    }
}

// ---------- content items ----------

#[test]
fn text_item_and_bare_strings() {
    assert_eq!(
        parse_content(&json!([{ "type": "text", "text": "a" }, "b", { "text": "c" }])),
        vec![
            ContentItem::Text("a".into()),
            ContentItem::Text("b".into()),
            ContentItem::Text("c".into()),
        ]
    );
    assert_eq!(
        parse_content(&json!("just text")),
        vec![ContentItem::Text("just text".into())]
    );
    assert_eq!(parse_content(&Value::Null), vec![]);
}

#[test]
fn buttons_with_options_list_or_single_object() {
    let list = ContentItem::parse(
        &json!({ "type": "buttons", "buttons": { "title": "Pick", "options": [{ "label": "A", "value": "a" }, { "label": "B", "value": 2 }] } }),
    );
    assert_eq!(
        list,
        ContentItem::Buttons(Buttons {
            title: Some("Pick".into()),
            options: vec![
                ButtonOption {
                    label: Some("A".into()),
                    value: Some(json!("a")),
                    url: None
                },
                ButtonOption {
                    label: Some("B".into()),
                    value: Some(json!(2)),
                    url: None
                },
            ],
            action: None
        })
    );
    let single = ContentItem::parse(
        &json!({ "type": "button", "buttons": { "title": "One", "options": { "label": "Only", "value": "o" } } }),
    );
    assert_eq!(
        single,
        ContentItem::Buttons(Buttons {
            title: Some("One".into()),
            options: vec![ButtonOption {
                label: Some("Only".into()),
                value: Some(json!("o")),
                url: None
            }],
            action: None
        })
    );
}

#[test]
fn a_button_shows_its_label_and_sends_its_value_as_text() {
    let options = |item: Value| match ContentItem::parse(&item) {
        ContentItem::Buttons(b) => b.options,
        other => panic!("not buttons: {other:?}"),
    };
    let texts: Vec<(String, String)> =
        options(json!({ "type": "buttons", "buttons": { "options": [
        { "label": "A", "value": "a" },
        { "label": "Two", "value": 2 },
        { "value": 2.5 },
        { "value": true },
        { "value": { "pick": [1, "x"] } },
        { "title": "No value" },
        { "url": "https://example.com/" },
        "plain",
        { "value": null },
        {}
    ] } }))
        .iter()
        // A string as it is, anything else as JSON text.
        .map(|o| o.texts(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .collect();
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        texts,
        vec![
            pair("A", "a"),
            pair("Two", "2"),
            pair("2.5", "2.5"),
            pair("true", "true"),
            pair(r#"{"pick":[1,"x"]}"#, r#"{"pick":[1,"x"]}"#),
            pair("No value", "No value"),
            pair("https://example.com/", "https://example.com/"),
            pair("plain", "plain"),
        ],
        "an option with neither label, value nor URL is dropped"
    );
}

#[test]
fn buttons_in_the_older_url_shape() {
    let item = ContentItem::parse(
        &json!({ "type": "buttons", "buttons": { "type": "url", "buttons": [{ "title": "Docs", "url": "https://example.com" }] } }),
    );
    assert_eq!(
        item,
        ContentItem::Buttons(Buttons {
            title: None,
            options: vec![ButtonOption {
                label: Some("Docs".into()),
                value: None,
                url: Some("https://example.com".into())
            }],
            action: None
        })
    );
}

#[test]
fn buttons_that_trigger_an_action() {
    let item = ContentItem::parse(
        &json!({ "type": "buttons", "buttons": { "title": "Talk to a human", "action": { "id": "escalateToHuman" } } }),
    );
    assert_eq!(
        item,
        ContentItem::Buttons(Buttons {
            title: Some("Talk to a human".into()),
            options: vec![],
            action: Some(json!({ "id": "escalateToHuman" }))
        })
    );
}

#[test]
fn cards_nested_flat_and_direct() {
    let card = Card {
        text: Some("T".into()),
        description: Some("D".into()),
        image_url: Some("https://i/1.png".into()),
        link: Some("https://l".into()),
    };
    let fields = json!({ "text": "T", "description": "D", "image_url": "https://i/1.png", "link": "https://l" });
    let nested = ContentItem::parse(
        &json!({ "type": "cards", "cards": { "type": "carousel", "cards": [fields] } }),
    );
    let flat = ContentItem::parse(&json!({ "type": "cards", "cards": [fields] }));
    let mut direct_item = fields.clone();
    direct_item["type"] = json!("cards");
    let direct = ContentItem::parse(&direct_item);
    for item in [nested, flat, direct] {
        assert_eq!(item, ContentItem::Cards(vec![card.clone()]));
    }
}

#[test]
fn html_and_md_as_string_or_object() {
    assert_eq!(
        ContentItem::parse(&json!({ "type": "html", "html": "<b>x</b>" })),
        ContentItem::Html("<b>x</b>".into())
    );
    assert_eq!(
        ContentItem::parse(
            &json!({ "type": "html", "html": { "type": "html", "html": "<i>y</i>" } })
        ),
        ContentItem::Html("<i>y</i>".into())
    );
    assert_eq!(
        ContentItem::parse(&json!({ "type": "md", "md": "# t" })),
        ContentItem::Markdown("# t".into())
    );
    assert_eq!(
        ContentItem::parse(&json!({ "type": "md", "md": { "type": "md", "md": "*e*" } })),
        ContentItem::Markdown("*e*".into())
    );
}

#[test]
fn table_is_an_html_string() {
    assert_eq!(
        ContentItem::parse(
            &json!({ "type": "table", "table": "<table><tr><td>1</td></tr></table>" })
        ),
        ContentItem::Table("<table><tr><td>1</td></tr></table>".into())
    );
}

#[test]
fn files_as_list_object_singular_and_livechat() {
    let list = ContentItem::parse(
        &json!({ "type": "files", "title": "Docs", "files": [{ "type": "image", "url": "https://f/a.png", "mimetype": "image/png", "filename": "a.png" }] }),
    );
    assert_eq!(
        list,
        ContentItem::Files {
            title: Some("Docs".into()),
            files: vec![FileRef {
                kind: Some("image".into()),
                url: Some("https://f/a.png".into()),
                mimetype: Some("image/png".into()),
                filename: Some("a.png".into()),
                size: None,
                thumbnail: None
            }]
        }
    );
    let obj = ContentItem::parse(
        &json!({ "type": "files", "files": { "type": "files", "files": [{ "type": "audio", "url": "u" }] } }),
    );
    assert!(
        matches!(obj, ContentItem::Files { ref files, .. } if files.len() == 1 && files[0].kind.as_deref() == Some("audio"))
    );
    let singular = ContentItem::parse(
        &json!({ "type": "file", "title": "Report", "files": [{ "mimetype": "application/pdf", "url": "u", "filename": "r.pdf", "size": 1024, "thumbnail": "t" }] }),
    );
    assert_eq!(
        singular,
        ContentItem::Files {
            title: Some("Report".into()),
            files: vec![FileRef {
                kind: None,
                url: Some("u".into()),
                mimetype: Some("application/pdf".into()),
                filename: Some("r.pdf".into()),
                size: Some(1024),
                thumbnail: Some("t".into())
            }]
        }
    );
    let livechat = ContentItem::parse(
        &json!({ "type": "files", "files": [{ "mimetype": "image", "url": "u", "filename": null }] }),
    );
    assert!(
        matches!(livechat, ContentItem::Files { ref files, .. } if files[0].filename.is_none() && files[0].mimetype.as_deref() == Some("image"))
    );
}

#[test]
fn pause_item() {
    assert_eq!(
        ContentItem::parse(&json!({ "type": "pause", "time": 1500 })),
        ContentItem::Pause { time_ms: 1500 }
    );
    assert_eq!(
        ContentItem::parse(&json!({ "type": "pause", "time": "x" })),
        ContentItem::Pause { time_ms: 0 }
    );
}

#[test]
fn unknown_types_keep_the_whole_item() {
    for raw in [
        json!({ "type": "custom", "anything": [1, 2] }),
        json!({ "type": "alert", "level": "warn" }),
        json!({ "type": "any" }),
        json!(5),
        json!({ "type": "html", "html": 7 }),
    ] {
        match ContentItem::parse(&raw) {
            ContentItem::Unknown { raw: kept, .. } => assert_eq!(kept, raw),
            ContentItem::Html(h) => assert_eq!(h, "7"),
            other => panic!("{raw} decoded as {other:?}"),
        }
    }
    assert_eq!(
        ContentItem::parse(&json!({ "type": "custom" })).kind(),
        "custom"
    );
}

// ---------- transcripts ----------

#[test]
fn transcript_entries_in_the_flat_shape() {
    let t = parse_transcript(&json!({ "transcript": [
        { "from": "user", "messages": [{ "type": "text", "text": "hi" }], "channelName": "web", "message_id": "m1" },
        { "from": "bot", "messages": { "idChat": "x", "messages": [{ "type": "md", "md": "**a**" }], "actions": [{ "id": "getLocation" }] }, "chatbotName": "Cap" },
        { "from": "livechat", "messages": ["from a person"], "livechatName": "Ann", "id": 7 },
        { "from": "chatbot", "content": { "text": "with file", "files": [{ "url": "u", "filename": "f.txt" }] } }
    ] }));
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].from, Sender::User);
    assert_eq!(t[0].message_id.as_deref(), Some("m1"));
    assert_eq!(t[1].content(), vec![ContentItem::Markdown("**a**".into())]);
    assert_eq!(t[1].actions(), vec!["getLocation".to_string()]);
    assert_eq!(t[1].chatbot_name.as_deref(), Some("Cap"));
    assert_eq!(t[2].from, Sender::Agent);
    assert_eq!(t[2].message_id.as_deref(), Some("7"));
    assert_eq!(t[3].from, Sender::Bot);
    assert_eq!(t[3].content().len(), 2);
}

#[test]
fn transcript_in_the_old_nested_shape_with_padded_from() {
    let t = parse_transcript(&json!([{ "event_id": "e", "messages": [
        { "actions": [{ "type": "normal", "title": "escalateToHuman" }], "files": [], "from": "agent ", "chatbotName": "", "channelName": "", "livechatName": "Bo", "messages": ["hello"] },
        { "from": "user", "messages": [{ "type": "text", "text": "yo" }] }
    ] }]));
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].from, Sender::Agent);
    assert_eq!(t[0].actions(), vec!["escalateToHuman".to_string()]);
    assert_eq!(t[0].content(), vec![ContentItem::Text("hello".into())]);
    assert_eq!(t[1].from, Sender::User);
}

#[test]
fn transcript_entry_with_only_top_level_files() {
    let t = parse_transcript(
        &json!([{ "from": "user", "text": "see file", "files": [{ "filename": "a.txt", "url": "u", "storage": { "fileKey": "k", "expiresIn": 1 } }] }]),
    );
    assert_eq!(t[0].content().len(), 2);
    assert_eq!(t[0].content()[0], ContentItem::Text("see file".into()));
    assert_eq!(
        t[0].to_value()["files"][0]["storage"]["fileKey"],
        json!("k")
    );
}

#[test]
fn transcript_ignores_what_is_not_an_entry() {
    assert!(parse_transcript(&json!([1, "x", null])).is_empty());
    assert!(parse_transcript(&json!("nope")).is_empty());
    assert_eq!(
        parse_transcript(&json!([{ "from": 3 }]))[0].from,
        Sender::Other("3".into())
    );
}

// ---------- routing heads ----------

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

// ---------- never panic ----------

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        // Binary fractions: serde_json's default float parser is not bit-exact for every f64.
        any::<i32>().prop_map(|n| json!(f64::from(n) / 8.0)),
        prop_oneof![
            Just("text".to_string()),
            Just("buttons".to_string()),
            Just("cards".to_string()),
            Just("files".to_string()),
            Just("event_type".to_string()),
            Just("event_payload".to_string()),
            Just("bot_message".to_string()),
            Just("conversation_update".to_string()),
            Just("general_error".to_string()),
            Just("from".to_string()),
            ".*"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("type".to_string()),
            Just("event".to_string()),
            Just("event_type".to_string()),
            Just("event_payload".to_string()),
            Just("content".to_string()),
            Just("buttons".to_string()),
            Just("options".to_string()),
            Just("cards".to_string()),
            Just("files".to_string()),
            Just("messages".to_string()),
            Just("transcript".to_string()),
            Just("actions".to_string()),
            Just("html".to_string()),
            Just("md".to_string()),
            Just("from".to_string()),
            Just("conversation_id".to_string()),
            "[a-z_]{1,12}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = decode_server_frame(&text);
        let _ = decode_client_frame(&text);
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json(), event_type in prop_oneof![
        Just("socket_connected"), Just("conversation_start_success"), Just("bot_message"), Just("livechat_message"),
        Just("action"), Just("conversation_update"), Just("general_error"), Just("conversation_transcript"),
        Just("message_edited_success"), Just("conversation_start"), Just("user_message"), Just("metadata"),
        Just("metadata_request"), Just("edit_message"), Just("delete_conversation"), Just("get_user_conversations"),
        Just("get_user_conversations_v2"), Just("delete_user_conversations"), Just("conversation_transcript_request"), Just("other")
    ]) {
        let _ = ServerFrame::from_value(&v);
        let _ = ClientFrame::from_value(&v);
        let wrapped = json!({ "event": { "event_type": event_type, "event_payload": v.clone() } });
        if let Ok(frame) = ServerFrame::from_value(&wrapped) {
            let _ = frame.event.content_items();
            let _ = frame.to_json();
        }
        if let Ok(frame) = ClientFrame::from_value(&wrapped) {
            let _ = frame.to_json();
        }
        let _ = parse_content(&v);
        let _ = parse_transcript(&v);
    }

    #[test]
    fn routing_heads_agree_with_the_decoder(v in arb_json(), event_type in prop_oneof![
        Just("socket_connected"), Just("conversation_start_success"), Just("bot_message"), Just("livechat_message"),
        Just("action"), Just("conversation_update"), Just("general_error"), Just("conversation_transcript"),
        Just("message_edited_success"), Just("other")
    ], bare in any::<bool>()) {
        prop_assert_eq!(head_agrees(&v), Ok(()));
        let frame = if bare {
            json!({ "event_type": event_type, "event_payload": v })
        } else {
            json!({ "event": { "event_type": event_type, "event_payload": v } })
        };
        prop_assert_eq!(head_agrees(&frame), Ok(()));
    }

    #[test]
    fn decoded_server_frames_reencode_to_the_same_event(v in arb_json(), event_type in prop_oneof![
        Just("bot_message"), Just("livechat_message"), Just("general_error"), Just("conversation_update"), Just("other")
    ]) {
        let wrapped = json!({ "event": { "event_type": event_type, "event_payload": v } });
        if let Ok(frame) = ServerFrame::from_value(&wrapped) {
            let again = ServerFrame::new(frame.event.clone(), None);
            let back = decode_server_frame(&again.to_json()).map(|f| f.event);
            prop_assert_eq!(back, Ok(frame.event));
        }
    }
}

#[test]
fn user_ids_and_flags_go_out_as_the_page_gave_them() {
    // 7.0.0 passes them on unchanged: a number stays a number, `undefined` is left out.
    let start = ClientEvent::ConversationStart {
        user_id: Some(json!(42)),
        user_basic_info: json!({}),
        metadata: json!({}),
    };
    assert_eq!(start.payload()["userId"], json!(42));
    let list: ClientEvent = ClientEvent::GetUserConversations { user_id: None };
    assert_eq!(list.payload(), json!({}));
    let delete = ClientEvent::DeleteUserConversations {
        user_id: json!("u"),
        soft: json!(0),
    };
    assert_eq!(delete.payload(), json!({ "userId": "u", "softdelete": 0 }));
    // A server keys them leniently and reads flags as JavaScript does.
    assert_eq!(user_key(Some(&json!(42))), Some("42".to_owned()));
    assert_eq!(user_key(Some(&json!("u"))), Some("u".to_owned()));
    assert_eq!(user_key(Some(&json!(null))), None);
    assert_eq!(user_key(Some(&json!({ "id": 1 }))), None);
    assert_eq!(user_key(None), None);
    for (value, soft) in [
        (json!(true), true),
        (json!(false), false),
        (json!(0), false),
        (json!(1), true),
        (json!(null), false),
        (json!(""), false),
        (json!("false"), false),
        (json!("yes"), true),
        (json!({}), true),
    ] {
        assert_eq!(flag(&value), soft, "{value}");
    }
    // Decoded as sent; a missing flag is the default, true.
    let back = client(
        json!({ "event": { "event_type": "delete_user_conversations", "event_payload": { "userId": 7 } } }),
    );
    assert_eq!(
        back.event,
        ClientEvent::DeleteUserConversations {
            user_id: json!(7),
            soft: json!(true)
        }
    );
}

#[test]
fn a_413_links_its_large_message_also_when_nested_in_a_conversation_update() {
    let link = |v: Value| {
        FrameHead::read(&&v)
            .ok()
            .and_then(|h| h.large_message_link())
    };
    let at = Some("http://x/m/1".to_owned());
    assert_eq!(
        link(wrapped(
            "general_error",
            json!({ "conversation_id": "c", "error_code": 413, "message_link": "http://x/m/1" })
        )),
        at
    );
    assert_eq!(
        link(wrapped(
            "conversation_update",
            json!({ "event_type": "general_error", "event_payload":
                { "conversation_id": "c", "error_code": "413", "message_link": "http://x/m/1" } })
        )),
        at
    );
    // Not a 413, or no link: an error to show, nothing to fetch.
    for payload in [
        json!({ "error_code": 500, "message_link": "http://x/m/1" }),
        json!({ "error_code": 413 }),
        json!({ "error_code": 413, "message_link": null }),
    ] {
        assert_eq!(
            link(wrapped("general_error", payload.clone())),
            None,
            "{payload}"
        );
    }
    assert_eq!(
        link(wrapped(
            "bot_message",
            json!({ "conversation_id": "c", "error_code": 413, "message_link": "http://x/m/1" })
        )),
        None
    );
}

#[test]
fn numbers_and_senders_sent_as_text_are_read_with_json_whitespace_around_them() {
    // JSON's whitespace (space, tab, line feed, carriage return) around the text is
    // ignored; other characters (a no-break space) make it no number and another sender.
    let code = |c: Value| error_code(&&json!({ "error_code": c }));
    assert_eq!(code(json!(" 413\t\r\n")), Some(413));
    assert_eq!(code(json!("413")), Some(413));
    assert_eq!(code(json!("\u{a0}413")), None);
    assert_eq!(code(json!("4 13")), None);
    assert_eq!(Sender::parse("\tAgent \n"), Sender::Agent);
    assert_eq!(
        Sender::parse("\u{a0}bot"),
        Sender::Other("\u{a0}bot".to_owned())
    );
}

#[test]
fn an_answer_carries_its_event_payload_or_is_the_payload_itself() {
    use super::json::answer_payload;
    let wrapped = json!({ "event": { "event_payload": { "conversations": [1] } }, "status": "ok" });
    assert_eq!(answer_payload(&wrapped), &json!({ "conversations": [1] }));
    // 7.0.0's `e?.event?.event_payload || e`: a null or missing payload leaves the body.
    let null = json!({ "event": { "event_payload": null }, "conversations": [2] });
    assert_eq!(answer_payload(&null), &null);
    let bare = json!({ "conversations": [3] });
    assert_eq!(answer_payload(&bare), &bare);
    let odd = json!({ "event": "text" });
    assert_eq!(answer_payload(&odd), &odd);
    assert_eq!(answer_payload(&json!(null)), &json!(null));
}
