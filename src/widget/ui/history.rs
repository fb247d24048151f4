//! Past conversations: the list the visitor reopens or deletes them from.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::text::count;
use crate::widget::fresh::Fresh;
use crate::widget::i18n::Text;
use crate::widget::kit::{controller, current_element, listen, localized, on, ControllerRef};

#[component]
pub(in crate::widget) fn History(ctl: ControllerRef) -> impl IntoView {
    let items = move || controller(ctl).history();
    view! {
        <nav class="cc-history" aria-label=localized(ctl, Text::History)>
            // Where the focus goes when a row is deleted (the rows are rendered again).
            <h3 tabindex="-1">{localized(ctl, Text::History)}</h3>
            <p class="cc-empty" hidden=move || !items().is_empty()>
                {localized(ctl, Text::NoHistory)}
            </p>
            // A short list, built again when it changes (no keyed diffing to carry).
            <ul>
                {move || Fresh(items().into_iter().map(|past| view! { <HistoryItem ctl=ctl past=past /> }).collect_view())}
            </ul>
            <button class="cc-choice" use:listen=on("click", move |_: ev::MouseEvent| controller(ctl).hide_history())>{localized(ctl, Text::Back)}</button>
        </nav>
    }
}

#[component]
pub(in crate::widget) fn HistoryItem(
    ctl: ControllerRef,
    past: crate::widget::controller::Past,
) -> impl IntoView {
    let chat = controller(ctl).chat();
    let id = past.id.clone();
    let label = past.title.clone().unwrap_or_else(|| {
        let date = past
            .updated
            .map(|ms| controller(ctl).strings().date(ms))
            .unwrap_or_else(|| past.id.chars().take(8).collect());
        controller(ctl)
            .strings()
            .fill(Text::ConversationOf, &[("date", &date)])
    });
    let is_current = {
        let id = id.clone();
        move || chat.current.get().as_deref() == Some(id.as_str())
    };
    // What the widget holds of this conversation since the page loaded, live: its last
    // message, and what arrived while the visitor looked at another one.
    let thread = controller(ctl).known_thread(&id);
    let unread = move || thread.map_or(0, |t| t.unread.get());
    let last = move || {
        thread
            .and_then(|t| t.last_said(controller(ctl).strings()))
            .unwrap_or_default()
    };
    let (open_id, delete_id) = (id.clone(), id.clone());
    let delete_label = [localized(ctl, Text::Delete).as_str(), " — ", &label].concat();
    view! {
        <li class="cc-past" aria-current=move || if is_current() { "true" } else { "false" }>
            <button class="cc-past-open" use:listen=on("click", move |_: ev::MouseEvent| controller(ctl).switch_to(open_id.clone()))>
                <span class="cc-past-text">
                    <span class="cc-past-title">{label.clone()}</span>
                    <span class="cc-past-last">{last}</span>
                </span>
                <span class="cc-count" hidden=move || unread() == 0
                    aria-label=move || controller(ctl).strings().count(Text::Unread, unread())>
                    {move || count(unread().min(99))}
                </span>
                // Shown on the current row only (panel.css).
                <span class="cc-tag">{localized(ctl, Text::Current)}</span>
            </button>
            <button class="cc-icon-button cc-past-delete" aria-label=delete_label use:listen=on("click", move |e: ev::MouseEvent| {
                    focus_heading(&e);
                    controller(ctl).delete_conversation(delete_id.clone())
                })>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M5 7h14M10 11v6M14 11v6M7 7l1 12h8l1-12M9 7V4h6v3" /></svg>
            </button>
        </li>
    }
}

/// Moves the focus from a row that is about to go to the list's heading, which stays.
fn focus_heading(e: &web_sys::Event) {
    let heading = current_element(e)
        .and_then(|el| el.closest(".cc-history").ok().flatten())
        .and_then(|nav| nav.query_selector("h3").ok().flatten())
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(h) = heading {
        let _ = h.focus();
    }
}
