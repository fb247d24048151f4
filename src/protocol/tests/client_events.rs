//! Client → server events as 7.0.0 sends them: starts, messages, actions, metadata, deletes, conversation lists, round trips.

use serde_json::{json, Value};

use super::*;

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
