//! `Conversation`: one conversation's sends and listeners. Each conversation hears only
//! its own events (7.0.0's "last one wins" socket handler is gone); events are routed by
//! the client, and a throwing callback never stops the others.

use std::cell::{Cell, RefCell};
use std::collections::{HashSet, VecDeque};
use std::rc::{Rc, Weak};

use js_sys::{Function, Object};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::{answer_value, debug, error, files, get, set, soft_delete};
use crate::client::platform::{self, from_js, to_js};
use crate::client::{ChatClient, Delivery, Frame, Notice};
use crate::protocol::{error_code, parse_transcript, ClientEvent, EventKind, JsonView, Sender};

/// Each list is shared: an event takes the list as it is (a callback may add callbacks
/// meanwhile) without copying it; adding copies the list only while an event holds it.
type List = Rc<Vec<Function>>;

#[derive(Default)]
struct Callbacks {
    message: List,
    error: List,
    update: List,
    action: List,
}

/// Bot messages sent while the socket was away are not lost: after a reconnect
/// the transcript is read and what came after the last message heard is handed to
/// `onMessage`, in order, before the frames that arrived meanwhile (7.0.0 drops them).
#[derive(Default)]
struct Gap {
    /// Where a fill starts: after the last bot message heard; for a conversation this
    /// object created, from its beginning until then; for any other, nowhere (its
    /// earlier history is not a gap).
    anchor: Anchor,
    /// Recent ids heard (bounded: the oldest leaves first), so that nothing is handed out twice.
    heard: VecDeque<String>,
    heard_set: HashSet<String>,
    /// Frames that arrive while a fill runs, replayed after it.
    held: Option<Vec<Frame>>,
}

#[derive(Default, Clone)]
enum Anchor {
    #[default]
    Nowhere,
    Start,
    After(String),
}

const HEARD: usize = 256;

impl Gap {
    fn hear(&mut self, id: &str) {
        self.anchor = Anchor::After(id.to_owned());
        if !self.heard_set.insert(id.to_owned()) {
            return;
        }
        if self.heard.len() == HEARD {
            if let Some(old) = self.heard.pop_front() {
                self.heard_set.remove(&old);
            }
        }
        self.heard.push_back(id.to_owned());
    }

    fn has_heard(&self, id: &str) -> bool {
        self.heard_set.contains(id)
    }
}

/// The id of a bot message frame (agent frames carry none, so they are not filled).
fn message_id(frame: &Frame) -> Option<&str> {
    match frame.head.kind {
        EventKind::BotMessage => frame.head.message_id.as_deref(),
        _ => None,
    }
}

struct Inner {
    client: ChatClient,
    gap: RefCell<Gap>,
    id: String,
    /// The key this conversation was listed under, when it differs from the client's.
    key_override: Option<String>,
    metadata: Value,
    ttl_days: Cell<Option<u32>>,
    callbacks: RefCell<Callbacks>,
    subscription: Cell<Option<u64>>,
}

/// A conversation of a `CaptivateChatAPI` instance.
#[wasm_bindgen]
pub struct Conversation {
    inner: Rc<Inner>,
}

impl Drop for Conversation {
    fn drop(&mut self) {
        if let Some(id) = self.inner.subscription.take() {
            self.inner.client.unsubscribe(id);
        }
    }
}

fn call(cb: &Function, args: &[JsValue]) {
    let result = match args {
        [a] => cb.call1(&JsValue::NULL, a),
        [a, b] => cb.call2(&JsValue::NULL, a, b),
        _ => cb.call0(&JsValue::NULL),
    };
    if let Err(e) = result {
        platform::console_error("[CaptivateChatAPI] A listener threw:", &e);
    }
}

fn payload_error(desc: &str) -> String {
    format!("Failed to send payload via HTTP: {desc}")
}

impl Inner {
    fn api_key(&self) -> &str {
        self.key_override
            .as_deref()
            .unwrap_or(self.client.api_key())
    }

    fn on_notice(self: &Rc<Self>, notice: &Notice) {
        match notice {
            Notice::Frame(frame) => {
                {
                    let mut gap = self.gap.borrow_mut();
                    if let Some(held) = gap.held.as_mut() {
                        held.push((*frame).clone());
                        return;
                    }
                    if let Some(id) = message_id(frame) {
                        // A reply stored just before a fill read the transcript can still
                        // come live after it: it was handed out already.
                        if gap.has_heard(id) {
                            return;
                        }
                        gap.hear(id);
                    }
                }
                self.on_frame(frame)
            }
            Notice::Reconnected => self.fill_gap(),
            Notice::Delivery {
                delivery:
                    Delivery::Failed {
                        message,
                        retried: true,
                    },
                ..
            } => {
                let e = Object::new();
                set(&e, "conversationId", &JsValue::from_str(&self.id));
                set(&e, "errorCode", &JsValue::from(0));
                set(&e, "errorDesc", &JsValue::from_str(&payload_error(message)));
                let cbs = self.callbacks.borrow().error.clone();
                for cb in cbs.iter() {
                    call(cb, &[e.clone().into()]);
                }
            }
            _ => {}
        }
    }

    /// Reads the transcript after a reconnect and hands out what was missed (see `Gap`).
    fn fill_gap(self: &Rc<Self>) {
        let anchor = {
            let mut gap = self.gap.borrow_mut();
            if gap.held.is_some() || self.callbacks.borrow().message.is_empty() {
                return;
            }
            if matches!(gap.anchor, Anchor::Nowhere) {
                return;
            }
            gap.held = Some(Vec::new());
            gap.anchor.clone()
        };
        let this = self.clone();
        platform::spawn(async move {
            let key = this.key_override.clone();
            let answer = this.client.fetch_transcript(&this.id, key.as_deref()).await;
            let entries = match answer {
                Ok(a) if a.ok() => serde_json::from_str::<Value>(&a.body)
                    .map(|v| parse_transcript(&v))
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let after = match &anchor {
                Anchor::After(id) => entries
                    .iter()
                    .position(|e| e.message_id.as_deref() == Some(id.as_str()))
                    .map(|i| i + 1)
                    .unwrap_or(entries.len()),
                _ => 0,
            };
            for e in entries.iter().skip(after) {
                if e.from != Sender::Bot {
                    continue;
                }
                let (Some(id), Some(content)) = (e.message_id.as_deref(), e.raw.get("messages"))
                else {
                    continue;
                };
                if this.gap.borrow().has_heard(id) {
                    continue;
                }
                this.gap.borrow_mut().hear(id);
                let listeners = this.callbacks.borrow().message.clone();
                let content = to_js(content);
                for cb in listeners.iter() {
                    call(cb, &[content.clone(), platform::js_str("ai_agent")]);
                }
            }
            let held = this.gap.borrow_mut().held.take().unwrap_or_default();
            for frame in held {
                if let Some(id) = message_id(&frame) {
                    if this.gap.borrow().has_heard(id) {
                        continue;
                    }
                    this.gap.borrow_mut().hear(id);
                }
                this.on_frame(&frame);
            }
        });
    }

    fn on_frame(self: &Rc<Self>, frame: &Frame) {
        // The payload as the engine parsed it, in either envelope shape.
        let payload = frame.head.payload.clone().unwrap_or(JsValue::UNDEFINED);
        let kind = frame.head.kind;
        // The lists this event calls, as they are now (shared, not copied: a callback that
        // adds callbacks copies the list then).
        let (message, errors, updates, actions) = {
            let c = self.callbacks.borrow();
            let copy = |wanted: bool, list: &List| {
                if wanted {
                    list.clone()
                } else {
                    List::default()
                }
            };
            (
                copy(
                    matches!(
                        kind,
                        EventKind::BotMessage
                            | EventKind::LivechatMessage
                            | EventKind::GeneralError
                    ),
                    &c.message,
                ),
                copy(kind == EventKind::GeneralError, &c.error),
                copy(kind == EventKind::ConversationUpdate, &c.update),
                copy(kind == EventKind::Action, &c.action),
            )
        };
        match kind {
            EventKind::BotMessage | EventKind::LivechatMessage => {
                // The head checked that the payload is an object (or absent: undefined).
                let content = js_sys::Reflect::get(&payload, &platform::js_str("content"))
                    .unwrap_or(JsValue::UNDEFINED);
                let from = if kind == EventKind::BotMessage {
                    "ai_agent"
                } else {
                    "human_agent"
                };
                for cb in message.iter() {
                    call(cb, &[content.clone(), platform::js_str(from)]);
                }
            }
            EventKind::GeneralError => {
                // A general_error nested in a conversation_update carries its fields one level down.
                let source = frame.head.error.clone().unwrap_or(JsValue::UNDEFINED);
                let err = Object::new();
                set(&err, "conversationId", &get(&source, "conversation_id"));
                set(&err, "errorCode", &get(&source, "error_code"));
                set(&err, "errorDesc", &get(&source, "error_desc"));
                for cb in errors.iter() {
                    call(cb, &[err.clone().into()]);
                }
                if message.is_empty() {
                    return;
                }
                let link = source
                    .field("message_link")
                    .and_then(|l| l.lenient_string());
                match (error_code(&source), link) {
                    (Some(413), Some(link)) => self.fetch_large_message(link, message),
                    _ => {
                        let desc = source
                            .field("error_desc")
                            .and_then(|d| d.lenient_string())
                            .filter(|d| !d.is_empty())
                            .unwrap_or_else(|| "Unknown error".to_owned());
                        let text = JsValue::from_str(&format!("[Error: {desc}]"));
                        for cb in message.iter() {
                            call(cb, &[text.clone(), platform::js_str("error")]);
                        }
                    }
                }
            }
            EventKind::ConversationUpdate => {
                let update = Object::new();
                set(&update, "type", &get(&payload, "type"));
                set(&update, "conversationId", &get(&payload, "conversation_id"));
                set(&update, "data", &get(&payload, "data"));
                for cb in updates.iter() {
                    call(cb, &[update.clone().into()]);
                }
            }
            EventKind::Action => {
                let list = get(&payload, "actions");
                for cb in actions.iter() {
                    call(cb, std::slice::from_ref(&list));
                }
            }
            _ => {}
        }
    }

    /// 413: the message is fetched from its link and handed to `onMessage` listeners.
    fn fetch_large_message(self: &Rc<Self>, link: String, listeners: List) {
        let inner = self.clone();
        platform::spawn(async move {
            let outcome = inner
                .client
                .fetch_large_message(&link, inner.key_override.as_deref())
                .await;
            let outcome = outcome.map(|content| to_js(&content));
            let (value, kind) = match outcome {
                Ok(content) => (content, "ai_agent"),
                Err(e) => {
                    platform::console_error(
                        "Error fetching large message:",
                        &JsValue::from_str(&e),
                    );
                    (
                        JsValue::from_str(&format!("[Error fetching large message: {e}]")),
                        "error",
                    )
                }
            };
            for cb in listeners.iter() {
                call(cb, &[value.clone(), kind.into()]);
            }
        });
    }
}

impl Conversation {
    pub(crate) fn new(
        client: ChatClient,
        id: &str,
        metadata: Value,
        key_override: Option<String>,
    ) -> Conversation {
        let key_override = key_override.filter(|k| k != client.api_key());
        Conversation {
            inner: Rc::new(Inner {
                client,
                gap: RefCell::new(Gap::default()),
                id: id.to_owned(),
                key_override,
                metadata,
                ttl_days: Cell::new(None),
                callbacks: RefCell::new(Callbacks::default()),
                subscription: Cell::new(None),
            }),
        }
    }

    /// This object started the conversation: all of it is new to its listeners.
    pub(crate) fn mark_new(&self) {
        let mut gap = self.inner.gap.borrow_mut();
        if matches!(gap.anchor, Anchor::Nowhere) {
            gap.anchor = Anchor::Start;
        }
    }

    fn listen(&self) {
        if self.inner.subscription.get().is_some() {
            return;
        }
        let weak: Weak<Inner> = Rc::downgrade(&self.inner);
        let id = self.inner.client.subscribe(
            Some(&self.inner.id),
            Rc::new(move |notice| {
                if let Some(inner) = weak.upgrade() {
                    inner.on_notice(notice);
                }
            }),
        );
        self.inner.subscription.set(Some(id));
    }

    /// Sends a `user_message` through the outbox; resolves to the HTTP answer.
    pub(crate) async fn send_message_value(&self, content: Value) -> Result<JsValue, JsValue> {
        send_message(self.inner.clone(), content).await
    }
}

async fn send_message(inner: Rc<Inner>, content: Value) -> Result<JsValue, JsValue> {
    let client_msg_id = platform::uuid();
    let event = ClientEvent::UserMessage {
        client_msg_id: Some(client_msg_id.clone()),
        conversation_id: inner.id.clone(),
        content,
    };
    match inner
        .client
        .send_reliably(
            inner.key_override.as_deref(),
            &inner.id,
            &client_msg_id,
            event,
        )
        .await
    {
        Ok(answer) => {
            let v = answer_value(&answer, false);
            debug("Payload received from server via HTTP:", &v);
            Ok(v)
        }
        Err(e) => Err(error(payload_error(&e.message))),
    }
}

async fn send_direct(inner: &Inner, event: ClientEvent) -> Result<JsValue, JsValue> {
    match inner
        .client
        .send_now_as(inner.key_override.as_deref(), event)
        .await
    {
        Ok(answer) => Ok(answer_value(&answer, false)),
        Err(e) => Err(error(payload_error(&e.message))),
    }
}

async fn set_metadata(inner: Rc<Inner>, metadata: JsValue) -> Result<JsValue, JsValue> {
    if !metadata.is_object() {
        return Err(error("Metadata must be a non-null object."));
    }
    let event = ClientEvent::Metadata {
        metadata: from_js(&metadata),
        client_msg_id: Some(format!("metadata-{}", platform::uuid())),
        conversation_id: inner.id.clone(),
        target: None,
    };
    let answer = send_direct(&inner, event).await?;
    debug("Metadata update confirmed via HTTP response:", &answer);
    Ok(JsValue::UNDEFINED)
}

async fn edit_message(
    inner: Rc<Inner>,
    message_id: String,
    content: Value,
) -> Result<JsValue, JsValue> {
    let event = ClientEvent::EditMessage {
        client_msg_id: Some(format!("edit-message-id-{}", platform::uuid())),
        conversation_id: inner.id.clone(),
        message_id,
        content,
    };
    let answer = send_direct(&inner, event).await?;
    debug("Message edit confirmed via HTTP response:", &answer);
    Ok(JsValue::UNDEFINED)
}

fn content_of(content: &JsValue) -> Value {
    match content.as_string() {
        Some(text) => ClientEvent::text_content(&text),
        None => from_js(content),
    }
}

#[wasm_bindgen]
impl Conversation {
    #[wasm_bindgen(js_name = getConversationId)]
    pub fn get_conversation_id(&self) -> String {
        self.inner.id.clone()
    }

    #[wasm_bindgen(getter, js_name = apiKey)]
    pub fn api_key(&self) -> String {
        self.inner.api_key().to_owned()
    }

    /// The metadata the conversation was listed with (`getUserConversations`).
    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsValue {
        to_js(&self.inner.metadata)
    }

    /// The TTL set through `setTimeToLive`, used for file uploads.
    #[wasm_bindgen(getter, js_name = timeToLive)]
    pub fn time_to_live(&self) -> Option<u32> {
        self.inner.ttl_days.get()
    }

    /// Kept for compatibility: listeners never detach here, so there is nothing to restart.
    #[wasm_bindgen(js_name = restartListeners)]
    pub fn restart_listeners(&self) {
        self.listen();
    }

    #[wasm_bindgen(js_name = onMessage)]
    pub fn on_message(&self, callback: Function) {
        Rc::make_mut(&mut self.inner.callbacks.borrow_mut().message).push(callback);
        self.listen();
    }

    #[wasm_bindgen(js_name = onError)]
    pub fn on_error(&self, callback: Function) {
        Rc::make_mut(&mut self.inner.callbacks.borrow_mut().error).push(callback);
        self.listen();
    }

    #[wasm_bindgen(js_name = onConversationUpdate)]
    pub fn on_conversation_update(&self, callback: Function) {
        Rc::make_mut(&mut self.inner.callbacks.borrow_mut().update).push(callback);
        self.listen();
    }

    #[wasm_bindgen(js_name = onActionReceived)]
    pub fn on_action_received(&self, callback: Function) {
        Rc::make_mut(&mut self.inner.callbacks.borrow_mut().action).push(callback);
        self.listen();
    }

    /// Sends a message (a string becomes `{type:'text', text}`); resolves to the HTTP answer.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, content: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        let content = content_of(&content);
        self.inner.client.touch(&self.inner.id);
        super::promise(send_message(inner, content))
    }

    #[wasm_bindgen(js_name = sendAction)]
    pub fn send_action(&self, action_id: String, data: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        let data = if data.is_undefined() {
            json!({})
        } else {
            from_js(&data)
        };
        super::promise(async move {
            let key = platform::uuid();
            let event = ClientEvent::Action {
                id: action_id,
                data,
                conversation_id: inner.id.clone(),
            };
            match inner
                .client
                .send_reliably(inner.key_override.as_deref(), &inner.id, &key, event)
                .await
            {
                Ok(answer) => {
                    debug(
                        "Action sent confirmed via HTTP response:",
                        &answer_value(&answer, false),
                    );
                    Ok(JsValue::UNDEFINED)
                }
                Err(e) => Err(error(payload_error(&e.message))),
            }
        })
    }

    #[wasm_bindgen(js_name = setMetadata)]
    pub fn set_metadata(&self, metadata: JsValue) -> js_sys::Promise {
        super::promise(set_metadata(self.inner.clone(), metadata))
    }

    #[wasm_bindgen(js_name = setPrivateMetadata)]
    pub fn set_private_metadata(&self, private_metadata: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        super::promise(async move {
            if !private_metadata.is_object() {
                return Err(error("Private metadata must be a non-null object."));
            }
            let wrapped = Object::new();
            set(&wrapped, "private", &private_metadata);
            set_metadata(inner, wrapped.into()).await
        })
    }

    /// Only 1, 7, 30 or 90; other values are ignored.
    #[wasm_bindgen(js_name = setTimeToLive)]
    pub fn set_time_to_live(&self, days: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        super::promise(async move {
            let Some(d) = days.as_f64().filter(|d| [1.0, 7.0, 30.0, 90.0].contains(d)) else {
                return Ok(JsValue::UNDEFINED);
            };
            inner.ttl_days.set(Some(d as u32));
            let m = Object::new();
            set(&m, "timeToLive", &JsValue::from(d));
            set_metadata(inner, m.into()).await
        })
    }

    /// Resolves to `answer.metadata`, or the whole answer when it has none.
    #[wasm_bindgen(js_name = getMetadata)]
    pub fn get_metadata(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        super::promise(async move {
            let answer = send_direct(
                &inner,
                ClientEvent::MetadataRequest {
                    conversation_id: inner.id.clone(),
                },
            )
            .await?;
            debug("Metadata retrieved via HTTP response:", &answer);
            let metadata = get(&answer, "metadata");
            Ok(if metadata.is_truthy() {
                metadata
            } else {
                answer
            })
        })
    }

    #[wasm_bindgen(js_name = editMessage)]
    pub fn edit_message(&self, message_id: JsValue, content: JsValue) -> js_sys::Promise {
        let id = message_id
            .as_string()
            .unwrap_or_else(|| platform::stringify(&message_id));
        super::promise(edit_message(self.inner.clone(), id, content_of(&content)))
    }

    /// `{ softDelete = true } = {}`.
    pub fn delete(&self, options: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        super::promise(async move {
            let soft = soft_delete(&options);
            let answer = send_direct(
                &inner,
                ClientEvent::DeleteConversation {
                    conversation_id: inner.id.clone(),
                    soft,
                },
            )
            .await?;
            debug("Conversation delete confirmed via HTTP response:", &answer);
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The transcript; file links expiring within 5 minutes are renewed first (and the
    /// renewed links pushed back with `editMessage`), as in 7.0.0.
    #[wasm_bindgen(js_name = getTranscript)]
    pub fn get_transcript(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        super::promise(async move {
            let key = inner.api_key().to_owned();
            if key.is_empty() {
                return Err(error("API key is required to fetch transcript via REST."));
            }
            let answer = inner
                .client
                .fetch_transcript(&inner.id, inner.key_override.as_deref())
                .await
                .map_err(error)?;
            if !answer.ok() {
                return Err(error(format!(
                    "Failed to fetch transcript: {} {}",
                    answer.status, answer.status_text
                )));
            }
            let data: Value = serde_json::from_str(&answer.body)
                .map_err(|e| error(format!("Failed to fetch transcript: {e}")))?;
            let Some(Value::Array(entries)) = data.get("transcript").cloned() else {
                return Err(error(
                    "Failed to fetch transcript: the answer has no transcript",
                ));
            };
            let base = inner.client.endpoints().files.clone();
            let now = (platform::now_ms() / 1000.0).floor() as i64;
            let mut out = Vec::with_capacity(entries.len());
            for mut entry in entries {
                let mut refreshed = false;
                if let Some(Value::Array(files)) = entry.get_mut("files") {
                    for file in files.iter_mut() {
                        let Some(key) = file
                            .pointer("/storage/fileKey")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                        else {
                            continue;
                        };
                        // As 7.0.0 computes `expiresIn - now < 300`: a link without a number
                        // there (NaN) is left as it is.
                        let expires = match file.pointer("/storage/expiresIn") {
                            Some(Value::Number(n)) => n.as_f64(),
                            // (Whole seconds: parsing floats would cost the wasm ~15 kB.)
                            Some(Value::String(s)) => {
                                s.trim().parse::<i64>().ok().map(|n| n as f64)
                            }
                            _ => None,
                        };
                        match expires {
                            Some(at) if at - (now as f64) < 300.0 => {}
                            _ => continue,
                        }
                        match files::secure_file_url(&base, &key, 7200).await {
                            Ok(url) => {
                                file["storage"]["presignedUrl"] = json!(url);
                                file["storage"]["expiresIn"] = json!(now + 7200);
                                refreshed = true;
                            }
                            Err(e) => platform::console_error(
                                "Failed to refresh a file link:",
                                &JsValue::from_str(&e),
                            ),
                        }
                    }
                }
                if refreshed {
                    let id = entry
                        .get("message_id")
                        .or_else(|| entry.get("id"))
                        .filter(|v| !v.is_null())
                        .cloned();
                    if let Some(id) = id {
                        let id = id
                            .as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| id.to_string());
                        let files = entry.get("files").cloned().unwrap_or(Value::Null);
                        let mut content = match entry.get("content") {
                            Some(c @ Value::Object(_)) => c.clone(),
                            _ => {
                                json!({ "text": entry.get("text").and_then(Value::as_str).unwrap_or("") })
                            }
                        };
                        content["files"] = files;
                        if let Err(e) = edit_message(inner.clone(), id, content).await {
                            platform::console_error(
                                "Failed to push refreshed URLs via editMessage:",
                                &e,
                            );
                        }
                    }
                }
                out.push(entry);
            }
            Ok(to_js(&Value::Array(out)))
        })
    }

    /// The file service bound to this conversation (used by the `fileManager` property).
    #[wasm_bindgen(js_name = uploadFile)]
    pub fn upload_file(&self, file: JsValue, file_name: String, storage: bool) -> js_sys::Promise {
        let base = self.inner.client.endpoints().files.clone();
        let key = self.inner.api_key().to_owned();
        let id = self.inner.id.clone();
        let ttl = self.inner.ttl_days.get();
        super::promise(async move {
            files::file_to_text(&base, file, &file_name, storage, Some(&key), Some(&id), ttl).await
        })
    }
}
