//! The drop-in JavaScript API's core, exported through wasm-bindgen: `CaptivateChatAPI`
//! (wrapped by a thin JS shell for the singleton identity and `create()`), `Conversation`,
//! and the file service calls behind `CaptivateChatFileManager`. Names, arguments,
//! defaults, resolved values, callback arguments and error messages follow
//! captivate-chat-api 7.0.0; where 7.0.0 is broken the signature stays and the behaviour
//! is fixed (see README, "Differences from captivate-chat-api").

mod conversation;
mod files;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use crate::client::platform::{self, HttpAnswer};
use crate::client::values::{self, get, json_copy, set};
use crate::client::{ChatClient, ClientError, Endpoints};
use crate::protocol::{json, ClientEvent, JsonBuild, JsonView};
pub use conversation::Conversation;

/// The promise of an async method. Every method's future goes through this one
/// instantiation of `future_to_promise` (one per method is a copy of it per method).
pub(crate) fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    boxed_promise(Box::pin(future))
}

#[inline(never)]
fn boxed_promise(future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(future)
}

fn error(message: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(message.as_ref()).into()
}

/// A `connect()`/`reconnect()` failure, as 7.0.0 words it.
fn link_error(e: ClientError) -> JsValue {
    match e {
        ClientError::Disposed => error("This CaptivateChatAPI instance was disposed"),
        other => error(other.message()),
    }
}

/// A failed conversation start, as 7.0.0 words it.
fn start_error(e: ClientError) -> JsValue {
    match e {
        ClientError::StartTimeout => error(e.message()),
        other => error(http_error(&other)),
    }
}

/// A failed send of the API's own, as 7.0.0 words it.
fn http_error(e: &ClientError) -> String {
    ["Failed to send message via HTTP: ", &e.message()].concat()
}

/// A debug line, printed only in debug mode.
pub(crate) fn debug(what: &str, detail: &JsValue) {
    if crate::js_debug() {
        platform::console_log(&["[CaptivateChatAPI] ", what].concat(), detail);
    }
}

/// The HTTP answer as 7.0.0 hands it back: parsed JSON, or a wrapper for plain text
/// (`CaptivateChatAPI`'s own sends add `event.event_payload.conversation_id: null`).
pub(crate) fn answer_value(answer: &HttpAnswer, api_level: bool) -> JsValue {
    if answer.is_json() {
        return answer.json();
    }
    let event = api_level.then(|| {
        let payload = JsValue::object(&[("conversation_id", Some(JsValue::NULL))]);
        JsValue::object(&[("event_payload", Some(payload))])
    });
    JsValue::object(&[
        ("status", Some(JsValue::from_str("success"))),
        ("message", Some(answer.body.clone())),
        ("event", event),
    ])
}

/// Reads a `{ softDelete = true } = {}` options object: the value as given (7.0.0
/// sends `softdelete: 0` as it is), and whether it is truthy (for its log line).
pub(crate) fn soft_delete(options: &JsValue) -> (JsValue, &'static str) {
    let given = get(options, "softDelete");
    if given.is_undefined() {
        return (JsValue::TRUE, "soft");
    }
    let kind = if given.is_truthy() { "soft" } else { "hard" };
    (json_copy(&given), kind)
}

/// An argument as 7.0.0 passes it on: `None` (left out of the JSON) when `undefined`.
fn given(v: &JsValue) -> Option<JsValue> {
    (!v.is_undefined()).then(|| json_copy(v))
}

/// A non-empty object (`Object.keys(x).length > 0`).
fn non_empty(v: &JsValue) -> bool {
    v.is_object() && Object::keys(&Object::from(v.clone())).length() > 0
}

/// Reads the endpoint options of the constructor's third argument:
/// `{ baseUrl }` (one server for everything) or `{ socketUrl, apiUrl, fileUrl }`.
fn endpoints(mode: &str, options: &JsValue) -> Endpoints {
    let s = |k: &'static str| get(options, k).as_string();
    let base = match s("baseUrl") {
        Some(origin) => Endpoints::single_origin(&origin),
        None => Endpoints::preset(mode),
    };
    base.with_overrides(s("socketUrl"), s("apiUrl"), s("fileUrl"))
}

/// The core of `CaptivateChatAPI`: one client (socket, sends, reconnects) per instance.
#[wasm_bindgen(js_name = CaptivateChatAPICore)]
pub struct Api {
    client: ChatClient,
    mode: String,
    conversations: Rc<RefCell<Known>>,
}

/// The conversation objects handed out, by id (a few; a list costs less wasm than a map).
#[derive(Default)]
struct Known(Vec<(String, JsValue)>);

impl Known {
    fn get(&self, id: &str) -> Option<&JsValue> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    fn insert(&mut self, id: String, conv: JsValue) {
        match self.0.iter_mut().find(|(k, _)| *k == id) {
            Some(entry) => entry.1 = conv,
            None => self.0.push((id, conv)),
        }
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

#[wasm_bindgen(js_class = CaptivateChatAPICore)]
impl Api {
    #[wasm_bindgen(constructor)]
    pub fn new(api_key: String, mode: Option<String>, options: JsValue) -> Api {
        let mode = mode.unwrap_or_else(|| "prod".into());
        let endpoints = endpoints(&mode, &options);
        files::remember_file_service(&endpoints.files);
        debug(
            &[
                "Created new CaptivateChatAPI instance for ",
                &api_key,
                "-",
                &mode,
            ]
            .concat(),
            &JsValue::UNDEFINED,
        );
        Api {
            client: ChatClient::new(&api_key, endpoints),
            mode,
            conversations: Rc::new(RefCell::new(Known::default())),
        }
    }

    #[wasm_bindgen(getter, js_name = apiKey)]
    pub fn api_key(&self) -> JsValue {
        JsValue::from_str(self.client.api_key())
    }

    #[wasm_bindgen(getter)]
    pub fn mode(&self) -> JsValue {
        JsValue::from_str(&self.mode)
    }

    /// Resolves on `socket_connected`; rejects after 10 s or on a socket error.
    pub fn connect(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            client
                .connect()
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(link_error)?;
            debug(
                "Socket connected with ID:",
                &client
                    .socket_id()
                    .map(JsValue::from)
                    .unwrap_or(JsValue::NULL),
            );
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Up to 5 attempts, 3 s apart.
    pub fn reconnect(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            client
                .reconnect()
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(link_error)
        })
    }

    #[wasm_bindgen(js_name = isSocketActive)]
    pub fn is_socket_active(&self) -> bool {
        self.client.is_socket_active()
    }

    #[wasm_bindgen(js_name = getSocket)]
    pub fn get_socket(&self) -> JsValue {
        self.client.raw_socket()
    }

    #[wasm_bindgen(js_name = getSocketId)]
    pub fn get_socket_id(&self) -> JsValue {
        self.client
            .socket_id()
            .map(JsValue::from)
            .unwrap_or(JsValue::NULL)
    }

    /// The link state: `offline`, `connecting`, `online` or `reconnecting` (an addition).
    #[wasm_bindgen(js_name = getConnectionState)]
    pub fn connection_state(&self) -> JsValue {
        values::js_str(self.client.link().as_str()).clone()
    }

    fn conversation(&self, id: &str, metadata: JsValue, api_key: Option<String>) -> JsValue {
        let conv = Conversation::new(self.client.clone(), id, metadata, api_key);
        JsValue::from(conv)
    }

    #[wasm_bindgen(js_name = createConversation)]
    pub fn create_conversation(
        &self,
        user_id: JsValue,
        user_basic_info: JsValue,
        metadata: JsValue,
        auto_conversation_start: JsValue,
        private_metadata: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        // A copy (the page's object is not changed); anything but an object counts as `{}`.
        let full = Some(json_copy(&metadata))
            .filter(JsonView::is_object)
            .unwrap_or_else(|| Object::new().into());
        // 7.0.0's default `{}` is truthy, so `private` is always sent.
        if private_metadata.is_undefined() {
            set(&full, "private", &Object::new());
        } else if private_metadata.is_truthy() {
            set(&full, "private", &json_copy(&private_metadata));
        }
        let info = if user_basic_info.is_undefined() {
            Object::new().into()
        } else {
            json_copy(&user_basic_info)
        };
        let user = given(&user_id);
        // `autoConversationStart = 'bot-first'`, compared with `===`: anything else
        // (another string, `null`) starts user-first.
        let bot_first = auto_conversation_start.is_undefined()
            || auto_conversation_start.as_string().as_deref() == Some("bot-first");
        let known = self.conversations.clone();
        promise(async move {
            let id = client
                .start_conversation(&user, info, full)
                .await
                .map_err(start_error)?;
            let conv = Conversation::new(client.clone(), &id, Object::new().into(), None);
            conv.mark_new();
            if bot_first {
                conv.send_message_value(ClientEvent::text_content(""))
                    .await?;
            }
            let conv = JsValue::from(conv);
            known.borrow_mut().insert(id, conv.clone());
            Ok(conv)
        })
    }

    /// The conversation with this id (created on first use); throws when not connected.
    #[wasm_bindgen(js_name = getConversation)]
    pub fn get_conversation(&self, conversation_id: String) -> Result<JsValue, JsValue> {
        if let Some(c) = self.conversations.borrow().get(&conversation_id) {
            return Ok(c.clone());
        }
        if !self.client.has_socket() {
            platform::console_error("Socket is not initialized", &JsValue::UNDEFINED);
            return Err(error("WebSocket connection not established"));
        }
        let conv = self.conversation(&conversation_id, Object::new().into(), None);
        self.conversations
            .borrow_mut()
            .insert(conversation_id, conv.clone());
        Ok(conv)
    }

    #[wasm_bindgen(js_name = getUserConversations)]
    pub fn get_user_conversations(&self, user_id_or_options: JsValue) -> js_sys::Promise {
        let options = if user_id_or_options.is_string() {
            let o = Object::new();
            set(&o, "userId", &user_id_or_options);
            JsValue::from(o)
        } else {
            user_id_or_options
        };
        let user_id = given(&get(&options, "userId"));
        let filter = get(&options, "filter");
        let search = get(&options, "search");
        let pagination = get(&options, "pagination");
        let api_keys = get(&options, "apiKeys");
        let api_keys: Option<Vec<String>> =
            if Array::is_array(&api_keys) && Array::from(&api_keys).length() > 0 {
                Some(
                    Array::from(&api_keys)
                        .iter()
                        .filter_map(|k| k.as_string())
                        .collect(),
                )
            } else {
                None
            };
        let v2 = non_empty(&filter)
            || non_empty(&search)
            || non_empty(&pagination)
            || api_keys.is_some();
        let event = if v2 {
            let opt = |v: &JsValue| non_empty(v).then(|| json_copy(v));
            ClientEvent::GetUserConversationsV2 {
                user_id,
                filter: opt(&filter),
                search: opt(&search),
                pagination: opt(&pagination),
                api_keys,
            }
        } else {
            ClientEvent::GetUserConversations { user_id }
        };
        let client = self.client.clone();
        promise(async move {
            let answer = client
                .send_now(event)
                .await
                .map_err(|e| error(http_error(&e)))?;
            let body = if answer.is_json() {
                answer.json()
            } else {
                JsValue::NULL
            };
            let payload = json::answer_payload(body);
            let list = Array::new();
            if client.has_socket() {
                for conv in get(&payload, "conversations").items().unwrap_or_default() {
                    let Some(id) = get(&conv, "conversation_id").as_string() else {
                        continue;
                    };
                    let key = get(&conv, "apiKey").as_string();
                    let metadata = Some(get(&conv, "metadata"))
                        .filter(|m| !m.is_undefined())
                        .unwrap_or(JsValue::NULL);
                    list.push(&JsValue::from(Conversation::new(
                        client.clone(),
                        &id,
                        metadata,
                        key,
                    )));
                }
            }
            let result = Object::new();
            set(&result, "conversations", &list);
            set(&result, "pagination", &get(&payload, "pagination"));
            Ok(result.into())
        })
    }

    #[wasm_bindgen(js_name = deleteUserConversations)]
    pub fn delete_user_conversations(&self, user_id: JsValue, options: JsValue) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            if !user_id.is_truthy() {
                return Err(error("User ID must be provided."));
            }
            let (soft, kind) = soft_delete(&options);
            let event = ClientEvent::DeleteUserConversations {
                user_id: json_copy(&user_id),
                soft,
            };
            let answer = client
                .send_now(event)
                .await
                .map_err(|e| error(http_error(&e)))?;
            debug(
                &[
                    "User conversations ",
                    kind,
                    " delete confirmed via HTTP response:",
                ]
                .concat(),
                &answer_value(&answer, true),
            );
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Closes the socket with 1000 and forgets the conversations.
    pub fn dispose(&self) {
        self.client.dispose();
        self.conversations.borrow_mut().clear();
        debug(
            &[
                "Disposed CaptivateChatAPI instance for ",
                self.client.api_key(),
                "-",
                &self.mode,
            ]
            .concat(),
            &JsValue::UNDEFINED,
        );
    }
}

/// `CaptivateChatAPI.setDebugMode` / `getDebugMode`.
#[wasm_bindgen(js_name = setDebugMode)]
pub fn set_debug_mode(on: bool) {
    crate::set_js_debug(on);
}

#[wasm_bindgen(js_name = getDebugMode)]
pub fn get_debug_mode() -> bool {
    crate::js_debug()
}
