//! What the server does: frames routed to the widget's conversation become messages,
//! actions, agent changes and notes; history is loaded once and merged with what is live.

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

use super::i18n::{Strings, Text};
use crate::client::platform::{self, from_js, to_js};
use crate::client::{Delivery, Notice};
use crate::plain_text::markdown_text;
use crate::protocol::{parse_content, ContentItem, Sender, ServerEvent};

use super::state::{Author, Controller, Msg, SendState};

impl Controller {
    pub(super) fn current(&self) -> Option<String> {
        self.0.conversation.borrow().clone()
    }

    pub(super) fn on_notice(&self, notice: &Notice) {
        if self.0.destroyed.get() {
            return;
        }
        match notice {
            Notice::Link(link) => {
                self.0.chat.link.set(*link);
                self.emit("connection", platform::js_str(link.as_str()));
            }
            Notice::Reconnected => {
                let this = self.clone();
                platform::spawn(async move { this.load_history().await });
            }
            Notice::Frame(frame) => {
                // Routed by the client (a frame that names no conversation goes to the one
                // on screen): only the conversation on screen is shown.
                if frame.conversation.is_none() || frame.conversation != self.current() {
                    return;
                }
                if let Some(link) = frame.head.large_message_link() {
                    self.0.chat.typing.set(false);
                    let this = self.clone();
                    platform::spawn(async move { this.fetch_large(link).await });
                    return;
                }
                if let Ok(frame) = frame.decode() {
                    self.on_event(&frame.event, &frame.payload);
                }
            }
            Notice::Delivery {
                delivery: Delivery::Failed { error, .. },
                client_msg_id,
                ..
            } => {
                self.mark(client_msg_id, SendState::Failed, None);
                self.emit("error", &JsValue::from_str(&error.to_string()));
            }
            _ => {}
        }
    }

    pub(super) fn on_event(&self, event: &ServerEvent, payload: &Value) {
        match event {
            ServerEvent::BotMessage { ch_msg_id, .. } => {
                self.deliver(Author::Bot, event.content_items(), ch_msg_id.clone(), None);
                self.shown(Author::Bot, payload, ch_msg_id.as_deref(), None);
            }
            ServerEvent::LivechatMessage { .. } => {
                let name = self.0.chat.agent.get_untracked();
                self.deliver(Author::Agent, event.content_items(), None, name.clone());
                self.shown(Author::Agent, payload, None, name.as_deref());
            }
            ServerEvent::ConversationUpdate(u) => {
                let name = u
                    .data
                    .get("agentName")
                    .or_else(|| u.data.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| self.0.strings.get(Text::Agent));
                match u.kind.as_str() {
                    "livechatAgentConnected" => {
                        self.0.chat.agent.set(Some(name.clone()));
                        self.system(&self.0.strings.fill(Text::AgentJoined, &[("name", &name)]));
                    }
                    "livechatAgentDisconnected" => {
                        self.0.chat.agent.set(None);
                        self.system(&self.0.strings.fill(Text::AgentLeft, &[("name", &name)]));
                    }
                    _ => {}
                }
            }
            ServerEvent::Action { .. } => {
                self.emit(
                    "action",
                    &to_js(payload.get("actions").unwrap_or(&Value::Null)),
                );
            }
            ServerEvent::GeneralError(e) => {
                self.0.chat.typing.set(false);
                let desc = e
                    .error_desc
                    .clone()
                    .unwrap_or_else(|| self.0.strings.get(Text::Error));
                self.system(&desc);
                self.emit("error", &to_js(payload));
            }
            _ => {}
        }
    }

    /// A bot or agent message shown: the page's `message` event and the visitor's other
    /// tabs hear its content, converted for JS once.
    fn shown(&self, author: Author, payload: &Value, id: Option<&str>, name: Option<&str>) {
        let content = payload.get("content").map(to_js).unwrap_or(JsValue::NULL);
        self.tell_shown(author, &content, id, name);
        let detail = js_sys::Object::new();
        let from = if author == Author::Agent {
            "agent"
        } else {
            "bot"
        };
        platform::set(&detail, "from", &JsValue::from_str(from));
        platform::set(&detail, "content", &content);
        self.emit("message", &detail);
    }

    pub(super) async fn fetch_large(&self, link: String) {
        match self.0.client.fetch_large_message(&link, None).await {
            Ok(content) => self.deliver(Author::Bot, parse_content(&from_js(&content)), None, None),
            Err(_) => self.system(&self.0.strings.get(Text::Error)),
        }
    }

    /// Shows a bot or agent message; `pause` items hold back what follows them.
    pub(super) fn deliver(
        &self,
        author: Author,
        items: Vec<ContentItem>,
        id: Option<String>,
        name: Option<String>,
    ) {
        if let Some(id) = &id {
            if self
                .0
                .chat
                .messages
                .with_untracked(|l| l.iter().any(|m| m.id.as_deref() == Some(id)))
            {
                return;
            }
        }
        let mut chunks: Vec<(u64, Vec<ContentItem>)> = vec![(0, Vec::new())];
        for item in items {
            match item {
                ContentItem::Pause { time_ms } => chunks.push((time_ms.min(10_000), Vec::new())),
                other => {
                    if let Some(last) = chunks.last_mut() {
                        last.1.push(other)
                    }
                }
            }
        }
        let this = self.clone();
        platform::spawn(async move {
            for (i, (pause, chunk)) in chunks.into_iter().enumerate() {
                if pause > 0 {
                    this.0.chat.typing.set(true);
                    platform::sleep(pause as u32).await;
                }
                if this.0.destroyed.get() {
                    return;
                }
                if chunk.is_empty() {
                    continue;
                }
                let key = this.key();
                let announce = announce_text(&this.0.strings, author, &chunk);
                let msg = Msg {
                    id: if i == 0 { id.clone() } else { None },
                    name: name.clone(),
                    ..Msg::new(key, author, chunk)
                };
                this.0.chat.messages.update(|l| l.push(msg));
                this.0.chat.typing.set(false);
                this.0.chat.announcement.set(announce);
                if !this.0.chat.open.get_untracked() {
                    this.0.chat.unread.update(|u| *u += 1);
                    this.persist_unread();
                }
            }
        });
    }

    /// Fills the list from the transcript, adding what is missing (after a reload or a reconnect).
    pub async fn load_history(&self) {
        let Some(id) = self.current() else { return };
        let entries = match self.0.client.transcript(&id, None).await {
            Ok(entries) => entries,
            Err(e) if e.status() == Some(404) => {
                // The conversation is gone (deleted or expired): start afresh.
                self.set_current(None);
                self.save(json!({}));
                return;
            }
            Err(_) => return,
        };
        let mut added = Vec::new();
        self.0.chat.messages.with_untracked(|list| {
            // Sorted lists, not scans: a transcript may hold thousands of messages.
            let mut ids: Vec<&str> = list.iter().filter_map(|m| m.id.as_deref()).collect();
            let mut client_ids: Vec<&str> = list
                .iter()
                .filter_map(|m| m.client_msg_id.as_deref())
                .collect();
            ids.sort_unstable();
            client_ids.sort_unstable();
            for e in &entries {
                let known = e
                    .message_id
                    .as_deref()
                    .is_some_and(|mid| ids.binary_search(&mid).is_ok());
                if known {
                    continue;
                }
                let content = e.content();
                if content
                    .iter()
                    .all(|c| matches!(c, ContentItem::Text(t) if t.is_empty()))
                {
                    continue;
                }
                let client = e.raw.get("client_msg_id").and_then(Value::as_str);
                if client.is_some_and(|c| client_ids.binary_search(&c).is_ok()) {
                    continue;
                }
                let author = match e.from {
                    Sender::User => Author::User,
                    Sender::Agent => Author::Agent,
                    _ => Author::Bot,
                };
                let time = e
                    .raw
                    .get("created_at")
                    .and_then(Value::as_f64)
                    .unwrap_or_else(platform::now_ms);
                added.push((
                    author,
                    content,
                    e.message_id.clone(),
                    client.map(str::to_owned),
                    time,
                    e.livechat_name.clone(),
                ));
            }
        });
        if added.is_empty() {
            return;
        }
        let msgs: Vec<Msg> = added
            .into_iter()
            .map(|(author, items, id, client_msg_id, time, name)| Msg {
                key: self.key(),
                author,
                items: Arc::new(items),
                time,
                id,
                client_msg_id,
                state: if author == Author::User {
                    Some(SendState::Sent)
                } else {
                    None
                },
                name,
            })
            .collect();
        self.0.chat.messages.update(|l| {
            l.extend(msgs);
            l.sort_by(|a, b| {
                a.time
                    .partial_cmp(&b.time)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        });
    }
}

/// "Bot: Hello!" for the live region.
fn announce_text(strings: &Strings, author: Author, items: &[ContentItem]) -> String {
    let who = match author {
        Author::User => strings.get(Text::You),
        Author::Agent => strings.get(Text::Agent),
        _ => strings.get(Text::Bot),
    };
    let text: Vec<String> = items
        .iter()
        .map(|i| match i {
            ContentItem::Text(t) => t.chars().take(200).collect(),
            // What a sighted visitor reads: no markup, no link or image addresses.
            ContentItem::Markdown(t) => markdown_text(t).chars().take(200).collect(),
            ContentItem::Buttons(b) => b.title.clone().unwrap_or_default(),
            ContentItem::Cards(c) => c
                .iter()
                .filter_map(|c| c.text.clone())
                .collect::<Vec<_>>()
                .join(", "),
            ContentItem::Files { files, .. } => files
                .iter()
                .filter_map(|f| f.filename.clone())
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect();
    format!("{who}: {}", text.join(" "))
}
