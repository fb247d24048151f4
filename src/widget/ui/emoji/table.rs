//! The emoji picker's table (`scripts/emoji.mjs` makes it, a file per language beside the
//! parts): read from the file, searched, and drawn into the grid.

use wasm_bindgen::{JsCast, JsValue};

use super::CATEGORIES;
use crate::client::values;

/// One emoji of the table: its category (an index of `CATEGORIES`), the emoji, its name, and
/// what a search looks in (its name and words, lower case: the table has them so).
#[derive(Clone, Debug)]
pub(super) struct Emoji {
    category: usize,
    text: String,
    name: String,
    search: String,
}

impl Emoji {
    /// Whether a search for `q` (lower case; empty: everything) finds it.
    pub(super) fn found(&self, q: &str) -> bool {
        q.is_empty() || crate::text::contains(&self.search, q)
    }
}

/// The table (`[[category, [[emoji, name, words], …]], …]`) read, or `None` if it is not one:
/// anything but strings where strings belong is left out, nothing panics.
pub(super) fn read_table(body: &JsValue) -> Option<Vec<Emoji>> {
    let table = values::parse_json_checked(body).ok()?;
    let groups = table.dyn_into::<js_sys::Array>().ok()?;
    let mut out = Vec::new();
    for (category, group) in groups.iter().enumerate().take(CATEGORIES.len()) {
        let Some(entries) = js_sys::Reflect::get(&group, &JsValue::from(1))
            .ok()
            .and_then(|e| e.dyn_into::<js_sys::Array>().ok())
        else {
            continue;
        };
        for entry in entries.iter() {
            let field = |i: u32| {
                js_sys::Reflect::get(&entry, &JsValue::from(i))
                    .ok()
                    .and_then(|v| v.as_string())
            };
            if let (Some(text), Some(name)) = (field(0), field(1)) {
                let search = field(2).unwrap_or_default();
                out.push(Emoji {
                    category,
                    text,
                    name,
                    search,
                });
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A search in lower case, trimmed, by the engine's case tables (std's would add its own to
/// the widget's part: 20 kB).
pub(super) fn lower(q: &str) -> String {
    js_sys::JsString::from(q.trim()).to_lower_case().into()
}

/// Fills `grid` with the emoji a search for `q` finds (all, by category, when it is empty):
/// hundreds of buttons with no state each. The first is the grid's one Tab stop; each
/// category's first is where its button leads (`data-in`). Returns how many.
pub(super) fn fill_grid(grid: &web_sys::Element, list: &[Emoji], q: &str) -> usize {
    grid.set_text_content(None);
    let Some(doc) = grid.owner_document() else {
        return 0;
    };
    let mut previous = None;
    let mut shown = 0;
    for m in list.iter().filter(|m| m.found(q)) {
        let Ok(b) = doc.create_element("button") else {
            continue;
        };
        for (k, v) in [
            ("type", "button"),
            ("tabindex", if shown == 0 { "0" } else { "-1" }),
            ("data-emoji", &m.text),
            ("aria-label", &m.name),
            ("title", &m.name),
        ] {
            let _ = b.set_attribute(k, v);
        }
        if q.is_empty() && previous != Some(m.category) {
            let _ = b.set_attribute("data-in", &crate::text::decimal(m.category as u32));
        }
        previous = Some(m.category);
        b.set_text_content(Some(&m.text));
        let _ = grid.append_child(&b);
        shown += 1;
    }
    shown
}
