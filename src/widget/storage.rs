//! What a widget keeps in the page's `localStorage`, read by the launcher and the widget
//! alike: the visitor's anonymous id (per API key), and the record of one visitor's chat
//! (its key; the widget writes the conversation and unsent messages there, and the unread
//! count beside it). Values are JSON, read with the engine's parser (the launcher carries
//! no JSON parser of its own).

use wasm_bindgen::JsValue;

use super::options::WidgetOptions;
use crate::client::platform;

pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The text stored under `key`, if any (and if storage is allowed).
pub fn stored_text(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Stores `text` under `key`; ignored where storage is full or not allowed.
pub fn store_text(key: &str, text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, text);
    }
}

/// The visitor's id: given, or an anonymous one kept per API key (made on first use).
pub fn visitor_id(options: &WidgetOptions) -> String {
    if let Some(u) = &options.user_id {
        return u.clone();
    }
    let key = format!("captivate-chat:v1:user:{}", options.api_key);
    let existing = stored_text(&key).and_then(|t| platform::parse_json(&t).as_string());
    if let Some(id) = existing {
        return id;
    }
    let id = format!("visitor-{}", platform::uuid());
    store_text(&key, &platform::stringify(&JsValue::from_str(&id)));
    id
}

/// The key of one visitor's record for one API key.
pub fn record_key(api_key: &str, visitor: &str) -> String {
    format!("captivate-chat:v1:{api_key}:{visitor}")
}

/// The key of the unread count beside a record.
pub fn unread_key(record: &str) -> String {
    format!("{record}:unread")
}

/// Messages that arrived while the panel was closed, as the last page left them (0 when
/// there is no conversation or nothing stored).
pub fn unread_count(record: &str) -> u32 {
    let has_conversation = stored_text(record)
        .map(|t| platform::parse_json(&t))
        .is_some_and(|r| platform::get(&r, "conversationId").is_string());
    if !has_conversation {
        return 0;
    }
    stored_text(&unread_key(record))
        .and_then(|t| t.trim().parse::<u32>().ok())
        .unwrap_or(0)
}
