//! What a widget keeps in the browser, read by the launcher and the widget alike: the
//! visitor's anonymous id (per API key), and the record of one visitor's chat (its key;
//! the widget writes the conversation and unsent messages there, and the unread count
//! beside it). Where it lives is the `storage` option: `local` (the default: the chat
//! survives reloads and new tabs), `session` (this tab only) or `none` (nothing kept).
//! The id and the record carry the time they were written and are forgotten after
//! `maxAge` days (30 by default), so that the next person at a shared computer does not
//! find the last visitor's chat; `reset()` forgets them at once. Values are JSON, read
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

    /// Stores `text` under `key`; ignored where storage is full, not allowed or off.
    pub fn store_text(&self, key: &str, text: &str) {
        if let Some(s) = self.storage() {
            let _ = s.set_item(key, text);
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

    /// The visitor's id: given, or an anonymous one kept per API key (made on first use).
    pub fn visitor_id(&self, options: &WidgetOptions) -> String {
        if let Some(u) = &options.user_id {
            return u.clone();
        }
        let key = visitor_key(&options.api_key);
        let existing = self.fresh(&key);
        // Also the older form: the id as a bare JSON string.
        if let Some(id) = values::get(&existing, "id").as_string() {
            return id;
        }
        // The older form, the id as a bare JSON string: kept, and dated from now.
        let id = existing
            .as_string()
            .unwrap_or_else(|| ["visitor-", &platform::uuid()].concat());
        let record = js_sys::Object::new();
        values::set(&record, "id", &JsValue::from_str(&id));
        values::set(&record, "savedAt", &JsValue::from_f64(platform::now_ms()));
        self.store_text(&key, &values::stringify(&record));
        id
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

    /// Forgets the visitor's record, unread count and anonymous id.
    pub fn forget(&self, api_key: &str, record: &str) {
        self.remove(record);
        self.remove(&unread_key(record));
        self.remove(&visitor_key(api_key));
    }
}

fn visitor_key(api_key: &str) -> String {
    ["captivate-chat:v1:user:", api_key].concat()
}

/// The key of one visitor's record for one API key.
pub fn record_key(api_key: &str, visitor: &str) -> String {
    ["captivate-chat:v1:", api_key, ":", visitor].concat()
}

/// The key of the unread count beside a record.
pub fn unread_key(record: &str) -> String {
    [record, ":unread"].concat()
}
