//! "Ask about this" (the `askAboutSelection` option): when the visitor selects text on the
//! page (not in a field, not in the widget), a button shows beside the selection; it opens
//! the chat with the text quoted in the composer, for the visitor to ask and send. Nothing
//! leaves the browser until they do. Escape, a scroll or a click elsewhere hides it.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::widget::i18n::Text;
use crate::widget::kit::{controller, listen, localized, on, ControllerRef};

/// The longest quote taken (characters): a selection of a whole page is cut there.
const LONGEST: usize = 1000;

#[component]
pub(in crate::widget) fn AskAboutSelection(ctl: ControllerRef) -> impl IntoView {
    let shown = RwSignal::new(false);
    // Where the button is (`top: …px; left: …px`), and the text it asks about. (Placed by
    // plain DOM calls instead, without this signal, the widget's part was 0.24 kB smaller:
    // not worth the deviation, docs/size.md.)
    let place = RwSignal::new(String::new());
    let text = StoredValue::new_local(String::new());
    let update = move || {
        let Some((quote, top, left)) = selected() else {
            shown.set(false);
            return;
        };
        text.set_value(quote);
        place.set(["top:", &px(top), "px;left:", &px(left), "px"].concat());
        shown.set(true);
    };
    // The document's selection and the page's scroll are heard on the document, while the
    // widget is there.
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let heard = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
            if e.type_() == "scroll" {
                shown.set(false);
            } else {
                update();
            }
        });
        let target: &web_sys::EventTarget = document.as_ref();
        for name in ["selectionchange", "scroll"] {
            let _ = target.add_event_listener_with_callback_and_bool(
                name,
                heard.as_ref().unchecked_ref(),
                true,
            );
        }
        let kept = send_wrapper::SendWrapper::new((document, heard));
        on_cleanup(move || {
            let (document, heard) = kept.take();
            for name in ["selectionchange", "scroll"] {
                let _ = document.remove_event_listener_with_callback_and_bool(
                    name,
                    heard.as_ref().unchecked_ref(),
                    true,
                );
            }
        });
    }
    let ask = move |_: ev::MouseEvent| {
        shown.set(false);
        let quote = text.with_value(|t| t.clone());
        controller(ctl).ask_about(&quote);
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            shown.set(false);
        }
    };
    view! {
        <button type="button" class="cc-ask" hidden=move || !shown.get() style=move || place.get()
            // A press on it keeps the page's selection (the click asks about it).
            use:listen=on("click", ask).on("keydown", on_key).on("pointerdown", |e: ev::PointerEvent| e.prevent_default())>
            {localized(ctl, Text::AskAboutThis)}
        </button>
    }
}

/// The page's selection, if it is text the visitor may ask about: its text (cut at
/// [`LONGEST`] characters) and where the button goes (below its end, within the window).
fn selected() -> Option<(String, f64, f64)> {
    let window = web_sys::window()?;
    let selection = window.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    // Not in the widget (its shadow root's selection shows as its host) nor in a field.
    let anchor = selection.anchor_node()?;
    let element = match anchor.dyn_ref::<web_sys::Element>() {
        Some(el) => el.clone(),
        None => anchor.parent_element()?,
    };
    if element
        .closest("[data-captivate-chat], input, textarea, [contenteditable]")
        .ok()
        .flatten()
        .is_some()
    {
        return None;
    }
    let text: String = String::from(selection.to_string())
        .trim()
        .chars()
        .take(LONGEST)
        .collect();
    if text.is_empty() {
        return None;
    }
    let rect = selection
        .get_range_at(selection.range_count() - 1)
        .ok()?
        .get_bounding_client_rect();
    let width = window.inner_width().ok()?.as_f64().unwrap_or(0.0);
    let height = window.inner_height().ok()?.as_f64().unwrap_or(0.0);
    let top = (rect.bottom() + 8.0).min(height - 44.0).max(0.0);
    let left = rect.left().min(width - 160.0).max(0.0);
    Some((text, top, left))
}

/// A length in whole pixels (the button is placed within the window: never negative).
fn px(v: f64) -> String {
    crate::text::decimal(v.max(0.0).round() as u32)
}
