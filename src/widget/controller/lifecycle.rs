//! The controller's lifecycle: starting (the stored conversation resumed, its unsent
//! messages sent again, the socket opened only when something needs it), the connection, the
//! first conversation (started on first open or the first message, after the pre-chat form),
//! and destroying (nothing kept in memory, the record left with what was unsent).

use futures_channel::oneshot;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::platform::{self};
use crate::client::ClientError;
use crate::protocol::{ClientEvent, JsonBuild, JsonView};
use crate::widget::controller::{context, visitor, Controller};
use crate::widget::i18n::Text;

impl Controller {
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
