//! Listeners and routing: who hears what. A frame goes to the conversation its
//! `conversation_id` names; one without goes to the conversation that most recently sent
//! something or was created. Frames of a conversation this client has just started are
//! held until its starter listens (a server may greet before the start call returned).

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::chat::{ChatClient, HELD_FRAMES, HOLD_MS};
use super::frame::FrameRead;
use super::notice::{Frame, LinkStatus, Listener, Notice};
use super::platform;
use crate::protocol::EventKind;

impl ChatClient {
    /// Listens to events of one conversation (`Some`) or to everything (`None`).
    /// Frames held for a conversation this client started are handed to it (in a microtask).
    pub fn subscribe(&self, conversation_id: Option<&str>, listener: Listener) -> u64 {
        let id = {
            let mut st = self.0.st.borrow_mut();
            let id = st.next_listener;
            st.next_listener += 1;
            Rc::make_mut(&mut st.listeners).push((
                id,
                conversation_id.map(str::to_owned),
                listener,
            ));
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
        Rc::make_mut(&mut self.0.st.borrow_mut().listeners).retain(|(l, _, _)| *l != id);
    }

    /// Marks a conversation as the one that events without an id go to.
    pub fn touch(&self, conversation_id: &str) {
        self.0.st.borrow_mut().last_active = Some(conversation_id.to_owned());
    }

    /// Tells the listeners of `target` and those that follow every conversation.
    pub(super) fn notify(&self, target: Option<&str>, notice: &Notice) {
        self.notify_where(notice, |conv| {
            conv.is_none() || (target.is_some() && conv == target)
        });
    }

    /// Tells every listener, whatever conversation it follows.
    pub(super) fn notify_all(&self, notice: &Notice) {
        self.notify_where(notice, |_| true);
    }

    pub(super) fn notify_where(&self, notice: &Notice, follows: impl Fn(Option<&str>) -> bool) {
        // The list as it is now (a listener may subscribe or unsubscribe).
        let listeners = self.0.st.borrow().listeners.clone();
        for (_, conv, l) in listeners.iter() {
            if follows(conv.as_deref()) {
                l(notice);
            }
        }
    }

    pub(super) fn set_link(&self, link: LinkStatus) {
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

    pub(super) fn on_frame(&self, read: FrameRead) {
        let head = match read {
            Ok(head) => head,
            Err(error) => {
                if crate::js_debug() {
                    platform::console_warn(
                        "[CaptivateChatAPI] Ignoring a frame that could not be decoded:",
                        &JsValue::from_str(&error.message()),
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
                    // The backoff starts afresh only once the link has stayed up (see `retry`).
                    st.connected_at = Some(platform::now_ms());
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
                    let _ = w.send(Ok(()));
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
                    // The oldest start waits first (a handful at most).
                    (!st.start_waiters.is_empty()).then(|| st.start_waiters.remove(0))
                };
                if let (Some(w), Some(id)) = (waiter, head.conversation_id.clone()) {
                    if w.send(Ok(id.clone())).is_ok() {
                        self.hold(&id);
                    }
                }
            }
            _ => {}
        }
        let routed_to = match head.conversation_id {
            Some(_) => None,
            None => self.0.st.borrow().last_active.clone(),
        };
        let frame = Frame { head, routed_to };
        {
            let mut st = self.0.st.borrow_mut();
            let held = frame
                .conversation()
                .and_then(|id| st.held.iter().position(|(held, _)| held == id));
            if let Some((_, frames)) = held.and_then(|i| st.held.get_mut(i)) {
                if frames.len() < HELD_FRAMES {
                    frames.push(frame);
                }
                return;
            }
        }
        self.notify(frame.conversation(), &Notice::Frame(&frame));
    }

    /// Starts holding the frames of a conversation this client has just started.
    pub(super) fn hold(&self, conversation_id: &str) {
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
}
