//! Which conversation is on screen, and what each conversation the widget knows holds:
//! every one has its own [`Thread`] of signals, kept while the visitor looks at another
//! (its end only, past 100 messages), so that switching back needs no refetch. Starting,
//! resuming, switching, deleting and "new conversation" all go through here.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::platform::{self};
use crate::protocol::{json, ClientEvent, JsonView};
use crate::widget::controller::{Author, Controller, Past, Thread};
use crate::widget::i18n::Text;
use crate::widget::model::{line_of, trim_kept};

impl Controller {
    /// The conversation on screen as plain text, for the visitor to keep: a heading, then
    /// each message with its time and who wrote it (what the panel shows, read from its
    /// transcript and what came live), one per line.
    pub fn transcript_text(&self) -> String {
        let strings = &self.0.strings;
        let title = self
            .0
            .options
            .title
            .clone()
            .unwrap_or_else(|| strings.get(Text::Title));
        let mut text = [
            title.as_str(),
            " — ",
            &strings.fill(
                Text::ConversationOf,
                &[("date", &strings.date(platform::now_ms()))],
            ),
            "\n\n",
        ]
        .concat();
        self.thread().messages.with_untracked(|list| {
            for m in list {
                let who = match (m.author, &m.name) {
                    (Author::User, _) => strings.get(Text::You),
                    (Author::Agent, Some(name)) => name.clone(),
                    (Author::Agent, None) => strings.get(Text::Agent),
                    (Author::Bot, _) => strings.get(Text::Bot),
                    // The widget's own notes (an agent joined…).
                    _ => String::new(),
                };
                let line = line_of(&m.items);
                text.push('[');
                text.push_str(&strings.date(m.time));
                text.push_str("] ");
                if !who.is_empty() {
                    text.push_str(&who);
                    text.push_str(": ");
                }
                text.push_str(&line);
                text.push('\n');
            }
        });
        text
    }

    /// The id of the conversation on screen (`None` until it has started).
    pub(in crate::widget) fn current(&self) -> Option<String> {
        self.0.chat.current.get_untracked()
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

    /// A thread of the widget's (its signals live as long as the widget).
    fn new_thread(&self) -> Thread {
        // One trigger for all threads (the record lists every thread's unsent messages).
        let outgoing = self.thread().outgoing;
        self.0.owner.with(|| Thread::new(outgoing))
    }

    /// The thread of a conversation, made when the widget first hears of it.
    pub(in crate::widget) fn thread_of(&self, id: &str) -> Thread {
        if let Some(thread) = self.known_thread(id) {
            return thread;
        }
        let thread = self.new_thread();
        self.0.threads.borrow_mut().push((id.to_owned(), thread));
        thread
    }

    /// Puts a conversation on screen (`None`: a new one, started by the first message);
    /// one the widget knows comes back as it was left.
    pub(in crate::widget) fn set_current(&self, id: Option<String>) {
        let thread = match &id {
            None => self.new_thread(),
            Some(id) => self.thread_of(id),
        };
        self.show_thread(id, thread);
    }

    /// The conversation just started (or resumed from the visitor's record) is the one on
    /// screen: it keeps what the screen shows (the visitor's first message), and takes in
    /// anything a thread made for it meanwhile holds.
    pub(in crate::widget) fn adopt_conversation(&self, id: String) {
        let thread = match self.current() {
            None => self.thread(),
            Some(_) => self.new_thread(),
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
        thread.unread.set(0);
        if let Some(id) = &id {
            self.restore_closed(id, thread);
        }
        self.0.chat.confirm_end.set(false);
        self.0.on_screen.set(thread);
        self.0.chat.current.set(id.clone());
        // What the bot asked of the page while the visitor was elsewhere.
        if let Some(id) = &id {
            let waiting: Vec<JsValue> = self
                .0
                .pending_actions
                .borrow_mut()
                .extract_if(.., |(c, _)| c == id)
                .map(|(_, actions)| actions)
                .collect();
            for actions in waiting {
                self.emit("action", &actions);
            }
        }
    }

    /// Forgets a conversation's thread (deleted, or gone from the server).
    pub(in crate::widget) fn forget_thread(&self, id: &str) {
        self.0.threads.borrow_mut().retain(|(k, _)| k != id);
        self.0.pending_actions.borrow_mut().retain(|(c, _)| c != id);
    }

    /// Reopens an earlier conversation with its history.
    pub fn switch_to(&self, id: String) {
        self.hide_history();
        if self.current().as_deref() == Some(id.as_str()) {
            return;
        }
        self.set_current(Some(id));
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
                    soft: JsValue::TRUE,
                })
                .await;
            if let Err(e) = result {
                this.emit("error", &JsValue::from_str(&e.message()));
                return;
            }
            this.set_history(|list| list.retain(|p| p.id != id));
            if this.current().as_deref() == Some(id.as_str()) {
                this.set_current(None);
            }
            this.forget_thread(&id);
        });
    }

    /// Forgets the current conversation and starts another.
    pub fn new_conversation(&self) {
        self.hide_history();
        self.set_current(None);
        let this = self.clone();
        platform::spawn(async move {
            let _ = this.ensure_conversation().await;
        });
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
}
