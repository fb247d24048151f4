//! What the visitor does: opening the panel, sending text, files and actions, retrying a
//! failed message, and metadata. Each goes through the client's outbox.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::platform;
use crate::client::values;
use crate::client::ClientError;
use crate::protocol::{ClientEvent, JsonBuild, JsonView};
use crate::widget::model::ContentItem;

use crate::widget::controller::{Author, Controller, Msg, SendState, Thread};
use crate::widget::i18n::Text;

impl Controller {
    /// The visitor asked about `text` they selected on the page: the chat opens with it
    /// quoted in the composer, for them to ask their question and send (nothing is sent).
    pub fn ask_about(&self, text: &str) {
        let mut quote = String::new();
        for line in text.trim().lines() {
            quote.extend(["> ", line.trim_end(), "\n"]);
        }
        if quote.is_empty() {
            return;
        }
        quote.push('\n');
        self.0.chat.quote.set(Some(quote));
        self.set_open(true);
    }

    pub fn set_open(&self, open: bool) {
        if self.0.chat.open.get_untracked() == open {
            return;
        }
        self.0.chat.open.set(open);
        if open {
            self.greeted();
            self.0.chat.unread.set(0);
            self.maybe_back();
            let this = self.clone();
            platform::spawn(async move {
                let _ = this.ensure_conversation().await;
            });
        }
        if !open {
            self.0.greeting.set_open(false);
        }
        self.emit(if open { "open" } else { "close" }, &JsValue::UNDEFINED);
    }

    /// The panel opened: a greeting beside the launcher goes; the one the visitor opened
    /// the chat from shows as the bot's line at the end of the conversation, on screen only
    /// (it is not sent, and not kept).
    pub(in crate::widget) fn greeted(&self) {
        self.0.greeting.set_open(true);
        if let Some(text) = self.0.greeting.take_opened() {
            let key = self.key();
            self.thread().messages.update(|list| {
                list.push(Msg::new(key, Author::Bot, vec![ContentItem::Text(text)]))
            });
        }
    }

    /// Sends what the visitor typed (or a button's value, shown as its label).
    pub fn send(&self, shown: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        self.send_with_id(shown, value, platform::uuid());
    }

    pub(in crate::widget) fn send_with_id(&self, shown: &str, value: &str, client_msg_id: String) {
        let key = self.key();
        let thread = self.thread();
        thread.push_outgoing(Msg::outgoing(
            key,
            ContentItem::Text(shown.to_owned()),
            &client_msg_id,
        ));
        self.send_text(
            thread,
            None,
            client_msg_id,
            value.to_owned(),
            Some(shown.to_owned()),
        );
    }

    /// Sends a message the visitor's record kept for a conversation not on screen (typed
    /// there, then the visitor moved on and the page reloaded before it was delivered): it
    /// waits in that conversation's thread, shown when the visitor goes back to it.
    pub(in crate::widget) fn send_elsewhere(
        &self,
        conversation: String,
        client_msg_id: String,
        text: String,
    ) {
        let thread = self.thread_of(&conversation);
        if !thread.holds(&client_msg_id) {
            let item = ContentItem::Text(text.clone());
            thread.push_outgoing(Msg::outgoing(self.key(), item, &client_msg_id));
        }
        self.send_text(thread, Some(conversation), client_msg_id, text, None);
    }

    /// Sends a message already in the list (one another tab handed over).
    pub(in crate::widget) fn send_listed(&self, client_msg_id: &str, value: String) {
        self.mark(client_msg_id, SendState::Sending, None);
        self.send_text(self.thread(), None, client_msg_id.to_owned(), value, None);
    }

    /// Sends a listed message's `value` to conversation `to` (`None`: the one on screen,
    /// started if need be) and follows its delivery; `shown` (for a message typed here) also
    /// shows it in the visitor's other tabs.
    fn send_text(
        &self,
        thread: Thread,
        to: Option<String>,
        client_msg_id: String,
        value: String,
        shown: Option<String>,
    ) {
        let this = self.clone();
        platform::spawn(async move {
            let started = match to {
                Some(conversation) => Ok(conversation),
                None => this.ensure_conversation().await,
            };
            let Ok(conversation) = started else {
                this.mark(&client_msg_id, SendState::Failed, None);
                this.tell_state(&client_msg_id, false, None);
                return;
            };
            if let Some(shown) = &shown {
                this.tell_typed(&conversation, &client_msg_id, shown, &value);
            }
            // Where the visitor is now, if they moved since the conversation last heard it.
            this.tell_page(&conversation).await;
            this.send_own(
                thread,
                conversation,
                &client_msg_id,
                ClientEvent::text_content(&value),
            )
            .await;
        });
    }

    /// Uploads files through the file service and sends them as one message each.
    pub fn upload(&self, files: Vec<web_sys::File>) {
        for file in files {
            let name = file.name();
            let mime = file.type_();
            let client_msg_id = platform::uuid();
            let key = self.key();
            let thread = self.thread();
            let shown = ContentItem::Files {
                title: None,
                files: vec![crate::protocol::FileRef {
                    kind: Some(mime.clone()),
                    url: None,
                    mimetype: Some(mime.clone()),
                    filename: Some(name.clone()),
                    size: Some(file.size() as u64),
                    thumbnail: None,
                }],
            };
            thread.push_outgoing(Msg::outgoing(key, shown, &client_msg_id));
            let this = self.clone();
            platform::spawn(async move {
                let Ok(conversation) = this.ensure_conversation().await else {
                    this.mark(&client_msg_id, SendState::Failed, None);
                    return;
                };
                let base = this.0.client.endpoints().files.clone();
                let uploaded = crate::client::files::file_to_text(
                    &base,
                    &JsValue::from(file),
                    &name,
                    true,
                    Some(&this.0.options.api_key),
                    Some(&conversation),
                    None,
                )
                .await;
                let upload = match uploaded {
                    Ok(u) => u,
                    Err(e) => {
                        this.mark(&client_msg_id, SendState::Failed, None);
                        let note = this.0.strings.fill(Text::UploadFailed, &[("name", &name)]);
                        this.note(thread, &note);
                        this.emit("error", &JsValue::from_str(&e.message()));
                        return;
                    }
                };
                let url = upload
                    .storage
                    .as_ref()
                    .and_then(|s| values::get(s, "presignedUrl").as_string());
                thread.messages.update(|l| {
                    if let Some(m) = l.iter_mut().find(|m| m.key == key) {
                        if let Some(ContentItem::Files { files, .. }) =
                            Arc::make_mut(&mut m.items).first_mut()
                        {
                            if let Some(f) = files.first_mut() {
                                f.url = url.clone();
                            }
                        }
                    }
                });
                let text = |s: &str| Some(JsValue::from_str(s));
                let metadata = JsValue::object(&[
                    ("source", text("file_attachment")),
                    ("originalFileName", text(&name)),
                    ("storageType", text("direct")),
                ]);
                let file = JsValue::object(&[
                    ("filename", text(&name)),
                    ("type", text(&mime)),
                    (
                        "textContent",
                        Some(JsValue::object(&[
                            ("type", text("file_content")),
                            ("text", text(&upload.text)),
                            ("metadata", Some(metadata)),
                        ])),
                    ),
                    // As JSON holds it: what the service left out is left out.
                    (
                        "storage",
                        Some(
                            upload
                                .storage
                                .as_ref()
                                .map_or(JsValue::NULL, values::json_copy),
                        ),
                    ),
                ]);
                let content = JsValue::object(&[
                    ("text", text("")),
                    ("files", Some(js_sys::Array::of1(&file).into())),
                ]);
                this.send_own(thread, conversation, &client_msg_id, content)
                    .await;
            });
        }
    }

    /// Sends a visitor's message (`content`, shown in `thread` as `client_msg_id`) to
    /// `conversation` and follows its delivery: the bot is shown typing until it answers, the
    /// message is marked sent (with the server's id) or failed, and the visitor's other tabs
    /// are told (they follow the messages they were shown as typed here).
    async fn send_own(
        &self,
        thread: Thread,
        conversation: String,
        client_msg_id: &str,
        content: JsValue,
    ) {
        let event = ClientEvent::UserMessage {
            client_msg_id: Some(client_msg_id.to_owned()),
            conversation_id: conversation.clone(),
            content,
        };
        thread.typing.set(true);
        match self
            .0
            .client
            .send_reliably(None, &conversation, client_msg_id, event)
            .await
        {
            Ok(answer) => {
                let id = values::get(&answer.json(), "message_id").as_string();
                self.tell_state(client_msg_id, true, id.as_deref());
                self.mark(client_msg_id, SendState::Sent, id);
            }
            Err(e) => {
                thread.typing.set(false);
                self.mark(client_msg_id, SendState::Failed, None);
                self.tell_state(client_msg_id, false, None);
                self.emit("error", &JsValue::from_str(&e.message()));
            }
        }
    }

    /// Sends a failed message again, under the same id (the server answers a retry once).
    pub fn retry(&self, key: u64) {
        let thread = self.thread();
        let found = thread
            .messages
            .with_untracked(|l| l.iter().find(|m| m.key == key).cloned());
        let Some(m) = found else { return };
        let (Some(id), Some(ContentItem::Text(text))) =
            (m.client_msg_id.clone(), m.items.first().cloned())
        else {
            return;
        };
        thread.messages.update(|l| l.retain(|x| x.key != key));
        self.send_with_id(&text, &text, id);
    }

    /// A button that triggers an action (the Captivate AI API's `{title, action}` form).
    pub fn send_action(&self, action: &JsValue) {
        let id = action
            .field("id")
            .or_else(|| action.field("action"))
            .and_then(|id| id.string())
            .or_else(|| action.string());
        let Some(id) = id else { return };
        let data = action
            .field("data")
            .unwrap_or_else(|| js_sys::Object::new().into());
        let this = self.clone();
        platform::spawn(async move {
            let Ok(conversation) = this.ensure_conversation().await else {
                return;
            };
            this.post_action(conversation, id, data).await;
        });
    }

    /// Sends the action `id` with `data` on `conversation`, through the outbox (the page hears
    /// an `error` if it is given up).
    pub(in crate::widget) async fn post_action(
        &self,
        conversation: String,
        id: String,
        data: JsValue,
    ) {
        let key = platform::uuid();
        let event = ClientEvent::Action {
            id,
            data,
            conversation_id: conversation.clone(),
        };
        if let Err(e) = self
            .0
            .client
            .send_reliably(None, &conversation, &key, event)
            .await
        {
            self.emit("error", &JsValue::from_str(&e.message()));
        }
    }

    /// `handle.setMetadata(obj)`.
    pub async fn set_metadata(&self, metadata: JsValue) -> Result<(), ClientError> {
        let conversation = self.ensure_conversation().await?;
        self.set_metadata_of(&conversation, metadata).await
    }

    /// Sets `metadata` on `conversation` (merged by the server into what it holds).
    pub(in crate::widget) async fn set_metadata_of(
        &self,
        conversation: &str,
        metadata: JsValue,
    ) -> Result<(), ClientError> {
        let event = ClientEvent::Metadata {
            metadata,
            client_msg_id: Some(["metadata-", &platform::uuid()].concat()),
            conversation_id: conversation.to_owned(),
            target: None,
        };
        self.0.client.send_now(event).await.map(|_| ())
    }

    /// A visitor's message was delivered (with the server's id) or given up, in whichever
    /// conversation holds it (the visitor may have switched since).
    pub(in crate::widget) fn mark(
        &self,
        client_msg_id: &str,
        state: SendState,
        id: Option<String>,
    ) {
        if self
            .thread()
            .set_state(client_msg_id, state.clone(), id.clone())
        {
            return;
        }
        let others: Vec<Thread> = self.0.threads.borrow().iter().map(|(_, t)| *t).collect();
        for thread in others {
            if thread.set_state(client_msg_id, state.clone(), id.clone()) {
                return;
            }
        }
    }

    /// A note from the widget in the conversation on screen.
    pub(in crate::widget) fn system(&self, text: &str) {
        self.note(self.thread(), text);
    }

    /// A note from the widget in a conversation.
    pub(in crate::widget) fn note(&self, thread: Thread, text: &str) {
        let key = self.key();
        thread.messages.update(|l| {
            l.push(Msg::new(
                key,
                Author::System,
                vec![ContentItem::Text(text.to_owned())],
            ))
        });
    }
}
