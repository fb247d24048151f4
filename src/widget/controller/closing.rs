//! Ending a conversation and rating it. The visitor ends the conversation on screen from the
//! panel's menu (after a confirmation): the bot hears a `conversation_end` action, the
//! conversation shows closed with "Start a new conversation", and the page hears `end`. With
//! the `rating` option, the visitor is then asked how it was (also when a human agent leaves
//! it): 1 to 5 stars (or, with `rating: 'thumbs'`, 👎 as 1 and 👍 as 2 of 2) and an optional
//! comment, sent as a `conversation_rating` action (`{ score, scale, comment }`) on that
//! conversation, and heard by the page as `rating`;
//! once per conversation. Which conversations were ended and rated is kept beside the
//! visitor's records (dated; `maxAge` and `reset()` forget it), so that a reload shows them
//! as they were.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::platform;
use crate::client::values;
use crate::widget::controller::Controller;
use crate::widget::model::{Survey, Thread};
use crate::widget::storage;

/// How many conversations the kept lists name at most (the latest).
const KEPT: usize = 50;
/// The rating's scales: stars, thumbs.
pub const STARS: u8 = 5;
pub const THUMBS: u8 = 2;

impl Controller {
    /// The rating's scale: [`THUMBS`] with `rating: 'thumbs'`, else [`STARS`].
    pub fn rating_scale(&self) -> u8 {
        if self.0.options.panel.rating_thumbs {
            THUMBS
        } else {
            STARS
        }
    }

    /// Asks the visitor to confirm ending the conversation on screen (one that has started).
    pub fn ask_end(&self) {
        if self.current().is_some() && !self.thread().ended.get_untracked() {
            self.0.chat.confirm_end.set(true);
        }
    }

    /// The visitor kept the conversation.
    pub fn cancel_end(&self) {
        self.0.chat.confirm_end.set(false);
    }

    /// Ends the conversation on screen: the bot hears `conversation_end`, the conversation
    /// shows closed, the page hears `end` (`{ conversationId }`), and (with `rating`) the
    /// visitor is asked how it was.
    pub fn end_conversation(&self) {
        self.0.chat.confirm_end.set(false);
        let Some(id) = self.current() else { return };
        let thread = self.thread();
        if thread.ended.get_untracked() {
            return;
        }
        thread.ended.set(true);
        self.keep_closed("ended", &id);
        let detail = js_sys::Object::new();
        values::set(&detail, "conversationId", &JsValue::from_str(&id));
        self.emit("end", &detail);
        let this = self.clone();
        let conversation = id.clone();
        platform::spawn(async move {
            let data = js_sys::Object::new().into();
            this.post_action(conversation, "conversation_end".into(), data)
                .await;
        });
        self.ask_rating(thread, &id);
    }

    /// With `rating`, asks how the conversation `id` went, unless it was rated.
    pub(in crate::widget) fn ask_rating(&self, thread: Thread, id: &str) {
        if self.0.options.panel.rating
            && thread.survey.get_untracked() == Survey::Idle
            && !self.closed("rated", id)
        {
            thread.survey.set(Survey::Asking);
        }
    }

    /// The visitor rated the conversation on screen `score` of the scale, with `comment`
    /// (may be empty): sent as `conversation_rating`, heard by the page as `rating`.
    pub fn rate(&self, score: u8, comment: &str) {
        let Some(id) = self.current() else { return };
        let thread = self.thread();
        if thread.survey.get_untracked() != Survey::Asking
            || !(1..=self.rating_scale()).contains(&score)
        {
            return;
        }
        thread.survey.set(Survey::Thanked);
        self.keep_closed("rated", &id);
        let comment = comment.trim();
        let scale = self.rating_scale();
        let rating = |with_id: bool| {
            let o = js_sys::Object::new();
            if with_id {
                values::set(&o, "conversationId", &JsValue::from_str(&id));
            }
            values::set(&o, "score", &JsValue::from(score));
            values::set(&o, "scale", &JsValue::from(scale));
            if !comment.is_empty() {
                values::set(&o, "comment", &JsValue::from_str(comment));
            }
            JsValue::from(o)
        };
        self.emit("rating", &rating(true));
        let (this, data) = (self.clone(), rating(false));
        platform::spawn(async move {
            this.post_action(id, "conversation_rating".into(), data)
                .await;
        });
    }

    /// A conversation that comes on screen shows as it was left: closed if it was ended, and
    /// asking for its rating if it was ended and not rated.
    pub(in crate::widget) fn restore_closed(&self, id: &str, thread: Thread) {
        if !thread.ended.get_untracked() && self.closed("ended", id) {
            thread.ended.set(true);
            self.ask_rating(thread, id);
        }
    }

    /// Whether the kept list `which` (`ended`, `rated`) names `id`.
    fn closed(&self, which: &'static str, id: &str) -> bool {
        let kept = self
            .0
            .keeping
            .fresh(&storage::closed_key(&self.0.options.api_key));
        let list = values::get(&kept, which);
        js_sys::Array::is_array(&list)
            && js_sys::Array::from(&list)
                .iter()
                .any(|v| v.as_string().as_deref() == Some(id))
    }

    /// Adds `id` to the kept list `which` (the latest [`KEPT`]), dated now.
    fn keep_closed(&self, which: &'static str, id: &str) {
        let key = storage::closed_key(&self.0.options.api_key);
        let kept = self.0.keeping.fresh(&key);
        let record = if kept.is_object() {
            kept
        } else {
            js_sys::Object::new().into()
        };
        let list = values::get(&record, which);
        let list = if js_sys::Array::is_array(&list) {
            js_sys::Array::from(&list)
        } else {
            js_sys::Array::new()
        };
        list.push(&JsValue::from_str(id));
        while list.length() as usize > KEPT {
            list.shift();
        }
        values::set(&record, which, &list);
        values::set(&record, "savedAt", &JsValue::from_f64(platform::now_ms()));
        self.0.keeping.store_text(&key, &values::stringify(&record));
    }
}
