//! The message list: a window of the conversation, so that a long history (thousands of
//! messages) costs only the messages rendered, following the end while the visitor does.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::widget::controller::{Msg, SendState};
use crate::widget::i18n::Text;
use crate::widget::kit::{controller, listen, localized, on, ControllerRef};
use crate::widget::render::content;

/// How many messages are put in the DOM at first and added per page when scrolling up.
pub(in crate::widget) const PAGE: usize = 40;
/// While the visitor follows the end, the DOM holds at most this many messages.
pub(in crate::widget) const MAX_RENDERED: usize = 3 * PAGE;

/// A window of the conversation: a long history (thousands of messages) costs only the
/// messages rendered. It follows the end while the visitor does; scrolling up (or the
/// "earlier messages" button) renders the page above and drops one below, scrolling down
/// does the reverse, and what the visitor is reading never moves.
#[component]
pub(in crate::widget) fn MessageList(ctl: ControllerRef) -> impl IntoView {
    // The list is made anew for each conversation shown (see the panel).
    let thread = controller(ctl).thread();
    // What the handlers keep between events (see `Kept`).
    let kept = StoredValue::new_local(Kept {
        list: None,
        last_top: 0,
        intent: f64::NEG_INFINITY,
    });
    let list = move || kept.try_with_value(|k| k.list.clone()).flatten();
    let at_bottom = RwSignal::new(true);
    let unseen = RwSignal::new(false);
    // The rendered window: [first, last), where `last == None` follows the end.
    let first = RwSignal::new(
        thread
            .messages
            .with_untracked(|l| l.len().saturating_sub(PAGE)),
    );
    // `last` is kept in two signals of types the widget has anyway (an `Option<usize>` one
    // would be a signal type of its own, its own copy of the signal code): whether the window
    // stops short of the end, and where.
    let (stops_short, stop) = (RwSignal::new(false), RwSignal::new(0));
    let last = move || stops_short.get().then(|| stop.get());
    let last_untracked = move || stops_short.get_untracked().then(|| stop.get_untracked());
    let set_last = move |last: Option<usize>| {
        if let Some(last) = last {
            stop.set(last);
        }
        stops_short.set(last.is_some());
    };
    // Runs in an animation frame, which may come after the list is gone; one frame asked
    // for at a time (a burst asks once per message).
    let end_asked = RwSignal::new(false);
    let scroll_to_end = move || {
        end_asked.try_set(false);
        if let Some(el) = list() {
            el.set_scroll_top(el.scroll_height());
        }
        unseen.try_set(false);
    };
    let scroll_to_end_next_frame = move || {
        if !end_asked.get_untracked() {
            end_asked.set(true);
            request_animation_frame(scroll_to_end);
        }
    };
    // Read once for every message of the list.
    let shared = content::Shared {
        images: std::sync::Arc::new(controller(ctl).images()),
        follow_end: std::sync::Arc::new(move || {
            if at_bottom.get_untracked() && last_untracked().is_none() {
                scroll_to_end_next_frame();
            }
        }),
    };
    let jump_to_end = move || {
        if last_untracked().is_some() {
            set_last(None);
            first.set(
                thread
                    .messages
                    .with_untracked(|l| l.len().saturating_sub(PAGE)),
            );
        }
        at_bottom.set(true);
        scroll_to_end_next_frame();
    };
    Effect::new(move |_| {
        let len = thread.messages.with(|l| l.len());
        let _ = thread.typing.get();
        if let Some(start) = restart_at(first.get_untracked(), len, at_bottom.get_untracked()) {
            first.set(start);
            set_last(None);
        }
        if at_bottom.get_untracked() && last_untracked().is_none() {
            // After the DOM update.
            scroll_to_end_next_frame();
        } else {
            unseen.set(true);
        }
    });
    // Moves the window, keeping a message that stays rendered where it is on screen.
    let shift = move |new_first: usize, new_last: Option<usize>| {
        let Some(el) = list() else {
            return;
        };
        let (old_first, old_last) = (first.get_untracked(), last_untracked());
        let anchor = el
            .query_selector_all(".cc-msg")
            .ok()
            .and_then(|nodes| nodes.item(new_first.saturating_sub(old_first) as u32))
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok());
        let before = anchor.as_ref().map(|a| a.get_bounding_client_rect().top());
        if (new_first, new_last) == (old_first, old_last) {
            return;
        }
        first.set(new_first);
        set_last(new_last);
        request_animation_frame(move || {
            if let (Some(a), Some(before)) = (anchor, before) {
                let moved = a.get_bounding_client_rect().top() - before;
                el.set_scroll_top(el.scroll_top() + moved.round() as i32);
            }
        });
    };
    let earlier = move || {
        let start = first.get_untracked();
        if start == 0 {
            return;
        }
        // Reading back: stop following the end (scrolling back down to it follows again).
        at_bottom.set(false);
        let len = thread.messages.with_untracked(|l| l.len());
        let new_first = start.saturating_sub(PAGE);
        let end = last_untracked().unwrap_or(len);
        let new_last = (end - new_first > MAX_RENDERED).then_some(new_first + MAX_RENDERED);
        shift(new_first, new_last.or(last_untracked()));
    };
    let later = move || {
        let Some(end) = last_untracked() else {
            return;
        };
        let len = thread.messages.with_untracked(|l| l.len());
        let new_end = (end + PAGE).min(len);
        let new_first = first
            .get_untracked()
            .max(new_end.saturating_sub(MAX_RENDERED));
        shift(new_first, (new_end < len).then_some(new_end));
    };
    // Following the end stops only when the visitor scrolls up: messages arriving faster than
    // the list scrolls (a burst) leave it short of the end without unpinning it.
    // (Trimming the window clamps scrollTop too, so a smaller scrollTop alone proves nothing:
    // it counts after the visitor's wheel, touch, key or pointer.)
    let on_scroll = move |_: web_sys::Event| {
        if let Some(el) = list() {
            let top = el.scroll_top();
            let Some((previous, intent)) =
                kept.try_update_value(|k| (std::mem::replace(&mut k.last_top, top), k.intent))
            else {
                return;
            };
            let near_end = el.scroll_height() - top - el.client_height() < 80;
            let by_visitor = crate::client::platform::now_ms() - intent < 1000.0;
            if near_end && last_untracked().is_some() {
                later();
            } else if near_end && el.scroll_height() - top - el.client_height() < 40 {
                at_bottom.set(true);
                unseen.set(false);
            } else if top < previous - 2 && by_visitor {
                at_bottom.set(false);
            }
            // Near the top: the page above, when the visitor scrolled there or reads back
            // already. (While following a burst, a window that was just cut can leave the list
            // near the top for a moment; paging back then unpinned the end, and the DOM grew
            // with the burst: 1,960 messages, seen once under load.)
            if top < 80 && (by_visitor || !at_bottom.get_untracked()) {
                earlier();
            }
        }
    };
    let shown = move || {
        let start = first.get();
        let end = last();
        thread.messages.with(|l| {
            // The effect above moves `first` the same way; this keeps the first render small.
            let len = l.len();
            let (start, end) = match end {
                Some(end) if start <= end && end <= len => (start, end),
                _ => (
                    restart_at(start, len, at_bottom.get_untracked()).unwrap_or(start),
                    len,
                ),
            };
            l.get(start..end).map(<[Msg]>::to_vec).unwrap_or_default()
        })
    };
    // The buttons of every message (choices, actions, retries, held images): one handler.
    let on_click = move |e: leptos::ev::MouseEvent| content::clicked(ctl, &e);
    // When the visitor last moved the list (the scroll handler tells their scrolling from the
    // list's own), one handler for the four ways.
    let on_intent = move |_: web_sys::Event| {
        kept.try_update_value(|k| k.intent = crate::client::platform::now_ms());
    };
    view! {
        <div class="cc-messages" role="log" aria-live="off" tabindex="0"
            use:listen=on("scroll", on_scroll).on("click", on_click)
                .passive(&["wheel", "touchmove", "keydown", "pointerdown"], on_intent)
            use:keep_list=kept>
            <button class="cc-earlier" hidden=move || first.get() == 0 use:listen=on("click", move |_: web_sys::Event| earlier())>{localized(ctl, Text::Earlier)}</button>
            <For each=shown key=|m| (m.key, state_key(&m.state)) let:msg>
                {content::message(ctl, msg, &shared)}
            </For>
            <div class="cc-typing" hidden=move || !(thread.typing.get() && last().is_none()) role="img" aria-label=localized(ctl, Text::Typing)><span></span><span></span><span></span></div>
        </div>
        <button class="cc-new-messages" hidden=move || !(unseen.get() || last().is_some()) use:listen=on("click", move |_: web_sys::Event| jump_to_end())>
            {move || localized(ctl, if unseen.get() { Text::NewMessages } else { Text::Latest })}
        </button>
    }
}

/// What the list's handlers keep between events: one stored value (each type of value kept
/// is its own copy of the storage code in the wasm; a `NodeRef` would be a signal type).
struct Kept {
    /// The list's element, once mounted.
    list: Option<web_sys::Element>,
    /// Its `scrollTop` at the last scroll event.
    last_top: i32,
    /// When the visitor last moved the list (wheel, touch, key or pointer).
    intent: f64,
}

/// Keeps the list's element for the handlers that move it.
fn keep_list(el: web_sys::Element, kept: StoredValue<Kept, LocalStorage>) {
    kept.update_value(|k| k.list = Some(el));
}

/// Where the window starts again when it must jump to the end: the list shrank below it
/// (another conversation), or it follows the end and has grown past its bound.
pub(in crate::widget) fn restart_at(start: usize, len: usize, following: bool) -> Option<usize> {
    (start > len || (following && len - start > MAX_RENDERED)).then(|| len.saturating_sub(PAGE))
}

/// A message is rendered again when its delivery state changes.
pub(in crate::widget) fn state_key(state: &Option<SendState>) -> u8 {
    match state {
        None => 0,
        Some(SendState::Sending) => 1,
        Some(SendState::Sent) => 2,
        Some(SendState::Failed) => 3,
    }
}
