//! The widget's frame: the whole widget, its launcher and the panel with its header; the
//! panel's parts have rooms of their own: [`crate::widget::ui::messages`] (the message list and its
//! window), [`crate::widget::render::content`] (one message and every content type), [`crate::widget::ui::history`]
//! (past conversations) and [`crate::widget::ui::composer`]. Components read `Chat` signals and call
//! `Controller`; they never touch the socket.

mod closing;
mod composer;
mod emoji;
pub(super) mod greeting;
mod history;
pub(super) mod launcher;
mod menu;
mod messages;
mod prechat;
mod selection;

use leptos::either::Either;
use leptos::ev;
use leptos::prelude::*;

use wasm_bindgen::JsCast;

use crate::widget::i18n::Text;
use launcher::LauncherButton;

use crate::widget::fresh::Fresh;
use closing::Bottom;
use composer::files_of;
use history::History;
use menu::Menu;
use messages::MessageList;

use crate::widget::kit::{controller, current_element, listen, localized, on, ControllerRef};

/// The whole widget: launcher and panel (or the panel alone, inline).
#[component]
pub fn Widget(ctl: ControllerRef, inline: bool) -> impl IntoView {
    let chat = controller(ctl).chat();
    // Closes the panel from an event in it, and gives the focus back to the launcher (found
    // from the event's element, before the panel goes).
    let close = move |e: &web_sys::Event| {
        let launcher = current_element(e)
            .and_then(|el| el.closest(".cc-root").ok().flatten())
            .and_then(|root| root.query_selector(".cc-launcher").ok().flatten())
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
        controller(ctl).set_open(false);
        if let Some(b) = launcher {
            let _ = b.focus();
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        controller(ctl).unlock_audio();
        if e.key() == "Escape" && !inline {
            e.prevent_default();
            close(&e);
        }
    };
    view! {
        // A press in the widget lets it play its chime later (browsers want one first).
        <div class="cc-root" use:listen=on("keydown", on_key).on("pointerdown", move |_: ev::PointerEvent| controller(ctl).unlock_audio())>
            // MessageInput when it opens, dropped when it closes (`set_open` sets only a change).
            {move || Fresh(if inline || chat.open.get() {
                Either::Left(view! { <Panel ctl=ctl inline=inline on_close=close /> })
            } else {
                Either::Right(())
            })}
            {(!inline).then(|| view! { <Launcher ctl=ctl /> })}
            {controller(ctl).options().panel.ask_about_selection.then(|| view! { <selection::AskAboutSelection ctl=ctl /> })}
        </div>
    }
}

/// The launcher, driven by the controller.
#[component]
fn Launcher(ctl: ControllerRef) -> impl IntoView {
    let chat = controller(ctl).chat();
    view! {
        <LauncherButton
            open=chat.open
            unread=chat.unread
            strings=controller(ctl).strings().clone()
            busy=RwSignal::new(false)
            on_click=move || controller(ctl).set_open(!chat.open.get_untracked())
        />
    }
}

#[component]
fn Panel(
    ctl: ControllerRef,
    inline: bool,
    on_close: impl Fn(&web_sys::Event) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let chat = controller(ctl).chat();
    let title = {
        let c = controller(ctl);
        c.options()
            .title
            .clone()
            .unwrap_or_else(|| c.strings().get(Text::Title))
    };
    let status = move || {
        localized(
            ctl,
            if chat.online.get() {
                Text::Online
            } else if chat.reconnecting.get() {
                Text::Reconnecting
            } else {
                Text::Connecting
            },
        )
    };
    let title_for_label = title.clone();
    view! {
        <section id="cc-panel" class="cc-panel" class:cc-inline=inline role="dialog" aria-label=title_for_label aria-modal="false"
            use:listen=on("dragover", |e: ev::DragEvent| e.prevent_default()).on("drop", move |e: ev::DragEvent| {
                let files = files_of(e.data_transfer().and_then(|d| d.files()));
                if !files.is_empty() {
                    e.prevent_default();
                    controller(ctl).upload(files);
                }
            })>
            <header class="cc-header">
                <div class="cc-heading">
                    <h2 class="cc-title">{title}</h2>
                    <p class="cc-status" data-offline=move || !chat.online.get()>
                        <span class="cc-dot" aria-hidden="true"></span>
                        {move || match { chat.current.track(); controller(ctl).thread() }.agent.get() { Some(name) => [name.as_str(), " · ", &status()].concat(), None => status() }}
                    </p>
                </div>
                <button class="cc-icon-button" aria-label=localized(ctl, Text::History) title=localized(ctl, Text::History)
                    aria-pressed=move || if chat.history_shown.get() { "true" } else { "false" }
                    use:listen=on("click", move |_: ev::MouseEvent| { let c = controller(ctl); if chat.history_shown.get_untracked() { c.hide_history() } else { c.show_history() } })>
                    <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M4 6h16M4 12h16M4 18h10" /></svg>
                </button>
                <button class="cc-icon-button" aria-label=localized(ctl, Text::NewConversation) title=localized(ctl, Text::NewConversation)
                    use:listen=on("click", move |_: ev::MouseEvent| controller(ctl).new_conversation())>
                    <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M12 5v14M5 12h14" /></svg>
                </button>
                <Menu ctl=ctl />
                {(!inline).then(|| view! {
                    <button class="cc-icon-button" aria-label=localized(ctl, Text::Close) use:listen=on("click", move |e: ev::MouseEvent| on_close(&e))>
                        <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M6 6l12 12M18 6L6 18" /></svg>
                    </button>
                })}
            </header>
            <div class="cc-banner" role="status" hidden=move || !chat.reconnecting.get()>{localized(ctl, Text::Reconnecting)}</div>
            // The past conversations, or the conversation: built anew when `history_shown`
            // changes (which `hide_history` sees to), a list per conversation (`Fresh`; not a
            // `Show`: its memo and its two-way view are generic code of their own).
            {move || Fresh(if chat.history_shown.get() {
                Either::Left(view! { <History ctl=ctl /> })
            } else {
                Either::Right(view! {
                    // A list per conversation: closing one releases everything its rows held.
                    {move || { chat.current.track(); Fresh(view! { <MessageList ctl=ctl /> }) }}
                    <Bottom ctl=ctl />
                })
            })}
            <div class="cc-sr-only" aria-live="polite" aria-atomic="true">{move || chat.announcement.get().unwrap_or_default()}</div>
        </section>
    }
}
