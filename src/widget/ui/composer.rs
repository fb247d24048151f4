//! The composer: text, the file picker, paste and drop.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::emoji::EmojiPicker;
use crate::widget::i18n::Text;
use crate::widget::kit::{controller, current_element, listen, localized, on, ControllerRef};

/// The files of a file list (picker, paste or drop).
pub(in crate::widget) fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

#[component]
pub(in crate::widget) fn Composer(ctl: ControllerRef) -> impl IntoView {
    // What is typed lives in the text area; a signal says only whether it is blank (for the
    // send button). The elements are found from the events (`current_element`).
    let blank = RwSignal::new(true);
    // Sends what `area` holds, empties it and gives it the focus (back, after a click on send).
    let send = move |area: Option<web_sys::HtmlTextAreaElement>| {
        let Some(area) = area else { return };
        let value = area.value();
        if value.trim().is_empty() {
            return;
        }
        controller(ctl).send(&value, &value);
        area.set_value("");
        blank.set(true);
        let _ = area.focus();
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
            e.prevent_default();
            send(Some(event_target(&e)));
        }
    };
    let on_pick = move |e: ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&e);
        let files = files_of(input.files());
        input.set_value("");
        if !files.is_empty() {
            controller(ctl).upload(files);
        }
    };
    // The attach button opens the picker, the hidden input just before it.
    let on_attach = move |e: ev::MouseEvent| {
        if let Some(input) = current_element(&e)
            .and_then(|b| b.previous_element_sibling())
            .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok())
        {
            input.click();
        }
    };
    let on_paste = move |e: ev::ClipboardEvent| {
        let files = files_of(e.clipboard_data().and_then(|d| d.files()));
        if !files.is_empty() {
            e.prevent_default();
            controller(ctl).upload(files);
        }
    };
    view! {
        <form class="cc-composer" use:listen=on("submit", move |e: ev::SubmitEvent| {
            e.prevent_default();
            let area = current_element(&e)
                .and_then(|f| f.query_selector("textarea").ok().flatten())
                .and_then(|a| a.dyn_into().ok());
            send(area);
        })>
            <input type="file" multiple=true class="cc-file-input" use:listen=on("change", on_pick) tabindex="-1" aria-hidden="true" />
            <button type="button" class="cc-icon-button cc-attach" aria-label=localized(ctl, Text::Attach) title=localized(ctl, Text::Attach)
                use:listen=on("click", on_attach)>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" /></svg>
            </button>
            {controller(ctl).options().panel.emoji.then(|| view! { <EmojiPicker ctl=ctl blank=blank /> })}
            <textarea
                use:listen=on("paste", on_paste)
                    .on("input", move |e: ev::Event| blank.set(event_target_value(&e).trim().is_empty()))
                    .on("keydown", on_key)
                use:take_quote=(ctl, blank)
                rows="1"
                // What the visitor types goes the way its own script does (English typed
                // into an Arabic widget reads left to right), as in the messages.
                dir="auto"
                aria-label=localized(ctl, Text::Placeholder)
                placeholder=localized(ctl, Text::Placeholder)
            ></textarea>
            <button type="submit" class="cc-send" aria-label=localized(ctl, Text::Send) disabled=move || blank.get()>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M3 11l18-8-8 18-2-8-8-2z" /></svg>
            </button>
        </form>
    }
}

/// Takes the text the visitor asked about (`Chat::quote`, set by "Ask about this"): put
/// before what the text area holds, the caret after it, the focus in it.
fn take_quote(el: web_sys::Element, (ctl, blank): (ControllerRef, RwSignal<bool>)) {
    let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return;
    };
    let quote = controller(ctl).chat().quote;
    let area = send_wrapper::SendWrapper::new(area);
    Effect::new(move |_| {
        let Some(text) = quote.get() else { return };
        quote.set(None);
        let value = [text.as_str(), area.value().as_str()].concat();
        area.set_value(&value);
        let end = value.encode_utf16().count() as u32;
        let _ = area.set_selection_range(end, end);
        blank.set(value.trim().is_empty());
        let _ = area.focus();
    });
}
