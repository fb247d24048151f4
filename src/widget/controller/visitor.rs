//! Who the visitor is and what the widget keeps of them: the id sent as `userId`, their
//! record (conversation and unsent messages, merged with other tabs') where the `storage` option says, `reset()`,
//! and where bot markup may load images from without a click.

use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use wasm_bindgen::JsValue;

use crate::client::platform;
use crate::client::values;
use crate::protocol::{JsonBuild, JsonView};
use crate::widget::controller::{Author, Controller, Identity, Msg, SendState, Thread};
use crate::widget::i18n::Text;
use crate::widget::model::ContentItem;
use crate::widget::storage;

impl Controller {
    /// Where bot and agent markup may load images from without a click: this page's origin
    /// (fetched without the visitor's cookies), the chat's own servers, and the `imageHosts`
    /// option.
    pub fn images(&self) -> crate::widget::options::Images {
        let endpoints = self.0.client.endpoints();
        let own = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let mut allowed: Vec<String> = [
            Some(own.clone()),
            platform::origin_of(&endpoints.channel),
            platform::origin_of(&endpoints.files),
        ]
        .into_iter()
        .flatten()
        .collect();
        allowed.extend(self.0.options.panel.image_hosts.iter().cloned());
        crate::widget::options::Images {
            allowed,
            own,
            label: self.0.strings.get(Text::ImageBlocked),
        }
    }

    /// The visitor's id (sent as `userId`).
    pub(in crate::widget) fn user(&self) -> String {
        self.0.identity.borrow().user.clone()
    }

    /// What the last page left for this visitor, as parsed (`undefined` when nothing, or
    /// expired; whatever JSON another writer left otherwise: read it as a view).
    pub(in crate::widget) fn saved(&self) -> JsValue {
        let record = self.0.identity.borrow().record.clone();
        self.0.keeping.fresh(&record)
    }

    /// What the widget keeps of the visitor follows the model by two effects, run when what
    /// they follow has changed (not at their creation): the record ([`persist`](Self::persist))
    /// when another conversation comes on screen or a visitor's message in any conversation
    /// is added, delivered or given up (a bot message is not a change to it); the badge's
    /// count when it changes. `destroy()` drops them first (the threads are emptied then, and
    /// the record keeps what was unsent).
    pub(crate) fn keep_record(&self) {
        self.on_change(
            |this| {
                this.0.chat.current.track();
                // Any thread's: they share one trigger.
                this.thread().outgoing.track();
            },
            Controller::persist,
        );
        self.on_change(
            |this| this.0.chat.unread.track(),
            Controller::persist_unread,
        );
    }

    /// An effect that runs `write` whenever what `track` reads changes (the changes of one
    /// task together, once).
    fn on_change(&self, track: fn(&Controller), write: fn(&Controller)) {
        let weak = self.weak();
        let effect = RenderEffect::new(move |before: Option<()>| {
            let Some(this) = Controller::upgrade(&weak) else {
                return;
            };
            track(&this);
            if before.is_some() {
                write(&this);
            }
        });
        self.0.effects.borrow_mut().push(effect);
    }

    /// Keeps the conversation on screen and the visitor's messages not yet delivered, in
    /// every conversation: those this tab knows pending (its own and those other tabs told
    /// it of), and those another tab wrote unless this tab knows them delivered (two tabs
    /// writing one record must not drop each other's messages). The conversation on
    /// screen's are its `outbox`; the others' are `elsewhere`, each with its conversation
    /// (a reload while offline after switching away loses none).
    fn persist(&self) {
        let conversation = self.current();
        let on_screen = self.thread();
        let mut listed: Vec<String> = Vec::new();
        // The conversation on screen's (`conversation: None`), then the others'.
        let mut kept = pending(on_screen, None, &mut listed);
        let others: Vec<(String, Thread)> = self
            .0
            .threads
            .borrow()
            .iter()
            .filter(|(_, t)| *t != on_screen)
            .map(|(c, t)| (c.clone(), *t))
            .collect();
        for (c, thread) in others {
            kept.extend(pending(thread, Some(c), &mut listed));
        }
        for earlier in unsent(&self.saved()) {
            if listed.contains(&earlier.id) {
                continue;
            }
            listed.push(earlier.id.clone());
            match &earlier.conversation {
                Some(c) if Some(c) == conversation.as_ref() => kept.push(Unsent {
                    conversation: None,
                    ..earlier
                }),
                Some(_) => kept.push(earlier),
                // Typed before a conversation started: nothing to send it to after a reload.
                None => continue,
            }
        }
        let (outbox, elsewhere): (Vec<Unsent>, Vec<Unsent>) = bounded(kept)
            .into_iter()
            .partition(|u| u.conversation.is_none());
        let outbox: Vec<JsValue> = outbox.iter().map(Unsent::entry).collect();
        let elsewhere: Vec<JsValue> = elsewhere.iter().map(Unsent::entry).collect();
        let list = |entries: Vec<JsValue>| -> JsValue {
            entries.into_iter().collect::<js_sys::Array>().into()
        };
        let record = self.0.identity.borrow().record.clone();
        // Nothing to keep: nothing written (a visitor who only looked leaves nothing).
        if conversation.is_none() && outbox.is_empty() && elsewhere.is_empty() {
            self.0.keeping.remove(&record);
            return;
        }
        // Dated now, for `maxAge`.
        let value = JsValue::object(&[
            (
                "conversationId",
                Some(conversation.map_or(JsValue::NULL, |c| JsValue::from_str(&c))),
            ),
            ("outbox", Some(list(outbox))),
            (
                "elsewhere",
                (!elsewhere.is_empty()).then(|| list(elsewhere)),
            ),
            ("savedAt", Some(JsValue::from_f64(platform::now_ms()))),
        ]);
        if !self
            .0
            .keeping
            .store_text(&record, &values::stringify(&value))
        {
            // The storage is full (the site's own data): the conversation is kept without
            // its unsent messages, which stay on screen and are still being sent.
            platform::console_warn(
                "[CaptivateChat] The browser's storage is full; unsent messages are not kept across a reload:",
                &JsValue::from_str(&record),
            );
            let slim = JsValue::object(&[
                (
                    "conversationId",
                    values::get(&value, "conversationId").into(),
                ),
                ("outbox", Some(js_sys::Array::new().into())),
                ("savedAt", values::get(&value, "savedAt").into()),
            ]);
            self.0
                .keeping
                .store_text(&record, &values::stringify(&slim));
        }
        if self.0.options.user_id.is_none() {
            self.0
                .keeping
                .keep_visitor(&self.0.options.api_key, &self.user());
        }
    }

    /// The badge survives a reload: unread messages stay unread until the panel is opened.
    fn persist_unread(&self) {
        let key = storage::unread_key(&self.0.identity.borrow().record);
        match self.0.chat.unread.get_untracked() {
            0 => self.0.keeping.remove(&key),
            n => {
                // A count that could not be kept is only a badge less on the next page.
                let _ = self.0.keeping.store_text(&key, &crate::text::count(n));
            }
        }
    }

    /// Forgets everything kept for this widget's visitors (every record of its API key)
    /// and the conversation on screen: the next one starts afresh, as a new anonymous
    /// visitor unless the page names one (`userId`), and nothing is written until there is
    /// something to keep. The visitor's other tabs forget them too (they would otherwise
    /// keep showing the chat, and write it back).
    pub fn reset(&self) {
        storage::forget_all(&self.0.options.api_key);
        let user = self.0.keeping.visitor_id(&self.0.options);
        self.start_afresh(user.clone());
        self.tell_reset(&user);
        self.join_tabs();
    }

    /// Another tab of this visitor ran `reset()`: show nothing of the chat, and take up the
    /// new visitor id it made (given in the message: storage reaches this tab a moment later).
    pub(in crate::widget) fn reset_by_another_tab(&self, user: String) {
        self.start_afresh(user);
        self.join_tabs();
    }

    /// A message the visitor's record kept as refused: in `thread`, not sent, with Retry.
    pub(in crate::widget) fn show_refused(&self, thread: Thread, u: Unsent) {
        if !thread.holds(&u.id) {
            let item = ContentItem::Text(u.text);
            thread.push_outgoing(Msg {
                state: Some(SendState::Failed),
                ..Msg::outgoing(self.key(), item, &u.id)
            });
        }
    }

    /// Before the visitor's first conversation starts: an anonymous id another tab kept
    /// since this one loaded (the visitor talked there first) is this tab's too, so that
    /// the visitor is one, whichever tab they talk in.
    pub(in crate::widget) fn settle_visitor(&self) {
        let Some(kept) = self.0.keeping.known_visitor(&self.0.options) else {
            return;
        };
        if kept != self.user() && self.current().is_none() {
            let record = storage::record_key(&self.0.options.api_key, &kept);
            *self.0.identity.borrow_mut() = Identity { user: kept, record };
            self.join_tabs();
        }
    }

    fn start_afresh(&self, user: String) {
        let record = storage::record_key(&self.0.options.api_key, &user);
        *self.0.identity.borrow_mut() = Identity { user, record };
        self.hide_history();
        self.set_current(None);
        self.0.threads.borrow_mut().clear();
        self.0.pending_actions.borrow_mut().clear();
        self.0.chat.unread.set(0);
        self.0.chat.announcement.set(None);
    }
}

/// A visitor's message the record keeps undelivered.
pub(in crate::widget) struct Unsent {
    /// The conversation it was typed in (`None`: one not started yet, or, while the record
    /// is written, the one on screen).
    pub conversation: Option<String>,
    pub id: String,
    pub text: String,
    /// The server refused it (or it was given up): shown as not sent, with Retry, and not
    /// sent again on its own.
    pub failed: bool,
}

impl Unsent {
    /// As the record keeps it.
    fn entry(&self) -> JsValue {
        JsValue::object(&[
            ("id", Some(JsValue::from_str(&self.id))),
            ("text", Some(JsValue::from_str(&self.text))),
            (
                "conversationId",
                self.conversation.as_deref().map(JsValue::from_str),
            ),
            ("failed", self.failed.then_some(JsValue::TRUE)),
        ])
    }
}

/// How many undelivered messages the record keeps at most, and how many bytes of their text:
/// what the widget writes must not use up the storage the host page shares with it. The
/// oldest are kept; the others stay on screen and are still being sent, but a reload loses
/// them.
const KEPT_MESSAGES: usize = 20;
const KEPT_TEXT: usize = 32 * 1024;

fn bounded(all: Vec<Unsent>) -> Vec<Unsent> {
    let mut bytes = 0;
    let mut kept = Vec::new();
    for u in all {
        if kept.len() == KEPT_MESSAGES {
            break;
        }
        if bytes + u.text.len() <= KEPT_TEXT {
            bytes += u.text.len();
            kept.push(u);
        }
    }
    kept
}

/// The undelivered messages a record lists: the conversation's own (`outbox`), then other
/// conversations' (`elsewhere`, each naming its conversation). Entries that are not
/// `{id, text}` strings are skipped.
pub(in crate::widget) fn unsent(record: &JsValue) -> Vec<Unsent> {
    let own = record.field_string("conversationId");
    let entries = |key| {
        record
            .field(key)
            .and_then(|list| list.items())
            .unwrap_or_default()
            .into_iter()
    };
    let mut found = Vec::new();
    for (entry, elsewhere) in entries("outbox")
        .map(|e| (e, false))
        .chain(entries("elsewhere").map(|e| (e, true)))
    {
        let conversation = match elsewhere {
            // Another conversation's: only with its id.
            true => match entry.field_string("conversationId") {
                Some(c) => Some(c),
                None => continue,
            },
            false => own.clone(),
        };
        if let (Some(id), Some(text)) = (entry.field_string("id"), entry.field_string("text")) {
            found.push(Unsent {
                conversation,
                id,
                text,
                failed: values::get(&entry, "failed").as_bool() == Some(true),
            });
        }
    }
    found
}

/// The visitor's text messages of a thread (of `conversation`) not yet delivered; every
/// visitor message id of the thread is added to `listed`.
fn pending(thread: Thread, conversation: Option<String>, listed: &mut Vec<String>) -> Vec<Unsent> {
    thread.messages.with_untracked(|list| {
        let mut found = Vec::new();
        for m in list.iter().filter(|m| m.author == Author::User) {
            let Some(id) = m.client_msg_id.clone() else {
                continue;
            };
            // Another tab's pending messages too: a write of theirs that this tab's read
            // missed (storage reaches other tabs a moment later) comes back this way.
            let pending = m.state != Some(SendState::Sent);
            if let (true, Some(ContentItem::Text(text))) = (pending, m.items.first()) {
                found.push(Unsent {
                    conversation: conversation.clone(),
                    id: id.clone(),
                    text: text.clone(),
                    failed: m.state == Some(SendState::Failed),
                });
            }
            listed.push(id);
        }
        found
    })
}
