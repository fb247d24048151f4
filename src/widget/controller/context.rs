//! The page as context (the `pageContext` option): a conversation starts with the page the
//! visitor is on in its metadata, `context: { url, title }` (the address without its
//! fragment; the page's own title), and before each message the visitor sends, the
//! conversation hears where they are if they have moved since (a single-page site's
//! navigation, another page of the site): its metadata is set again, just before the
//! message. Nothing is sent when the visitor only navigates.

use wasm_bindgen::JsValue;

use crate::protocol::JsonBuild;
use crate::widget::controller::Controller;

/// `{ url, title }`.
pub(super) fn value((url, title): &(String, String)) -> JsValue {
    JsValue::object(&[
        ("url", Some(JsValue::from_str(url))),
        ("title", Some(JsValue::from_str(title))),
    ])
}

impl Controller {
    /// The page the visitor is on, with `pageContext`: its address (without the fragment)
    /// and its own title.
    pub(in crate::widget) fn page_context(&self) -> Option<(String, String)> {
        if !self.0.options.panel.page_context {
            return None;
        }
        let href = web_sys::window()?.location().href().ok()?;
        let url = href.split('#').next().unwrap_or_default().to_owned();
        Some((url, self.page_title()))
    }

    /// Sets the conversation's `context` to the page the visitor is on now, unless it said
    /// that page last: a message is about to be sent, and the metadata goes first (a failure
    /// is tried again with the next message; the message goes anyway).
    pub(in crate::widget) async fn tell_page(&self, conversation: &str) {
        let Some(page) = self.page_context() else {
            return;
        };
        let said = self
            .0
            .page_said
            .borrow()
            .as_ref()
            .is_some_and(|(c, p)| c == conversation && *p == page);
        if said {
            return;
        }
        let metadata = JsValue::object(&[("context", Some(value(&page)))]);
        if self.set_metadata_of(conversation, metadata).await.is_ok() {
            *self.0.page_said.borrow_mut() = Some((conversation.to_owned(), page));
        }
    }
}
