//! The server's channel over real loopback sockets: the socket, starting conversations,
//! messages (retried ones answered once), actions and the hand-off, every content type,
//! large messages, bad input, client events over the socket. Conversations' metadata,
//! edits, deletes, lists and transcripts: conversations.rs; files: files.rs; faults, access
//! and limits: faults.rs.

mod common;

use captivate_chat::protocol::{ClientEvent, ContentItem, ServerEvent};
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn socket_says_socket_connected_first_with_a_fresh_id() {
    let server = start(config()).await;
    let a = server.client(KEY).await;
    let b = server.client(KEY).await;
    assert!(!a.socket_id.is_empty());
    assert_ne!(a.socket_id, b.socket_id);
}

#[tokio::test]
async fn socket_accepts_lowercase_apikey_and_refuses_missing_or_wrong_keys() {
    let server = start(config()).await;
    let ok = tokio_tungstenite::connect_async(server.ws_url(&format!("apikey={KEY}"))).await;
    assert!(ok.is_ok());
    for (query, status) in [("", 401), ("apiKey=", 401), ("apiKey=nope", 403)] {
        match tokio_tungstenite::connect_async(server.ws_url(query)).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
                assert_eq!(resp.status().as_u16(), status, "{query}")
            }
            other => panic!(
                "{query}: expected HTTP {status}, got {:?}",
                other.map(|_| ())
            ),
        }
    }
}

#[tokio::test]
async fn conversation_start_answers_on_the_socket_and_bot_first_greets() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("user-1").await;
    let (status, answer) = c.say(&id, "").await;
    assert_eq!(status, 200);
    assert_eq!(answer["status"], "success");
    assert!(answer["message_id"].is_string());
    let greeting = c.next_of("bot_message").await;
    assert_eq!(greeting.event.conversation_id(), Some(id.as_str()));
    assert!(
        matches!(&greeting.event.content_items()[0], ContentItem::Text(t) if t.contains("demo bot"))
    );
}

#[tokio::test]
async fn conversation_start_without_user_id_belongs_to_anon() {
    let server = start(config()).await;
    let c = server.client(KEY).await;
    let (status, answer) = c
        .send(ClientEvent::ConversationStart {
            user_id: None,
            user_basic_info: json!({}),
            metadata: json!({}),
        })
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["userId"], "anon");
    let (_, list) = c
        .send(ClientEvent::GetUserConversations {
            user_id: Some(json!("anon")),
        })
        .await;
    assert_eq!(
        list["conversations"][0]["conversation_id"],
        answer["conversation_id"]
    );
}

#[tokio::test]
async fn a_retried_message_is_stored_and_answered_once() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    let send = |text: &str| ClientEvent::UserMessage {
        client_msg_id: Some("unique-message-id-1700000000000".into()),
        conversation_id: id.clone(),
        content: ClientEvent::text_content(text),
    };
    let (_, first) = c.send(send("text")).await;
    let (_, retry) = c.send(send("text")).await;
    assert_eq!(first["message_id"], retry["message_id"]);
    assert_eq!(retry["duplicate"], true);
    c.next_of("bot_message").await;
    // Same id, other content: 7.0.0's Date.now() ids collide, so this is a new message.
    let (_, other) = c.send(send("cards")).await;
    assert_ne!(other["message_id"], first["message_id"]);
    let reply = c.next_of("bot_message").await;
    assert!(
        matches!(reply.event.content_items()[0], ContentItem::Cards(_)),
        "the retry got no second answer"
    );
    let (_, t) = server
        .get(&format!("/api/transcript?conversation_id={id}"), Some(KEY))
        .await;
    let users = t["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == "user")
        .count();
    let bots = t["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == "bot")
        .count();
    assert_eq!((users, bots), (2, 2));
}

#[tokio::test]
async fn actions_in_both_directions_and_human_handoff() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    c.say(&id, "action").await;
    let action = c.next_of("action").await;
    assert!(
        matches!(&action.event, ServerEvent::Action { actions, .. } if actions[0].id == "getLocation")
    );

    let (status, _) = c
        .send(ClientEvent::Action {
            id: "escalateToHuman".into(),
            data: json!({}),
            conversation_id: id.clone(),
        })
        .await;
    assert_eq!(status, 200);
    let update = c.next_of("conversation_update").await;
    assert!(
        matches!(&update.event, ServerEvent::ConversationUpdate(u) if u.kind == "livechatAgentConnected")
    );
    let agent = c.next_of("livechat_message").await;
    assert_eq!(agent.event.conversation_id(), Some(id.as_str()));
    c.say(&id, "bye").await;
    let left = c.next_of("conversation_update").await;
    assert!(
        matches!(&left.event, ServerEvent::ConversationUpdate(u) if u.kind == "livechatAgentDisconnected")
    );
    let (_, t) = server
        .get(&format!("/api/transcript?conversation_id={id}"), Some(KEY))
        .await;
    assert!(t["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["from"] == "livechat" && e["livechatName"] == "Alex"));
}

#[tokio::test]
async fn large_messages_arrive_as_413_with_a_link_that_needs_the_key() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    c.say(&id, "large").await;
    let err = c.next_of("general_error").await;
    let ServerEvent::GeneralError(e) = err.event else {
        unreachable!()
    };
    assert_eq!(e.error_code, Some(413));
    let link = e.message_link.expect("message_link");
    let path = link
        .strip_prefix(&server.base)
        .expect("link to this server");
    let (status, body) = server.get(path, Some(KEY)).await;
    assert_eq!(status, 200);
    assert!(body["botMessage"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .contains("too large"));
    assert_eq!(server.get(path, Some(OTHER_KEY)).await.0, 404);
    assert_eq!(server.get(path, None).await.0, 401);
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_a_general_error_on_the_socket() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let raw = |body: &'static str, key: Option<&'static str>| {
        let base = server.base.clone();
        async move {
            let mut req = reqwest::Client::new()
                .post(format!("{base}/api/custom-channel/sockets/message"))
                .body(body);
            if let Some(k) = key {
                req = req.header("x-api-key", k);
            }
            let resp = req.send().await.unwrap();
            (
                resp.status().as_u16(),
                resp.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (s, b) = raw("{not json", Some(KEY)).await;
    assert_eq!(s, 400);
    assert!(b["error"]
        .as_str()
        .unwrap()
        .starts_with("Body is not valid JSON"));
    let (s, b) = raw(r#"{"action":"sendMessage","event":{}}"#, Some(KEY)).await;
    assert_eq!(
        (s, b["error"].as_str().unwrap().contains("no event_type")),
        (400, true)
    );
    let (s, b) = raw(
        r#"{"event":{"event_type":"teleport","event_payload":{}}}"#,
        Some(KEY),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("Unknown event_type: teleport"))
    );
    let (s, b) = raw(
        r#"{"event":{"event_type":"user_message","event_payload":{"content":"x"}}}"#,
        Some(KEY),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (
            400,
            Some("invalid `user_message` payload: missing `conversation_id`")
        )
    );
    assert_eq!(raw("{}", None).await.0, 401);
    assert_eq!(raw("{}", Some("stolen")).await.0, 403);

    let (s, _) = c.say("no-such-conversation", "hello").await;
    assert_eq!(s, 404);
    let err = c.next_of("general_error").await;
    assert!(matches!(err.event, ServerEvent::GeneralError(ref e) if e.error_code == Some(404)));

    let mut other = server.client(OTHER_KEY).await;
    let theirs = other.start("u").await;
    assert_eq!(
        c.say(&theirs, "peek").await.0,
        404,
        "another key's conversation is invisible"
    );

    let big = format!(
        r#"{{"event":{{"event_type":"user_message","event_payload":{{"conversation_id":"c","content":"{}"}}}}}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/api/custom-channel/sockets/message",
            server.base
        ))
        .header("x-api-key", KEY)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 413);
}

#[tokio::test]
async fn client_events_over_the_socket_itself() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let start = json!({ "action": "sendMessage", "event": { "event_type": "conversation_start", "event_payload": { "userId": "ws-user" } } });
    c.send_ws(start.to_string()).await;
    let ServerEvent::ConversationStartSuccess {
        conversation_id: id,
    } = c.next_of("conversation_start_success").await.event
    else {
        unreachable!()
    };
    let msg = json!({ "action": "sendMessage", "event": { "event_type": "user_message", "event_payload": { "type": "message_create", "conversation_id": id, "content": { "type": "text", "text": "help" } } } });
    c.send_ws(msg.to_string()).await;
    let reply = c.next_of("bot_message").await;
    assert!(matches!(
        reply.event.content_items()[0],
        ContentItem::Markdown(_)
    ));
    c.send_ws(json!({ "event_type": "conversation_transcript_request", "event_payload": { "conversation_id": id } }).to_string()).await;
    let t = c.next_of("conversation_transcript").await;
    assert!(
        matches!(t.event, ServerEvent::ConversationTranscript { ref transcript, .. } if transcript.len() == 2)
    );
    c.send_ws("this is not json".into()).await;
    let err = c.next_of("general_error").await;
    assert!(
        matches!(err.event, ServerEvent::GeneralError(ref e) if e.error_code == Some(400) && e.error_desc.as_deref().unwrap_or("").contains("not valid JSON"))
    );
    c.send_ws(json!({ "event_type": "user_message", "event_payload": { "conversation_id": "gone", "content": "x" } }).to_string()).await;
    let err = c.next_of("general_error").await;
    assert!(matches!(err.event, ServerEvent::GeneralError(ref e) if e.error_code == Some(404)));
}

#[tokio::test]
async fn every_content_type_reaches_the_client() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    for (command, kind) in [
        ("text", "text"),
        ("buttons", "buttons"),
        ("links", "buttons"),
        ("cards", "cards"),
        ("markdown", "md"),
        ("html", "html"),
        ("table", "table"),
        ("image", "files"),
        ("audio", "files"),
        ("file", "files"),
        ("custom", "custom"),
    ] {
        c.say(&id, command).await;
        let items = c.next_of("bot_message").await.event.content_items();
        assert_eq!(items[0].kind(), kind, "{command}");
    }
}
