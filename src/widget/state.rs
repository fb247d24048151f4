//! A widget's conversation state as signals (what the components read) and the
//! controller that fills them from the client's events and carries out what the visitor
//! does. Components never touch the socket: they call `Controller` methods.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use futures_channel::oneshot;
use js_sys::Function;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

use super::i18n::Strings;
use super::options::WidgetOptions;
use crate::client::platform::{self, to_js};
use crate::client::{ChatClient, Delivery, LinkStatus, Notice};
use crate::protocol::{
    parse_content, parse_transcript, ClientEvent, ContentItem, Sender, ServerEvent,
};

/// Who wrote a message shown in the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    User,
    Bot,
    Agent,
    /// A note from the widget (agent joined, an error…).
    System,
}

/// Where a visitor's message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendState {
    Sending,
    Sent,
    Failed,
}

/// One message in the list.
#[derive(Debug, Clone)]
pub struct Msg {
    /// Stable key for the list.
    pub key: u64,
    pub author: Author,
    /// Shared: the list is cloned by the view on every change, the items are not.
    pub items: Arc<Vec<ContentItem>>,
    /// Milliseconds since the epoch.
    pub time: f64,
    /// The server's message id, when known (used to merge transcripts).
    pub id: Option<String>,
    pub client_msg_id: Option<String>,
    pub state: Option<SendState>,
    /// The agent's name for agent messages.
    pub name: Option<String>,
}

impl Msg {
    /// A message shown now, with no ids and no delivery state yet.
    fn new(key: u64, author: Author, items: Vec<ContentItem>) -> Msg {
        Msg {
            key,
            author,
            items: Arc::new(items),
            time: platform::now_ms(),
            id: None,
            client_msg_id: None,
            state: None,
            name: None,
        }
    }

    /// What the visitor sent, while it is being sent.
    fn outgoing(key: u64, item: ContentItem, client_msg_id: &str) -> Msg {
        Msg {
            client_msg_id: Some(client_msg_id.to_owned()),
            state: Some(SendState::Sending),
            ..Msg::new(key, Author::User, vec![item])
        }
    }
}

/// An earlier conversation of the visitor, as listed by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Past {
    pub id: String,
    pub title: Option<String>,
    /// Milliseconds since the epoch, when the server says.
    pub updated: Option<f64>,
}

/// The signals of one widget.
#[derive(Clone, Copy)]
pub struct Chat {
    pub messages: RwSignal<Vec<Msg>>,
    pub link: RwSignal<LinkStatus>,
    pub agent: RwSignal<Option<String>>,
    pub typing: RwSignal<bool>,
    pub unread: RwSignal<u32>,
    pub open: RwSignal<bool>,
    /// The text for the polite live region (the latest message, with its sender).
    pub announcement: RwSignal<String>,
    /// The visitor's conversations while that list is shown.
    pub history: RwSignal<Option<Vec<Past>>>,
    /// The conversation on screen.
    pub current: RwSignal<Option<String>>,
}

impl Chat {
    fn new(open: bool) -> Chat {
        Chat {
            messages: RwSignal::new(Vec::new()),
            link: RwSignal::new(LinkStatus::Offline),
            agent: RwSignal::new(None),
            typing: RwSignal::new(false),
            unread: RwSignal::new(0),
            open: RwSignal::new(open),
            announcement: RwSignal::new(String::new()),
            history: RwSignal::new(None),
            current: RwSignal::new(None),
        }
    }
}

struct Inner {
    client: ChatClient,
    options: WidgetOptions,
    strings: Strings,
    chat: Chat,
    conversation: RefCell<Option<String>>,
    starting: Cell<bool>,
    /// Calls waiting for the conversation that another call is starting.
    start_waiters: RefCell<Vec<oneshot::Sender<Option<String>>>>,
    next_key: Cell<u64>,
    subscription: Cell<Option<u64>>,
    listeners: RefCell<HashMap<String, Vec<Function>>>,
    storage_key: String,
    destroyed: Cell<bool>,
}

/// The widget's behaviour; cheap to clone.
#[derive(Clone)]
pub struct Controller(Rc<Inner>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored(key: &str) -> Value {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn store(key: &str, value: &Value) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, &value.to_string());
    }
}

/// The visitor's id: given, or an anonymous one kept per API key.
fn user_id(options: &WidgetOptions) -> String {
    if let Some(u) = &options.user_id {
        return u.clone();
    }
    let key = format!("captivate-chat:v1:user:{}", options.api_key);
    if let Some(existing) = stored(&key).as_str() {
        return existing.to_owned();
    }
    let id = format!("visitor-{}", platform::uuid());
    store(&key, &json!(id));
    id
}

impl Controller {
    pub fn new(options: WidgetOptions, strings: Strings) -> Controller {
        let client = ChatClient::new(&options.api_key, options.endpoints.clone());
        let user = user_id(&options);
        let storage_key = format!("captivate-chat:v1:{}:{}", options.api_key, user);
        let chat = Chat::new(options.open);
        let c = Controller(Rc::new(Inner {
            client,
            options: WidgetOptions {
                user_id: Some(user),
                ..options
            },
            strings,
            chat,
            conversation: RefCell::new(None),
            starting: Cell::new(false),
            start_waiters: RefCell::new(Vec::new()),
            next_key: Cell::new(1),
            subscription: Cell::new(None),
            listeners: RefCell::new(HashMap::new()),
            storage_key,
            destroyed: Cell::new(false),
        }));
        let weak = Rc::downgrade(&c.0);
        let id = c.0.client.subscribe(
            None,
            Rc::new(move |notice| {
                if let Some(inner) = weak.upgrade() {
                    Controller(inner).on_notice(notice);
                }
            }),
        );
        c.0.subscription.set(Some(id));
        c
    }

    pub fn chat(&self) -> Chat {
        self.0.chat
    }

    pub fn strings(&self) -> &Strings {
        &self.0.strings
    }

    pub fn options(&self) -> &WidgetOptions {
        &self.0.options
    }

    pub fn is_connected(&self) -> bool {
        self.0.client.link() == LinkStatus::Online
    }

    fn key(&self) -> u64 {
        let k = self.0.next_key.get();
        self.0.next_key.set(k + 1);
        k
    }

    // ---------- events for the page ----------

    /// `handle.on(event, cb)`: open, close, message, action, error, connection.
    pub fn on(&self, event: &str, cb: Function) {
        self.0
            .listeners
            .borrow_mut()
            .entry(event.to_owned())
            .or_default()
            .push(cb);
    }

    pub fn emit(&self, event: &str, detail: &JsValue) {
        let cbs = self
            .0
            .listeners
            .borrow()
            .get(event)
            .cloned()
            .unwrap_or_default();
        for cb in cbs {
            if let Err(e) = cb.call1(&JsValue::NULL, detail) {
                platform::console_error("[CaptivateChat] An event listener threw:", &e);
            }
        }
    }

    // ---------- lifecycle ----------

    /// Connects, and resumes the stored conversation (history and unsent messages) if any.
    pub fn start(&self) {
        // What the last page left, read once: the conversation is known at once, so that
        // opening the panel during the connection does not start a second one, and its
        // unsent messages are the ones queued then (not those typed while connecting).
        let saved = stored(&self.0.storage_key);
        if let Some(id) = saved.get("conversationId").and_then(Value::as_str) {
            self.set_current(Some(id.to_owned()));
            self.0.client.touch(id);
            if !self.0.chat.open.get_untracked() {
                let unread = stored(&format!("{}:unread", self.0.storage_key))
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0);
                self.0.chat.unread.set(unread);
            }
        }
        let this = self.clone();
        platform::spawn(async move {
            if let Err(e) = this.0.client.connect().await {
                // The client keeps retrying on its own; the header shows the state.
                platform::console_warn(
                    "[CaptivateChat] Not connected yet:",
                    &JsValue::from_str(&e),
                );
                this.0.client.wake();
            }
            if saved
                .get("conversationId")
                .and_then(Value::as_str)
                .is_some()
            {
                this.load_history().await;
                let unsent: Vec<(String, String)> = saved
                    .get("outbox")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|m| {
                                Some((
                                    m.get("id")?.as_str()?.to_owned(),
                                    m.get("text")?.as_str()?.to_owned(),
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for (client_msg_id, text) in unsent {
                    this.send_with_id(&text, &text, client_msg_id);
                }
            } else if this.0.chat.open.get_untracked() {
                this.ensure_conversation().await;
            }
        });
    }

    /// Starts a conversation if there is none (on first open, or the first message).
    pub async fn ensure_conversation(&self) -> Option<String> {
        if let Some(id) = self.0.conversation.borrow().clone() {
            return Some(id);
        }
        if self.0.starting.replace(true) {
            // Another call is starting it: wait for its outcome.
            let (tx, rx) = oneshot::channel();
            self.0.start_waiters.borrow_mut().push(tx);
            return rx.await.ok().flatten();
        }
        // The server answers a start on the socket: wait for it to be up (it may still be connecting).
        self.0.client.wait_online(30_000).await;
        let user = json!(self.0.options.user_id.clone().unwrap_or_default());
        let metadata = json!({ "private": {} });
        let result = self
            .0
            .client
            .start_conversation(&user, json!({}), metadata)
            .await;
        self.0.starting.set(false);
        let waiters = std::mem::take(&mut *self.0.start_waiters.borrow_mut());
        if let Ok(id) = &result {
            self.set_current(Some(id.clone()));
            // What the server sent before the start call returned (a greeting) shows now.
            self.0.client.release(id);
        }
        for w in waiters {
            let _ = w.send(result.as_ref().ok().cloned());
        }
        match result {
            Ok(id) => {
                self.persist();
                if self.0.options.bot_first {
                    self.0.chat.typing.set(true);
                    let msg_id = platform::uuid();
                    let event = ClientEvent::UserMessage {
                        client_msg_id: Some(msg_id.clone()),
                        conversation_id: id.clone(),
                        content: ClientEvent::text_content(""),
                    };
                    let _ = self.0.client.send_reliably(None, &id, &msg_id, event).await;
                }
                Some(id)
            }
            Err(e) => {
                self.system(&self.0.strings.get("error"));
                self.emit("error", &JsValue::from_str(&e));
                None
            }
        }
    }

    fn persist(&self) {
        let outbox: Vec<Value> = self.0.chat.messages.with_untracked(|list| {
            list.iter()
                .filter(|m| m.author == Author::User && m.state != Some(SendState::Sent))
                .filter_map(|m| {
                    let text = match m.items.first() {
                        Some(ContentItem::Text(t)) => t.clone(),
                        _ => return None,
                    };
                    Some(json!({ "id": m.client_msg_id, "text": text }))
                })
                .collect()
        });
        store(
            &self.0.storage_key,
            &json!({ "conversationId": self.0.conversation.borrow().clone(), "outbox": outbox }),
        );
    }

    /// The badge survives a reload: unread messages stay unread until the panel is opened.
    fn persist_unread(&self) {
        store(
            &format!("{}:unread", self.0.storage_key),
            &json!(self.0.chat.unread.get_untracked()),
        );
    }

    fn set_current(&self, id: Option<String>) {
        *self.0.conversation.borrow_mut() = id.clone();
        self.0.chat.current.set(id);
    }

    /// Lists the visitor's conversations (`get_user_conversations`) and shows the list.
    pub fn show_history(&self) {
        let this = self.clone();
        platform::spawn(async move {
            let user = this.0.options.user_id.clone().unwrap_or_default();
            let answer = this
                .0
                .client
                .send_now(ClientEvent::GetUserConversations { user_id: user })
                .await;
            let list = match answer {
                Ok(a) => {
                    let body: Value = serde_json::from_str(&a.body).unwrap_or(Value::Null);
                    let payload = body
                        .pointer("/event/event_payload")
                        .filter(|p| !p.is_null())
                        .cloned()
                        .unwrap_or(body);
                    payload
                        .get("conversations")
                        .and_then(Value::as_array)
                        .map(|list| {
                            list.iter()
                                .filter_map(|c| {
                                    Some(Past {
                                        id: c.get("conversation_id")?.as_str()?.to_owned(),
                                        title: c
                                            .pointer("/metadata/title")
                                            .and_then(Value::as_str)
                                            .map(str::to_owned),
                                        updated: c
                                            .get("updatedAt")
                                            .or_else(|| c.get("updated_at"))
                                            .and_then(Value::as_f64),
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                }
                Err(e) => {
                    this.emit("error", &JsValue::from_str(&e.message));
                    Vec::new()
                }
            };
            this.0.chat.history.set(Some(list));
        });
    }

    pub fn hide_history(&self) {
        self.0.chat.history.set(None);
    }

    /// Reopens an earlier conversation with its history.
    pub fn switch_to(&self, id: String) {
        self.0.chat.history.set(None);
        if self.current().as_deref() == Some(id.as_str()) {
            return;
        }
        self.set_current(Some(id.clone()));
        self.0.client.touch(&id);
        self.0.chat.messages.set(Vec::new());
        self.0.chat.agent.set(None);
        self.0.chat.typing.set(false);
        self.persist();
        let this = self.clone();
        platform::spawn(async move { this.load_history().await });
    }

    /// Deletes a conversation (soft); a new one starts if it was on screen.
    pub fn delete_conversation(&self, id: String) {
        let this = self.clone();
        platform::spawn(async move {
            let result = this
                .0
                .client
                .send_now(ClientEvent::DeleteConversation {
                    conversation_id: id.clone(),
                    soft: true,
                })
                .await;
            if let Err(e) = result {
                this.emit("error", &JsValue::from_str(&e.message));
                return;
            }
            this.0.chat.history.update(|h| {
                if let Some(list) = h {
                    list.retain(|p| p.id != id);
                }
            });
            if this.current().as_deref() == Some(id.as_str()) {
                this.set_current(None);
                this.0.chat.messages.set(Vec::new());
                store(&this.0.storage_key, &json!({}));
            }
        });
    }

    /// Forgets the current conversation and starts another.
    pub fn new_conversation(&self) {
        self.0.chat.history.set(None);
        self.set_current(None);
        self.0.chat.messages.set(Vec::new());
        self.0.chat.agent.set(None);
        self.0.chat.typing.set(false);
        store(&self.0.storage_key, &json!({}));
        let this = self.clone();
        platform::spawn(async move {
            this.ensure_conversation().await;
        });
    }

    pub fn destroy(&self) {
        self.0.destroyed.set(true);
        if let Some(id) = self.0.subscription.take() {
            self.0.client.unsubscribe(id);
        }
        self.0.client.dispose();
    }

    // ---------- what the visitor does ----------

    pub fn set_open(&self, open: bool) {
        if self.0.chat.open.get_untracked() == open {
            return;
        }
        self.0.chat.open.set(open);
        if open {
            self.0.chat.unread.set(0);
            self.persist_unread();
            let this = self.clone();
            platform::spawn(async move {
                this.ensure_conversation().await;
            });
        }
        self.emit(if open { "open" } else { "close" }, &JsValue::UNDEFINED);
    }

    /// Sends what the visitor typed (or a button's value, shown as its label).
    pub fn send(&self, shown: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        self.send_with_id(shown, value, platform::uuid());
    }

    fn send_with_id(&self, shown: &str, value: &str, client_msg_id: String) {
        let key = self.key();
        self.0.chat.messages.update(|list| {
            list.push(Msg::outgoing(
                key,
                ContentItem::Text(shown.to_owned()),
                &client_msg_id,
            ))
        });
        self.persist();
        let this = self.clone();
        let value = value.to_owned();
        platform::spawn(async move {
            let Some(conversation) = this.ensure_conversation().await else {
                this.mark(&client_msg_id, SendState::Failed, None);
                return;
            };
            let event = ClientEvent::UserMessage {
                client_msg_id: Some(client_msg_id.clone()),
                conversation_id: conversation.clone(),
                content: ClientEvent::text_content(&value),
            };
            this.0.chat.typing.set(true);
            match this
                .0
                .client
                .send_reliably(None, &conversation, &client_msg_id, event)
                .await
            {
                Ok(answer) => {
                    let id = serde_json::from_str::<Value>(&answer.body)
                        .ok()
                        .and_then(|v| {
                            v.get("message_id")
                                .and_then(Value::as_str)
                                .map(str::to_owned)
                        });
                    this.mark(&client_msg_id, SendState::Sent, id);
                }
                Err(e) => {
                    this.0.chat.typing.set(false);
                    this.mark(&client_msg_id, SendState::Failed, None);
                    this.emit("error", &JsValue::from_str(&e.message));
                }
            }
            this.persist();
        });
    }

    /// Uploads files through the file service and sends them as one message each.
    pub fn upload(&self, files: Vec<web_sys::File>) {
        for file in files {
            let name = file.name();
            let mime = file.type_();
            let client_msg_id = platform::uuid();
            let key = self.key();
            let shown = ContentItem::Files {
                title: None,
                files: vec![crate::protocol::FileRef {
                    kind: Some(mime.clone()),
                    url: None,
                    mimetype: Some(mime.clone()),
                    filename: Some(name.clone()),
                    size: Some(file.size() as u64),
                    thumbnail: None,
                }],
            };
            self.0
                .chat
                .messages
                .update(|l| l.push(Msg::outgoing(key, shown, &client_msg_id)));
            let this = self.clone();
            platform::spawn(async move {
                let Some(conversation) = this.ensure_conversation().await else {
                    this.mark(&client_msg_id, SendState::Failed, None);
                    return;
                };
                let base = this.0.client.endpoints().files.clone();
                let uploaded = crate::client::files::file_to_text(
                    &base,
                    &JsValue::from(file),
                    &name,
                    true,
                    Some(&this.0.options.api_key),
                    Some(&conversation),
                    None,
                )
                .await;
                let upload = match uploaded {
                    Ok(u) => u,
                    Err(e) => {
                        this.mark(&client_msg_id, SendState::Failed, None);
                        this.system(&this.0.strings.fill("upload_failed", &[("name", &name)]));
                        this.emit("error", &JsValue::from_str(&e));
                        return;
                    }
                };
                let url = upload
                    .storage
                    .as_ref()
                    .and_then(|s| s.get("presignedUrl"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                this.0.chat.messages.update(|l| {
                    if let Some(m) = l.iter_mut().find(|m| m.key == key) {
                        if let Some(ContentItem::Files { files, .. }) =
                            Arc::make_mut(&mut m.items).first_mut()
                        {
                            if let Some(f) = files.first_mut() {
                                f.url = url.clone();
                            }
                        }
                    }
                });
                let content = json!({ "text": "", "files": [{
                    "filename": name, "type": mime,
                    "textContent": { "type": "file_content", "text": upload.text, "metadata": { "source": "file_attachment", "originalFileName": name, "storageType": "direct" } },
                    "storage": upload.storage,
                }] });
                let event = ClientEvent::UserMessage {
                    client_msg_id: Some(client_msg_id.clone()),
                    conversation_id: conversation.clone(),
                    content,
                };
                this.0.chat.typing.set(true);
                match this
                    .0
                    .client
                    .send_reliably(None, &conversation, &client_msg_id, event)
                    .await
                {
                    Ok(_) => this.mark(&client_msg_id, SendState::Sent, None),
                    Err(e) => {
                        this.0.chat.typing.set(false);
                        this.mark(&client_msg_id, SendState::Failed, None);
                        this.emit("error", &JsValue::from_str(&e.message));
                    }
                }
            });
        }
    }

    /// Sends a failed message again, under the same id (the server answers a retry once).
    pub fn retry(&self, key: u64) {
        let found = self
            .0
            .chat
            .messages
            .with_untracked(|l| l.iter().find(|m| m.key == key).cloned());
        let Some(m) = found else { return };
        let (Some(id), Some(ContentItem::Text(text))) =
            (m.client_msg_id.clone(), m.items.first().cloned())
        else {
            return;
        };
        self.0.chat.messages.update(|l| l.retain(|x| x.key != key));
        self.send_with_id(&text, &text, id);
    }

    /// A button that triggers an action (the Captivate AI API's `{title, action}` form).
    pub fn send_action(&self, action: Value) {
        let id = action
            .get("id")
            .or_else(|| action.get("action"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| action.as_str().map(str::to_owned));
        let Some(id) = id else { return };
        let data = action.get("data").cloned().unwrap_or(json!({}));
        let this = self.clone();
        platform::spawn(async move {
            let Some(conversation) = this.ensure_conversation().await else {
                return;
            };
            let key = platform::uuid();
            let event = ClientEvent::Action {
                id,
                data,
                conversation_id: conversation.clone(),
            };
            if let Err(e) = this
                .0
                .client
                .send_reliably(None, &conversation, &key, event)
                .await
            {
                this.emit("error", &JsValue::from_str(&e.message));
            }
        });
    }

    /// `handle.setMetadata(obj)`.
    pub async fn set_metadata(&self, metadata: Value) -> Result<(), String> {
        let conversation = self.ensure_conversation().await.ok_or("no conversation")?;
        let event = ClientEvent::Metadata {
            metadata,
            client_msg_id: Some(format!("metadata-{}", platform::uuid())),
            conversation_id: conversation,
            target: None,
        };
        self.0
            .client
            .send_now(event)
            .await
            .map(|_| ())
            .map_err(|e| e.message)
    }

    fn mark(&self, client_msg_id: &str, state: SendState, id: Option<String>) {
        self.0.chat.messages.update(|list| {
            if let Some(m) = list
                .iter_mut()
                .find(|m| m.client_msg_id.as_deref() == Some(client_msg_id))
            {
                m.state = Some(state);
                if id.is_some() {
                    m.id = id;
                }
            }
        });
    }

    fn system(&self, text: &str) {
        let key = self.key();
        self.0.chat.messages.update(|l| {
            l.push(Msg::new(
                key,
                Author::System,
                vec![ContentItem::Text(text.to_owned())],
            ))
        });
    }

    // ---------- what the server does ----------

    fn current(&self) -> Option<String> {
        self.0.conversation.borrow().clone()
    }

    fn on_notice(&self, notice: &Notice) {
        if self.0.destroyed.get() {
            return;
        }
        match notice {
            Notice::Link(link) => {
                self.0.chat.link.set(*link);
                self.emit("connection", &platform::js_str(link.as_str()));
            }
            Notice::Reconnected => {
                let this = self.clone();
                platform::spawn(async move { this.load_history().await });
            }
            Notice::Frame(frame) => {
                let target = frame
                    .head
                    .conversation_id
                    .clone()
                    .or_else(|| self.current());
                if target.is_none() || target != self.current() {
                    return;
                }
                if let Ok(frame) = frame.decode() {
                    self.on_event(&frame.event, &frame.payload);
                }
            }
            Notice::Delivery {
                delivery: Delivery::Failed { message, .. },
                client_msg_id,
                ..
            } => {
                self.mark(client_msg_id, SendState::Failed, None);
                self.emit("error", &JsValue::from_str(message));
            }
            _ => {}
        }
    }

    fn on_event(&self, event: &ServerEvent, payload: &Value) {
        match event {
            ServerEvent::BotMessage { ch_msg_id, .. } => {
                self.deliver(Author::Bot, event.content_items(), ch_msg_id.clone(), None);
                self.emit(
                    "message",
                    &to_js(&json!({ "from": "bot", "content": payload.get("content") })),
                );
            }
            ServerEvent::LivechatMessage { .. } => {
                let name = self.0.chat.agent.get_untracked();
                self.deliver(Author::Agent, event.content_items(), None, name);
                self.emit(
                    "message",
                    &to_js(&json!({ "from": "agent", "content": payload.get("content") })),
                );
            }
            ServerEvent::ConversationUpdate(u) => {
                let name = u
                    .data
                    .get("agentName")
                    .or_else(|| u.data.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| self.0.strings.get("agent"));
                match u.kind.as_str() {
                    "livechatAgentConnected" => {
                        self.0.chat.agent.set(Some(name.clone()));
                        self.system(&self.0.strings.fill("agent_joined", &[("name", &name)]));
                    }
                    "livechatAgentDisconnected" => {
                        self.0.chat.agent.set(None);
                        self.system(&self.0.strings.fill("agent_left", &[("name", &name)]));
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
                if let (Some(413), Some(link)) = (e.error_code, e.message_link.clone()) {
                    let this = self.clone();
                    platform::spawn(async move { this.fetch_large(link).await });
                } else {
                    let desc = e
                        .error_desc
                        .clone()
                        .unwrap_or_else(|| self.0.strings.get("error"));
                    self.system(&desc);
                    self.emit("error", &to_js(payload));
                }
            }
            _ => {}
        }
    }

    async fn fetch_large(&self, link: String) {
        match self.0.client.fetch_large_message(&link, None).await {
            Ok(content) => self.deliver(Author::Bot, parse_content(&content), None, None),
            Err(_) => self.system(&self.0.strings.get("error")),
        }
    }

    /// Shows a bot or agent message; `pause` items hold back what follows them.
    fn deliver(
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
        let answer = match self.0.client.fetch_transcript(&id, None).await {
            Ok(a) if a.ok() => a,
            Ok(a) if a.status == 404 => {
                // The conversation is gone (deleted or expired): start afresh.
                self.set_current(None);
                store(&self.0.storage_key, &json!({}));
                return;
            }
            _ => return,
        };
        let value: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        let entries = parse_transcript(&value);
        let mut added = Vec::new();
        self.0.chat.messages.with_untracked(|list| {
            // Sets, not scans: a transcript may hold thousands of messages.
            let ids: HashSet<&str> = list.iter().filter_map(|m| m.id.as_deref()).collect();
            let client_ids: HashSet<&str> = list
                .iter()
                .filter_map(|m| m.client_msg_id.as_deref())
                .collect();
            for e in &entries {
                let known = e.message_id.as_deref().is_some_and(|mid| ids.contains(mid));
                let empty = e
                    .content
                    .iter()
                    .all(|c| matches!(c, ContentItem::Text(t) if t.is_empty()));
                if known || empty {
                    continue;
                }
                let client = e.raw.get("client_msg_id").and_then(Value::as_str);
                if client.is_some_and(|c| client_ids.contains(c)) {
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
                    e.content.clone(),
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
        Author::User => strings.get("you"),
        Author::Agent => strings.get("agent"),
        _ => strings.get("bot"),
    };
    let text: Vec<String> = items
        .iter()
        .map(|i| match i {
            ContentItem::Text(t) | ContentItem::Markdown(t) => t.chars().take(200).collect(),
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
