//! Conversations on the server over real loopback sockets: metadata (private, time to live),
//! edits, soft and hard deletes, the visitor's conversation lists (filters, search, pages,
//! several keys), transcripts, and persistence across a restart.

mod common;

use captivate_chat::protocol::{ClientEvent, ContentItem, ServerEvent};
use common::*;
use serde_json::{json, Value};

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
