//! Markdown items are rendered by pulldown-cmark (the `captivate-markdown` crate), which
//! lives in a part of the module of its own (wasm-split, at `markdown_part`), so that
//! neither the launcher nor the panel waits on it: it is loaded once the page is idle after
//! the widget has started, or when the first markdown item arrives. Until it is there, or
//! if it cannot be loaded, an item shows its source as text.
//!
//! Named character references are decoded by the browser's own table (`decode_names`): the
//! build leaves pulldown-cmark's copy out of the markdown part (`scripts/entity-table.mjs`).

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use web_sys::{DomParser, SupportedType};

use crate::widget::handle::Unloaded;

/// Markdown to HTML (to be sanitized), its named references decoded by `decode`.
type ToHtml = fn(&str, captivate_markdown::Decode) -> String;

thread_local! {
    /// The renderer, once its part is loaded: later items render at once.
    static TO_HTML: Cell<Option<ToHtml>> = const { Cell::new(None) };
}

/// The split point: pulldown-cmark goes to the markdown part (the release build, `split`
/// feature). (The names' decoder stays in the widget's part: in the markdown part, wasm-split
/// would share more with it.)
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(markdown, fallible, wasm_split_path = ::leptos::wasm_split)]
fn markdown_part() -> Result<ToHtml, Unloaded> {
    Ok(captivate_markdown::to_html)
}

/// One module, nothing to load (the debug build of `make dev`).
#[cfg(not(feature = "split"))]
async fn markdown_part() -> Result<ToHtml, Unloaded> {
    Ok(captivate_markdown::to_html)
}

/// The HTML of `md` (to be sanitized), if the renderer is already loaded.
pub fn render_now(md: &str) -> Option<String> {
    TO_HTML
        .with(|f| f.get())
        .map(|to_html| to_html(md, &decode_names))
}

/// The values of named character references (`ouml` → `ö`), `None` for a name that is not
/// one: each is read as an attribute value by the browser's parser, which decodes a whole
/// name followed by `;` there and nothing else (in text it would also take `&copyx;` for
/// `©x;`), exactly the names and values CommonMark decodes. Names are `[A-Za-z0-9]*`
/// (`captivate_markdown` only asks for those); the document is inert (no script runs in it,
/// nothing of it is shown), so a name that broke that contract could only decode wrongly.
fn decode_names(names: &[&str]) -> Vec<Option<String>> {
    let mut probe = String::new();
    for name in names {
        probe.extend(["<i title=\"&", name, ";\"></i>"]);
    }
    let items = DomParser::new()
        .and_then(|p| p.parse_from_string(&probe, SupportedType::TextHtml))
        .ok()
        .and_then(|doc| doc.body())
        .map(|body| body.children());
    let mut values = Vec::with_capacity(names.len());
    for (i, name) in (0..).zip(names) {
        let value = items
            .as_ref()
            .and_then(|items| items.item(i))
            .and_then(|item| item.get_attribute("title"))
            .filter(|v| v.strip_prefix('&').and_then(|v| v.strip_suffix(';')) != Some(name));
        values.push(value);
    }
    values
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
