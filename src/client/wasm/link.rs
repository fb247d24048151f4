//! The link to the server: opening the socket, `connect()` and 7.0.0's `reconnect()`,
//! reconnecting on its own after a loss (backoff from [`crate::client::retry`]), at once when the
//! browser comes back online or the tab becomes visible (the window hooks).

use std::rc::{Rc, Weak};

use futures_channel::oneshot;
use futures_util::future::select;
use wasm_bindgen::prelude::*;

use super::chat::{
    with_timeout_ms, ChatClient, Inner, CONNECT_TIMEOUT_MS, RECONNECT_ATTEMPTS, RECONNECT_PAUSE_MS,
};
use super::notice::LinkStatus;
use super::platform;
use super::socket::{Socket, SocketEvent};
use crate::client::retry;
use crate::client::ClientError;

impl ChatClient {
    pub(super) fn open_socket(&self) -> Result<(), ClientError> {
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
        let mut st = self.0.st.borrow_mut();
        st.last_raw = Some(socket.raw().clone());
        st.socket = Some(socket);
        Ok(())
    }

    pub(super) fn on_socket(&self, event: SocketEvent) {
        match event {
            SocketEvent::Open | SocketEvent::Binary => {}
            SocketEvent::Frame(frame) => self.on_frame(frame),
            SocketEvent::Error(message) => {
                let waiters = std::mem::take(&mut self.0.st.borrow_mut().connect_waiters);
                for w in waiters {
                    let _ = w.send(Err(ClientError::Socket(message.clone())));
                }
            }
            SocketEvent::Closed { code, reason } => {
                let (waiters, want) = {
                    let mut st = self.0.st.borrow_mut();
                    st.socket = None;
                    if let Some(at) = st.connected_at.take() {
                        st.backoff_attempt =
                            retry::attempt_after_loss(st.backoff_attempt, platform::now_ms() - at);
                    }
                    (
                        std::mem::take(&mut st.connect_waiters),
                        st.want_online && !st.disposed,
                    )
                };
                let why = if reason.is_empty() {
                    [
                        "WebSocket closed (code ",
                        &crate::text::decimal(code.into()),
                        ")",
                    ]
                    .concat()
                } else {
                    reason
                };
                for w in waiters {
                    let _ = w.send(Err(ClientError::Socket(why.clone())));
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

    /// Opens a socket and waits for `socket_connected` (7.0.0's `connect()` contract:
    /// rejects on a socket error or after 10 s).
    pub async fn connect(&self) -> Result<(), ClientError> {
        if self.is_disposed() {
            return Err(ClientError::Disposed);
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
            None => Err(ClientError::ConnectTimeout),
        }
    }

    /// 7.0.0's `reconnect()`: up to 5 attempts, 3 s apart. The counter resets whenever the
    /// link is back (7.0.0 resets it only after a successful `reconnect()`, so once one call
    /// has used up the attempts, later calls throw even after the socket came back by itself).
    pub async fn reconnect(&self) -> Result<(), ClientError> {
        loop {
            {
                let mut st = self.0.st.borrow_mut();
                if st.explicit_attempts >= RECONNECT_ATTEMPTS {
                    return Err(ClientError::ReconnectAttempts(RECONNECT_ATTEMPTS));
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
                        &[
                            "Reconnection attempt ",
                            &crate::text::decimal(attempts),
                            " failed:",
                        ]
                        .concat(),
                        &JsValue::from_str(&e.message()),
                    );
                    if attempts >= RECONNECT_ATTEMPTS {
                        return Err(e);
                    }
                    platform::sleep(RECONNECT_PAUSE_MS).await;
                }
            }
        }
    }

    pub(super) fn schedule_reconnect(&self) {
        let (delay, wake_rx) = {
            let mut st = self.0.st.borrow_mut();
            if st.reconnect_scheduled || st.disposed || !st.want_online {
                return;
            }
            st.reconnect_scheduled = true;
            let delay = retry::reconnect_delay_ms(
                st.backoff_attempt,
                js_sys::Math::random(),
                !page_hidden(),
            );
            st.backoff_attempt += 1;
            let (tx, rx) = oneshot::channel();
            st.wake = Some(tx);
            (delay, rx)
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
                let _ = w.send(Ok(()));
            }
            None => self.schedule_reconnect(),
        }
    }

    pub(super) fn install_hooks(&self) {
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
                    if !page_hidden() {
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
}

/// Whether this is a page in a hidden tab (`false` where there is no page, as in Node).
fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}
