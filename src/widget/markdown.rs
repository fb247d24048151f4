//! Markdown items are rendered by pulldown-cmark (the `captivate-markdown` crate), which
//! lives in a part of the module of its own (wasm-split, at `markdown_part`), so that
//! neither the launcher nor the panel waits on it: it is loaded once the page is idle after
//! the widget has started, or when the first markdown item arrives. Until it is there, or
//! if it cannot be loaded, an item shows its source as text.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use super::handle::Unloaded;

/// Markdown to HTML (to be sanitized).
type ToHtml = fn(&str) -> String;

thread_local! {
    /// The renderer, once its part is loaded: later items render at once.
    static TO_HTML: Cell<Option<ToHtml>> = const { Cell::new(None) };
}

/// The split point: pulldown-cmark and its entity table go to the markdown part.
#[leptos::wasm_split::wasm_split(markdown, fallible, wasm_split_path = ::leptos::wasm_split)]
fn markdown_part() -> Result<ToHtml, Unloaded> {
    Ok(captivate_markdown::to_html)
}

/// The HTML of `md` (to be sanitized), if the renderer is already loaded.
pub fn render_now(md: &str) -> Option<String> {
    TO_HTML.with(|f| f.get()).map(|to_html| to_html(md))
}

/// Loads the renderer (once); false when it cannot be loaded (offline, blocked). A failed
/// load is tried again by the next call.
async fn load() -> bool {
    if TO_HTML.with(|f| f.get()).is_some() {
        return true;
    }
    match markdown_part().await {
        Ok(to_html) => {
            TO_HTML.with(|f| f.set(Some(to_html)));
            true
        }
        Err(Unloaded) => false,
    }
}

/// The HTML of `md` (to be sanitized), loading the renderer first; `None` when it cannot
/// be loaded.
pub async fn render(md: &str) -> Option<String> {
    if load().await {
        render_now(md)
    } else {
        None
    }
}

/// `loadMarkdown()`: loads the markdown part now (the embed loader calls it once the page is
/// idle after the widget has started, so that opening a markdown reply never waits on it).
/// Resolves to whether it is loaded.
#[wasm_bindgen(js_name = loadMarkdown)]
pub async fn load_markdown() -> bool {
    load().await
}
