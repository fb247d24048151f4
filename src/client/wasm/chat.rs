//! `ChatClient`: one per (API key, endpoints), cheap to clone. It owns the socket and every
//! HTTP send, reconnects on its own, keeps user messages in an ordered outbox until they are
//! delivered, and routes each server event to its conversation. This file holds the shared
//! state and the façade (construction, what callers read, `dispose`); each concern has its
//! own room beside it:
//!
//! - [`super::notice`]: what listeners hear (link status, frames, deliveries);
//! - [`super::routing`]: listeners, and which conversation a frame goes to;
//! - [`super::link`]: the socket, `connect`/`reconnect`, backoff and the window hooks;
//! - [`super::outbox`]: sends, the exactly-once outbox and its retries;
//! - [`super::rest`]: REST reads and starting a conversation;
//! - [`crate::client::retry`]: the pure timing rules (backoff, retry pauses), tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use wasm_bindgen::prelude::*;

use super::notice::{Frame, LinkStatus, Listener};
use super::platform::{self, HttpAnswer};
use super::socket::Socket;
use crate::client::endpoints::Endpoints;
use crate::client::ClientError;
use crate::protocol::ClientEvent;

/// How long `connect()` and `createConversation()` wait, as in 7.0.0.
pub const CONNECT_TIMEOUT_MS: u32 = 10_000;
/// Explicit `reconnect()`: attempts and pause, as in 7.0.0.
pub const RECONNECT_ATTEMPTS: u32 = 5;
pub const RECONNECT_PAUSE_MS: u32 = 3_000;
/// Tries of one outbox message before it is reported as failed.
pub const SEND_TRIES: u32 = 6;
/// How long frames of a just-started conversation wait for their starter, at most, and how
/// many are kept meanwhile.
pub(super) const HOLD_MS: u32 = 10_000;
pub(super) const HELD_FRAMES: usize = 500;

pub(super) struct Pending {
    pub(super) api_key: Option<String>,
    pub(super) conversation_id: String,
    pub(super) client_msg_id: String,
    pub(super) event: ClientEvent<JsValue>,
    pub(super) tries: u32,
    pub(super) done: Option<oneshot::Sender<Result<HttpAnswer, ClientError>>>,
}

pub(super) struct State {
    pub(super) socket: Option<Socket>,
    /// The browser object of the newest socket, kept after it closed (while reconnecting)
    /// until `dispose()`, as 7.0.0 keeps its `socket` field: `getSocket()` returns it and
    /// `getConversation()` works while the link is away.
    pub(super) last_raw: Option<web_sys::WebSocket>,
    pub(super) socket_id: Option<String>,
    pub(super) link: LinkStatus,
    /// The page asked to be connected (connect() was called and not undone by dispose()).
    pub(super) want_online: bool,
    pub(super) disposed: bool,
    pub(super) generation: u64,
    pub(super) backoff_attempt: u32,
    /// When the link came up (`socket_connected`), for the backoff after its loss.
    pub(super) connected_at: Option<f64>,
    pub(super) reconnect_scheduled: bool,
    pub(super) wake: Option<Waiter>,
    pub(super) had_connection: bool,
    pub(super) connect_waiters: Vec<Waiter>,
    /// Told `Ok(())` when the link is up (`wait_online`), whatever attempts failed before.
    pub(super) online_waiters: Vec<Waiter>,
    /// Starts waiting for their conversation's id, oldest first.
    pub(super) start_waiters: Vec<StartWaiter>,
    /// Frames for conversations this client has just started, kept until their starter
    /// listens (see `release`): a server may greet before the start call has returned.
    pub(super) held: Vec<(String, Vec<Frame>)>,
    pub(super) last_active: Option<String>,
    /// Shared: an event takes the list as it is (a listener may subscribe or unsubscribe
    /// meanwhile) without copying it; a change copies it only while an event holds it.
    pub(super) listeners: Rc<Vec<(u64, Option<String>, Listener)>>,
    pub(super) next_listener: u64,
    /// Oldest first.
    pub(super) outbox: Vec<Pending>,
    pub(super) pumping: bool,
    pub(super) explicit_attempts: u32,
    pub(super) hooks: Vec<WindowHook>,
}

/// A listener on `window`/`document` (online, focus, pageshow, visibilitychange), removed on dispose.
pub(super) type WindowHook = (JsValue, &'static str, Closure<dyn FnMut(web_sys::Event)>);

pub(super) struct Inner {
    pub(super) api_key: String,
    pub(super) endpoints: Endpoints,
    pub(super) st: RefCell<State>,
}

/// A connection to a Captivate server for one API key. Cheap to clone (shared).
#[derive(Clone)]
pub struct ChatClient(pub(super) Rc<Inner>);

/// Who waits for the link: a `connect()` (told why an attempt failed), `wait_online` and the
/// scheduled reconnect's wake-up (told `Ok(())` only). One channel type for the three: each
/// type is a copy of the channel's code in the wasm.
pub(super) type Waiter = oneshot::Sender<Result<(), ClientError>>;

/// Who waits for a conversation's id: a start here (told `Ok`), and in the widget a call
/// that waits for the start another call made. One channel type for both.
pub type StartWaiter = oneshot::Sender<Result<String, ClientError>>;

pub(super) async fn with_timeout_ms<T>(rx: oneshot::Receiver<T>, ms: u32) -> Option<T> {
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
                last_raw: None,
                socket_id: None,
                link: LinkStatus::Offline,
                want_online: false,
                disposed: false,
                generation: 0,
                backoff_attempt: 0,
                connected_at: None,
                reconnect_scheduled: false,
                wake: None,
                had_connection: false,
                connect_waiters: Vec::new(),
                online_waiters: Vec::new(),
                start_waiters: Vec::new(),
                held: Vec::new(),
                last_active: None,
                listeners: Rc::default(),
                next_listener: 1,
                outbox: Vec::new(),
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

    /// Whether a socket was opened and the client not disposed since — 7.0.0's "socket
    /// initialized" (its field keeps the closed socket while it reconnects).
    pub fn has_socket(&self) -> bool {
        self.0.st.borrow().last_raw.is_some()
    }

    /// The browser WebSocket object (the newest, even closed while reconnecting), or `null`
    /// before `connect()` and after `dispose()`.
    pub fn raw_socket(&self) -> JsValue {
        self.0
            .st
            .borrow()
            .last_raw
            .as_ref()
            .map(|s| JsValue::from(s.clone()))
            .unwrap_or(JsValue::NULL)
    }

    /// Closes the socket (code 1000), stops reconnecting, fails what is still queued.
    pub fn dispose(&self) {
        let (socket, outbox, hooks) = {
            let mut st = self.0.st.borrow_mut();
            st.disposed = true;
            st.last_raw = None;
            st.want_online = false;
            st.generation += 1;
            st.connect_waiters.clear();
            st.online_waiters.clear();
            st.start_waiters.clear();
            st.held.clear();
            if let Some(w) = st.wake.take() {
                let _ = w.send(Ok(()));
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
                let _ = done.send(Err(ClientError::Disposed));
            }
        }
        self.set_link(LinkStatus::Offline);
    }
}
