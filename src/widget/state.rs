//! The widget's controller: it fills the model's signals from the client's events and
//! carries out what the visitor does. Components never touch the socket: they call
//! `Controller` methods. This file holds its state, construction, the page's events, the
//! lifecycle (start, persistence, history, switching, destroy); beside it,
//! [`super::outbound`] holds what the visitor does and [`super::inbound`] what the server
//! does.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::Function;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

use super::i18n::{Strings, Text};
use super::options::WidgetOptions;
use super::storage;
use crate::client::platform::{self};
use crate::client::{ChatClient, ClientError, LinkStatus};
use crate::protocol::{json, ClientEvent};

use super::model::trim_kept;
pub use super::model::{Author, Chat, Msg, Past, SendState, Thread};

pub(super) struct Inner {
    pub(super) client: ChatClient,
    pub(super) options: WidgetOptions,
    pub(super) strings: Strings,
    pub(super) chat: Chat,
    pub(super) conversation: RefCell<Option<String>>,
    pub(super) starting: Cell<bool>,
    /// The socket was asked for (it opens only when something needs it).
    pub(super) connect_requested: Cell<bool>,
    /// Calls waiting for the conversation that another call is starting.
    pub(super) start_waiters: RefCell<Vec<oneshot::Sender<Result<String, ClientError>>>>,
    pub(super) next_key: Cell<u64>,
    pub(super) subscription: Cell<Option<u64>>,
    /// The page's listeners, by event name (a handful: a list, not a map).
    pub(super) listeners: RefCell<Vec<(String, Function)>>,
    /// Where the visitor's id and chat are kept, and for how long.
    pub(super) keeping: storage::Keeping,
    /// Who the visitor is: the id sent as `userId`, and the key of their record.
    pub(super) identity: RefCell<Identity>,
    pub(super) destroyed: Cell<bool>,
    /// The visitor's other tabs.
    pub(super) tabs: super::tabs::Tabs,
    /// Owns the signals of the conversations the widget comes to know (made in handlers
    /// and tasks, which have no owner of their own): they live as long as the widget.
    pub(super) owner: Owner,
    /// The conversation on screen (a fresh one, not yet started, until the first message).
    pub(super) on_screen: Cell<Thread>,
    /// Every conversation the widget has shown or heard from since the page loaded, by id.
    pub(super) threads: RefCell<Vec<(String, Thread)>>,
    /// `action` lists the bot sent for a conversation while another was on screen, as JS
    /// values: the page hears them when the visitor comes back to that one.
    pub(super) pending_actions: RefCell<Vec<(String, JsValue)>>,
}

pub(super) struct Identity {
    pub(super) user: String,
    pub(super) record: String,
}

/// The widget's behaviour; cheap to clone.
#[derive(Clone)]
pub struct Controller(pub(super) Rc<Inner>);

impl Controller {
    pub fn new(options: WidgetOptions, strings: Strings) -> Controller {
        let client = ChatClient::new(&options.api_key, options.endpoints.clone());
        let keeping = storage::Keeping::of(&options);
        let user = keeping.visitor_id(&options);
        let record = storage::record_key(&options.api_key, &user);
        let chat = Chat::new(options.open);
        let owner = Owner::new();
        let on_screen = Cell::new(owner.with(Thread::new));
        let c = Controller(Rc::new(Inner {
            client,
            options,
            strings,
            chat,
            conversation: RefCell::new(None),
            starting: Cell::new(false),
            connect_requested: Cell::new(false),
            start_waiters: RefCell::new(Vec::new()),
            next_key: Cell::new(1),
            subscription: Cell::new(None),
            listeners: RefCell::new(Vec::new()),
            keeping,
            identity: RefCell::new(Identity { user, record }),
            destroyed: Cell::new(false),
            tabs: Default::default(),
            owner,
            on_screen,
            threads: RefCell::new(Vec::new()),
            pending_actions: RefCell::new(Vec::new()),
        }));
        c.join_tabs();
        let weak = Rc::downgrade(&c.0);
        let id = c.0.client.subscribe(
            None,
            Rc::new(move |notice| {
                if let Some(inner) = weak.upgrade() {
                    Controller(inner).on_notice(notice);
                }
            }),
        );
        c.0.subscription.set(Some(id));
        c
    }

    pub fn chat(&self) -> Chat {
        self.0.chat
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

    pub(super) fn key(&self) -> u64 {
        let k = self.0.next_key.get();
        self.0.next_key.set(k + 1);
        k
    }

    // ---------- events for the page ----------

    /// `handle.on(event, cb)`: open, close, message, action, error, connection.
    pub fn on(&self, event: &str, cb: Function) {
        self.0.listeners.borrow_mut().push((event.to_owned(), cb));
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
        if let Some(id) = saved.get("conversationId").and_then(Value::as_str) {
            self.take_up(id.to_owned());
            if !self.0.chat.open.get_untracked() {
                self.0.chat.unread.set(
                    self.0
                        .keeping
                        .unread_count(&self.0.identity.borrow().record),
                );
            }
        }
        let resume = saved
            .get("conversationId")
            .and_then(Value::as_str)
            .is_some();
        // A visitor who has no conversation and does not open the chat costs no socket:
        // it opens with the panel, the first message, or `connect: "eager"`.
        if !(resume || self.0.chat.open.get_untracked() || self.0.options.connect_eagerly) {
            return;
        }
        self.0.connect_requested.set(true);
        let this = self.clone();
        platform::spawn(async move {
            this.connect().await;
            if saved
                .get("conversationId")
                .and_then(Value::as_str)
                .is_some()
            {
                this.load_history().await;
                let unsent: Vec<(String, String)> = saved
                    .get("outbox")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|m| {
                                Some((
                                    m.get("id")?.as_str()?.to_owned(),
                                    m.get("text")?.as_str()?.to_owned(),
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for (client_msg_id, text) in unsent {
                    this.send_with_id(&text, &text, client_msg_id);
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
                &JsValue::from_str(&e.to_string()),
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
        if let Some(id) = self.0.conversation.borrow().clone() {
            return Ok(id);
        }
        if self.0.starting.replace(true) {
            // Another call is starting it: wait for its outcome.
            let (tx, rx) = oneshot::channel();
            self.0.start_waiters.borrow_mut().push(tx);
            return rx.await.unwrap_or(Err(ClientError::Disposed));
        }
        // The server answers a start on the socket: wait for it to be up (it may still be connecting).
        self.0.client.wait_online(30_000).await;
        let user = Some(Value::from(self.user()));
        let metadata = json!({ "private": {} });
        let result = self
            .0
            .client
            .start_conversation(&user, json!({}), metadata)
            .await;
        self.0.starting.set(false);
        let waiters = std::mem::take(&mut *self.0.start_waiters.borrow_mut());
        if let Ok(id) = &result {
            self.take_up(id.clone());
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
                self.persist();
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
                self.emit("error", &JsValue::from_str(&e.to_string()));
                Err(e)
            }
        }
    }

    /// The conversation on screen (components read it again when `Chat::current` changes).
    pub fn thread(&self) -> Thread {
        self.0.on_screen.get()
    }

    /// The thread of a conversation the widget knows, `None` for any other.
    pub fn known_thread(&self, id: &str) -> Option<Thread> {
        self.0
            .threads
            .borrow()
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, t)| *t)
    }

    /// The thread of a conversation, made when the widget first hears of it.
    pub(super) fn thread_of(&self, id: &str) -> Thread {
        if let Some(thread) = self.known_thread(id) {
            return thread;
        }
        let thread = self.0.owner.with(Thread::new);
        self.0.threads.borrow_mut().push((id.to_owned(), thread));
        thread
    }

    /// Puts a conversation on screen (`None`: a new one, started by the first message);
    /// one the widget knows comes back as it was left.
    pub(super) fn set_current(&self, id: Option<String>) {
        let thread = match &id {
            None => self.0.owner.with(Thread::new),
            Some(id) => self.thread_of(id),
        };
        self.show_thread(id, thread);
    }

    /// The conversation just started (or resumed from the visitor's record) is the one on
    /// screen: it keeps what the screen shows (the visitor's first message), and takes in
    /// anything a thread made for it meanwhile holds.
    pub(super) fn take_up(&self, id: String) {
        let thread = match self.current() {
            None => self.thread(),
            Some(_) => self.0.owner.with(Thread::new),
        };
        let earlier = {
            let mut threads = self.0.threads.borrow_mut();
            let earlier = threads
                .iter()
                .position(|(k, _)| *k == id)
                .map(|i| threads.swap_remove(i).1)
                .filter(|t| *t != thread);
            threads.push((id.clone(), thread));
            earlier
        };
        if let Some(earlier) = earlier {
            let mut held = earlier.messages.get_untracked();
            thread.messages.update(|l| {
                held.append(l);
                *l = held;
            });
        }
        self.show_thread(Some(id), thread);
    }

    fn show_thread(&self, id: Option<String>, thread: Thread) {
        let leaving = self.thread();
        if leaving != thread {
            // A conversation off screen keeps only its end (and what is still unsent): a
            // long one is read again if the visitor comes back to it.
            if leaving.messages.try_update(trim_kept) == Some(true) {
                leaving.loaded.set(false);
            }
        }
        // Frames that name no conversation go to the one on screen (the client's routing).
        if let Some(id) = &id {
            self.0.client.touch(id);
        }
        *self.0.conversation.borrow_mut() = id.clone();
        thread.unread.set(0);
        self.0.on_screen.set(thread);
        // What the bot asked of the page while the visitor was elsewhere.
        if let Some(id) = &id {
            let mut waiting = Vec::new();
            self.0.pending_actions.borrow_mut().retain(|(c, actions)| {
                let theirs = c == id;
                if theirs {
                    waiting.push(actions.clone());
                }
                !theirs
            });
            for actions in waiting {
                self.emit("action", &actions);
            }
        }
        self.0.chat.current.set(id);
    }

    /// Forgets a conversation's thread (deleted, or gone from the server).
    pub(super) fn forget_thread(&self, id: &str) {
        self.0.threads.borrow_mut().retain(|(k, _)| k != id);
        self.0.pending_actions.borrow_mut().retain(|(c, _)| c != id);
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
                    user_id: Some(Value::String(user)),
                })
                .await;
            let list = match answer {
                Ok(a) => {
                    let body: Value = platform::parse_json_value(&a.body).unwrap_or(Value::Null);
                    let payload = json::answer_payload(body);
                    payload
                        .get("conversations")
                        .and_then(Value::as_array)
                        .map(|list| {
                            list.iter()
                                .filter_map(|c| {
                                    Some(Past {
                                        id: c.get("conversation_id")?.as_str()?.to_owned(),
                                        title: c
                                            .get("metadata")
                                            .and_then(|m| m.get("title"))
                                            .and_then(Value::as_str)
                                            .map(str::to_owned),
                                        updated: c
                                            .get("updatedAt")
                                            .or_else(|| c.get("updated_at"))
                                            .and_then(Value::as_f64),
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                }
                Err(e) => {
                    this.emit("error", &JsValue::from_str(&e.to_string()));
                    Vec::new()
                }
            };
            this.0.chat.history.set(Some(list));
        });
    }

    pub fn hide_history(&self) {
        self.0.chat.history.set(None);
    }

    /// Reopens an earlier conversation with its history.
    pub fn switch_to(&self, id: String) {
        self.0.chat.history.set(None);
        if self.current().as_deref() == Some(id.as_str()) {
            return;
        }
        self.set_current(Some(id));
        self.persist();
        // A conversation shown since the socket last came back is up to date.
        if !self.thread().loaded.get_untracked() {
            let this = self.clone();
            platform::spawn(async move { this.load_history().await });
        }
    }

    /// Deletes a conversation (soft); a new one starts if it was on screen.
    pub fn delete_conversation(&self, id: String) {
        let this = self.clone();
        platform::spawn(async move {
            let result = this
                .0
                .client
                .send_now(ClientEvent::DeleteConversation {
                    conversation_id: id.clone(),
                    soft: Value::Bool(true),
                })
                .await;
            if let Err(e) = result {
                this.emit("error", &JsValue::from_str(&e.to_string()));
                return;
            }
            this.0.chat.history.update(|h| {
                if let Some(list) = h {
                    list.retain(|p| p.id != id);
                }
            });
            if this.current().as_deref() == Some(id.as_str()) {
                this.set_current(None);
                this.save(json!({}));
            }
            this.forget_thread(&id);
        });
    }

    /// Forgets the current conversation and starts another.
    pub fn new_conversation(&self) {
        self.0.chat.history.set(None);
        self.set_current(None);
        self.save(json!({}));
        let this = self.clone();
        platform::spawn(async move {
            let _ = this.ensure_conversation().await;
        });
    }

    pub fn destroy(&self) {
        self.hand_over();
        self.leave_tabs();
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
