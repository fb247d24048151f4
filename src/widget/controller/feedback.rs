//! Feedback on the bot's answers (the `feedback` option): thumbs up or down under each bot
//! message that has its server id (`ch_msg_id`); one choice per message, which the visitor
//! may change. Each choice is sent as the action `message_feedback` (`{ message_id, value:
//! 'up' | 'down' }`) on the message's conversation and heard by the page as `feedback`
//! (`{ conversationId, messageId, value }`). The choices are kept beside the visitor's
//! records (dated; `maxAge` and `reset()` forget them): a reload shows them as they were.

use wasm_bindgen::JsValue;

use crate::client::platform;
use crate::client::values;
use crate::widget::controller::Controller;
use crate::widget::storage;

/// How many messages' choices are kept at most (the latest).
const KEPT: usize = 200;

/// A choice: thumbs up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    Up,
    Down,
}

impl Vote {
    /// What the bot and the page read: `up`, `down`.
    pub fn as_str(self) -> &'static str {
        match self {
            Vote::Up => "up",
            Vote::Down => "down",
        }
    }

    /// `up` or `down`; anything else is no vote.
    pub fn parse(value: &str) -> Option<Vote> {
        match value {
            "up" => Some(Vote::Up),
            "down" => Some(Vote::Down),
            _ => None,
        }
    }
}

impl Controller {
    /// The visitor's kept choice on the bot message `message_id`.
    pub fn vote_of(&self, message_id: &str) -> Option<Vote> {
        let votes = self.kept_votes();
        let found = votes
            .iter()
            .rev()
            .find(|pair| pair_id(pair).as_deref() == Some(message_id))?;
        js_sys::Reflect::get_u32(&found, 1)
            .ok()?
            .as_string()
            .and_then(|v| Vote::parse(&v))
    }

    /// The visitor chose `vote` on the bot message `message_id` of the conversation on
    /// screen: kept, sent as `message_feedback`, heard by the page as `feedback`. The same
    /// choice again changes nothing.
    pub fn vote(&self, message_id: &str, vote: Vote) {
        let Some(conversation) = self.current() else {
            return;
        };
        if !self.0.options.panel.feedback || self.vote_of(message_id) == Some(vote) {
            return;
        }
        self.keep_vote(message_id, vote);
        let detail = js_sys::Object::new();
        values::set(&detail, "conversationId", &JsValue::from_str(&conversation));
        values::set(&detail, "messageId", &JsValue::from_str(message_id));
        values::set(&detail, "value", &JsValue::from_str(vote.as_str()));
        self.emit("feedback", &detail);
        let data = js_sys::Object::new();
        values::set(&data, "message_id", &JsValue::from_str(message_id));
        values::set(&data, "value", &JsValue::from_str(vote.as_str()));
        let this = self.clone();
        platform::spawn(async move {
            this.post_action(conversation, "message_feedback".into(), data.into())
                .await;
        });
    }

    /// The kept choices, `[message id, 'up' | 'down']` pairs, oldest first (the record is
    /// `{ votes, savedAt }`; pairs rather than an object keyed by id, so that no id a server
    /// sends can be an object's special key).
    fn kept_votes(&self) -> js_sys::Array {
        let kept = self
            .0
            .keeping
            .fresh(&storage::feedback_key(&self.0.options.api_key));
        let votes = values::get(&kept, "votes");
        if js_sys::Array::is_array(&votes) {
            js_sys::Array::from(&votes)
        } else {
            js_sys::Array::new()
        }
    }

    /// Keeps `vote` for `message_id` (the latest [`KEPT`] messages), dated now.
    fn keep_vote(&self, message_id: &str, vote: Vote) {
        let votes = self.kept_votes();
        let others = votes.filter(&mut |pair, _, _| pair_id(&pair).as_deref() != Some(message_id));
        let pair = js_sys::Array::of2(
            &JsValue::from_str(message_id),
            &JsValue::from_str(vote.as_str()),
        );
        others.push(&pair);
        while others.length() as usize > KEPT {
            others.shift();
        }
        let record = js_sys::Object::new();
        values::set(&record, "votes", &others);
        values::set(&record, "savedAt", &JsValue::from_f64(platform::now_ms()));
        self.0.keeping.store_text(
            &storage::feedback_key(&self.0.options.api_key),
            &values::stringify(&record),
        );
    }
}

/// The message id of a kept pair (anything else kept there reads as none).
fn pair_id(pair: &JsValue) -> Option<String> {
    js_sys::Reflect::get_u32(pair, 0).ok()?.as_string()
}
