//! Who the visitor is and what the widget keeps of them: the id sent as `userId`, their
//! record (conversation and unsent messages, merged with other tabs') where the `storage` option says, `reset()`,
//! and where bot markup may load images from without a click.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use serde_json::Value;

use super::i18n::Text;
use super::state::{Author, Controller, Identity, SendState};
use super::storage;
use crate::client::platform;
use crate::protocol::json::obj;
use crate::protocol::ContentItem;

impl Controller {
    /// Where bot and agent markup may load images from without a click: this page's origin,
    /// the chat's own servers, and the `imageHosts` option.
    pub fn images(&self) -> super::sanitize::Images {
        let endpoints = self.0.client.endpoints();
        let mut allowed: Vec<String> = [
            web_sys::window().and_then(|w| w.location().origin().ok()),
            platform::origin_of(&endpoints.channel),
            platform::origin_of(&endpoints.files),
        ]
        .into_iter()
        .flatten()
        .collect();
        allowed.extend(self.0.options.image_hosts.iter().cloned());
        super::sanitize::Images {
            allowed,
            label: self.0.strings.get(Text::ImageBlocked),
        }
    }

    /// The visitor's id (sent as `userId`).
    pub(super) fn user(&self) -> String {
        self.0.identity.borrow().user.clone()
    }

    /// What the last page left for this visitor (`Null` when nothing, or expired).
    pub(super) fn saved(&self) -> Value {
        let record = self.0.identity.borrow().record.clone();
        platform::from_js(&self.0.keeping.fresh(&record))
    }

    /// Keeps `value` (an object) as this visitor's record, dated now.
    fn save(&self, mut value: Value) {
        if let Value::Object(map) = &mut value {
            map.insert("savedAt".into(), Value::from(platform::now_ms()));
        }
        let record = self.0.identity.borrow().record.clone();
        self.0
            .keeping
            .store_text(&record, &platform::json_text(&value));
    }

    /// What the widget keeps of the visitor follows the model by two effects, run as soon as
    /// what they follow changes (not at their creation: the record is read at start, not
    /// written over): the record ([`persist`](Self::persist)) when another conversation comes
    /// on screen or a visitor's message in the one on screen is added, delivered or given up
    /// (each bot message is not a change to it); the badge's count when it changes. After
    /// `destroy()` nothing is written (the threads are emptied, the record keeps what was
    /// unsent).
    pub(crate) fn keep_record(&self) {
        self.on_change(
            |this| {
                this.0.chat.current.track();
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
        let weak = Rc::downgrade(&self.0);
        let effect = RenderEffect::new(move |before: Option<()>| {
            let Some(inner) = weak.upgrade() else { return };
            let this = Controller(inner);
            track(&this);
            if before.is_some() && !this.0.destroyed.get() {
                write(&this);
            }
        });
        self.0.effects.borrow_mut().push(effect);
    }

    /// Keeps the conversation and the messages not yet delivered: those this tab knows
    /// pending (its own and those other tabs told it of), and those another tab wrote for the
    /// same conversation unless this tab knows them delivered (two tabs writing one record
    /// must not drop each other's messages).
    fn persist(&self) {
        let conversation = self.current();
        let mut outbox: Vec<Value> = Vec::new();
        let mut listed: Vec<String> = Vec::new();
        self.thread().messages.with_untracked(|list| {
            for m in list.iter().filter(|m| m.author == Author::User) {
                let Some(id) = m.client_msg_id.clone() else {
                    continue;
                };
                // Another tab's pending messages too: a write of theirs that this tab's read
                // missed (storage reaches other tabs a moment later) comes back this way.
                let pending = m.state != Some(SendState::Sent);
                if let (true, Some(ContentItem::Text(text))) = (pending, m.items.first()) {
                    outbox.push(obj([
                        ("id", id.as_str().into()),
                        ("text", text.as_str().into()),
                    ]));
                }
                listed.push(id);
            }
        });
        let saved = self.saved();
        if conversation.is_some()
            && saved.get("conversationId").and_then(Value::as_str) == conversation.as_deref()
        {
            let kept = saved
                .get("outbox")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            for entry in kept {
                let id = entry.get("id").and_then(Value::as_str).unwrap_or_default();
                if !id.is_empty() && !listed.iter().any(|l| l == id) {
                    listed.push(id.to_owned());
                    outbox.push(entry.clone());
                }
            }
        }
        self.save(obj([
            ("conversationId", conversation.into()),
            ("outbox", Value::Array(outbox)),
        ]));
    }

    /// The badge survives a reload: unread messages stay unread until the panel is opened.
    fn persist_unread(&self) {
        let record = self.0.identity.borrow().record.clone();
        self.0.keeping.store_text(
            &storage::unread_key(&record),
            &self.0.chat.unread.get_untracked().to_string(),
        );
    }

    /// Forgets everything kept for this visitor and the conversation on screen: the next
    /// one starts afresh, as a new anonymous visitor unless the page names one (`userId`).
    /// The visitor's other tabs forget them too (they would otherwise keep showing the
    /// chat, and write it back).
    pub fn reset(&self) {
        {
            let identity = self.0.identity.borrow();
            self.0
                .keeping
                .forget(&self.0.options.api_key, &identity.record);
        }
        let user = self.0.keeping.visitor_id(&self.0.options);
        self.start_afresh(user.clone());
        self.tell_reset(&user);
        self.join_tabs();
    }

    /// Another tab of this visitor ran `reset()`: show nothing of the chat, and take up the
    /// new visitor id it made (given in the message: storage reaches this tab a moment later).
    pub(super) fn reset_by_another_tab(&self, user: String) {
        self.start_afresh(user);
        self.join_tabs();
    }

    fn start_afresh(&self, user: String) {
        let record = storage::record_key(&self.0.options.api_key, &user);
        *self.0.identity.borrow_mut() = Identity { user, record };
        self.0.chat.history.set(None);
        self.set_current(None);
        self.0.threads.borrow_mut().clear();
        self.0.pending_actions.borrow_mut().clear();
        self.0.chat.unread.set(0);
        self.0.chat.announcement.set(String::new());
    }
}
