//! Tabs of one visitor: one live conversation, and no message lost whichever tab closes.
//!
//! Tabs that share the visitor's record (`storage: "local"`, the default) talk over a
//! `BroadcastChannel` named after it. What one tab sends, the state of its delivery and
//! what it receives show in the others (each tab has its own socket, and the server answers
//! on the one that last wrote). A tab that closes with messages still unsent hands them over:
//! the others send them under the same `client_msg_id`, so the server keeps each once. The
//! record's list of unsent messages is merged rather than overwritten (see `persist`), so
//! that what a tab that closes or crashes leaves behind is still sent by the next page load.
//!
//! A tab says `hello` when it joins and `gone` when it leaves (or its page is hidden), and
//! answers another's `hello` with `here`: a tab that knows of no other posts nothing, so a
//! visitor with one tab (the common case) pays no message per frame. A tab whose messages
//! carry no sender (an older widget) counts as present for as long as this one lives.

use crate::client::values::{get, set};
use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::protocol::read_content;
use crate::widget::controller::{Author, Controller, Msg, SendState};
use crate::widget::model::ContentItem;
use crate::widget::options::StorageKind;

type Handler = Closure<dyn FnMut(web_sys::Event)>;

/// The link to this visitor's other tabs.
#[derive(Default)]
pub(in crate::widget) struct Tabs {
    channel: RefCell<Option<web_sys::BroadcastChannel>>,
    /// Messages another tab is sending (`client_msg_id`, the value to send should it close
    /// first): a few at most, so a list (a map would cost its own code in the wasm).
    others: RefCell<Vec<(String, String)>>,
    /// The channel's and the page's listeners, kept for as long as they are attached.
    handlers: RefCell<Vec<Handler>>,
    /// This tab's name on the channel, made when it joins.
    me: RefCell<String>,
    /// The other tabs that said they are open (`""`: one that does not say who it is).
    peers: RefCell<Vec<String>>,
    /// When this tab joined: until the others had time to answer its `hello`, it posts as if
    /// they were there.
    joined_at: Cell<f64>,
}

/// How long after joining a tab posts whether or not another answered (milliseconds; an
/// answer takes well under one).
const ANSWER_WINDOW: f64 = 2000.0;

/// The page events a joined tab listens to, in the order of `Tabs::handlers` after the
/// channel's own.
const PAGE_EVENTS: [&str; 2] = ["pagehide", "pageshow"];

impl Tabs {
    /// Whether a message in the list is one another tab is sending.
    pub(in crate::widget) fn is_theirs(&self, client_msg_id: &str) -> bool {
        self.others
            .borrow()
            .iter()
            .any(|(id, _)| id == client_msg_id)
    }

    fn take(&self, client_msg_id: &str) -> Option<String> {
        let mut others = self.others.borrow_mut();
        let i = others.iter().position(|(id, _)| id == client_msg_id)?;
        Some(others.swap_remove(i).1)
    }

    /// Whether another tab may be listening.
    fn others_listen(&self) -> bool {
        !self.peers.borrow().is_empty()
            || crate::client::platform::now_ms() - self.joined_at.get() < ANSWER_WINDOW
    }

    fn add_peer(&self, from: String) {
        let mut peers = self.peers.borrow_mut();
        if !peers.contains(&from) {
            peers.push(from);
        }
    }
}

impl Controller {
    /// Joins the channel of this visitor's tabs (again after `reset()`, under the new record).
    pub(in crate::widget) fn join_tabs(&self) {
        self.leave_tabs();
        if self.0.options.storage != StorageKind::Local {
            return;
        }
        let name = self.0.identity.borrow().record.clone();
        let Ok(channel) = web_sys::BroadcastChannel::new(&name) else {
            return;
        };
        let weak = std::rc::Rc::downgrade(&self.0);
        let on_message = Handler::new(move |e: web_sys::Event| {
            if let (Some(inner), Some(e)) = (weak.upgrade(), e.dyn_ref::<web_sys::MessageEvent>()) {
                Controller(inner).on_tab_message(&e.data());
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let weak = std::rc::Rc::downgrade(&self.0);
        let on_hide = Handler::new(move |_| {
            if let Some(inner) = weak.upgrade() {
                let this = Controller(inner);
                this.hand_over();
                this.tell_presence("gone");
            }
        });
        // Back from the back/forward cache: the others forgot this tab when it was hidden.
        let weak = std::rc::Rc::downgrade(&self.0);
        let on_show = Handler::new(move |e: web_sys::Event| {
            let back = get(&e, "persisted").as_bool() == Some(true);
            if let (true, Some(inner)) = (back, weak.upgrade()) {
                Controller(inner).tell_presence("hello");
            }
        });
        let tabs = &self.0.tabs;
        if let Some(w) = web_sys::window() {
            for (event, handler) in PAGE_EVENTS.iter().zip([&on_hide, &on_show]) {
                let _ = w.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
            }
        }
        *tabs.me.borrow_mut() = crate::client::platform::uuid();
        tabs.joined_at.set(crate::client::platform::now_ms());
        *tabs.channel.borrow_mut() = Some(channel);
        *tabs.handlers.borrow_mut() = vec![on_message, on_hide, on_show];
        self.tell_presence("hello");
    }

    /// Leaves the channel (on `destroy()`, and before joining another).
    pub(in crate::widget) fn leave_tabs(&self) {
        self.tell_presence("gone");
        let tabs = &self.0.tabs;
        if let Some(channel) = tabs.channel.borrow_mut().take() {
            channel.set_onmessage(None);
            channel.close();
        }
        let handlers = std::mem::take(&mut *tabs.handlers.borrow_mut());
        if let Some(w) = web_sys::window() {
            for (event, handler) in PAGE_EVENTS.iter().zip(handlers.iter().skip(1)) {
                let _ =
                    w.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
            }
        }
        tabs.others.borrow_mut().clear();
        tabs.peers.borrow_mut().clear();
    }

    /// Posts to the other tabs, if any may be listening.
    fn tell_tabs(&self, kind: &'static str, fill: impl FnOnce(&js_sys::Object)) {
        if self.0.tabs.others_listen() {
            self.post_to_tabs(kind, fill);
        }
    }

    /// `hello`, `here` or `gone`: posted whether or not another tab is known.
    fn tell_presence(&self, kind: &'static str) {
        self.post_to_tabs(kind, |_| ());
    }

    fn post_to_tabs(&self, kind: &'static str, fill: impl FnOnce(&js_sys::Object)) {
        let tabs = &self.0.tabs;
        if let Some(channel) = tabs.channel.borrow().as_ref() {
            let m = js_sys::Object::new();
            set(&m, "t", &JsValue::from_str(kind));
            set(&m, "from", &JsValue::from_str(&tabs.me.borrow()));
            fill(&m);
            let _ = channel.post_message(&m);
        }
    }

    /// The visitor typed (or clicked) `value`, shown as `shown`, in this tab.
    pub(in crate::widget) fn tell_typed(
        &self,
        conversation: &str,
        client_msg_id: &str,
        shown: &str,
        value: &str,
    ) {
        self.tell_tabs("typed", |m| {
            set(m, "c", &JsValue::from_str(conversation));
            set(m, "id", &JsValue::from_str(client_msg_id));
            set(m, "text", &JsValue::from_str(shown));
            set(m, "value", &JsValue::from_str(value));
        });
    }

    /// A message this tab sent was delivered (with the server's id) or given up.
    pub(in crate::widget) fn tell_state(
        &self,
        client_msg_id: &str,
        sent: bool,
        message_id: Option<&str>,
    ) {
        self.tell_tabs("state", |m| {
            set(m, "id", &JsValue::from_str(client_msg_id));
            set(m, "sent", &JsValue::from_bool(sent));
            if let Some(mid) = message_id {
                set(m, "mid", &JsValue::from_str(mid));
            }
        });
    }

    /// The bot or an agent wrote in a conversation (`content` as received).
    pub(in crate::widget) fn tell_shown(
        &self,
        conversation: &str,
        author: Author,
        content: &JsValue,
        id: Option<&str>,
        name: Option<&str>,
    ) {
        self.tell_tabs("shown", |m| {
            set(m, "c", &JsValue::from_str(conversation));
            set(m, "agent", &JsValue::from_bool(author == Author::Agent));
            set(m, "content", content);
            if let Some(id) = id {
                set(m, "id", &JsValue::from_str(id));
            }
            if let Some(name) = name {
                set(m, "name", &JsValue::from_str(name));
            }
        });
    }

    /// The visitor was forgotten here (`reset()`): the other tabs forget the chat too.
    pub(in crate::widget) fn tell_reset(&self, user: &str) {
        self.tell_tabs("reset", |m| set(m, "user", &JsValue::from_str(user)));
    }

    /// The page is going away: the other tabs send what this one could not.
    pub(in crate::widget) fn hand_over(&self) {
        let unsent: js_sys::Array = self.thread().messages.with_untracked(|list| {
            list.iter()
                .filter(|m| m.author == Author::User && m.state == Some(SendState::Sending))
                .filter_map(|m| m.client_msg_id.as_deref())
                .filter(|id| !self.0.tabs.is_theirs(id))
                .map(JsValue::from_str)
                .collect()
        });
        if unsent.length() > 0 {
            self.tell_tabs("bye", |m| set(m, "ids", &unsent));
        }
    }

    fn on_tab_message(&self, m: &JsValue) {
        if self.0.destroyed.get() {
            return;
        }
        // Anything on the channel may be malformed (another version of the widget, a script of
        // the page): every field is checked, and what is not a tab message is ignored.
        let text = |key| get(m, key).as_string();
        let same_conversation = || text("c").is_some() && text("c") == self.current();
        let Some(kind) = text("t") else {
            return;
        };
        let from = text("from").unwrap_or_default();
        if kind == "gone" {
            self.0.tabs.peers.borrow_mut().retain(|p| *p != from);
            return;
        }
        // Any other message says its sender is open; a `hello` also asks who else is.
        self.0.tabs.add_peer(from);
        match kind.as_str() {
            "hello" => self.tell_presence("here"),
            "typed" if same_conversation() => {
                let (Some(id), Some(shown)) = (text("id"), text("text")) else {
                    return;
                };
                let known = self.thread().messages.with_untracked(|l| {
                    l.iter()
                        .any(|m| m.client_msg_id.as_deref() == Some(id.as_str()))
                });
                if known {
                    return;
                }
                let value = text("value").unwrap_or_else(|| shown.clone());
                self.0.tabs.others.borrow_mut().push((id.clone(), value));
                let key = self.key();
                self.thread()
                    .push_outgoing(Msg::outgoing(key, ContentItem::Text(shown), &id));
            }
            "state" => {
                let Some(id) = text("id") else { return };
                if self.0.tabs.take(&id).is_some() {
                    let sent = get(m, "sent").as_bool() == Some(true);
                    let state = if sent {
                        SendState::Sent
                    } else {
                        SendState::Failed
                    };
                    self.mark(&id, state, text("mid"));
                }
            }
            // Into whichever conversation it belongs to, if this tab knows it.
            "shown" => {
                let Some(thread) = text("c").and_then(|c| self.known_thread(&c)) else {
                    return;
                };
                let author = if get(m, "agent").as_bool() == Some(true) {
                    Author::Agent
                } else {
                    Author::Bot
                };
                let items = read_content(&get(m, "content"));
                self.deliver(thread, author, items, text("id"), text("name"));
            }
            "reset" => {
                let Some(user) = text("user").filter(|u| !u.is_empty()) else {
                    return;
                };
                // Later, not inside the channel's handler, which leaving the channel drops.
                let this = self.clone();
                crate::client::platform::spawn(async move { this.reset_by_another_tab(user) });
            }
            "bye" => {
                let Ok(ids) = get(m, "ids").dyn_into::<js_sys::Array>() else {
                    return;
                };
                for id in ids.iter().filter_map(|id| id.as_string()) {
                    if let Some(value) = self.0.tabs.take(&id) {
                        // The message is already in the list (mirrored): send it from here.
                        self.send_listed(&id, value);
                    }
                }
            }
            _ => {}
        }
    }
}
