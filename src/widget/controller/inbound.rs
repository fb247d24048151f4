//! What the server does: frames the client routed to a conversation become messages,
//! actions, agent changes and notes in that conversation's thread (the one on screen or
//! another the widget knows); history is loaded once and merged with what is live.

use std::sync::Arc;

use js_sys::Object;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::gap::{self, Since};
use crate::client::platform;
use crate::client::values;
use crate::client::{Delivery, LinkStatus, Notice};
use crate::protocol::{read_content, EventKind, FrameHead, JsonView, Sender, TranscriptEntry};
use crate::widget::i18n::Text;

use crate::widget::controller::{Author, Controller, Msg, SendState, Thread};
use crate::widget::model::{line_of, said, ContentItem};

/// Message ids, hashed as `gap::Heard` does. An `IndexSet` rather than std's `HashSet`:
/// most of the hash table code is then the one serde_json and Leptos already bring
/// (docs/size.md, rule 5).
type IdSet<'a> = indexmap::IndexSet<&'a str, rustc_hash::FxBuildHasher>;

impl Controller {
    pub(in crate::widget) fn on_notice(&self, notice: &Notice) {
        if self.0.destroyed.get() {
            return;
        }
        match notice {
            Notice::Link(link) => {
                self.0.chat.online.set(*link == LinkStatus::Online);
                self.0
                    .chat
                    .reconnecting
                    .set(*link == LinkStatus::Reconnecting);
                self.emit("connection", values::js_str(link.as_str()));
            }
            Notice::Reconnected => {
                // Every conversation may have missed messages: each is read again when shown.
                for (_, thread) in self.0.threads.borrow().iter() {
                    thread.loaded.set(false);
                }
                let this = self.clone();
                platform::spawn(async move { this.load_history().await });
            }
            Notice::Frame(frame) => {
                // Routed by the client (a frame that names no conversation goes to the one
                // on screen); a conversation not on screen keeps it in its thread.
                let Some(conversation) = frame.conversation() else {
                    return;
                };
                let thread = self.thread_of(conversation);
                if let Some(link) = frame.head.large_message_link() {
                    thread.typing.set(false);
                    let this = self.clone();
                    platform::spawn(async move { this.fetch_large(thread, link).await });
                    return;
                }
                self.on_event(conversation, thread, &frame.head);
            }
            Notice::Delivery {
                delivery: Delivery::Failed { error, .. },
                client_msg_id,
                ..
            } => {
                self.mark(client_msg_id, SendState::Failed, None);
                self.emit("error", &JsValue::from_str(&error.message()));
            }
            _ => {}
        }
    }

    /// A routed frame, read from the object the engine's `JSON.parse` made (its head was
    /// read by the client; the rest is read here, field by field, as it is needed).
    pub(in crate::widget) fn on_event(
        &self,
        conversation: &str,
        thread: Thread,
        head: &FrameHead<JsValue>,
    ) {
        // The payload of the kinds handled here is an object (the head's reading checked it).
        let field = |key| head.payload.as_ref().and_then(|p| p.member(key));
        // A message's content, read once: shown here, and handed to the page and other tabs.
        let message = |author, id: Option<String>, name: Option<String>| {
            let content = field("content");
            let items = content.as_ref().map_or_else(Vec::new, read_content);
            self.deliver(thread, author, items, id.clone(), name.clone(), true);
            let content = content.unwrap_or(JsValue::NULL);
            self.shown(
                conversation,
                author,
                &content,
                id.as_deref(),
                name.as_deref(),
            );
        };
        match head.kind {
            EventKind::BotMessage => message(Author::Bot, head.message_id.clone(), None),
            EventKind::LivechatMessage => {
                message(Author::Agent, None, thread.agent.get_untracked())
            }
            EventKind::ConversationUpdate => {
                let data = field("data");
                let name = data
                    .as_ref()
                    .and_then(|d| {
                        d.field_string("agentName")
                            .or_else(|| d.field_string("name"))
                    })
                    .unwrap_or_else(|| self.0.strings.get(Text::Agent));
                let kind = field("type").and_then(|t| t.lenient_string());
                match kind.as_deref() {
                    Some("livechatAgentConnected") => {
                        thread.agent.set(Some(name.clone()));
                        let note = self.0.strings.fill(Text::AgentJoined, &[("name", &name)]);
                        self.note(thread, &note);
                    }
                    Some("livechatAgentDisconnected") => {
                        thread.agent.set(None);
                        let note = self.0.strings.fill(Text::AgentLeft, &[("name", &name)]);
                        self.note(thread, &note);
                        // How did the human agent do?
                        self.ask_rating(thread, conversation);
                    }
                    _ => {}
                }
            }
            EventKind::Action => {
                let actions = field("actions").unwrap_or(JsValue::NULL);
                if self.thread() == thread {
                    self.emit("action", &actions);
                } else {
                    // The page hears it when the visitor comes back to this conversation.
                    self.0
                        .pending_actions
                        .borrow_mut()
                        .push((conversation.to_owned(), actions));
                }
            }
            EventKind::GeneralError => {
                thread.typing.set(false);
                let desc = head
                    .error
                    .as_ref()
                    .and_then(|e| e.field_text("error_desc"))
                    .unwrap_or_else(|| self.0.strings.get(Text::Error));
                self.note(thread, &desc);
                let payload = head.payload.clone();
                self.emit("error", &payload.unwrap_or_else(|| Object::new().into()));
            }
            _ => {}
        }
    }

    /// A bot or agent message shown: the page's `message` event and the visitor's other
    /// tabs hear its content, as the engine parsed it.
    fn shown(
        &self,
        conversation: &str,
        author: Author,
        content: &JsValue,
        id: Option<&str>,
        name: Option<&str>,
    ) {
        self.tell_shown(conversation, author, content, id, name);
        let detail = js_sys::Object::new();
        let from = if author == Author::Agent {
            "agent"
        } else {
            "bot"
        };
        values::set(&detail, "from", &JsValue::from_str(from));
        values::set(&detail, "content", content);
        values::set(&detail, "conversationId", &JsValue::from_str(conversation));
        self.emit("message", &detail);
    }

    pub(in crate::widget) async fn fetch_large(&self, thread: Thread, link: String) {
        match self.0.client.fetch_large_message(&link, None).await {
            Ok(content) => {
                let items = read_content(&content);
                self.deliver(thread, Author::Bot, items, None, None, true)
            }
            Err(_) => self.note(thread, &self.0.strings.get(Text::Error)),
        }
    }

    /// Shows a bot or agent message; `pause` items hold back what follows them. A visitor
    /// elsewhere is called back (`loud`: heard on this tab's socket, not from another tab).
    pub(in crate::widget) fn deliver(
        &self,
        thread: Thread,
        author: Author,
        items: Vec<ContentItem>,
        id: Option<String>,
        name: Option<String>,
        loud: bool,
    ) {
        if let Some(id) = &id {
            if thread
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
                    thread.typing.set(true);
                    platform::sleep(pause as u32).await;
                }
                if this.0.destroyed.get() {
                    return;
                }
                if chunk.is_empty() {
                    continue;
                }
                let key = this.key();
                // The live region speaks for the conversation on screen only.
                let on_screen = this.thread() == thread;
                let line = line_of(&chunk);
                let announce = on_screen.then(|| said(&this.0.strings, author, &line));
                let msg = Msg {
                    id: if i == 0 { id.clone() } else { None },
                    name: name.clone(),
                    ..Msg::new(key, author, chunk)
                };
                thread.messages.update(|l| l.push(msg));
                thread.typing.set(false);
                match announce {
                    Some(announce) => this.0.chat.announcement.set(Some(announce)),
                    None => thread.unread.update(|u| *u += 1),
                }
                if !this.0.chat.open.get_untracked() {
                    this.0.chat.unread.update(|u| *u += 1);
                }
                this.call_back(author, name.as_deref(), &line, loud);
            }
        });
    }

    /// Fills the conversation on screen from its transcript, adding what it lacks (after a
    /// reload, a reconnect, or a switch to a conversation not shown since).
    pub async fn load_history(&self) {
        let Some(id) = self.current() else { return };
        let thread = self.thread();
        let entries = match self.0.client.transcript_entries(&id, None).await {
            Ok(entries) => entries,
            Err(e) if e.status() == Some(404) => {
                // The conversation is gone (deleted or expired): start afresh.
                if self.current().as_deref() == Some(id.as_str()) {
                    self.set_current(None);
                }
                self.forget_thread(&id);
                return;
            }
            Err(_) => return,
        };
        thread.loaded.set(true);
        let mut added = Vec::new();
        thread.messages.with_untracked(|list| {
            // Sets, not scans: a transcript may hold thousands of messages.
            let ids: IdSet = list.iter().filter_map(|m| m.id.as_deref()).collect();
            let client_ids: IdSet = list
                .iter()
                .filter_map(|m| m.client_msg_id.as_deref())
                .collect();
            // The whole transcript: the list may lack any of it (after a reload, a reconnect,
            // or for a conversation reopened from the list); listed means by the server's id
            // or by the visitor's own message id.
            let listed = |e: &TranscriptEntry<JsValue>| {
                let among = |id: Option<&str>, set: &IdSet| id.is_some_and(|id| set.contains(id));
                among(e.message_id.as_deref(), &ids)
                    || among(e.client_msg_id_text().as_deref(), &client_ids)
            };
            for e in gap::missed(&entries, Since::Start, listed) {
                let content = e.shown_content();
                if content
                    .iter()
                    .all(|c| matches!(c, ContentItem::Text(t) if t.is_empty()))
                {
                    continue;
                }
                let client = e.client_msg_id_text();
                let author = match e.from {
                    Sender::User => Author::User,
                    Sender::Agent => Author::Agent,
                    _ => Author::Bot,
                };
                let time = e
                    .raw
                    .field("created_at")
                    .and_then(|t| t.number())
                    .unwrap_or_else(platform::now_ms);
                added.push((
                    author,
                    content,
                    e.message_id.clone(),
                    client,
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
        // Merged in time order, in one pass: the list is in time order, and so is the
        // transcript; each missed message goes after those of the list not later than it.
        thread.messages.update(|l| {
            let mut missed = msgs.into_iter().peekable();
            let mut merged = Vec::with_capacity(l.len() + missed.len());
            for shown in l.drain(..) {
                while let Some(m) = missed.next_if(|m| m.time < shown.time) {
                    merged.push(m);
                }
                merged.push(shown);
            }
            merged.extend(missed);
            *l = merged;
        });
    }
}
