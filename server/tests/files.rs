//! The server's file service over real loopback sockets: text extracted, files stored and
//! linked, demo assets, time to live of conversations and files.

mod common;

use captivate_chat::protocol::ClientEvent;
use common::*;
use serde_json::{json, Value};

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
    assert_eq!(
        none,
        json!({ "conversations": 0, "files": 0, "largeMessages": 0 })
    );
    // Two days on: the one-day conversation is gone, with its messages and files.
    let two = server.fault("sweep", json!({ "days": 2 })).await;
    assert_eq!(
        two,
        json!({ "conversations": 1, "files": 0, "largeMessages": 0 })
    );
    // (The sweep as if days had passed also removed the two-hour upload links: ask for new ones.)
    assert_eq!(c.say(&short, "still there?").await.0, 404);
    assert_eq!(link_status(&in_short).await, 404);
    assert_eq!(new_link(&server, &in_short).await.0, 404);
    assert_eq!(new_link(&server, &week).await.0, 200);
    // Eight days on: the seven-day file is gone; the thirty-day conversation and its other file stay.
    let eight = server.fault("sweep", json!({ "days": 8 })).await;
    assert_eq!(
        eight,
        json!({ "conversations": 0, "files": 1, "largeMessages": 0 })
    );
    assert_eq!(new_link(&server, &week).await.0, 404);
    assert_eq!(new_link(&server, &kept).await.0, 200);
    assert_eq!(c.say(&long, "still here").await.0, 200);
}

#[tokio::test]
async fn what_has_no_time_to_live_goes_after_the_retention_unless_it_is_off() {
    for retention_days in [30, 0] {
        let server = start(captivate_server::Config {
            retention_days,
            ..config()
        })
        .await;
        let mut c = server.client(KEY).await;
        let idle = c.start("u").await;
        // A large message (too large for a frame: kept behind a link), and an upload without
        // ttlDays outside any conversation.
        assert_eq!(c.say(&idle, "large").await.0, 200);
        c.next_of("general_error").await;
        let loose = upload(&server, &format!("{KEY}/elsewhere"), "a.txt", None).await;
        let sweep = |days: i64| server.fault("sweep", json!({ "days": days }));
        assert_eq!(
            sweep(29).await,
            json!({ "conversations": 0, "files": 0, "largeMessages": 0 }),
            "within the retention"
        );
        let after = sweep(31).await;
        if retention_days == 0 {
            assert_eq!(
                after,
                json!({ "conversations": 0, "files": 0, "largeMessages": 0 })
            );
            assert_eq!(c.say(&idle, "still here").await.0, 200);
        } else {
            assert_eq!(
                after,
                json!({ "conversations": 1, "files": 1, "largeMessages": 1 })
            );
            assert_eq!(c.say(&idle, "still here?").await.0, 404);
            assert_eq!(new_link(&server, &loose).await.0, 404);
        }
    }
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
