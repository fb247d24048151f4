//! What a widget keeps in the browser, read by the launcher and the widget alike: the
//! visitor's anonymous id (per API key), and the record of one visitor's chat (its key;
//! the widget writes the conversation and unsent messages there, and the unread count
//! beside it). Where it lives is the `storage` option: `local` (the default: the chat
//! survives reloads and new tabs), `session` (this tab only) or `none` (nothing kept).
//! The id and the record carry the time they were written and are forgotten after
//! `maxAge` days (30 by default; each write of the record dates the id anew, and every
//! record of the API key older than that is removed when the widget loads), so that the
//! next person at a shared computer does not find the last visitor's chat; `reset()`
//! forgets them all at once. Nothing is written before there is something to keep (a
//! conversation, a message typed): a visitor who only sees the launcher leaves nothing. Values are JSON, read
//! with the engine's parser (the launcher carries no JSON parser of its own).

use wasm_bindgen::JsValue;

use super::options::{StorageKind, WidgetOptions};
use crate::client::platform;
use crate::client::values;

/// Where a widget keeps what it keeps, and for how long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keeping {
    pub kind: StorageKind,
    /// Milliseconds after which what was written is forgotten.
    pub max_age_ms: f64,
}

impl Keeping {
    pub fn of(options: &WidgetOptions) -> Keeping {
        Keeping {
            kind: options.storage,
            max_age_ms: options.max_age_days * 24.0 * 3600.0 * 1000.0,
        }
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match self.kind {
            StorageKind::Local => window.local_storage().ok().flatten(),
            StorageKind::Session => window.session_storage().ok().flatten(),
            StorageKind::None => None,
        }
    }

    /// The text stored under `key`, if any (and if storage is allowed).
    pub fn text(&self, key: &str) -> Option<String> {
        self.storage().and_then(|s| s.get_item(key).ok().flatten())
    }

    /// Stores `text` under `key`; `false` where the storage is full or not allowed (where it
    /// is off, nothing is kept and nothing is lost: `true`).
    pub fn store_text(&self, key: &str, text: &str) -> bool {
        match self.storage() {
            Some(s) => s.set_item(key, text).is_ok(),
            None => true,
        }
    }

    pub fn remove(&self, key: &str) {
        if let Some(s) = self.storage() {
            let _ = s.remove_item(key);
        }
    }

    /// A JSON object stored under `key` with its `savedAt`; `undefined` when absent,
    /// unreadable or older than the maximum age (then it is removed).
    pub fn fresh(&self, key: &str) -> JsValue {
        let Some(value) = self.text(key).map(|t| values::parse_json(&t)) else {
            return JsValue::UNDEFINED;
        };
        let saved = values::get(&value, "savedAt").as_f64();
        match saved {
            Some(at) if platform::now_ms() - at <= self.max_age_ms => value,
            // No time: written before records had one; kept, and dated on the next write.
            None if !value.is_undefined() && !value.is_null() => value,
            _ => {
                self.remove(key);
                JsValue::UNDEFINED
            }
        }
    }

    /// The visitor's id, if one is known: given by the page, or an anonymous one kept.
    pub fn known_visitor(&self, options: &WidgetOptions) -> Option<String> {
        if let Some(u) = &options.user_id {
            return Some(u.clone());
        }
        let existing = self.fresh(&visitor_key(&options.api_key));
        // Also the older form: the id as a bare JSON string.
        values::get(&existing, "id")
            .as_string()
            .or_else(|| existing.as_string())
    }

    /// The visitor's id: known, or a new anonymous one. A new one is not written here: it is
    /// kept with the visitor's record, when there is something to keep
    /// ([`keep_visitor`](Self::keep_visitor)), so a visitor who only sees the launcher leaves
    /// nothing in the browser.
    pub fn visitor_id(&self, options: &WidgetOptions) -> String {
        self.known_visitor(options)
            .unwrap_or_else(|| ["visitor-", &platform::uuid()].concat())
    }

    /// Keeps the anonymous visitor id `id`, dated now: every write of the visitor's record
    /// dates it anew, so an active visitor's id does not expire under their chat.
    pub fn keep_visitor(&self, api_key: &str, id: &str) {
        let record = js_sys::Object::new();
        values::set(&record, "id", &JsValue::from_str(id));
        values::set(&record, "savedAt", &JsValue::from_f64(platform::now_ms()));
        self.store_text(&visitor_key(api_key), &values::stringify(&record));
    }

    /// Messages that arrived while the panel was closed, as the last page left them (0 when
    /// there is no conversation or nothing stored).
    pub fn unread_count(&self, record: &str) -> usize {
        if !values::get(&self.fresh(record), "conversationId").is_string() {
            return 0;
        }
        self.text(&unread_key(record))
            .and_then(|t| t.trim().parse::<usize>().ok())
            .unwrap_or(0)
    }

    /// Removes what this widget (its API key) kept that is older than the maximum age,
    /// whichever visitor it belongs to (an id given up, the record of an anonymous visitor
    /// the page now names), and unread counts whose record is gone. What an older version
    /// left undated is dated now. Run when the widget loads.
    pub fn sweep(&self, api_key: &str) {
        let Some(storage) = self.storage() else {
            return;
        };
        let prefix = record_key(api_key, "");
        let visitor = visitor_key(api_key);
        let mut counts = Vec::new();
        for key in keys_where(&storage, |k| k.starts_with(&prefix) || k == visitor) {
            let value = self.fresh(&key);
            if !values::get(&value, "savedAt").is_undefined() {
                continue;
            }
            if let Some(record) = key.strip_suffix(UNREAD) {
                counts.push(record.to_owned());
            } else if let Some(id) = value.as_string() {
                self.keep_visitor(api_key, &id);
            } else if value.is_object() {
                values::set(&value, "savedAt", &JsValue::from_f64(platform::now_ms()));
                self.store_text(&key, &values::stringify(&value));
            }
        }
        for record in counts {
            if self.text(&record).is_none() {
                self.remove(&unread_key(&record));
            }
        }
    }
}

/// Forgets everything a widget with `api_key` kept, for every visitor, in both the page's
/// storages (`reset()`: nothing of the visitor remains, whatever `storage` said before).
pub fn forget_all(api_key: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let prefix = record_key(api_key, "");
    let visitor = visitor_key(api_key);
    for storage in [window.local_storage(), window.session_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
    {
        for key in keys_where(&storage, |k| k.starts_with(&prefix) || k == visitor) {
            let _ = storage.remove_item(&key);
        }
    }
}

/// The keys of `storage` that `pick` keeps (all read first: removing shifts the indices).
fn keys_where(storage: &web_sys::Storage, pick: impl Fn(&str) -> bool) -> Vec<String> {
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| pick(k))
        .collect()
}

/// What an unread count's key adds to its record's.
const UNREAD: &str = ":unread";

fn visitor_key(api_key: &str) -> String {
    ["captivate-chat:v1:user:", api_key].concat()
}

/// The key of one visitor's record for one API key.
pub fn record_key(api_key: &str, visitor: &str) -> String {
    ["captivate-chat:v1:", api_key, ":", visitor].concat()
}

/// The key of the visitor's choices for a widget (sound, notifications): among its
/// records, so that it expires and is forgotten with them.
pub fn prefs_key(api_key: &str) -> String {
    record_key(api_key, "~choices")
}

/// The key of when the widget's greeting was last shown (`widget::greeting`): among its
/// records, so that it expires and is forgotten with them; it names no visitor.
pub fn greeted_key(api_key: &str) -> String {
    record_key(api_key, "~greeted")
}

/// The key of the lists of conversations the visitor ended and rated
/// (`controller::closing`): among the records, so that it expires and is forgotten with them.
pub fn closed_key(api_key: &str) -> String {
    record_key(api_key, "~closed")
}

/// The key of the visitor's feedback on bot messages (`controller::feedback`): among the
/// records, so that it expires and is forgotten with them.
pub fn feedback_key(api_key: &str) -> String {
    record_key(api_key, "~feedback")
}

/// The key of the visitor's answer to the pre-chat form (`controller::prechat`): among the
/// records, so that it expires and is forgotten with them.
pub fn about_key(api_key: &str) -> String {
    record_key(api_key, "~about")
}

/// The key of the unread count beside a record.
pub fn unread_key(record: &str) -> String {
    [record, UNREAD].concat()
}
