//! The panel's menu (⋮): the visitor's choices (sound, notifications, when the page turned
//! them on) and what they can do with the conversation (download it, end it). A menu button as
//! WAI-ARIA's pattern has it: Enter, Space or ArrowDown opens it on its first item, ArrowUp
//! on its last; the arrows, Home and End move among the items; Escape closes it back on
//! the button; Tab, or a press anywhere else, closes it.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use super::closing::focus_soon;
use crate::client::platform;
use crate::widget::i18n::Text;
use crate::widget::kit::{
    closest, controller, current_element, listen, localized, on, ControllerRef,
};

/// The menu's items and its button, found from an element inside it.
fn parts(inside: &web_sys::Element) -> Option<(Vec<HtmlElement>, HtmlElement, web_sys::Element)> {
    let wrap = inside.closest(".cc-menu-wrap").ok().flatten()?;
    let button = wrap
        .query_selector(".cc-menu-button")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()?;
    let menu = wrap.query_selector(".cc-menu").ok().flatten()?;
    let found = menu.query_selector_all("[role^=menuitem]").ok()?;
    let items = (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect();
    Some((items, button, menu))
}

/// Shows or hides the menu now (the view follows `open` a moment later; the focus cannot
/// wait for it), focusing `item` (counted from the end when negative) or the button.
fn show(open: RwSignal<bool>, from: &web_sys::Element, item: Option<isize>) {
    let Some((items, button, menu)) = parts(from) else {
        return;
    };
    let showing = item.is_some();
    open.set(showing);
    let _ = match showing {
        true => menu.remove_attribute("hidden"),
        false => menu.set_attribute("hidden", ""),
    };
    match item {
        Some(i) if !items.is_empty() => {
            let n = items.len() as isize;
            let at = i.rem_euclid(n) as usize;
            if let Some(target) = items.get(at) {
                let _ = target.focus();
            }
        }
        Some(_) => {}
        None => {
            let _ = button.focus();
        }
    }
}

/// Moves the focus by `step` among the items (from the one focused).
fn step(from: &web_sys::Element, by: isize) {
    let Some((items, _, _)) = parts(from) else {
        return;
    };
    let focused = from
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|r| r.active_element());
    let at = items
        .iter()
        .position(|i| {
            focused
                .as_ref()
                .is_some_and(|f| f == i.unchecked_ref::<web_sys::Element>())
        })
        .map_or(0, |p| p as isize + by);
    let n = items.len() as isize;
    if n > 0 {
        if let Some(target) = items.get(at.rem_euclid(n) as usize) {
            let _ = target.focus();
        }
    }
}

#[component]
pub(super) fn Menu(ctl: ControllerRef) -> impl IntoView {
    let open = RwSignal::new(false);
    let c = controller(ctl);
    let (sound, notifications) = (c.options().panel.sound, c.options().panel.notifications);
    let chat = c.chat();
    let checked = |on: bool| if on { "true" } else { "false" };
    let on_button_key = move |e: ev::KeyboardEvent| {
        let Some(el) = current_element(&e) else {
            return;
        };
        let item = match e.key().as_str() {
            "ArrowDown" | "Enter" | " " => 0,
            "ArrowUp" => -1,
            _ => return,
        };
        e.prevent_default();
        show(open, &el, Some(item));
    };
    let on_menu_key = move |e: ev::KeyboardEvent| {
        let Some(el) = current_element(&e) else {
            return;
        };
        match e.key().as_str() {
            "ArrowDown" => step(&el, 1),
            "ArrowUp" => step(&el, -1),
            "Home" => show(open, &el, Some(0)),
            "End" => show(open, &el, Some(-1)),
            "Escape" => {
                // The panel's Escape (close the chat) is for when the menu is closed.
                e.stop_propagation();
                show(open, &el, None);
            }
            "Tab" => {
                open.set(false);
                return;
            }
            _ => return,
        }
        e.prevent_default();
    };
    // A press elsewhere: the focus leaves the menu and its button.
    let on_focus_out = move |e: ev::FocusEvent| {
        if closest(e.related_target(), ".cc-menu-wrap").is_none() {
            open.set(false);
        }
    };
    // A press on an item keeps the focus in the menu: Safari does not focus a pressed button,
    // and the focus leaving the menu for nothing would close it (above) before the click arrives.
    let keep_focus = move |e: ev::MouseEvent| {
        if closest(e.target(), ".cc-menu-item").is_some() {
            e.prevent_default();
        }
    };
    // An item does its thing and the menu closes on its button.
    let item = move |e: &web_sys::Event, act: fn(ControllerRef)| {
        act(ctl);
        if let Some(el) = current_element(e) {
            show(open, &el, None);
        }
    };
    view! {
        <div class="cc-menu-wrap" use:listen=on("focusout", on_focus_out).on("mousedown", keep_focus)>
            <button class="cc-icon-button cc-menu-button" aria-haspopup="menu" aria-controls="cc-menu"
                aria-expanded=move || checked(open.get()) aria-label=localized(ctl, Text::More) title=localized(ctl, Text::More)
                use:listen=on("click", move |e: ev::MouseEvent| {
                    // A click from the keyboard already opened it (Enter, Space).
                    if e.detail() == 0 && open.get_untracked() {
                        return;
                    }
                    if let Some(el) = current_element(&e) {
                        show(open, &el, (!open.get_untracked()).then_some(0));
                    }
                }).on("keydown", on_button_key)>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M12 5.5v.01M12 12v.01M12 18.5v.01" /></svg>
            </button>
            <div id="cc-menu" class="cc-menu" role="menu" aria-label=localized(ctl, Text::More) hidden=move || !open.get()
                use:listen=on("keydown", on_menu_key)>
                {sound.then(|| view! {
                    <button type="button" class="cc-menu-item" role="menuitemcheckbox" tabindex="-1"
                        aria-checked=move || checked(chat.sound_on.get())
                        use:listen=on("click", move |e: ev::MouseEvent| item(&e, |ctl| {
                            let c = controller(ctl);
                            c.set_sound(!c.chat().sound_on.get_untracked());
                        }))>
                        {localized(ctl, Text::Sound)}
                    </button>
                })}
                {notifications.then(|| view! {
                    <button type="button" class="cc-menu-item" role="menuitemcheckbox" tabindex="-1"
                        aria-checked=move || checked(chat.notify_on.get())
                        use:listen=on("click", move |e: ev::MouseEvent| item(&e, |ctl| {
                            let c = controller(ctl);
                            let on = !c.chat().notify_on.get_untracked();
                            platform::spawn(async move { c.set_notify(on).await });
                        }))>
                        {localized(ctl, Text::Notifications)}
                    </button>
                })}
                <button type="button" class="cc-menu-item" role="menuitem" tabindex="-1"
                    use:listen=on("click", move |e: ev::MouseEvent| item(&e, download))>
                    {localized(ctl, Text::DownloadTranscript)}
                </button>
                // A conversation that has started and not ended can be ended (after a confirmation).
                {move || {
                    chat.current.track();
                    let open_now = chat.current.get().is_some() && !controller(ctl).thread().ended.get();
                    open_now.then(|| view! {
                        <button type="button" class="cc-menu-item" role="menuitem" tabindex="-1"
                            use:listen=on("click", move |e: ev::MouseEvent| {
                                open.set(false);
                                controller(ctl).ask_end();
                                if let Some(el) = current_element(&e) {
                                    focus_soon(&el, ".cc-end-yes");
                                }
                            })>
                            {localized(ctl, Text::EndConversation)}
                        </button>
                    })
                }}
            </div>
        </div>
    }
}

/// Saves the conversation on screen as a text file, made in the browser.
fn download(ctl: ControllerRef) {
    let text = controller(ctl).transcript_text();
    let parts = js_sys::Array::of1(&text.into());
    let kind = web_sys::BlobPropertyBag::new();
    kind.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &kind) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        let day = js_sys::Date::new_0().to_iso_string();
        let day: String = String::from(day).chars().take(10).collect();
        a.set_download(&["conversation-", &day, ".txt"].concat());
        a.click();
    }
    // Let go once the browser has taken the file (at once would cancel it in some).
    platform::spawn(async move {
        platform::sleep(30_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}
