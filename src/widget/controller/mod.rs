//! The widget's controller: it fills the model's signals from the client's events and
//! carries out what the visitor does. Components never touch the socket: they call
//! `Controller` methods. This file holds its state, construction and the page's events;
//! beside it, [`lifecycle`] starting, the connection, the first conversation and destroying,
//! [`threads`] which conversation is on screen, switching and the list of past ones, [`outbound`] what the
//! visitor does, [`inbound`] what the server does, [`visitor`] who the visitor is and what
//! the browser keeps of them, and [`tabs`] the visitor's other tabs.

mod attention;
pub(in crate::widget) mod closing;
mod context;
pub(in crate::widget) mod feedback;
mod inbound;
mod lifecycle;
mod outbound;
pub(in crate::widget) mod prechat;
mod tabs;
mod threads;
mod visitor;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Function;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use wasm_bindgen::JsValue;

use crate::client::platform::{self};
use crate::client::{ChatClient, LinkStatus, StartWaiter};
use crate::widget::greeting::Greeting;
use crate::widget::i18n::Strings;
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
}
