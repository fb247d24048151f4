//! The widget's controller: it fills the model's signals from the client's events and
//! carries out what the visitor does. Components never touch the socket: they call
//! `Controller` methods. This file holds its state, construction, the page's events and
//! the lifecycle (start, connection, the conversations list, destroy); beside it,
//! [`threads`] holds which conversation is on screen and switching, [`outbound`] what the
//! visitor does, [`inbound`] what the server does, [`visitor`] who the visitor is and what
//! the browser keeps of them, and [`tabs`] the visitor's other tabs.

mod attention;
pub(in crate::widget) mod closing;
mod context;
pub(in crate::widget) mod feedback;
mod inbound;
mod outbound;
pub(in crate::widget) mod prechat;
mod tabs;
mod threads;
mod visitor;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::Function;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use wasm_bindgen::JsValue;

use crate::client::platform::{self};
use crate::client::{ChatClient, ClientError, LinkStatus, StartWaiter};
use crate::protocol::{json, ClientEvent, JsonBuild, JsonView};
use crate::widget::greeting::Greeting;
use crate::widget::i18n::{Strings, Text};
use crate::widget::options::WidgetOptions;
use crate::widget::storage;

pub use crate::widget::model::{Author, Chat, Msg, Past, SendState, Thread};

pub(in crate::widget) struct Inner {
    pub(in crate::widget) client: ChatClient,
    pub(in crate::widget) options: WidgetOptions,
    pub(in crate::widget) strings: Strings,
    pub(in crate::widget) chat: Chat,
    pub(in crate::widget) starting: Cell<bool>,
    /// The socket was asked for (it opens only when something needs it).
    pub(in crate::widget) connect_requested: Cell<bool>,
    /// Calls waiting for the conversation that another call is starting.
    pub(in crate::widget) start_waiters: RefCell<Vec<StartWaiter>>,
    /// The page the conversation's metadata last said the visitor was on (`pageContext`):
    /// the conversation, and the page's address and title.
    pub(in crate::widget) page_said: RefCell<Option<(String, (String, String))>>,
    pub(in crate::widget) next_key: Cell<u64>,
    pub(in crate::widget) subscription: Cell<Option<u64>>,
    /// The page's listeners, by event name (a handful: a list, not a map).
    pub(in crate::widget) listeners: RefCell<Vec<(String, Function)>>,
    /// Where the visitor's id and chat are kept, and for how long.
    pub(in crate::widget) keeping: storage::Keeping,
    /// Who the visitor is: the id sent as `userId`, and the key of their record.
    pub(in crate::widget) identity: RefCell<Identity>,
    pub(in crate::widget) destroyed: Cell<bool>,
    /// The visitor's other tabs.
    pub(in crate::widget) tabs: tabs::Tabs,
    /// Calling the visitor back when they are elsewhere.
    pub(in crate::widget) attention: attention::Attention,
    /// The proactive greeting beside the launcher (shared with the launcher it replaced).
    pub(in crate::widget) greeting: Greeting,
    /// Starts waiting for the pre-chat form (`controller::prechat`).
    pub(in crate::widget) prechat_waiters: RefCell<Vec<futures_channel::oneshot::Sender<()>>>,
    /// The visitor's answer to the pre-chat form, on this page.
    pub(in crate::widget) about: RefCell<Option<JsValue>>,
    /// Owns the signals of the conversations the widget comes to know (made in handlers
    /// and tasks, which have no owner of their own): they live as long as the widget.
    pub(in crate::widget) owner: Owner,
    /// The conversation on screen (a fresh one, not yet started, until the first message).
    pub(in crate::widget) on_screen: Cell<Thread>,
    /// Every conversation the widget has shown or heard from since the page loaded, by id.
    pub(in crate::widget) threads: RefCell<Vec<(String, Thread)>>,
    /// `action` lists the bot sent for a conversation while another was on screen, as JS
    /// values: the page hears them when the visitor comes back to that one.
    pub(in crate::widget) pending_actions: RefCell<Vec<(String, JsValue)>>,
    /// The visitor's conversations, as last listed (`chat.history_changed` says when).
    pub(in crate::widget) history: RefCell<Vec<Past>>,
    /// What keeps the visitor's record and badge count as they change (`keep_record`).
    pub(in crate::widget) effects: RefCell<Vec<RenderEffect<()>>>,
}

pub(in crate::widget) struct Identity {
    pub(in crate::widget) user: String,
    pub(in crate::widget) record: String,
}

/// The widget's behaviour; cheap to clone.
#[derive(Clone)]
pub struct Controller(pub(in crate::widget) Rc<Inner>);

impl Controller {
    pub fn new(options: WidgetOptions, strings: Strings) -> Controller {
        let client = ChatClient::new(&options.api_key, options.endpoints.clone());
        let keeping = storage::Keeping::of(&options);
        keeping.sweep(&options.api_key);
        let user = keeping.visitor_id(&options);
        let record = storage::record_key(&options.api_key, &user);
        let chat = Chat::new(options.open);
        let greeting = Greeting::of(&options, &strings);
        let owner = Owner::new();
        let outgoing = owner.with(Trigger::new);
        let on_screen = Cell::new(owner.with(|| Thread::new(outgoing)));
        let c = Controller(Rc::new(Inner {
            client,
            options,
            strings,
            chat,
            starting: Cell::new(false),
            connect_requested: Cell::new(false),
            start_waiters: RefCell::new(Vec::new()),
            page_said: RefCell::new(None),
            next_key: Cell::new(1),
            subscription: Cell::new(None),
            listeners: RefCell::new(Vec::new()),
            keeping,
            identity: RefCell::new(Identity { user, record }),
            destroyed: Cell::new(false),
            tabs: Default::default(),
            attention: Default::default(),
            greeting,
            prechat_waiters: RefCell::new(Vec::new()),
            about: RefCell::new(None),
            owner,
            on_screen,
            threads: RefCell::new(Vec::new()),
            pending_actions: RefCell::new(Vec::new()),
            history: RefCell::new(Vec::new()),
            effects: RefCell::new(Vec::new()),
        }));
        c.join_tabs();
        c.watch_attention();
        if c.0.chat.open.get_untracked() {
            c.greeted();
        }
        let weak = c.weak();
        let id = c.0.client.subscribe(
            None,
            Rc::new(move |notice| {
                if let Some(this) = Controller::upgrade(&weak) {
                    this.on_notice(notice);
                }
            }),
        );
        c.0.subscription.set(Some(id));
        c
    }

    /// A handle that does not keep the widget alive (for the browser's listeners).
    pub(in crate::widget) fn weak(&self) -> std::rc::Weak<Inner> {
        Rc::downgrade(&self.0)
    }

    /// The controller behind `weak`, unless the widget was dropped.
    pub(in crate::widget) fn upgrade(weak: &std::rc::Weak<Inner>) -> Option<Controller> {
        weak.upgrade().map(Controller)
    }

    pub fn chat(&self) -> Chat {
        self.0.chat
    }

    /// The visitor's conversations, as last listed (tracked: `chat.history_changed`).
    pub fn history(&self) -> Vec<Past> {
        self.0.chat.history_changed.track();
        self.0.history.borrow().clone()
    }

    /// Changes the list of the visitor's conversations, and says so.
    pub(in crate::widget) fn set_history(&self, change: impl FnOnce(&mut Vec<Past>)) {
        change(&mut self.0.history.borrow_mut());
        self.0.chat.history_changed.notify();
    }

    /// The proactive greeting beside the launcher.
    pub fn greeting(&self) -> Greeting {
        self.0.greeting.clone()
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

    pub(in crate::widget) fn key(&self) -> u64 {
        let k = self.0.next_key.get();
        self.0.next_key.set(k + 1);
        k
    }

    // ---------- events for the page ----------

    /// `handle.on(event, cb)`: open, close, message, action, error, connection.
    pub fn on(&self, event: &str, cb: Function) {
        self.0.listeners.borrow_mut().push((event.to_owned(), cb));
    }

    /// Says `text` to screen readers (the panel's polite live region).
    pub fn announce(&self, text: &str) {
        self.0.chat.announcement.set(Some(text.to_owned()));
    }

    pub fn emit(&self, event: &str, detail: &JsValue) {
        // Copied first: a listener may add listeners.
        let cbs: Vec<Function> = self
            .0
            .listeners
            .borrow()
            .iter()
            .filter(|(e, _)| e == event)
            .map(|(_, cb)| cb.clone())
            .collect();
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
        let saved = self.saved();
        let own = saved.field_string("conversationId");
        if let Some(id) = own.clone() {
            self.adopt_conversation(id);
            // The badge the last page left, while the panel is closed; a panel open at start
            // (or opened from the launcher before this module loaded) shows the messages,
            // and the count kept for the next page is cleared.
            let unread = match self.0.chat.open.get_untracked() {
                true => 0,
                false => self
                    .0
                    .keeping
                    .unread_count(&self.0.identity.borrow().record),
            };
            self.0.chat.unread.set(unread);
        }
        let resume = own.is_some();
        // Messages the visitor typed and did not see delivered: the conversation's own are
        // sent again once its history is read; other conversations' right away.
        let (unsent, elsewhere): (Vec<_>, Vec<_>) = visitor::unsent(&saved)
            .into_iter()
            .partition(|u| u.conversation == own);
        // What the server refused shows in its conversation as not sent, with Retry, and is
        // not sent again on its own (nor does it need a socket).
        let (refused, elsewhere): (Vec<_>, Vec<_>) = elsewhere.into_iter().partition(|u| u.failed);
        for u in refused {
            if let Some(conversation) = &u.conversation {
                self.show_refused(self.thread_of(conversation), u);
            }
        }
        // A visitor who has no conversation, nothing left to send and does not open the
        // chat costs no socket: it opens with the panel, the first message, or
        // `connect: "eager"`.
        if !(resume
            || !elsewhere.is_empty()
            || self.0.chat.open.get_untracked()
            || self.0.options.connect_eagerly)
        {
            return;
        }
        self.0.connect_requested.set(true);
        let this = self.clone();
        platform::spawn(async move {
            this.connect().await;
            for u in elsewhere {
                if let Some(conversation) = u.conversation {
                    this.send_elsewhere(conversation, u.id, u.text);
                }
            }
            if resume {
                this.load_history().await;
                for u in unsent {
                    match u.failed {
                        true => this.show_refused(this.thread(), u),
                        false => this.send_with_id(&u.text, &u.text, u.id),
                    }
                }
            } else if this.0.chat.open.get_untracked() {
                let _ = this.ensure_conversation().await;
            }
        });
    }

    async fn connect(&self) {
        if let Err(e) = self.0.client.connect().await {
            // The client keeps retrying on its own; the header shows the state.
            platform::console_warn(
                "[CaptivateChat] Not connected yet:",
                &JsValue::from_str(&e.message()),
            );
            self.0.client.wake();
        }
    }

    /// Opens the socket the first time something needs it.
    pub fn ensure_connected(&self) {
        if !self.0.connect_requested.replace(true) {
            let this = self.clone();
            platform::spawn(async move { this.connect().await });
        }
    }

    /// Starts a conversation if there is none (on first open, or the first message); why
    /// it could not be started otherwise.
    pub async fn ensure_conversation(&self) -> Result<String, ClientError> {
        self.ensure_connected();
        if let Some(id) = self.current() {
            return Ok(id);
        }
        if self.0.starting.replace(true) {
            // Another call is starting it: wait for its outcome.
            let (tx, rx) = oneshot::channel();
            self.0.start_waiters.borrow_mut().push(tx);
            return rx.await.unwrap_or(Err(ClientError::Disposed));
        }
        // The server answers a start on the socket: wait for it to be up (it may still be connecting).
        // Who the visitor is, first, if the pre-chat form is to ask.
        self.await_prechat().await;
        self.0.client.wait_online(30_000).await;
        self.settle_visitor();
        let user = Some(JsValue::from_str(&self.user()));
        let page = self.page_context();
        let metadata = JsValue::object(&[
            ("private", Some(JsValue::object(&[]))),
            ("context", page.as_ref().map(context::value)),
        ]);
        let result = self
            .0
            .client
            .start_conversation(&user, self.basic_info(), metadata)
            .await;
        if let (Ok(id), Some(page)) = (&result, page) {
            *self.0.page_said.borrow_mut() = Some((id.clone(), page));
        }
        self.0.starting.set(false);
        let waiters = std::mem::take(&mut *self.0.start_waiters.borrow_mut());
        if let Ok(id) = &result {
            self.adopt_conversation(id.clone());
            // Started here: everything it holds is heard live (no transcript to read).
            self.thread().loaded.set(true);
            // What the server sent before the start call returned (a greeting) shows now.
            self.0.client.release(id);
        }
        for w in waiters {
            let _ = w.send(result.clone());
        }
        match result {
            Ok(id) => {
                if self.0.options.bot_first {
                    self.thread().typing.set(true);
                    let msg_id = platform::uuid();
                    let event = ClientEvent::UserMessage {
                        client_msg_id: Some(msg_id.clone()),
                        conversation_id: id.clone(),
                        content: ClientEvent::text_content(""),
                    };
                    let _ = self.0.client.send_reliably(None, &id, &msg_id, event).await;
                }
                Ok(id)
            }
            Err(e) => {
                self.system(&self.0.strings.get(Text::Error));
                self.emit("error", &JsValue::from_str(&e.message()));
                Err(e)
            }
        }
    }

    /// Lists the visitor's conversations (`get_user_conversations`) and shows the list.
    pub fn show_history(&self) {
        let this = self.clone();
        platform::spawn(async move {
            let user = this.user();
            let answer = this
                .0
                .client
                .send_now(ClientEvent::GetUserConversations {
                    user_id: Some(JsValue::from_str(&user)),
                })
                .await;
            let list = match answer {
                Ok(a) => {
                    let payload = a.parsed().map(json::answer_payload).ok();
                    let list = payload.and_then(|p| p.field("conversations"));
                    list.and_then(|l| l.items())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|c| {
                            Some(Past {
                                id: c.field_string("conversation_id")?,
                                title: c.field("metadata").and_then(|m| m.field_string("title")),
                                updated: c
                                    .field("updatedAt")
                                    .or_else(|| c.field("updated_at"))
                                    .and_then(|u| u.number()),
                            })
                        })
                        .collect()
                }
                Err(e) => {
                    this.emit("error", &JsValue::from_str(&e.message()));
                    Vec::new()
                }
            };
            this.set_history(|h| *h = list);
            this.0.chat.history_shown.set(true);
        });
    }

    /// Back to the conversation from the list of past ones (nothing changes when it is not
    /// shown: the panel builds its conversation view again when `history_shown` changes).
    pub fn hide_history(&self) {
        if self.0.chat.history_shown.get_untracked() {
            self.0.chat.history_shown.set(false);
        }
    }

    pub fn destroy(&self) {
        // Nothing is written from here on: the record keeps what was unsent.
        self.0.effects.borrow_mut().clear();
        self.hand_over();
        self.0.tabs.leave();
        self.forget_attention();
        self.0.greeting.forget();
        // A start waiting for the pre-chat form gives up (the client is disposed below).
        self.0.prechat_waiters.borrow_mut().clear();
        self.0.destroyed.set(true);
        if let Some(id) = self.0.subscription.take() {
            self.0.client.unsubscribe(id);
        }
        self.0.client.dispose();
        // Nothing of the chat stays in memory.
        let threads = std::mem::take(&mut *self.0.threads.borrow_mut());
        for thread in threads.iter().map(|(_, t)| *t).chain([self.thread()]) {
            thread.messages.try_set(Vec::new());
        }
        self.0.pending_actions.borrow_mut().clear();
    }
}
