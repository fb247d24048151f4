//! The bottom of the panel around the end of a conversation (`controller::closing` says what
//! happens): "End this conversation?" with End and Cancel; a conversation that ended, with
//! "Start a new conversation"; and the rating form (`rating`): five native radio buttons
//! drawn as stars (arrows move among them, each named "3 of 5"), an optional comment, and the
//! thanks once it is sent; the pre-chat form (`ui::prechat`) while a new conversation waits for
//! it. Otherwise, the composer.

use leptos::either::Either;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::composer::Composer;
use super::prechat::Prechat;
use crate::client::platform;
use crate::text::count;
use crate::widget::controller::closing::STARS;
use crate::widget::fresh::Fresh;
use crate::widget::i18n::Text;
use crate::widget::kit::{
    closest, controller, current_element, listen, localized, on, ControllerRef,
};
use crate::widget::model::Survey;

/// Focuses the first element matching `selector` in the widget of `from` once the view has
/// caught up (its effects run after this task).
pub(super) fn focus_soon(from: &web_sys::Element, selector: &'static str) {
    let Ok(root) = from.get_root_node().dyn_into::<web_sys::ShadowRoot>() else {
        return;
    };
    platform::after(0.0, move || {
        let found = root
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = found {
            let _ = el.focus();
        }
    });
}

/// The composer, or what replaces it around the end of the conversation on screen. Each part
/// is on the page, hidden when it does not apply, and one listener on the whole answers their
/// buttons (by their `data-act`): a view per state and a listener per button would each be
/// code of its own in the widget's part (measured: 3.3 kB gzip that way).
#[component]
pub(super) fn Bottom(ctl: ControllerRef) -> impl IntoView {
    let chat = controller(ctl).chat();
    let ended = move || {
        chat.current.track();
        controller(ctl).thread().ended.get()
    };
    let survey = move || {
        chat.current.track();
        match controller(ctl).thread().survey.get() {
            Survey::Idle => None,
            Survey::Asking => Some(Fresh(Either::Left(view! { <Rating ctl=ctl /> }))),
            Survey::Thanked => Some(Fresh(Either::Right(view! {
                <p class="cc-survey cc-thanks" role="status">{localized(ctl, Text::RateThanks)}</p>
            }))),
        }
    };
    // "End this conversation?" answered No: the focus goes back to the menu.
    let keep = move |from: &web_sys::Element| {
        controller(ctl).cancel_end();
        focus_soon(from, ".cc-menu-button");
    };
    let on_click = move |e: ev::MouseEvent| {
        let Some(button) = closest(e.target(), "[data-act]") else {
            return;
        };
        match button.get_attribute("data-act").as_deref() {
            Some("end") => {
                controller(ctl).end_conversation();
                focus_soon(&button, ".cc-survey input, .cc-ended:not([hidden]) button");
            }
            Some("keep") => keep(&button),
            Some("new") => {
                controller(ctl).new_conversation();
                focus_soon(&button, ".cc-composer textarea");
            }
            _ => {}
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" && chat.confirm_end.get_untracked() {
            // Not the panel's Escape (close the chat).
            e.stop_propagation();
            e.prevent_default();
            if let Some(el) = current_element(&e) {
                keep(&el);
            }
        }
    };
    view! {
        <div class="cc-bottom" use:listen=on("click", on_click).on("keydown", on_key)>
            {survey}
            <div class="cc-confirm" role="alertdialog" aria-modal="false" aria-labelledby="cc-confirm-text"
                hidden=move || !chat.confirm_end.get()>
                <p id="cc-confirm-text">{localized(ctl, Text::EndConfirm)}</p>
                <div class="cc-confirm-actions">
                    <button type="button" class="cc-wide-button cc-primary cc-end-yes" data-act="end">{localized(ctl, Text::EndYes)}</button>
                    <button type="button" class="cc-wide-button" data-act="keep">{localized(ctl, Text::Cancel)}</button>
                </div>
            </div>
            <div class="cc-ended" hidden=move || !ended() || chat.confirm_end.get()>
                <p>{localized(ctl, Text::Ended)}</p>
                <button type="button" class="cc-wide-button cc-primary" data-act="new">{localized(ctl, Text::StartNew)}</button>
            </div>
            // Who the visitor is, before a new conversation starts (`prechat`).
            {move || chat.prechat.get().then(|| view! { <Prechat ctl=ctl /> })}
            <div hidden=move || ended() || chat.confirm_end.get() || chat.prechat.get()>
                <Composer ctl=ctl />
            </div>
        </div>
    }
}

/// "How was this conversation?": a score (required: 1 to 5 stars, or 👎 / 👍 with
/// `rating: 'thumbs'`) and an optional comment.
#[component]
fn Rating(ctl: ControllerRef) -> impl IntoView {
    let score = RwSignal::new(0u8);
    // One choice: a native radio button (a tuple, not a list: a list's view is code of its
    // own), named for screen readers; the group's one listener hears which is chosen. A star
    // is lit up to the one chosen, a thumb alone.
    let choice = move |n: u8, face: &'static str, label: String, thumb: bool| {
        view! {
            <label class=if thumb { "cc-thumb" } else { "cc-star" }
                data-on=move || { let s = score.get(); if s == n || (!thumb && s > n) { "true" } else { "false" } }>
                <input type="radio" name="cc-score" value=count(n as usize) required=true />
                <span aria-hidden="true">{face}</span>
                <span class="cc-sr-only">{label}</span>
            </label>
        }
    };
    let star = move |n: u8| {
        let label = controller(ctl)
            .strings()
            .fill(Text::RateScore, &[("score", &count(n as usize))]);
        choice(n, "★", label, false)
    };
    let choices = if controller(ctl).options().panel.rating_thumbs {
        Either::Left((
            choice(1, "👎", localized(ctl, Text::RateBad), true),
            choice(2, "👍", localized(ctl, Text::RateGood), true),
        ))
    } else {
        Either::Right((star(1), star(2), star(3), star(4), star(STARS)))
    };
    let on_change = move |e: ev::Event| {
        let chosen = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.value().parse::<u8>().ok());
        if let Some(n) = chosen {
            score.set(n);
        }
    };
    view! {
        <form class="cc-survey" aria-labelledby="cc-survey-question"
            use:listen=on("submit", move |e: ev::SubmitEvent| {
                e.prevent_default();
                let comment = current_element(&e)
                    .and_then(|f| f.query_selector("textarea").ok().flatten())
                    .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                    .map(|t| t.value())
                    .unwrap_or_default();
                controller(ctl).rate(score.get_untracked(), &comment);
            })>
            <p id="cc-survey-question" class="cc-survey-question">{localized(ctl, Text::RateQuestion)}</p>
            <div class="cc-stars" role="radiogroup" aria-labelledby="cc-survey-question" use:listen=on("change", on_change)>{choices}</div>
            <textarea class="cc-survey-comment" rows="2" maxlength="1000"
                aria-label=localized(ctl, Text::RateComment) placeholder=localized(ctl, Text::RateComment)></textarea>
            <button type="submit" class="cc-wide-button cc-primary">{localized(ctl, Text::RateSend)}</button>
        </form>
    }
}
