//! `ChatClient`: one per (API key, endpoints). It owns the socket and every HTTP send,
//! reconnects on its own (exponential backoff with jitter, at once when the browser comes
//! back online or the tab becomes visible), keeps user messages in an ordered outbox
//! until they are delivered, and routes each server event to its conversation.
//!
//! Routing: an event goes to the conversation its `conversation_id` names; an event
//! without one goes to the conversation that most recently sent something or was created.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::endpoints::Endpoints;
use super::platform::{self, HttpAnswer};
use super::socket::{Socket, SocketEvent};
use crate::protocol::{
    decode_server_frame, ClientEvent, ClientFrame, DecodeError, EventKind, FrameHead, ServerFrame,
};

/// How long `connect()` and `createConversation()` wait, as in 7.0.0.
pub const CONNECT_TIMEOUT_MS: u32 = 10_000;
/// Explicit `reconnect()`: attempts and pause, as in 7.0.0.
pub const RECONNECT_ATTEMPTS: u32 = 5;
pub const RECONNECT_PAUSE_MS: u32 = 3_000;
/// Tries of one outbox message before it is reported as failed.
pub const SEND_TRIES: u32 = 6;
/// How long frames of a just-started conversation wait for their starter, at most, and how
/// many are kept meanwhile.
const HOLD_MS: u32 = 10_000;
const HELD_FRAMES: usize = 500;

/// The state of the link to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    /// Not connected and not trying (before `connect()`, after `dispose()`).
    Offline,
    Connecting,
    Online,
    /// Lost; trying again.
    Reconnecting,
}

impl LinkStatus {
    /// The name pages see: `offline`, `connecting`, `online`, `reconnecting`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Offline => "offline",
            LinkStatus::Connecting => "connecting",
            LinkStatus::Online => "online",
            LinkStatus::Reconnecting => "reconnecting",
        }
    }
}

/// Where an outbox message is.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Waiting for the link.
    Queued,
    Sending,
    /// Delivered; the server's answer.
    Sent(Value),
    /// Given up: why, and whether it had been retried (a transient failure that lasted).
    Failed {
        message: String,
        retried: bool,
    },
}

/// A server frame as the engine's `JSON.parse` made it: what routing read of it, and its
/// parts as parsed objects (`head.payload`, which JS callbacks are handed, so the frame is
/// parsed once).
#[derive(Debug, Clone)]
pub struct Frame {
    pub head: FrameHead<JsValue>,
    /// The frame's text, as received.
    text: JsValue,
}

impl Frame {
    /// The whole event, decoded in wasm (for listeners that need typed content).
    pub fn decode(&self) -> Result<ServerFrame, DecodeError> {
        decode_server_frame(&self.text.as_string().unwrap_or_default())
    }
}

/// What listeners hear.
#[derive(Debug)]
pub enum Notice<'a> {
    /// A server event, routed to a conversation.
    Frame(&'a Frame),
    /// A frame that could not be decoded (ignored otherwise).
    BadFrame(&'a DecodeError),
    Link(LinkStatus),
    /// The socket came back with a new id after a loss: transcripts may have gaps to fill.
    Reconnected,
    /// An outbox message changed state.
    Delivery {
        conversation_id: &'a str,
        client_msg_id: &'a str,
        delivery: &'a Delivery,
    },
}

/// A listener; `Rc` so that the list can be copied before calling out.
pub type Listener = Rc<dyn Fn(&Notice)>;

/// Why a send failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SendError {
    /// The HTTP status, or `None` for a network error.
    pub status: Option<u16>,
    /// "HTTP request failed: 503 Service Unavailable", or the network error's message.
    pub message: String,
}

struct Pending {
    api_key: Option<String>,
    conversation_id: String,
    client_msg_id: String,
    event: ClientEvent,
    tries: u32,
    done: Option<oneshot::Sender<Result<HttpAnswer, SendError>>>,
}

struct State {
    socket: Option<Socket>,
    socket_id: Option<String>,
    link: LinkStatus,
    /// The page asked to be connected (connect() was called and not undone by dispose()).
    want_online: bool,
    disposed: bool,
    generation: u64,
    backoff_attempt: u32,
    reconnect_scheduled: bool,
    wake: Option<oneshot::Sender<()>>,
    had_connection: bool,
    connect_waiters: Vec<oneshot::Sender<Result<(), String>>>,
    online_waiters: Vec<oneshot::Sender<()>>,
    start_waiters: VecDeque<oneshot::Sender<String>>,
    /// Frames for conversations this client has just started, kept until their starter
    /// listens (see `release`): a server may greet before the start call has returned.
    held: Vec<(String, Vec<Frame>)>,
    last_active: Option<String>,
    listeners: Vec<(u64, Option<String>, Listener)>,
    next_listener: u64,
    outbox: VecDeque<Pending>,
    pumping: bool,
    explicit_attempts: u32,
    hooks: Vec<WindowHook>,
}

/// A listener on `window`/`document` (online, focus, pageshow, visibilitychange), removed on dispose.
type WindowHook = (JsValue, &'static str, Closure<dyn FnMut(web_sys::Event)>);

struct Inner {
    api_key: String,
    endpoints: Endpoints,
    st: RefCell<State>,
}

/// A connection to a Captivate server for one API key. Cheap to clone (shared).
#[derive(Clone)]
pub struct ChatClient(Rc<Inner>);

async fn with_timeout_ms<T>(rx: oneshot::Receiver<T>, ms: u32) -> Option<T> {
    match select(rx, Box::pin(platform::sleep(ms))).await {
        Either::Left((Ok(v), _)) => Some(v),
        _ => None,
    }
}

impl ChatClient {
    pub fn new(api_key: &str, endpoints: Endpoints) -> ChatClient {
        ChatClient(Rc::new(Inner {
            api_key: api_key.to_owned(),
            endpoints,
            st: RefCell::new(State {
                socket: None,
                socket_id: None,
                link: LinkStatus::Offline,
                want_online: false,
                disposed: false,
                generation: 0,
                backoff_attempt: 0,
                reconnect_scheduled: false,
                wake: None,
                had_connection: false,
                connect_waiters: Vec::new(),
                online_waiters: Vec::new(),
                start_waiters: VecDeque::new(),
                held: Vec::new(),
                last_active: None,
                listeners: Vec::new(),
                next_listener: 1,
                outbox: VecDeque::new(),
                pumping: false,
                explicit_attempts: 0,
                hooks: Vec::new(),
            }),
        }))
    }

    pub fn api_key(&self) -> &str {
        &self.0.api_key
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.0.endpoints
    }

    pub fn socket_id(&self) -> Option<String> {
        self.0.st.borrow().socket_id.clone()
    }

    pub fn link(&self) -> LinkStatus {
        self.0.st.borrow().link
    }

    pub fn is_disposed(&self) -> bool {
        self.0.st.borrow().disposed
    }

    /// Whether the socket is open.
    pub fn is_socket_active(&self) -> bool {
        self.0
            .st
            .borrow()
            .socket
            .as_ref()
            .is_some_and(Socket::is_open)
    }

    /// Whether a socket exists (open or opening) — 7.0.0's "socket initialized".
    pub fn has_socket(&self) -> bool {
        self.0.st.borrow().socket.is_some()
    }

    /// The browser WebSocket object, or `null`.
    pub fn raw_socket(&self) -> JsValue {
        self.0
            .st
            .borrow()
            .socket
            .as_ref()
            .map(|s| JsValue::from(s.raw().clone()))
            .unwrap_or(JsValue::NULL)
    }

    /// Listens to events of one conversation (`Some`) or to everything (`None`).
    /// Frames held for a conversation this client started are handed to it (in a microtask).
    pub fn subscribe(&self, conversation_id: Option<&str>, listener: Listener) -> u64 {
        let id = {
            let mut st = self.0.st.borrow_mut();
            let id = st.next_listener;
            st.next_listener += 1;
            st.listeners
                .push((id, conversation_id.map(str::to_owned), listener));
            id
        };
        if let Some(conversation) = conversation_id {
            // In a microtask: the page registers its other callbacks in the same turn.
            let client = self.clone();
            let conversation = conversation.to_owned();
            platform::spawn(async move { client.release(&conversation) });
        }
        id
    }

    /// Hands the frames held for a conversation this client started (those that came
    /// before its starter was listening) to its listeners, in order; later frames go
    /// straight to them. Called when a listener for it subscribes, by a starter that
    /// listens to everything once it has taken the conversation up, and 10 s after the
    /// start in any case.
    pub fn release(&self, conversation_id: &str) {
        let frames = {
            let mut st = self.0.st.borrow_mut();
            match st.held.iter().position(|(id, _)| id == conversation_id) {
                Some(i) => st.held.swap_remove(i).1,
                None => return,
            }
        };
        for frame in &frames {
            self.notify(Some(conversation_id), &Notice::Frame(frame));
        }
    }

    pub fn unsubscribe(&self, id: u64) {
        self.0
            .st
            .borrow_mut()
            .listeners
            .retain(|(l, _, _)| *l != id);
    }

    /// Marks a conversation as the one that events without an id go to.
    pub fn touch(&self, conversation_id: &str) {
        self.0.st.borrow_mut().last_active = Some(conversation_id.to_owned());
    }

    /// Tells the listeners of `target` and those that follow every conversation.
    fn notify(&self, target: Option<&str>, notice: &Notice) {
        self.notify_where(notice, |conv| {
            conv.is_none() || (target.is_some() && conv == target)
        });
    }

    /// Tells every listener, whatever conversation it follows.
    fn notify_all(&self, notice: &Notice) {
        self.notify_where(notice, |_| true);
    }

    fn notify_where(&self, notice: &Notice, follows: impl Fn(Option<&str>) -> bool) {
        // Copied first: a listener may subscribe or unsubscribe.
        let listeners: Vec<Listener> = self
            .0
            .st
            .borrow()
            .listeners
            .iter()
            .filter(|(_, conv, _)| follows(conv.as_deref()))
            .map(|(_, _, l)| l.clone())
            .collect();
        for l in listeners {
            l(notice);
        }
    }

    fn set_link(&self, link: LinkStatus) {
        let changed = {
            let mut st = self.0.st.borrow_mut();
            let changed = st.link != link;
            st.link = link;
            changed
        };
        if changed {
            self.notify(None, &Notice::Link(link));
        }
    }

    // ---------- the socket ----------

    fn open_socket(&self) -> Result<(), String> {
        let url = self.0.endpoints.socket_url(&self.0.api_key);
        let generation = {
            let mut st = self.0.st.borrow_mut();
            st.generation += 1;
            // Detach the old socket first, so that its close is not taken for a loss.
            st.socket = None;
            st.generation
        };
        let weak: Weak<Inner> = Rc::downgrade(&self.0);
        let handler: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
            if let Some(inner) = weak.upgrade() {
                let client = ChatClient(inner);
                if client.0.st.borrow().generation == generation {
                    client.on_socket(event);
                }
            }
        });
        let socket = Socket::open(&url, handler)?;
        self.0.st.borrow_mut().socket = Some(socket);
        Ok(())
    }

    fn on_socket(&self, event: SocketEvent) {
        match event {
            SocketEvent::Open | SocketEvent::Binary => {}
            SocketEvent::Text(text) => self.on_text(text),
            SocketEvent::Error(message) => {
                let waiters = std::mem::take(&mut self.0.st.borrow_mut().connect_waiters);
                for w in waiters {
                    let _ = w.send(Err(message.clone()));
                }
            }
            SocketEvent::Closed { code, reason } => {
                let (waiters, want) = {
                    let mut st = self.0.st.borrow_mut();
                    st.socket = None;
                    (
                        std::mem::take(&mut st.connect_waiters),
                        st.want_online && !st.disposed,
                    )
                };
                let why = if reason.is_empty() {
                    format!("WebSocket closed (code {code})")
                } else {
                    reason
                };
                for w in waiters {
                    let _ = w.send(Err(why.clone()));
                }
                if want {
                    self.set_link(LinkStatus::Reconnecting);
                    self.schedule_reconnect();
                } else {
                    self.set_link(LinkStatus::Offline);
                }
            }
        }
    }

    fn on_text(&self, text: JsValue) {
        let head = platform::parse_json_checked(&text)
            .map_err(DecodeError::NotJson)
            .and_then(|parsed| FrameHead::read(&parsed));
        let head = match head {
            Ok(h) => h,
            Err(error) => {
                if crate::js_debug() {
                    platform::console_warn(
                        "[CaptivateChatAPI] Ignoring a frame that could not be decoded:",
                        &JsValue::from_str(&error.to_string()),
                    );
                }
                self.notify(None, &Notice::BadFrame(&error));
                return;
            }
        };
        match head.kind {
            EventKind::SocketConnected => {
                let (waiters, reconnected, online) = {
                    let mut st = self.0.st.borrow_mut();
                    st.socket_id = head.socket_id.clone();
                    st.backoff_attempt = 0;
                    // The link is back, by itself or by a call: `reconnect()` may try 5 times again.
                    st.explicit_attempts = 0;
                    let reconnected = st.had_connection;
                    st.had_connection = true;
                    let online = std::mem::take(&mut st.online_waiters);
                    (std::mem::take(&mut st.connect_waiters), reconnected, online)
                };
                self.set_link(LinkStatus::Online);
                for w in waiters {
                    let _ = w.send(Ok(()));
                }
                for w in online {
                    let _ = w.send(());
                }
                if reconnected {
                    // Every conversation may have a gap to fill.
                    self.notify_all(&Notice::Reconnected);
                }
                self.pump();
                return;
            }
            EventKind::ConversationStartSuccess => {
                let waiter = {
                    let mut st = self.0.st.borrow_mut();
                    st.last_active = head.conversation_id.clone();
                    st.start_waiters.pop_front()
                };
                if let (Some(w), Some(id)) = (waiter, head.conversation_id.clone()) {
                    if w.send(id.clone()).is_ok() {
                        self.hold(&id);
                    }
                }
            }
            _ => {}
        }
        let target = match &head.conversation_id {
            Some(id) => Some(id.clone()),
            None => self.0.st.borrow().last_active.clone(),
        };
        let frame = Frame { head, text };
        if let Some(id) = &target {
            let mut st = self.0.st.borrow_mut();
            if let Some((_, frames)) = st.held.iter_mut().find(|(held, _)| held == id) {
                if frames.len() < HELD_FRAMES {
                    frames.push(frame);
                }
                return;
            }
        }
        self.notify(target.as_deref(), &Notice::Frame(&frame));
    }

    /// Starts holding the frames of a conversation this client has just started.
    fn hold(&self, conversation_id: &str) {
        self.0
            .st
            .borrow_mut()
            .held
            .push((conversation_id.to_owned(), Vec::new()));
        let weak = Rc::downgrade(&self.0);
        let id = conversation_id.to_owned();
        platform::spawn(async move {
            platform::sleep(HOLD_MS).await;
            if let Some(inner) = weak.upgrade() {
                ChatClient(inner).release(&id);
            }
        });
    }

    /// Opens a socket and waits for `socket_connected` (7.0.0's `connect()` contract:
    /// rejects on a socket error or after 10 s).
    pub async fn connect(&self) -> Result<(), String> {
        if self.is_disposed() {
            return Err("This CaptivateChatAPI instance was disposed".into());
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut st = self.0.st.borrow_mut();
            st.want_online = true;
            st.connect_waiters.push(tx);
        }
        self.install_hooks();
        self.set_link(LinkStatus::Connecting);
        if let Err(e) = self.open_socket() {
            self.0.st.borrow_mut().connect_waiters.clear();
            return Err(e);
        }
        match with_timeout_ms(rx, CONNECT_TIMEOUT_MS).await {
            Some(result) => result,
            None => Err("Connection timeout: socket_connected not received".into()),
        }
    }

    /// 7.0.0's `reconnect()`: up to 5 attempts, 3 s apart. The counter resets whenever the
    /// link is back (7.0.0 resets it only after a successful `reconnect()`, so once one call
    /// has used up the attempts, later calls throw even after the socket came back by itself).
    pub async fn reconnect(&self) -> Result<(), String> {
        loop {
            {
                let mut st = self.0.st.borrow_mut();
                if st.explicit_attempts >= RECONNECT_ATTEMPTS {
                    return Err(format!(
                        "Max reconnection attempts ({RECONNECT_ATTEMPTS}) reached"
                    ));
                }
                st.explicit_attempts += 1;
            }
            match self.connect().await {
                Ok(()) => {
                    self.0.st.borrow_mut().explicit_attempts = 0;
                    return Ok(());
                }
                Err(e) => {
                    let attempts = self.0.st.borrow().explicit_attempts;
                    platform::console_error(
                        &format!("Reconnection attempt {attempts} failed:"),
                        &JsValue::from_str(&e),
                    );
                    if attempts >= RECONNECT_ATTEMPTS {
                        return Err(e);
                    }
                    platform::sleep(RECONNECT_PAUSE_MS).await;
                }
            }
        }
    }

    fn schedule_reconnect(&self) {
        let (delay, wake_rx) = {
            let mut st = self.0.st.borrow_mut();
            if st.reconnect_scheduled || st.disposed || !st.want_online {
                return;
            }
            st.reconnect_scheduled = true;
            // The first try after a loss comes soon (spread over 50-250 ms so that a server
            // dropping every socket is not hit by all clients at once), then 0.5 s, 1 s, 2 s…
            // up to 30 s, each with jitter.
            let delay = match st.backoff_attempt {
                0 => 50.0 + js_sys::Math::random() * 200.0,
                n => {
                    let base = 500f64 * 2f64.powi((n - 1).min(6) as i32);
                    base.min(30_000.0) * (0.5 + js_sys::Math::random() * 0.5)
                }
            };
            st.backoff_attempt += 1;
            let (tx, rx) = oneshot::channel();
            st.wake = Some(tx);
            (delay as u32, rx)
        };
        let client = self.clone();
        platform::spawn(async move {
            let _ = select(wake_rx, Box::pin(platform::sleep(delay))).await;
            {
                let mut st = client.0.st.borrow_mut();
                st.reconnect_scheduled = false;
                st.wake = None;
                if st.disposed || !st.want_online {
                    return;
                }
            }
            if client.is_socket_active() {
                return;
            }
            if client.connect().await.is_err() && !client.is_socket_active() {
                client.set_link(LinkStatus::Reconnecting);
                client.schedule_reconnect();
            }
        });
    }

    /// Resolves `true` once the link is up (at once if it is), `false` after `ms` or on dispose.
    pub async fn wait_online(&self, ms: u32) -> bool {
        if self.link() == LinkStatus::Online {
            return true;
        }
        let (tx, rx) = oneshot::channel();
        self.0.st.borrow_mut().online_waiters.push(tx);
        with_timeout_ms(rx, ms).await.is_some()
    }

    /// Reconnects now if the link is down (the browser is back online, the tab is visible).
    pub fn wake(&self) {
        let waker = {
            let mut st = self.0.st.borrow_mut();
            if st.disposed || !st.want_online || st.link == LinkStatus::Online {
                return;
            }
            st.backoff_attempt = 0;
            st.wake.take()
        };
        match waker {
            Some(w) => {
                let _ = w.send(());
            }
            None => self.schedule_reconnect(),
        }
    }

    fn install_hooks(&self) {
        if !self.0.st.borrow().hooks.is_empty() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut hooks = Vec::new();
        let targets: [(JsValue, &'static str); 4] = [
            (window.clone().into(), "online"),
            (window.clone().into(), "focus"),
            (window.clone().into(), "pageshow"),
            (
                window
                    .document()
                    .map(JsValue::from)
                    .unwrap_or(JsValue::NULL),
                "visibilitychange",
            ),
        ];
        for (target, name) in targets {
            let Some(et) = target.dyn_ref::<web_sys::EventTarget>() else {
                continue;
            };
            let weak = Rc::downgrade(&self.0);
            let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if let Some(inner) = weak.upgrade() {
                    let hidden = web_sys::window()
                        .and_then(|w| w.document())
                        .is_some_and(|d| d.hidden());
                    if !hidden {
                        ChatClient(inner).wake();
                    }
                }
            });
            if et
                .add_event_listener_with_callback(name, cb.as_ref().unchecked_ref())
                .is_ok()
            {
                hooks.push((target, name, cb));
            }
        }
        self.0.st.borrow_mut().hooks = hooks;
    }

    /// Closes the socket (code 1000), stops reconnecting, fails what is still queued.
    pub fn dispose(&self) {
        let (socket, outbox, hooks) = {
            let mut st = self.0.st.borrow_mut();
            st.disposed = true;
            st.want_online = false;
            st.generation += 1;
            st.connect_waiters.clear();
            st.online_waiters.clear();
            st.start_waiters.clear();
            st.held.clear();
            if let Some(w) = st.wake.take() {
                let _ = w.send(());
            }
            (
                st.socket.take(),
                std::mem::take(&mut st.outbox),
                std::mem::take(&mut st.hooks),
            )
        };
        if let Some(s) = socket {
            s.close(1000, "Instance disposed");
        }
        for (target, name, cb) in hooks {
            if let Some(et) = target.dyn_ref::<web_sys::EventTarget>() {
                let _ = et.remove_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
            }
        }
        for mut p in outbox {
            if let Some(done) = p.done.take() {
                let _ = done.send(Err(SendError {
                    status: None,
                    message: "Instance disposed".into(),
                }));
            }
        }
        self.set_link(LinkStatus::Offline);
    }

    // ---------- sending ----------

    /// POSTs one event with the current socket id.
    pub async fn send_now(&self, event: ClientEvent) -> Result<HttpAnswer, SendError> {
        self.send_now_as(None, event).await
    }

    /// Like [`ChatClient::send_now`], with another API key in `x-api-key` (a conversation
    /// listed through `apiKeys` keeps its own key, as in 7.0.0).
    pub async fn send_now_as(
        &self,
        api_key: Option<&str>,
        event: ClientEvent,
    ) -> Result<HttpAnswer, SendError> {
        let frame = ClientFrame {
            event,
            socket_id: self.socket_id(),
        };
        self.post(api_key, &frame).await
    }

    async fn post(
        &self,
        api_key: Option<&str>,
        frame: &ClientFrame,
    ) -> Result<HttpAnswer, SendError> {
        let body = JsValue::from_str(&frame.to_json());
        let key = api_key.unwrap_or(&self.0.api_key);
        let headers = [
            ("x-api-key", key),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ];
        match platform::http(
            "POST",
            &self.0.endpoints.message_url(),
            &headers,
            Some(&body),
        )
        .await
        {
            Ok(answer) if answer.ok() => Ok(answer),
            Ok(answer) => Err(SendError {
                status: Some(answer.status),
                message: format!(
                    "HTTP request failed: {} {}",
                    answer.status, answer.status_text
                ),
            }),
            Err(message) => Err(SendError {
                status: None,
                message,
            }),
        }
    }

    /// Queues an event that must be delivered exactly once and in order (messages,
    /// actions). It goes out when the link is up, with retries under the same id.
    pub async fn send_reliably(
        &self,
        api_key: Option<&str>,
        conversation_id: &str,
        client_msg_id: &str,
        event: ClientEvent,
    ) -> Result<HttpAnswer, SendError> {
        let (tx, rx) = oneshot::channel();
        {
            let mut st = self.0.st.borrow_mut();
            if st.disposed {
                return Err(SendError {
                    status: None,
                    message: "Instance disposed".into(),
                });
            }
            st.last_active = Some(conversation_id.to_owned());
            st.outbox.push_back(Pending {
                api_key: api_key.map(str::to_owned),
                conversation_id: conversation_id.to_owned(),
                client_msg_id: client_msg_id.to_owned(),
                event,
                tries: 0,
                done: Some(tx),
            });
        }
        self.notify(
            Some(conversation_id),
            &Notice::Delivery {
                conversation_id,
                client_msg_id,
                delivery: &Delivery::Queued,
            },
        );
        self.pump();
        rx.await.unwrap_or_else(|_| {
            Err(SendError {
                status: None,
                message: "Instance disposed".into(),
            })
        })
    }

    /// How many messages wait in the outbox.
    pub fn queued(&self) -> usize {
        self.0.st.borrow().outbox.len()
    }

    fn pump(&self) {
        {
            let mut st = self.0.st.borrow_mut();
            if st.pumping || st.outbox.is_empty() {
                return;
            }
            st.pumping = true;
        }
        let client = self.clone();
        platform::spawn(async move {
            client.drain().await;
            client.0.st.borrow_mut().pumping = false;
        });
    }

    async fn drain(&self) {
        loop {
            let next = {
                let st = self.0.st.borrow();
                if st.disposed || (st.want_online && st.link != LinkStatus::Online) {
                    return;
                }
                match st.outbox.front() {
                    Some(p) => (
                        p.api_key.clone(),
                        p.conversation_id.clone(),
                        p.client_msg_id.clone(),
                        p.event.clone(),
                    ),
                    None => return,
                }
            };
            let (api_key, conversation_id, client_msg_id, event) = next;
            self.notify(
                Some(&conversation_id),
                &Notice::Delivery {
                    conversation_id: &conversation_id,
                    client_msg_id: &client_msg_id,
                    delivery: &Delivery::Sending,
                },
            );
            let frame = ClientFrame {
                event,
                socket_id: self.socket_id(),
            };
            let result = self.post(api_key.as_deref(), &frame).await;
            let retry = match &result {
                Ok(_) => false,
                Err(e) => matches!(
                    e.status,
                    None | Some(408) | Some(425) | Some(429) | Some(500..=599)
                ),
            };
            let finished = {
                let mut st = self.0.st.borrow_mut();
                let Some(front) = st.outbox.front_mut() else {
                    return;
                };
                if front.client_msg_id != client_msg_id {
                    continue; // disposed and refilled meanwhile
                }
                front.tries += 1;
                if retry && front.tries < SEND_TRIES {
                    None
                } else {
                    st.outbox.pop_front()
                }
            };
            match finished {
                Some(mut done) => {
                    let delivery = match &result {
                        Ok(a) => Delivery::Sent(
                            serde_json::from_str(&a.body).unwrap_or_else(|_| json!(a.body)),
                        ),
                        Err(e) => Delivery::Failed {
                            message: e.message.clone(),
                            retried: done.tries > 1,
                        },
                    };
                    self.notify(
                        Some(&conversation_id),
                        &Notice::Delivery {
                            conversation_id: &conversation_id,
                            client_msg_id: &client_msg_id,
                            delivery: &delivery,
                        },
                    );
                    if let Some(tx) = done.done.take() {
                        let _ = tx.send(result);
                    }
                }
                None => {
                    let tries = self
                        .0
                        .st
                        .borrow()
                        .outbox
                        .front()
                        .map(|p| p.tries)
                        .unwrap_or(1);
                    let pause = (400f64 * 2f64.powi(tries as i32 - 1)).min(8_000.0)
                        * (0.5 + js_sys::Math::random() * 0.5);
                    platform::sleep(pause as u32).await;
                }
            }
        }
    }

    /// GETs a channel REST URL with `x-api-key` (the client's key unless another is given).
    async fn get_with_key(&self, url: &str, api_key: Option<&str>) -> Result<HttpAnswer, String> {
        let key = api_key.unwrap_or(&self.0.api_key);
        platform::http(
            "GET",
            url,
            &[("x-api-key", key), ("Accept", "application/json")],
            None,
        )
        .await
    }

    /// `GET /api/transcript?conversation_id=…`; the answer as it came (callers read the status).
    pub async fn fetch_transcript(
        &self,
        conversation_id: &str,
        api_key: Option<&str>,
    ) -> Result<HttpAnswer, String> {
        self.get_with_key(&self.0.endpoints.transcript_url(conversation_id), api_key)
            .await
    }

    /// The content of a message that was too large for the socket (`general_error` 413
    /// with `message_link`); errors read as in 7.0.0.
    pub async fn fetch_large_message(
        &self,
        link: &str,
        api_key: Option<&str>,
    ) -> Result<Value, String> {
        let answer = self.get_with_key(link, api_key).await?;
        if !answer.ok() {
            return Err(format!(
                "Failed to fetch large message: {} {}",
                answer.status, answer.status_text
            ));
        }
        let body: Value = serde_json::from_str(&answer.body).map_err(|e| e.to_string())?;
        match body.get("botMessage") {
            Some(message @ Value::Object(_)) => {
                Ok(message.get("content").cloned().unwrap_or(Value::Null))
            }
            _ => Err("the answer has no botMessage".to_owned()),
        }
    }

    // ---------- conversations ----------

    /// Starts a conversation and waits for `conversation_start_success` (10 s).
    pub async fn start_conversation(
        &self,
        user_id: &Value,
        user_basic_info: Value,
        metadata: Value,
    ) -> Result<String, String> {
        let (tx, rx) = oneshot::channel();
        self.0.st.borrow_mut().start_waiters.push_back(tx);
        let event = ClientEvent::ConversationStart {
            user_id: user_id
                .as_str()
                .map(str::to_owned)
                .or_else(|| user_id.as_i64().map(|n| n.to_string())),
            user_basic_info,
            metadata,
        };
        if let Err(e) = self.send_now(event).await {
            return Err(format!("Failed to send message via HTTP: {}", e.message));
        }
        match with_timeout_ms(rx, CONNECT_TIMEOUT_MS).await {
            Some(id) => {
                self.touch(&id);
                Ok(id)
            }
            None => Err("Timeout: No conversation_start_success received from WebSocket".into()),
        }
    }
}
