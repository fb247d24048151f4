//! `Conversation`: one conversation's sends and listeners, its state in [`Inner`] (beside:
//! `listeners`, its callbacks and the gap fill after a reconnect; `renewal`, fresh links to
//! its stored files). Each hears only its own events (7.0.0's "last one wins" socket handler
//! is gone); events are routed by the client, and a throwing callback never stops the others.

mod listeners;
mod renewal;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

use super::{answer_value, debug, error, files, get, set, soft_delete};
use crate::client::platform;
use crate::client::values::{self, json_copy};
use crate::client::ChatClient;
use crate::protocol::ClientEvent;

use listeners::{Anchor, Callbacks, Gap, Hears};
use renewal::renew_file_links;

struct Inner {
    client: ChatClient,
    gap: RefCell<Gap>,
    id: String,
    /// The key this conversation was listed under, when it differs from the client's.
    /// Writable, as 7.0.0's public field: `conversation.apiKey = …` changes the key of
    /// what this conversation sends and reads from then on.
    key_override: RefCell<Option<String>>,
    /// As the conversation was listed (`getUserConversations`), or as it was started.
    metadata: JsValue,
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

fn payload_error(desc: &str) -> String {
    ["Failed to send payload via HTTP: ", desc].concat()
}

impl Inner {
    fn api_key(&self) -> String {
        self.key_override()
            .unwrap_or_else(|| self.client.api_key().to_owned())
    }

    /// The key this conversation uses when it is not its client's.
    fn key_override(&self) -> Option<String> {
        self.key_override.borrow().clone()
    }
}

impl Conversation {
    pub(crate) fn new(
        client: ChatClient,
        id: &str,
        metadata: JsValue,
        key_override: Option<String>,
    ) -> Conversation {
        let key_override = key_override.filter(|k| k != client.api_key());
        Conversation {
            inner: Rc::new(Inner {
                client,
                gap: RefCell::new(Gap::default()),
                id: id.to_owned(),
                key_override: RefCell::new(key_override),
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
    pub(crate) async fn send_message_value(&self, content: JsValue) -> Result<JsValue, JsValue> {
        send_message(self.inner.clone(), content).await
    }
}

async fn send_message(inner: Rc<Inner>, content: JsValue) -> Result<JsValue, JsValue> {
    let client_msg_id = platform::uuid();
    let event = ClientEvent::UserMessage {
        client_msg_id: Some(client_msg_id.clone()),
        conversation_id: inner.id.clone(),
        content,
    };
    match inner
        .client
        .send_reliably(
            inner.key_override().as_deref(),
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
        Err(e) => Err(error(payload_error(&e.message()))),
    }
}

async fn send_direct(inner: &Inner, event: ClientEvent<JsValue>) -> Result<JsValue, JsValue> {
    match inner
        .client
        .send_now_as(inner.key_override().as_deref(), event)
        .await
    {
        Ok(answer) => Ok(answer_value(&answer, false)),
        Err(e) => Err(error(payload_error(&e.message()))),
    }
}

async fn set_metadata(inner: Rc<Inner>, metadata: JsValue) -> Result<JsValue, JsValue> {
    if !metadata.is_object() {
        return Err(error("Metadata must be a non-null object."));
    }
    let event = ClientEvent::Metadata {
        metadata: json_copy(&metadata),
        client_msg_id: Some(["metadata-", &platform::uuid()].concat()),
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
    content: JsValue,
) -> Result<JsValue, JsValue> {
    let event = ClientEvent::EditMessage {
        client_msg_id: Some(["edit-message-id-", &platform::uuid()].concat()),
        conversation_id: inner.id.clone(),
        message_id,
        content,
    };
    let answer = send_direct(&inner, event).await?;
    debug("Message edit confirmed via HTTP response:", &answer);
    Ok(JsValue::UNDEFINED)
}

fn content_of(content: &JsValue) -> JsValue {
    match content.as_string() {
        Some(text) => ClientEvent::text_content(&text),
        None => json_copy(content),
    }
}

#[wasm_bindgen]
impl Conversation {
    #[wasm_bindgen(js_name = getConversationId)]
    pub fn get_conversation_id(&self) -> JsValue {
        JsValue::from_str(&self.inner.id)
    }

    #[wasm_bindgen(getter, js_name = apiKey)]
    pub fn api_key(&self) -> JsValue {
        JsValue::from_str(&self.inner.api_key())
    }

    #[wasm_bindgen(setter, js_name = apiKey)]
    pub fn set_api_key(&self, key: JsValue) {
        let key = key
            .as_string()
            .unwrap_or_else(|| String::from(js_sys::JsString::from(key)));
        let differs = key != self.inner.client.api_key();
        *self.inner.key_override.borrow_mut() = differs.then_some(key);
    }

    /// The metadata the conversation was listed with (`getUserConversations`).
    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsValue {
        self.inner.metadata.clone()
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
        {
            let mut c = self.inner.callbacks.borrow_mut();
            Rc::make_mut(&mut c.general).push((Hears::Message, callback.clone()));
            Rc::make_mut(&mut c.message).push(callback);
        }
        self.listen();
    }

    #[wasm_bindgen(js_name = onError)]
    pub fn on_error(&self, callback: Function) {
        {
            let mut c = self.inner.callbacks.borrow_mut();
            Rc::make_mut(&mut c.general).push((Hears::Error, callback.clone()));
            Rc::make_mut(&mut c.error).push(callback);
        }
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
            Object::new().into()
        } else {
            json_copy(&data)
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
                .send_reliably(inner.key_override().as_deref(), &inner.id, &key, event)
                .await
            {
                Ok(answer) => {
                    debug(
                        "Action sent confirmed via HTTP response:",
                        &answer_value(&answer, false),
                    );
                    Ok(JsValue::UNDEFINED)
                }
                Err(e) => Err(error(payload_error(&e.message()))),
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
            .unwrap_or_else(|| values::stringify(&message_id));
        super::promise(edit_message(self.inner.clone(), id, content_of(&content)))
    }

    /// `{ softDelete = true } = {}`.
    pub fn delete(&self, options: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        super::promise(async move {
            let (soft, kind) = soft_delete(&options);
            let answer = send_direct(
                &inner,
                ClientEvent::DeleteConversation {
                    conversation_id: inner.id.clone(),
                    soft,
                },
            )
            .await?;
            debug(
                &[
                    "Conversation ",
                    kind,
                    " delete confirmed via HTTP response:",
                ]
                .concat(),
                &answer,
            );
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
                .fetch_transcript(&inner.id, inner.key_override().as_deref())
                .await
                .map_err(|e| error(e.message()))?;
            if !answer.ok() {
                return Err(error(
                    [
                        "Failed to fetch transcript: ",
                        &crate::text::decimal(answer.status.into()),
                        " ",
                        &answer.status_text,
                    ]
                    .concat(),
                ));
            }
            // The engine's parser: entries reach the page with their keys in the server's order.
            let data = answer
                .parsed()
                .map_err(|e| error(["Failed to fetch transcript: ", &e.message()].concat()))?;
            let Some(entries) = get(&data, "transcript").dyn_into::<js_sys::Array>().ok() else {
                return Err(error(
                    "Failed to fetch transcript: the answer has no transcript",
                ));
            };
            renew_file_links(inner, &entries).await;
            Ok(entries.into())
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
