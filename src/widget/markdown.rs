//! Markdown items are rendered by the markdown module (`markdown/`, a wasm module of its
//! own, so that the widget's first load does not carry the parser). The embed loader
//! provides it as `CaptivateChat.markdown()`, a promise of its `toHtml`, fetched once the
//! page is idle or when the first item asks. Until it is there, or if it cannot be
//! loaded, an item shows its source as text.

use std::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::client::platform::get;

thread_local! {
    /// `toHtml`, once loaded: later items render at once.
    static TO_HTML: RefCell<Option<Function>> = const { RefCell::new(None) };
}

fn call(to_html: &Function, md: &str) -> Option<String> {
    to_html
        .call1(&JsValue::NULL, &JsValue::from_str(md))
        .ok()?
        .as_string()
}

/// The HTML of `md` (to be sanitized), if the module is already loaded.
pub fn render_now(md: &str) -> Option<String> {
    TO_HTML.with(|f| f.borrow().as_ref().and_then(|f| call(f, md)))
}

/// The HTML of `md` (to be sanitized), loading the module first; `None` when it cannot
/// be loaded (no embed loader, offline, blocked).
pub async fn render(md: &str) -> Option<String> {
    if let Some(html) = render_now(md) {
        return Some(html);
    }
    let loader = get(&get(&js_sys::global(), "CaptivateChat"), "markdown");
    let promise = loader
        .dyn_ref::<Function>()?
        .call0(&JsValue::NULL)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let to_html = JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let html = call(&to_html, md);
    TO_HTML.with(|f| *f.borrow_mut() = Some(to_html));
    html
}
