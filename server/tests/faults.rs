//! The server under faults and abuse, over real loopback sockets: fault injection (dropped
//! and closed sockets, HTTP failures, downtime, injected frames), who may use it (origins,
//! hosts, keys), and every limit (sizes, searches, idle and flooding sockets).

mod common;

use captivate_chat::protocol::{ClientEvent, ClientFrame, ContentItem, ServerEvent};
use common::*;
use futures_util::SinkExt;
use serde_json::json;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

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
    // Refused for its key (no origin: not a browser's request), not for anything else.
    assert_eq!(r.status().as_u16(), 403);
    let body = r.text().await.unwrap_or_default();
    assert!(body.contains("A valid API key is required"), "{body}");
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
async fn a_cross_site_request_that_needs_no_preflight_is_refused_before_its_body_is_read() {
    // Faults on, no --api-key: the default a developer leaves running.
    let server = start(captivate_server::Config {
        api_keys: None,
        ..config()
    })
    .await;
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.base);
    let upload = |bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("a.txt"),
            )
            .text("storage", "true")
    };
    let refused = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        (status, body)
    };

    // A form post from another site (multipart, no preflight): refused, and before the body
    // is read: a body past the upload limit gets the same 403, not a 413.
    for bytes in [b"x".to_vec(), vec![b'x'; 30 * 1024 * 1024]] {
        let r = http
            .post(url("/api/file-to-text"))
            .header("origin", "https://evil.example")
            .multipart(upload(bytes))
            .send()
            .await
            .expect("upload");
        let (status, body) = refused(r).await;
        assert_eq!(status, 403);
        assert!(
            body.contains("Origin not allowed: https://evil.example"),
            "{body}"
        );
    }
    // A text/plain send and a fault route from another site, and an opaque origin.
    for (path, origin) in [
        (
            "/api/custom-channel/sockets/message",
            "https://evil.example",
        ),
        ("/__faults/down", "https://evil.example"),
        ("/api/custom-channel/sockets/message", "null"),
    ] {
        let r = http
            .post(url(path))
            .header("origin", origin)
            .header("content-type", "text/plain")
            .body(r#"{"ms":60000}"#)
            .send()
            .await
            .expect("post");
        assert_eq!(refused(r).await.0, 403, "{path} from {origin}");
    }
    // A cross-site request that names no origin.
    let r = http
        .post(url("/api/file-to-text"))
        .header("sec-fetch-site", "cross-site")
        .multipart(upload(b"x".to_vec()))
        .send()
        .await
        .expect("upload");
    assert_eq!(refused(r).await.0, 403);

    // Nothing was stored or taken down: the server still answers, and the same upload from
    // an allowed page, or from a client that is not a browser, goes through.
    for origin in [Some("http://localhost:5173"), None] {
        let mut req = http
            .post(url("/api/file-to-text"))
            .multipart(upload(b"x".to_vec()));
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        let r = req.send().await.expect("upload");
        assert_eq!(r.status().as_u16(), 200, "{origin:?}");
    }
    // (The refused `down` would have refused this socket for a minute.)
    let c = server.client(KEY).await;
    assert!(!c.socket_id.is_empty());
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
