//! A real server on a loopback port, and a client that speaks to it over a real
//! WebSocket and real HTTP.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use captivate_chat::protocol::{decode_server_frame, ClientEvent, ClientFrame, ServerFrame};
use captivate_server::{AppState, Config};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::{connect_async, tungstenite::Message, MaybeTlsStream, WebSocketStream};

pub const KEY: &str = "test-key";
pub const OTHER_KEY: &str = "other-key";

pub struct Server {
    pub base: String,
    pub state: Arc<AppState>,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

pub fn config() -> Config {
    Config {
        api_keys: Some(vec![KEY.into(), OTHER_KEY.into()]),
        bot_delay: Duration::from_millis(5),
        faults: true,
        ..Config::default()
    }
}

pub async fn start(config: Config) -> Server {
    let state = captivate_server::state(config).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let s = state.clone();
    let handle = tokio::spawn(async move {
        let _ = captivate_server::serve(listener, s).await;
    });
    Server {
        base: format!("http://{addr}"),
        state,
        handle,
    }
}

impl Server {
    pub fn ws_url(&self, query: &str) -> String {
        format!("{}/dev?{query}", self.base.replacen("http", "ws", 1))
    }

    pub async fn post(&self, path: &str, key: Option<&str>, body: Value) -> (u16, Value) {
        let req = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .json(&body);
        answer(req, key).await
    }

    pub async fn get(&self, path: &str, key: Option<&str>) -> (u16, Value) {
        answer(
            reqwest::Client::new().get(format!("{}{path}", self.base)),
            key,
        )
        .await
    }

    pub async fn fault(&self, path: &str, body: Value) -> Value {
        self.post(&format!("/__faults/{path}"), None, body).await.1
    }

    pub async fn client(&self, key: &str) -> Client {
        let (ws, _) = connect_async(self.ws_url(&format!("apiKey={key}")))
            .await
            .expect("ws connect");
        let mut c = Client {
            ws,
            socket_id: String::new(),
            key: key.to_owned(),
            base: self.base.clone(),
        };
        let hello = c.next().await;
        match hello.event {
            captivate_chat::protocol::ServerEvent::SocketConnected { socket_id } => {
                c.socket_id = socket_id
            }
            other => panic!("first frame was {other:?}"),
        }
        c
    }
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub socket_id: String,
    pub key: String,
    pub base: String,
}

impl Client {
    /// Sends an event over HTTP the way 7.0.0 does.
    pub async fn send(&self, event: ClientEvent) -> (u16, Value) {
        let frame = ClientFrame {
            event,
            socket_id: Some(self.socket_id.clone()),
        };
        let req = reqwest::Client::new()
            .post(format!("{}/api/custom-channel/sockets/message", self.base))
            .header("content-type", "application/json")
            .body(frame.to_json());
        answer(req, Some(&self.key)).await
    }

    /// Sends raw text over the socket (the manual's older flow).
    pub async fn send_ws(&mut self, text: String) {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .expect("ws send");
    }

    pub async fn next_text(&mut self) -> Option<String> {
        loop {
            match tokio::time::timeout(Duration::from_secs(5), self.ws.next()).await {
                Ok(Some(Ok(Message::Text(t)))) => return Some(t.to_string()),
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) | Ok(None) => return None,
                Err(_) => panic!("no frame within 5 s"),
            }
        }
    }

    pub async fn next(&mut self) -> ServerFrame {
        let text = self.next_text().await.expect("socket closed");
        decode_server_frame(&text).unwrap_or_else(|e| panic!("bad frame {text}: {e}"))
    }

    /// The next frame of this event type, skipping others.
    pub async fn next_of(&mut self, event_type: &str) -> ServerFrame {
        loop {
            let f = self.next().await;
            if f.event.event_type() == event_type {
                return f;
            }
        }
    }

    pub async fn start(&mut self, user: &str) -> String {
        let (status, _) = self
            .send(ClientEvent::ConversationStart {
                user_id: Some(user.into()),
                user_basic_info: json!({}),
                metadata: json!({ "private": {} }),
            })
            .await;
        assert_eq!(status, 200);
        match self.next_of("conversation_start_success").await.event {
            captivate_chat::protocol::ServerEvent::ConversationStartSuccess { conversation_id } => {
                conversation_id
            }
            _ => unreachable!(),
        }
    }

    pub async fn say(&self, conversation_id: &str, text: &str) -> (u16, Value) {
        self.send(ClientEvent::UserMessage {
            client_msg_id: Some(uuid::Uuid::new_v4().to_string()),
            conversation_id: conversation_id.into(),
            content: ClientEvent::text_content(text),
        })
        .await
    }
}

/// Sends a request (with `x-api-key` when given) and reads status and body (JSON, else text).
pub async fn answer(mut req: reqwest::RequestBuilder, key: Option<&str>) -> (u16, Value) {
    if let Some(k) = key {
        req = req.header("x-api-key", k);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}
