//! What a conversation's callbacks hear, and with which arguments (7.0.0's): frames the
//! client routed here become `onMessage`, `onError`, `onConversationUpdate` and
//! `onActionReceived` calls; a 413 large message is fetched first; after a reconnect the
//! gap is filled from the transcript so that no bot message is lost or heard twice.

use std::rc::Rc;

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

use crate::client::gap::{self, Heard, Since};
use crate::client::platform;
use crate::client::values;
use crate::client::values::{get, set};
use crate::client::{ClientError, Delivery, Frame, Notice};
use crate::protocol::{read_transcript, EventKind, JsonView, Sender};

use super::{payload_error, Inner};

/// Each list is shared: an event takes the list as it is (a callback may add callbacks
/// meanwhile) without copying it; adding copies the list only while an event holds it.
pub(super) type List = Rc<Vec<Function>>;

#[derive(Default)]
pub(super) struct Callbacks {
    pub(super) message: List,
    pub(super) error: List,
    pub(super) update: List,
    pub(super) action: List,
    /// `onMessage` and `onError` callbacks in the order they were registered: a
    /// `general_error` reaches them in that order, as in 7.0.0 (one listener list per event).
    pub(super) general: Rc<Vec<(Hears, Function)>>,
}

/// What a `general_error` is to a callback.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Hears {
    /// `onMessage`: `('[Error: …]', 'error')`, or the large message its link holds.
    Message,
    /// `onError`: `{ conversationId, errorCode, errorDesc }`.
    Error,
}

/// Bot messages sent while the socket was away are not lost: after a reconnect
/// the transcript is read and what came after the last message heard is handed to
/// `onMessage`, in order, before the frames that arrived meanwhile (7.0.0 drops them).
#[derive(Default)]
pub(super) struct Gap {
    /// Where a fill starts: after the last bot message heard; for a conversation this
    /// object created, from its beginning until then; for any other, nowhere (its
    /// earlier history is not a gap).
    pub(super) anchor: Anchor,
    /// Recent ids heard, so that nothing is handed out twice.
    pub(super) heard: Heard,
    /// Frames that arrive while a fill runs, replayed after it.
    pub(super) held: Option<Vec<Frame>>,
}

#[derive(Default, Clone)]
pub(super) enum Anchor {
    #[default]
    Nowhere,
    Start,
    After(String),
}

impl Gap {
    /// Takes in a bot message's id: `false` when it was heard already (it is not handed out
    /// again); otherwise it is remembered, and a fill starts after it.
    fn hear(&mut self, id: &str) -> bool {
        if !self.heard.insert(id) {
            return false;
        }
        // In place: one frame after another, no allocation.
        match &mut self.anchor {
            Anchor::After(last) => {
                last.clear();
                last.push_str(id);
            }
            anchor => *anchor = Anchor::After(id.to_owned()),
        }
        true
    }
}

/// The id of a bot message frame (agent frames carry none, so they are not filled).
fn message_id(frame: &Frame) -> Option<&str> {
    match frame.head.kind {
        EventKind::BotMessage => frame.head.message_id.as_deref(),
        _ => None,
    }
}

#[wasm_bindgen]
extern "C" {
    /// Calls a page's listener (`cb(a)`, or `cb(a, b)`) through `shell.js`: what it throws
    /// is logged there and goes no further, so the other listeners still hear the event.
    #[wasm_bindgen(js_name = captivateCallListener)]
    pub(super) fn call(cb: &Function, a: &JsValue, b: Option<&JsValue>);
    /// Calls an `onMessage` listener with a message frame's `payload.content`, and
    /// `'human_agent'` or `'ai_agent'` (`shell.js` reads both: one call per listener).
    #[wasm_bindgen(js_name = captivateHearMessage)]
    fn hear_message(cb: &Function, payload: &JsValue, human: bool);
}

impl Inner {
    pub(super) fn on_notice(self: &Rc<Self>, notice: &Notice) {
        match notice {
            Notice::Frame(frame) => {
                {
                    let mut gap = self.gap.borrow_mut();
                    if let Some(held) = gap.held.as_mut() {
                        held.push((*frame).clone());
                        return;
                    }
                    if let Some(id) = message_id(frame) {
                        // A reply stored just before a fill read the transcript can still
                        // come live after it: it was handed out already.
                        if !gap.hear(id) {
                            return;
                        }
                    }
                }
                self.on_frame(frame)
            }
            Notice::Reconnected => self.fill_gap(),
            Notice::Delivery {
                delivery:
                    Delivery::Failed {
                        error,
                        retried: true,
                    },
                ..
            } => {
                let e = Object::new();
                set(&e, "conversationId", &JsValue::from_str(&self.id));
                set(&e, "errorCode", &JsValue::from(0));
                set(
                    &e,
                    "errorDesc",
                    &JsValue::from_str(&payload_error(&error.message())),
                );
                let cbs = self.callbacks.borrow().error.clone();
                for cb in cbs.iter() {
                    call(cb, &e, None);
                }
            }
            _ => {}
        }
    }

    /// Reads the transcript after a reconnect and hands out what was missed (see `Gap`).
    pub(super) fn fill_gap(self: &Rc<Self>) {
        let anchor = {
            let mut gap = self.gap.borrow_mut();
            if gap.held.is_some() || self.callbacks.borrow().message.is_empty() {
                return;
            }
            if matches!(gap.anchor, Anchor::Nowhere) {
                return;
            }
            gap.held = Some(Vec::new());
            gap.anchor.clone()
        };
        let this = self.clone();
        platform::spawn(async move {
            let key = this.key_override();
            // The entries as the engine parsed them: what `onMessage` is handed is the
            // server's own object.
            let entries = match this.client.transcript(&this.id, key.as_deref()).await {
                Ok(parsed) => read_transcript(parsed),
                Err(_) => Vec::new(),
            };
            let since = match &anchor {
                Anchor::After(id) => Since::After(id),
                _ => Since::Start,
            };
            // Bot messages only: the visitor's own and the agent's (which carry no id) are
            // not `onMessage` material after the fact.
            for e in gap::missed(&entries, since, |e| e.from != Sender::Bot) {
                let (Some(id), Some(content)) = (e.message_id.as_deref(), e.raw.member("messages"))
                else {
                    continue;
                };
                if !this.gap.borrow_mut().hear(id) {
                    continue;
                }
                let listeners = this.callbacks.borrow().message.clone();
                for cb in listeners.iter() {
                    call(cb, &content, Some(values::js_str("ai_agent")));
                }
            }
            let held = this.gap.borrow_mut().held.take().unwrap_or_default();
            for frame in held {
                if let Some(id) = message_id(&frame) {
                    if !this.gap.borrow_mut().hear(id) {
                        continue;
                    }
                }
                this.on_frame(&frame);
            }
        });
    }

    pub(super) fn on_frame(self: &Rc<Self>, frame: &Frame) {
        // The payload as the engine parsed it, in either envelope shape.
        let undefined = JsValue::UNDEFINED;
        let payload = frame.head.payload.as_ref().unwrap_or(&undefined);
        let kind = frame.head.kind;
        // The list this event calls, as it is now (shared, not copied: a callback that adds
        // callbacks copies the list then).
        let listeners = |pick: fn(&Callbacks) -> &List| pick(&self.callbacks.borrow()).clone();
        match kind {
            EventKind::BotMessage | EventKind::LivechatMessage => {
                // The head checked that the payload is an object (when there is one).
                let human = kind == EventKind::LivechatMessage;
                for cb in listeners(|c| &c.message).iter() {
                    hear_message(cb, payload, human);
                }
            }
            EventKind::GeneralError => {
                let general = self.callbacks.borrow().general.clone();
                // A general_error nested in a conversation_update carries its fields one level down.
                let source = frame.head.error.clone().unwrap_or(JsValue::UNDEFINED);
                let err = Object::new();
                set(&err, "conversationId", &get(&source, "conversation_id"));
                set(&err, "errorCode", &get(&source, "error_code"));
                set(&err, "errorDesc", &get(&source, "error_desc"));
                let link = frame.head.large_message_link();
                let text = || {
                    let desc = source
                        .field("error_desc")
                        .and_then(|d| d.lenient_string())
                        .filter(|d| !d.is_empty())
                        .unwrap_or_else(|| "Unknown error".to_owned());
                    JsValue::from_str(&["[Error: ", &desc, "]"].concat())
                };
                let mut text_once = None;
                // `onMessage` callbacks of a 413 hear the fetched message later (one fetch for all).
                let mut later = Vec::new();
                for (hears, cb) in general.iter() {
                    match hears {
                        Hears::Error => call(cb, &err, None),
                        Hears::Message if link.is_some() => later.push(cb.clone()),
                        Hears::Message => {
                            let text = text_once.get_or_insert_with(text).clone();
                            call(cb, &text, Some(values::js_str("error")));
                        }
                    }
                }
                if let (Some(link), false) = (link, later.is_empty()) {
                    self.fetch_large_message(link, Rc::new(later));
                }
            }
            EventKind::ConversationUpdate => {
                let update = Object::new();
                set(&update, "type", &get(payload, "type"));
                set(&update, "conversationId", &get(payload, "conversation_id"));
                set(&update, "data", &get(payload, "data"));
                for cb in listeners(|c| &c.update).iter() {
                    call(cb, &update, None);
                }
            }
            EventKind::Action => {
                let list = get(payload, "actions");
                for cb in listeners(|c| &c.action).iter() {
                    call(cb, &list, None);
                }
            }
            _ => {}
        }
    }

    /// 413: the message is fetched from its link and handed to `onMessage` listeners.
    pub(super) fn fetch_large_message(self: &Rc<Self>, link: String, listeners: List) {
        let inner = self.clone();
        platform::spawn(async move {
            let outcome = inner
                .client
                .fetch_large_message(&link, inner.key_override().as_deref())
                .await;
            let (value, kind) = match outcome {
                Ok(content) => (content, "ai_agent"),
                Err(e) => {
                    // 7.0.0's words: its own status line for a refused fetch.
                    let e = match e {
                        ClientError::Http {
                            status,
                            status_text,
                        } => [
                            "Failed to fetch large message: ",
                            &crate::text::decimal(status.into()),
                            " ",
                            &status_text,
                        ]
                        .concat(),
                        other => other.message(),
                    };
                    platform::console_error(
                        "Error fetching large message:",
                        &JsValue::from_str(&e),
                    );
                    (
                        JsValue::from_str(&["[Error fetching large message: ", &e, "]"].concat()),
                        "error",
                    )
                }
            };
            for cb in listeners.iter() {
                call(cb, &value, Some(values::js_str(kind)));
            }
        });
    }
}
