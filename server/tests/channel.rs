//! The server over real loopback sockets: every endpoint and event type, bad input,
//! idempotent retries, persistence across a restart, and fault injection.

mod common;

use captivate_chat::protocol::{ClientEvent, ClientFrame, ContentItem, ServerEvent};
use common::*;
use futures_util::SinkExt;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

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
async fn metadata_set_get_private_and_time_to_live() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    let meta = |m: Value| ClientEvent::Metadata {
        metadata: m,
        client_msg_id: Some("metadata-1".into()),
        conversation_id: id.clone(),
        target: None,
    };
    assert_eq!(c.send(meta(json!({ "plan": "pro" }))).await.0, 200);
    assert_eq!(
        c.send(meta(json!({ "private": { "secret": 1 } }))).await.0,
        200
    );
    assert_eq!(c.send(meta(json!({ "timeToLive": 30 }))).await.0, 200);
    let (status, bad) = c.send(meta(json!({ "timeToLive": 5 }))).await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (400, Some("timeToLive must be one of 1, 7, 30, 90"))
    );
    let (_, got) = c
        .send(ClientEvent::MetadataRequest {
            conversation_id: id.clone(),
        })
        .await;
    assert_eq!(
        got["metadata"],
        json!({ "plan": "pro", "timeToLive": 30 }),
        "private metadata stays private"
    );
    let stored = server.state.store.conversation(&id).unwrap().unwrap();
    assert_eq!(stored.private_metadata, json!({ "secret": 1 }));
    let (status, _) = c.send(meta(json!("not an object"))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn edit_message_updates_the_transcript_and_confirms_on_the_socket() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    let (_, sent) = c.say(&id, "first words").await;
    let message_id = sent["message_id"].as_str().unwrap().to_owned();
    let (status, _) = c
        .send(ClientEvent::EditMessage {
            client_msg_id: Some("edit-message-id-1".into()),
            conversation_id: id.clone(),
            message_id: message_id.clone(),
            content: ClientEvent::text_content("better words"),
        })
        .await;
    assert_eq!(status, 200);
    let confirm = c.next_of("message_edited_success").await;
    assert!(
        matches!(confirm.event, ServerEvent::MessageEditedSuccess { message_id: Some(ref m), .. } if *m == message_id)
    );
    let (_, t) = server
        .get(&format!("/api/transcript?conversation_id={id}"), Some(KEY))
        .await;
    assert_eq!(t["transcript"][0]["messages"][0]["text"], "better words");
    let (status, _) = c
        .send(ClientEvent::EditMessage {
            client_msg_id: None,
            conversation_id: id.clone(),
            message_id: "nope".into(),
            content: json!("x"),
        })
        .await;
    assert_eq!(status, 404);
    // The bot's words are not the visitor's to rewrite.
    let bot_reply = c.next_of("bot_message").await;
    let ServerEvent::BotMessage {
        ch_msg_id: Some(bot_id),
        ..
    } = bot_reply.event
    else {
        panic!("a bot message with its id")
    };
    let (status, body) = c
        .send(ClientEvent::EditMessage {
            client_msg_id: None,
            conversation_id: id.clone(),
            message_id: bot_id,
            content: json!("the bot said I win"),
        })
        .await;
    assert_eq!(status, 403, "{body}");
}

#[tokio::test]
async fn soft_delete_hides_and_hard_delete_removes() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let soft = c.start("u").await;
    let hard = c.start("u").await;
    assert_eq!(
        c.send(ClientEvent::DeleteConversation {
            conversation_id: soft.clone(),
            soft: json!(true)
        })
        .await
        .0,
        200
    );
    assert_eq!(
        c.send(ClientEvent::DeleteConversation {
            conversation_id: hard.clone(),
            soft: json!(false)
        })
        .await
        .0,
        200
    );
    let (_, list) = c
        .send(ClientEvent::GetUserConversations {
            user_id: Some(json!("u")),
        })
        .await;
    assert_eq!(list["conversations"], json!([]));
    assert_eq!(
        server
            .get(
                &format!("/api/transcript?conversation_id={soft}"),
                Some(KEY)
            )
            .await
            .0,
        404
    );
    assert_eq!(c.say(&hard, "anyone?").await.0, 404);
    // Hidden, not gone: still on disk after a soft delete.
    assert_eq!(
        server.state.store.messages(&soft).map(|m| m.len()).ok(),
        Some(0)
    );
}

#[tokio::test]
async fn user_conversations_v1_v2_filter_search_pagination_and_api_keys() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let mut other = server.client(OTHER_KEY).await;
    for (i, title) in ["Order shipped", "Order delayed", "Billing question"]
        .iter()
        .enumerate()
    {
        let id = c.start("alice").await;
        let meta = ClientEvent::Metadata {
            metadata: json!({ "title": title, "n": i }),
            client_msg_id: None,
            conversation_id: id,
            target: None,
        };
        c.send(meta).await;
    }
    other.start("alice").await;
    c.start("bob").await;

    let (_, v1) = c
        .send(ClientEvent::GetUserConversations {
            user_id: Some(json!("alice")),
        })
        .await;
    assert_eq!(v1["conversations"].as_array().unwrap().len(), 3);
    assert!(v1.get("pagination").is_none());

    let v2 = |filter: Option<Value>,
              search: Option<Value>,
              pagination: Option<Value>,
              api_keys: Option<Vec<String>>| {
        ClientEvent::GetUserConversationsV2 {
            user_id: Some(json!("alice")),
            filter,
            search,
            pagination,
            api_keys,
        }
    };
    let (_, f) = c.send(v2(Some(json!({ "n": 1 })), None, None, None)).await;
    assert_eq!(f["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(f["conversations"][0]["metadata"]["title"], "Order delayed");
    let (_, s) = c
        .send(v2(None, Some(json!({ "title": "order*" })), None, None))
        .await;
    assert_eq!(s["conversations"].as_array().unwrap().len(), 2);
    let (_, p) = c
        .send(v2(
            None,
            None,
            Some(json!({ "page": "2", "limit": 2 })),
            None,
        ))
        .await;
    assert_eq!(p["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(
        p["pagination"],
        json!({ "hasNextPage": false, "hasPrevPage": true, "page": 2, "pageSize": 2, "total": 3, "totalPages": 2 })
    );
    let (_, k) = c
        .send(v2(
            None,
            None,
            None,
            Some(vec![KEY.into(), OTHER_KEY.into()]),
        ))
        .await;
    assert_eq!(k["conversations"].as_array().unwrap().len(), 4);
    assert!(k["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["apiKey"] == OTHER_KEY));
    let (status, _) = c
        .send(v2(None, None, None, Some(vec!["bogus".into()])))
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn delete_user_conversations_soft_and_hard() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    c.start("carol").await;
    c.start("carol").await;
    let (_, answer) = c
        .send(ClientEvent::DeleteUserConversations {
            user_id: json!("carol"),
            soft: json!(true),
        })
        .await;
    assert_eq!(answer["deleted"], 2);
    let (_, list) = c
        .send(ClientEvent::GetUserConversations {
            user_id: Some(json!("carol")),
        })
        .await;
    assert_eq!(list["conversations"], json!([]));
    c.start("carol").await;
    let (_, answer) = c
        .send(ClientEvent::DeleteUserConversations {
            user_id: json!("carol"),
            soft: json!(false),
        })
        .await;
    assert_eq!(
        answer["deleted"], 3,
        "hard delete also removes the soft-deleted ones"
    );
}

#[tokio::test]
async fn transcript_has_every_message_in_order_and_rejects_bad_requests() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    c.say(&id, "markdown").await;
    c.next_of("bot_message").await;
    let (status, t) = server
        .get(&format!("/api/transcript?conversation_id={id}"), Some(KEY))
        .await;
    assert_eq!(status, 200);
    let entries = captivate_chat::protocol::parse_transcript(&t);
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].content(),
        vec![ContentItem::Text("markdown".into())]
    );
    assert!(matches!(entries[1].content()[0], ContentItem::Markdown(_)));
    assert_eq!(server.get("/api/transcript", Some(KEY)).await.0, 400);
    assert_eq!(
        server
            .get("/api/transcript?conversation_id=missing", Some(KEY))
            .await
            .0,
        404
    );
    assert_eq!(
        server
            .get(&format!("/api/transcript?conversation_id={id}"), None)
            .await
            .0,
        401
    );
    assert_eq!(
        server
            .get(
                &format!("/api/transcript?conversation_id={id}"),
                Some(OTHER_KEY)
            )
            .await
            .0,
        404
    );
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
async fn conversations_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chat.db");
    let cfg = || captivate_server::Config {
        database: captivate_server::Database::File(db.clone()),
        ..config()
    };
    let id;
    {
        let server = start(cfg()).await;
        let mut c = server.client(KEY).await;
        id = c.start("dora").await;
        c.send(ClientEvent::Metadata {
            metadata: json!({ "k": "v" }),
            client_msg_id: None,
            conversation_id: id.clone(),
            target: None,
        })
        .await;
        c.say(&id, "text").await;
        c.next_of("bot_message").await;
    }
    let server = start(cfg()).await;
    let mut c = server.client(KEY).await;
    let (_, t) = server
        .get(&format!("/api/transcript?conversation_id={id}"), Some(KEY))
        .await;
    assert_eq!(t["transcript"].as_array().unwrap().len(), 2);
    let (_, m) = c
        .send(ClientEvent::MetadataRequest {
            conversation_id: id.clone(),
        })
        .await;
    assert_eq!(m["metadata"]["k"], "v");
    let (_, list) = c
        .send(ClientEvent::GetUserConversations {
            user_id: Some(json!("dora")),
        })
        .await;
    assert_eq!(list["conversations"][0]["conversation_id"], json!(id));
    // The conversation keeps working on the new socket.
    c.say(&id, "buttons").await;
    assert!(matches!(
        c.next_of("bot_message").await.event.content_items()[0],
        ContentItem::Buttons(_)
    ));
}

#[tokio::test]
async fn file_service_extracts_text_stores_files_and_issues_links() {
    let server = start(config()).await;
    let body = upload(&server, &format!("{KEY}/conv-1"), "note.txt", Some("7")).await;
    assert_eq!(body["success"], true);
    assert_eq!(body["text"], "hello from a file");
    assert_eq!(body["fileSize"], 17);
    assert!(body["fileKey"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{KEY}/conv-1/")));
    assert!(
        body["expiresIn"].as_i64().unwrap() > 1_700_000_000,
        "expiresIn is an epoch time, as getTranscript() expects"
    );
    let url = body["presignedUrl"].as_str().unwrap();
    let file = reqwest::get(url).await.unwrap();
    assert_eq!(file.headers()["content-type"], "text/plain");
    assert_eq!(file.text().await.unwrap(), "hello from a file");

    let (status, fresh) = new_link(&server, &body).await;
    assert_eq!((status, fresh["success"].clone()), (200, json!(true)));
    assert_ne!(fresh["presignedUrl"], body["presignedUrl"]);
    let (status, missing) = server
        .post(
            "/api/presigned-url",
            None,
            json!({ "fileKey": format!("{KEY}/nope"), "expiresIn": 60 }),
        )
        .await;
    assert_eq!(
        (status, missing["error"].as_str()),
        (404, Some("File not found"))
    );

    let binary = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![0u8, 159, 146, 150]).file_name("x.bin"),
        )
        .text("storage", "false")
        .text("path", format!("{KEY}/conv-1"));
    let body: Value = post_form(&server, binary).await.json().await.unwrap();
    assert_eq!(
        (body["success"].clone(), body["text"].clone()),
        (json!(true), json!(""))
    );
    assert!(body.get("fileKey").is_none());

    let empty = reqwest::multipart::Form::new().text("storage", "true");
    let resp = post_form(&server, empty).await;
    assert_eq!(resp.status().as_u16(), 400);
    let bad_ttl = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt"),
        )
        .text("ttlDays", "3");
    let resp = post_form(&server, bad_ttl).await;
    assert_eq!(resp.status().as_u16(), 400);
    assert_eq!(
        reqwest::get(format!("{}/files/not-a-token", server.base))
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn demo_assets_are_served_by_the_server_itself() {
    let server = start(config()).await;
    let img = reqwest::get(format!("{}/assets/demo-image.svg", server.base))
        .await
        .unwrap();
    assert_eq!(img.headers()["content-type"], "image/svg+xml");
    let wav = reqwest::get(format!("{}/assets/demo-tone.wav", server.base))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(&wav[8..12], b"WAVE");
    assert_eq!(
        reqwest::get(format!("{}/assets/nope", server.base))
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
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

// ---------- fault injection ----------

#[tokio::test]
async fn dropping_sockets_cuts_them_and_conversations_resume_on_a_new_one() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    assert_eq!(server.fault("drop-sockets", json!({})).await["dropped"], 1);
    assert_eq!(c.next_text().await, None, "the socket was cut");
    let c2 = server.client(KEY).await;
    let mut c2 = c2;
    c2.say(&id, "text").await;
    assert_eq!(
        c2.next_of("bot_message").await.event.conversation_id(),
        Some(id.as_str())
    );
}

#[tokio::test]
async fn injected_http_failures_and_downtime() {
    let server = start(config()).await;
    let c = server.client(KEY).await;
    server
        .fault("http", json!({ "fail": 2, "status": 502 }))
        .await;
    let probe = || {
        c.send(ClientEvent::GetUserConversations {
            user_id: Some(json!("u")),
        })
    };
    assert_eq!(probe().await.0, 502);
    assert_eq!(probe().await.0, 502);
    assert_eq!(probe().await.0, 200);
    server.fault("down", json!({ "ms": 300 })).await;
    assert_eq!(probe().await.0, 503);
    assert!(
        tokio_tungstenite::connect_async(server.ws_url(&format!("apiKey={KEY}")))
            .await
            .is_err()
    );
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    assert_eq!(probe().await.0, 200);
}

#[tokio::test]
async fn injected_frames_bursts_pushes_and_large_links() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    server
        .fault(
            "frames",
            json!({ "kind": "malformed", "conversation_id": id }),
        )
        .await;
    assert!(captivate_chat::protocol::decode_server_frame(&c.next_text().await.unwrap()).is_err());
    server
        .fault(
            "frames",
            json!({ "kind": "unknown", "conversation_id": id }),
        )
        .await;
    assert!(matches!(c.next().await.event, ServerEvent::Unknown { .. }));
    server
        .fault("frames", json!({ "kind": "wrong-types" }))
        .await;
    assert!(captivate_chat::protocol::decode_server_frame(&c.next_text().await.unwrap()).is_err());
    server
        .fault("frames", json!({ "kind": "no-conversation" }))
        .await;
    assert_eq!(c.next().await.event.conversation_id(), None);
    // A frame exactly as given; none without a text.
    server
        .fault(
            "frames",
            json!({ "kind": "raw", "conversation_id": id, "text": "{\"odd\": [1]}" }),
        )
        .await;
    assert_eq!(c.next_text().await.unwrap(), "{\"odd\": [1]}");
    let (status, _) = server
        .post("/__faults/frames", None, json!({ "kind": "raw" }))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        server
            .fault("burst", json!({ "conversation_id": id, "count": 200 }))
            .await["sent"],
        200
    );
    for i in 1..=200 {
        let f = c.next_of("bot_message").await;
        assert!(
            matches!(&f.event.content_items()[0], ContentItem::Text(t) if *t == format!("Burst message {i} of 200"))
        );
    }
    server.fault("push", json!({ "conversation_id": id, "content": [{ "type": "html", "html": "<img src=x onerror=alert(1)>" }] })).await;
    assert!(
        matches!(&c.next_of("bot_message").await.event.content_items()[0], ContentItem::Html(h) if h.contains("onerror"))
    );
    server.fault("push", json!({ "conversation_id": id, "event_type": "livechat_message", "payload": { "conversation_id": id, "content": [] } })).await;
    assert_eq!(c.next().await.event.event_type(), "livechat_message");
    server
        .fault("large", json!({ "conversation_id": id }))
        .await;
    assert!(
        matches!(c.next_of("general_error").await.event, ServerEvent::GeneralError(ref e) if e.error_code == Some(413))
    );
}

#[tokio::test]
async fn fault_endpoints_are_off_by_default() {
    let server = start(captivate_server::Config {
        faults: false,
        ..config()
    })
    .await;
    assert_eq!(
        server
            .post("/__faults/drop-sockets", None, json!({}))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_client_close_gets_a_clean_close_reply() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
    use tokio_tungstenite::tungstenite::Message;
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    c.ws.send(Message::Close(Some(CloseFrame {
        code: CloseCode::Normal,
        reason: "bye".into(),
    })))
    .await
    .unwrap();
    let reply = tokio::time::timeout(std::time::Duration::from_secs(5), c.ws.next())
        .await
        .expect("a reply");
    assert!(matches!(reply, Some(Ok(Message::Close(_)))), "{reply:?}");
}

#[tokio::test]
async fn closing_sockets_from_the_server_sends_the_code() {
    use tokio_tungstenite::tungstenite::Message;
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    assert_eq!(
        server.fault("close-sockets", json!({ "code": 1000 })).await["closed"],
        1
    );
    let msg = futures_util::StreamExt::next(&mut c.ws).await;
    assert!(
        matches!(msg, Some(Ok(Message::Close(Some(ref f)))) if u16::from(f.code) == 1000),
        "{msg:?}"
    );
}

#[tokio::test]
async fn links_are_built_on_the_server_origin_and_a_forged_host_is_refused() {
    // Bound address by default.
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    // A page of another name (DNS rebinding, or a forged Host for the links) gets nothing.
    let forged = answer(
        reqwest::Client::new()
            .post(format!(
                "{}/api/custom-channel/sockets/message",
                server.base
            ))
            .header("host", "evil.example")
            .json(
                &ClientFrame {
                    event: ClientEvent::UserMessage {
                        client_msg_id: Some("m1".into()),
                        conversation_id: id.clone(),
                        content: json!({ "type": "text", "text": "large" }),
                    },
                    socket_id: Some(c.socket_id.clone()),
                }
                .to_value(),
            ),
        Some(KEY),
    )
    .await;
    assert_eq!(forged.0, 403, "{}", forged.1);
    c.say(&id, "large").await;
    let ServerEvent::GeneralError(e) = c.next_of("general_error").await.event else {
        unreachable!()
    };
    let link = e.message_link.expect("message_link");
    assert!(
        link.starts_with(&format!("{}/api/messages/", server.base)),
        "{link}"
    );

    // A configured public URL (behind a proxy) wins, and its host is allowed.
    let proxied = start(captivate_server::Config {
        public_url: Some("https://chat.example.com/".into()),
        ..config()
    })
    .await;
    let mut c = proxied.client(KEY).await;
    let id = c.start("u").await;
    c.say(&id, "large").await;
    let ServerEvent::GeneralError(e) = c.next_of("general_error").await.event else {
        unreachable!()
    };
    let link = e.message_link.expect("message_link");
    assert!(
        link.starts_with("https://chat.example.com/api/messages/"),
        "{link}"
    );
    let status = reqwest::Client::new()
        .get(format!("{}/healthz", proxied.base))
        .header("host", "chat.example.com")
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(status.ok(), Some(200));
}

#[tokio::test]
async fn only_allowed_origins_may_use_it_from_a_browser() {
    let server = start(captivate_server::Config {
        allowed_origins: vec!["https://shop.example".into()],
        ..config()
    })
    .await;
    let preflight = |origin: &str| {
        let origin = origin.to_owned();
        let url = format!("{}/api/custom-channel/sockets/message", server.base);
        async move {
            let r = reqwest::Client::new()
                .request(reqwest::Method::OPTIONS, url)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type,x-api-key")
                .send()
                .await
                .expect("preflight");
            r.headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        }
    };
    assert_eq!(preflight("https://evil.example").await, None);
    assert_eq!(
        preflight("http://localhost:5173").await.as_deref(),
        Some("http://localhost:5173")
    );
    assert_eq!(
        preflight("https://shop.example").await.as_deref(),
        Some("https://shop.example")
    );
    assert_eq!(
        preflight(&server.base).await.as_deref(),
        Some(server.base.as_str())
    );

    // A socket opened by a page of another origin is refused.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
            server.ws_url(&format!("apiKey={KEY}")),
        )
        .expect("request");
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().expect("origin"));
    let refused = tokio_tungstenite::connect_async(request).await;
    assert!(refused.is_err(), "a socket from another origin");

    // The file service wants a configured key (7.0.0 names it in `path` and `fileKey`).
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt"),
        )
        .text("storage", "true");
    let r = reqwest::Client::new()
        .post(format!("{}/api/file-to-text", server.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status().as_u16(), 403);
    let (status, _) = server
        .post(
            "/api/presigned-url",
            None,
            json!({ "fileKey": "not-a-key/c/f.txt" }),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn fault_numbers_are_bounded() {
    let server = start(config()).await;
    // `Instant::now() + u64::MAX ms` overflowed and killed the request.
    let (status, body) = server
        .post("/__faults/down", None, json!({ "ms": u64::MAX }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["down_ms"], 3_600_000);
    let (status, body) = server
        .post(
            "/__faults/flap",
            None,
            json!({ "ms": u64::MAX, "after_ms": u64::MAX }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.get("/healthz", None).await.0, 200);
}

#[tokio::test]
async fn a_socket_that_stops_reading_is_cut_not_buffered() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    let open = || async { server.get("/__faults/sockets", None).await.1["open"].clone() };
    assert_eq!(open().await, 1);
    // From now on the client reads nothing, and the server has ~15 MB for it: more than the
    // kernel's buffers and the 4 MiB backlog hold.
    let sent = server
        .fault("burst", json!({ "conversation_id": id, "count": 100_000 }))
        .await;
    assert!(sent["sent"].as_u64().unwrap_or(0) < 100_000, "{sent}");
    let mut waited = 0;
    while open().await != 0 && waited < 50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(open().await, 0, "the slow socket was cut");
    drop(c);
}

#[tokio::test]
async fn socket_messages_have_the_http_size_limit() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("u").await;
    let huge = json!({ "action": "sendMessage", "event": { "event_type": "user_message", "event_payload": { "conversation_id": id, "content": { "type": "text", "text": "x".repeat(2 * 1024 * 1024) } } } });
    let _ = c.ws.send(Message::Text(huge.to_string().into())).await;
    // The server closes the socket instead of taking the message.
    assert_eq!(c.next_text().await, None);
    let (_, transcript) = server
        .get(&format!("/api/transcript?conversation_id={id}"), Some(KEY))
        .await;
    assert!(
        !transcript.to_string().contains("xxxxxxxx"),
        "nothing stored"
    );
}

#[tokio::test]
async fn searches_are_bounded_and_overlong_patterns_refused() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let (status, _) = c
        .send(ClientEvent::ConversationStart {
            user_id: Some(json!("searcher")),
            user_basic_info: json!({}),
            metadata: json!({ "title": "a".repeat(100_000) }),
        })
        .await;
    assert_eq!(status, 200);
    c.next_of("conversation_start_success").await;
    let list = |pattern: String| ClientEvent::GetUserConversationsV2 {
        user_id: Some(json!("searcher")),
        filter: None,
        search: Some(json!({ "title": pattern })),
        pagination: None,
        api_keys: None,
    };
    // Exponential for a backtracking matcher, quadratic for a single-star one.
    let (status, body) = c.send(list(format!("{}b", "*a".repeat(127)))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["conversations"], json!([]));
    let (status, body) = c.send(list(format!("{}*", "a".repeat(200)))).await;
    assert_eq!(
        (status, body["conversations"].as_array().map(Vec::len)),
        (200, Some(1))
    );
    let (status, body) = c.send(list("x".repeat(300))).await;
    assert_eq!(status, 400);
    assert!(body.to_string().contains("longer than 256"), "{body}");
}

#[tokio::test]
async fn half_open_connections_idle_sockets_and_socket_floods_are_bounded() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = start(captivate_server::Config {
        header_timeout: Duration::from_millis(300),
        ping_interval: Duration::from_millis(200),
        max_sockets_per_key: 2,
        ..config()
    })
    .await;
    // Headers that never finish: the connection is closed, not held.
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut half = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 512];
    let read = tokio::time::timeout(Duration::from_secs(3), half.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(_)) | Ok(Err(_))),
        "the server closed (or answered 408) within the header timeout"
    );

    // A third socket of one key is refused.
    let a = server.client(KEY).await;
    let b = server.client(KEY).await;
    let third = tokio_tungstenite::connect_async(server.ws_url(&format!("apiKey={KEY}"))).await;
    assert!(third.is_err(), "a third socket for the key");
    drop((a, b));

    // A socket whose client answers nothing (not even pings: it never reads) is closed.
    let _silent = server.client(OTHER_KEY).await;
    let open = || async { server.get("/__faults/sockets", None).await.1["open"].clone() };
    let mut waited = 0;
    while open().await != 0 && waited < 30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(open().await, 0, "the silent socket was closed");
}

#[tokio::test]
async fn a_key_cannot_write_into_another_keys_socket_unless_its_client_listed_it() {
    let server = start(config()).await;
    let mut a = server.client(KEY).await;
    let frame = |socket_id: &str| ClientFrame {
        event: ClientEvent::ConversationStart {
            user_id: Some(json!("intruder")),
            user_basic_info: json!({}),
            metadata: json!({}),
        },
        socket_id: Some(socket_id.to_owned()),
    };
    let send = |key: &'static str, frame: ClientFrame| {
        let req = reqwest::Client::new()
            .post(format!(
                "{}/api/custom-channel/sockets/message",
                server.base
            ))
            .json(&frame.to_value());
        answer(req, Some(key))
    };
    // Key B names key A's socket: refused, and A hears nothing of it.
    let (status, body) = send(OTHER_KEY, frame(&a.socket_id)).await;
    assert_eq!(status, 403, "{body}");
    // 7.0.0's cross-key flow: A's client lists conversations of both keys, then sends for
    // B's conversations with B's key and A's socket.
    let (status, _) = a
        .send(ClientEvent::GetUserConversationsV2 {
            user_id: Some(json!("someone")),
            filter: None,
            search: None,
            pagination: None,
            api_keys: Some(vec![KEY.into(), OTHER_KEY.into()]),
        })
        .await;
    assert_eq!(status, 200);
    let (status, body) = send(OTHER_KEY, frame(&a.socket_id)).await;
    assert_eq!(status, 200, "{body}");
    let started = a.next_of("conversation_start_success").await;
    assert!(matches!(
        started.event,
        ServerEvent::ConversationStartSuccess { .. }
    ));
}

/// Posts a multipart form to the file service.
async fn post_form(server: &Server, form: reqwest::multipart::Form) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/file-to-text", server.base))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Uploads `name` under `path` with an optional `ttlDays`; answers the file-to-text body.
async fn upload(server: &Server, path: &str, name: &str, ttl_days: Option<&str>) -> Value {
    let mut form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"hello from a file".to_vec())
                .file_name(name.to_owned())
                .mime_str("text/plain")
                .unwrap(),
        )
        .text("includeMetadata", "true")
        .text("storage", "true")
        .text("path", path.to_owned());
    if let Some(d) = ttl_days {
        form = form.text("ttlDays", d.to_owned());
    }
    let resp = post_form(server, form).await;
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.unwrap()
}

async fn link_status(body: &Value) -> u16 {
    reqwest::get(body["presignedUrl"].as_str().unwrap())
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Asks for a new one-minute link to an uploaded file (404 once the file is gone).
async fn new_link(server: &Server, body: &Value) -> (u16, Value) {
    server
        .post(
            "/api/presigned-url",
            None,
            json!({ "fileKey": body["fileKey"], "expiresIn": 60 }),
        )
        .await
}

#[tokio::test]
async fn time_to_live_and_ttl_days_are_kept_and_files_go_with_their_conversation() {
    let server = start(config()).await;
    let mut c = server.client(KEY).await;
    let short = c.start("u").await;
    let long = c.start("u").await;
    let gone = c.start("u").await;
    let set_ttl = |id: &str, days: i64| ClientEvent::Metadata {
        metadata: json!({ "timeToLive": days }),
        client_msg_id: None,
        conversation_id: id.to_owned(),
        target: None,
    };
    assert_eq!(c.send(set_ttl(&short, 1)).await.0, 200);
    assert_eq!(c.send(set_ttl(&long, 30)).await.0, 200);
    let in_short = upload(&server, &format!("{KEY}/{short}"), "a.txt", None).await;
    let in_gone = upload(&server, &format!("{KEY}/{gone}"), "b.txt", None).await;
    let week = upload(&server, &format!("{KEY}/{long}"), "c.txt", Some("7")).await;
    let kept = upload(&server, &format!("{KEY}/{long}"), "d.txt", None).await;
    for body in [&in_short, &in_gone, &week, &kept] {
        assert_eq!(link_status(body).await, 200);
    }

    // A conversation deleted for good takes its files with it; a soft delete keeps them.
    let (status, _) = c
        .send(ClientEvent::DeleteConversation {
            conversation_id: gone.clone(),
            soft: json!(false),
        })
        .await;
    assert_eq!(status, 200);
    assert_eq!(link_status(&in_gone).await, 404);
    assert_eq!(new_link(&server, &in_gone).await.0, 404);

    // Nothing has expired yet.
    let none = server.fault("sweep", json!({ "days": 0 })).await;
    assert_eq!(none, json!({ "conversations": 0, "files": 0 }));
    // Two days on: the one-day conversation is gone, with its messages and files.
    let two = server.fault("sweep", json!({ "days": 2 })).await;
    assert_eq!(two, json!({ "conversations": 1, "files": 0 }));
    // (The sweep as if days had passed also removed the two-hour upload links: ask for new ones.)
    assert_eq!(c.say(&short, "still there?").await.0, 404);
    assert_eq!(link_status(&in_short).await, 404);
    assert_eq!(new_link(&server, &in_short).await.0, 404);
    assert_eq!(new_link(&server, &week).await.0, 200);
    // Eight days on: the seven-day file is gone; the thirty-day conversation and its other file stay.
    let eight = server.fault("sweep", json!({ "days": 8 })).await;
    assert_eq!(eight, json!({ "conversations": 0, "files": 1 }));
    assert_eq!(new_link(&server, &week).await.0, 404);
    assert_eq!(new_link(&server, &kept).await.0, 200);
    assert_eq!(c.say(&long, "still here").await.0, 200);
}

#[tokio::test]
async fn every_expires_in_in_an_answer_is_an_epoch_time() {
    let server = start(config()).await;
    let body = upload(&server, &format!("{KEY}/conv-1"), "a.txt", None).await;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (status, fresh) = new_link(&server, &body).await;
    assert_eq!(status, 200);
    let at = fresh["expiresIn"].as_i64().unwrap();
    assert!(
        (before + 59..=before + 62).contains(&at),
        "asked for 60 s, got {at} (now {before})"
    );
    assert!(body["expiresIn"].as_i64().unwrap() > before);
}

#[tokio::test]
async fn built_files_named_after_their_content_are_cached_for_good_the_rest_revalidated() {
    let dir = std::env::temp_dir().join(format!("captivate-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "captivate-embed.js",
        "captivate-chat.0123456789.js",
        "captivate-widget.abcdef0123.wasm",
        "captivate-chat.ABCDEF0123.js",
        "index.html",
    ] {
        std::fs::write(dir.join(name), "x").unwrap();
    }
    let server = start(captivate_server::Config {
        static_dir: Some(dir.clone()),
        ..config()
    })
    .await;
    let cache = |path: &'static str| {
        let url = format!("{}{path}", server.base);
        async move {
            let r = reqwest::get(url).await.unwrap();
            let status = r.status().as_u16();
            let value = r
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, value)
        }
    };
    let forever = Some("public, max-age=31536000, immutable".to_owned());
    let revalidate = Some("no-cache".to_owned());
    assert_eq!(
        cache("/captivate-chat.0123456789.js").await,
        (200, forever.clone())
    );
    assert_eq!(
        cache("/captivate-widget.abcdef0123.wasm").await,
        (200, forever)
    );
    assert_eq!(
        cache("/captivate-embed.js").await,
        (200, revalidate.clone())
    );
    assert_eq!(
        cache("/captivate-chat.ABCDEF0123.js").await,
        (200, revalidate.clone())
    );
    assert_eq!(cache("/").await, (200, revalidate));
    assert_eq!(cache("/captivate-chat.9999999999.js").await, (404, None));
    // The API is not the static files' business.
    assert_eq!(cache("/healthz").await.1, None);
    std::fs::remove_dir_all(&dir).unwrap();
}
