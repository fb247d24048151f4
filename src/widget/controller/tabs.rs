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

/// The link to this visitor's other tabs: the channel, who is on it, and the messages the
/// others are sending. It knows nothing of the controller: the controller joins it with
/// what to do on each message ([`Tabs::join`]), posts through it, and reads what it heard
/// as a [`TabMessage`] whose every field was checked.
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

/// What another tab said, checked: anything on the channel may be malformed (another
/// version of the widget, a script of the page), and what is not one of these is ignored.
pub(in crate::widget) enum TabMessage {
    /// The visitor typed (or clicked) `value`, shown as `shown`, in conversation `c`.
    Typed {
        c: String,
        id: String,
        shown: String,
        value: String,
    },
    /// A message that tab sent was delivered (with the server's id, `mid`) or given up.
    State {
        id: String,
        sent: bool,
        mid: Option<String>,
    },
    /// The bot or an agent wrote in conversation `c`.
    Shown {
        c: String,
        agent: bool,
        content: JsValue,
        id: Option<String>,
        name: Option<String>,
    },
    /// The visitor was forgotten there (`reset()`); `user` is the id they had.
    Reset { user: String },
    /// That tab is going away: these of its messages are not delivered yet.
    Bye { ids: Vec<String> },
}

impl TabMessage {
    /// `m` read as a message about the chat (presence aside), or `None`.
    fn read(kind: &str, m: &JsValue) -> Option<TabMessage> {
        let text = |key| get(m, key).as_string();
        let flag = |key| get(m, key).as_bool() == Some(true);
        Some(match kind {
            "typed" => {
                let shown = text("text")?;
                TabMessage::Typed {
                    c: text("c")?,
                    id: text("id")?,
                    value: text("value").unwrap_or_else(|| shown.clone()),
                    shown,
                }
            }
            "state" => TabMessage::State {
                id: text("id")?,
                sent: flag("sent"),
                mid: text("mid"),
            },
            "shown" => TabMessage::Shown {
                c: text("c")?,
                agent: flag("agent"),
                content: get(m, "content"),
                id: text("id"),
                name: text("name"),
            },
            "reset" => TabMessage::Reset {
                user: text("user").filter(|u| !u.is_empty())?,
            },
            "bye" => TabMessage::Bye {
                ids: get(m, "ids")
                    .dyn_into::<js_sys::Array>()
                    .ok()?
                    .iter()
                    .filter_map(|id| id.as_string())
                    .collect(),
            },
            _ => return None,
        })
    }
}

impl Tabs {
    /// Joins the channel `name`: `heard` gets what the channel carries, `hidden` runs when
    /// the page is hidden (before this tab says it is gone), `back` when it comes back from
    /// the back/forward cache (the others forgot it meanwhile; it says hello again). Leaves
    /// the channel it was on first. `false`: the browser has no channel for it.
    pub(in crate::widget) fn join(
        &self,
        name: &str,
        heard: impl Fn(JsValue) + 'static,
        hidden: impl Fn() + 'static,
        back: impl Fn() + 'static,
    ) -> bool {
        self.leave();
        let Ok(channel) = web_sys::BroadcastChannel::new(name) else {
            return false;
        };
        let on_message = Handler::new(move |e: web_sys::Event| {
            if let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() {
                heard(e.data());
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_hide = Handler::new(move |_| hidden());
        let on_show = Handler::new(move |e: web_sys::Event| {
            if get(&e, "persisted").as_bool() == Some(true) {
                back();
            }
        });
        if let Some(w) = web_sys::window() {
            for (event, handler) in PAGE_EVENTS.iter().zip([&on_hide, &on_show]) {
                let _ = w.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
            }
        }
        *self.me.borrow_mut() = crate::client::platform::uuid();
        self.joined_at.set(crate::client::platform::now_ms());
        *self.channel.borrow_mut() = Some(channel);
        *self.handlers.borrow_mut() = vec![on_message, on_hide, on_show];
        self.presence("hello");
        true
    }

    /// Says it is gone and leaves the channel (on `destroy()`, and before joining another).
    pub(in crate::widget) fn leave(&self) {
        self.presence("gone");
        if let Some(channel) = self.channel.borrow_mut().take() {
            channel.set_onmessage(None);
            channel.close();
        }
        let handlers = std::mem::take(&mut *self.handlers.borrow_mut());
        if let Some(w) = web_sys::window() {
            for (event, handler) in PAGE_EVENTS.iter().zip(handlers.iter().skip(1)) {
                let _ =
                    w.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
            }
        }
        self.others.borrow_mut().clear();
        self.peers.borrow_mut().clear();
    }

    /// Reads what the channel carried: presence (`hello`, `here`, `gone`) is answered and
    /// counted here; a message about the chat is returned, checked.
    pub(in crate::widget) fn hear(&self, m: &JsValue) -> Option<TabMessage> {
        let kind = get(m, "t").as_string()?;
        let from = get(m, "from").as_string().unwrap_or_default();
        if kind == "gone" {
            self.peers.borrow_mut().retain(|p| *p != from);
            return None;
        }
        // Any other message says its sender is open; a `hello` also asks who else is.
        if !self.peers.borrow().contains(&from) {
            self.peers.borrow_mut().push(from);
        }
        if kind == "hello" {
            self.presence("here");
        }
        TabMessage::read(&kind, m)
    }

    /// Posts a message of `kind` (its fields set by `fill`), if another tab may be listening.
    pub(in crate::widget) fn post(&self, kind: &'static str, fill: impl FnOnce(&js_sys::Object)) {
        if self.others_listen() {
            self.post_always(kind, fill);
        }
    }

    /// `hello`, `here` or `gone`: posted whether or not another tab is known.
    pub(in crate::widget) fn presence(&self, kind: &'static str) {
        self.post_always(kind, |_| ());
    }

    fn post_always(&self, kind: &'static str, fill: impl FnOnce(&js_sys::Object)) {
        if let Some(channel) = self.channel.borrow().as_ref() {
            let m = js_sys::Object::new();
            set(&m, "t", &JsValue::from_str(kind));
            set(&m, "from", &JsValue::from_str(&self.me.borrow()));
            fill(&m);
            let _ = channel.post_message(&m);
        }
    }

    /// Whether another tab may be listening.
    fn others_listen(&self) -> bool {
        !self.peers.borrow().is_empty()
            || crate::client::platform::now_ms() - self.joined_at.get() < ANSWER_WINDOW
    }

    /// Another tab is sending `client_msg_id`; `value` is what to send should it close first.
    pub(in crate::widget) fn expect(&self, client_msg_id: String, value: String) {
        self.others.borrow_mut().push((client_msg_id, value));
    }

    /// Whether a message in the list is one another tab is sending.
    pub(in crate::widget) fn is_theirs(&self, client_msg_id: &str) -> bool {
        self.others
            .borrow()
            .iter()
            .any(|(id, _)| id == client_msg_id)
    }

    /// No longer another tab's to send: the value it would have sent, if it was.
    pub(in crate::widget) fn take(&self, client_msg_id: &str) -> Option<String> {
        let mut others = self.others.borrow_mut();
        let i = others.iter().position(|(id, _)| id == client_msg_id)?;
        Some(others.swap_remove(i).1)
    }
}

impl Controller {
    /// Joins the channel of this visitor's tabs (again after `reset()`, under the new record).
    pub(in crate::widget) fn join_tabs(&self) {
        self.0.tabs.leave();
        if self.0.options.storage != StorageKind::Local {
            return;
        }
        let name = self.0.identity.borrow().record.clone();
        let (w1, w2, w3) = (self.weak(), self.weak(), self.weak());
        self.0.tabs.join(
            &name,
            move |m| {
                if let Some(this) = Controller::upgrade(&w1) {
                    this.on_tab_message(&m);
                }
            },
            move || {
                if let Some(this) = Controller::upgrade(&w2) {
                    this.hand_over();
                    this.0.tabs.presence("gone");
                }
            },
            move || {
                if let Some(this) = Controller::upgrade(&w3) {
                    this.0.tabs.presence("hello");
                }
            },
        );
    }

    /// The visitor typed (or clicked) `value`, shown as `shown`, in this tab.
    pub(in crate::widget) fn tell_typed(
        &self,
        conversation: &str,
        client_msg_id: &str,
        shown: &str,
        value: &str,
    ) {
        self.0.tabs.post("typed", |m| {
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
        self.0.tabs.post("state", |m| {
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
        self.0.tabs.post("shown", |m| {
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
        self.0
            .tabs
            .post("reset", |m| set(m, "user", &JsValue::from_str(user)));
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
            self.0.tabs.post("bye", |m| set(m, "ids", &unsent));
        }
    }

    fn on_tab_message(&self, m: &JsValue) {
        if self.0.destroyed.get() {
            return;
        }
        let Some(message) = self.0.tabs.hear(m) else {
            return;
        };
        match message {
            TabMessage::Typed {
                c,
                id,
                shown,
                value,
            } => {
                let known = self.thread().messages.with_untracked(|l| {
                    l.iter()
                        .any(|m| m.client_msg_id.as_deref() == Some(id.as_str()))
                });
                if known || Some(c) != self.current() {
                    return;
                }
                self.0.tabs.expect(id.clone(), value);
                let key = self.key();
                self.thread()
                    .push_outgoing(Msg::outgoing(key, ContentItem::Text(shown), &id));
            }
            TabMessage::State { id, sent, mid } => {
                if self.0.tabs.take(&id).is_some() {
                    let state = if sent {
                        SendState::Sent
                    } else {
                        SendState::Failed
                    };
                    self.mark(&id, state, mid);
                }
            }
            // Into whichever conversation it belongs to, if this tab knows it.
            TabMessage::Shown {
                c,
                agent,
                content,
                id,
                name,
            } => {
                let Some(thread) = self.known_thread(&c) else {
                    return;
                };
                let author = if agent { Author::Agent } else { Author::Bot };
                self.deliver(thread, author, read_content(&content), id, name, false);
            }
            TabMessage::Reset { user } => {
                // Later, not inside the channel's handler, which leaving the channel drops.
                let this = self.clone();
                crate::client::platform::spawn(async move { this.reset_by_another_tab(user) });
            }
            TabMessage::Bye { ids } => {
                for id in ids {
                    if let Some(value) = self.0.tabs.take(&id) {
                        // The message is already in the list (mirrored): send it from here.
                        self.send_listed(&id, value);
                    }
                }
            }
        }
    }
}
