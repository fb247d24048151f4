//! The emoji picker (`emoji`): a button in the composer opens the common emoji in eight
//! categories, named and searchable in the widget's language (a table beside the parts,
//! `scripts/emoji.mjs`, fetched when the picker first opens); native emoji, no images. A
//! choice goes in at the caret of the text area. Keyboard: the search field first (typing
//! filters, ArrowDown goes to the emoji), then the categories, then the emoji (one Tab stop;
//! the arrows move by one and by a row, Home and End to the ends); Escape closes the picker
//! back on its button, as does a press elsewhere. Plain DOM with one listener for every
//! event (a Leptos view of hundreds of buttons, and a closure per event, cost the widget's
//! part 8 kB gzip: docs/size.md).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::client::platform;
use crate::widget::i18n::Text;
use crate::widget::kit::{closest, controller, listen, localized, on, ControllerRef};
use table::{fill_grid, lower, read_table, Emoji};

mod table;

/// The emoji a row of the grid holds (styles/panel.css draws them so).
const COLUMNS: isize = 8;

/// The categories, in the table's order, with the emoji their buttons show.
const CATEGORIES: [(Text, &str); 8] = [
    (Text::EmojiSmileys, "😀"),
    (Text::EmojiPeople, "👋"),
    (Text::EmojiAnimals, "🐶"),
    (Text::EmojiFood, "🍏"),
    (Text::EmojiActivities, "⚽"),
    (Text::EmojiTravel, "🚗"),
    (Text::EmojiObjects, "💡"),
    (Text::EmojiSymbols, "✅"),
];

/// Where the table is.
#[derive(Clone, Copy, PartialEq, Debug)]
enum State {
    Unloaded,
    Loading,
    Loaded,
    Failed,
}

/// The picker's emoji buttons, found from an element inside it.
fn buttons(inside: &web_sys::Element) -> Vec<HtmlElement> {
    let Some(found) = inside
        .closest(".cc-emoji-wrap")
        .ok()
        .flatten()
        .and_then(|w| w.query_selector_all(".cc-emoji-grid button").ok())
    else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

/// Focuses the emoji `at` (clamped to the ends).
fn focus_emoji(list: &[HtmlElement], at: isize) {
    let last = list.len() as isize - 1;
    if last >= 0 {
        if let Some(b) = list.get(at.clamp(0, last) as usize) {
            let _ = b.focus();
        }
    }
}

/// The wrap's part matching `selector`, as an HTML element.
fn part(inside: &web_sys::Element, selector: &str) -> Option<HtmlElement> {
    inside
        .closest(".cc-emoji-wrap")
        .ok()
        .flatten()?
        .query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// The picker: its wrap, which the build fills (`build`), and its one listener (`handle`).
#[component]
pub(super) fn EmojiPicker(ctl: ControllerRef, blank: RwSignal<bool>) -> impl IntoView {
    let picker = StoredValue::new_local(Picker {
        ctl,
        blank,
        state: State::Unloaded,
        table: std::rc::Rc::new(Vec::new()),
    });
    let handle = move |e: web_sys::Event| handle(picker, &e);
    view! {
        <div class="cc-emoji-wrap" use:build=ctl
            use:listen=on("click", handle).on("keydown", handle).on("focusout", handle).on("input", handle)
                .on("mousedown", handle)></div>
    }
}

/// What the picker keeps: the widget, the composer's "blank", and the table.
struct Picker {
    ctl: ControllerRef,
    blank: RwSignal<bool>,
    state: State,
    table: std::rc::Rc<Vec<Emoji>>,
}

type PickerRef = StoredValue<Picker, LocalStorage>;

/// The picker's elements, in `wrap`: the button, the dialog (hidden), its search, the
/// category buttons, a status line and the grid.
fn build(wrap: web_sys::Element, ctl: ControllerRef) {
    let Some(doc) = wrap.owner_document() else {
        return;
    };
    let add = |parent: &web_sys::Element, tag: &str, attrs: &[(&str, &str)]| {
        let el = doc.create_element(tag).ok()?;
        for (k, v) in attrs {
            let _ = el.set_attribute(k, v);
        }
        parent.append_child(&el).ok()?;
        Some(el)
    };
    let label = localized(ctl, Text::Emoji);
    let search = localized(ctl, Text::EmojiSearch);
    let button = add(
        &wrap,
        "button",
        &[
            ("type", "button"),
            ("class", "cc-icon-button cc-emoji-button"),
            ("aria-haspopup", "dialog"),
            ("aria-controls", "cc-emoji"),
            ("aria-expanded", "false"),
            ("aria-label", &label),
            ("title", &label),
        ],
    );
    if let Some(button) = button {
        // The face, drawn as the panel's other icons are. A constant of ours, nothing from the
        // network or the page: markup as text here costs less than an element at a time (the
        // widget's part, 0.3 kB gzip).
        button.set_inner_html(
            "<svg viewBox=\"0 0 24 24\" aria-hidden=\"true\" class=\"cc-icon\"><circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5v.01M15 9.5v.01\"/></svg>",
        );
    }
    let Some(dialog) = add(
        &wrap,
        "div",
        &[
            ("id", "cc-emoji"),
            ("class", "cc-emoji"),
            ("role", "dialog"),
            ("aria-label", &label),
            ("hidden", ""),
        ],
    ) else {
        return;
    };
    let _ = add(
        &dialog,
        "input",
        &[
            ("type", "search"),
            ("class", "cc-emoji-search"),
            ("aria-label", &search),
            ("placeholder", &search),
            ("autocomplete", "off"),
            ("maxlength", "40"),
        ],
    );
    if let Some(cats) = add(&dialog, "div", &[("class", "cc-emoji-cats")]) {
        for (n, (text, face)) in CATEGORIES.iter().enumerate() {
            let name = localized(ctl, *text);
            if let Some(b) = add(
                &cats,
                "button",
                &[
                    ("type", "button"),
                    ("data-category", &crate::text::decimal(n as u32)),
                    ("aria-label", &name),
                    ("title", &name),
                ],
            ) {
                b.set_text_content(Some(face));
            }
        }
    }
    let _ = add(
        &dialog,
        "p",
        &[("class", "cc-emoji-status"), ("role", "status")],
    );
    let _ = add(&dialog, "div", &[("class", "cc-emoji-grid")]);
}

/// Opens the picker: a new search, the focus in it.
fn open_dialog(picker: PickerRef, from: &web_sys::Element) {
    let (Some(button), Some(dialog)) = (part(from, ".cc-emoji-button"), part(from, ".cc-emoji"))
    else {
        return;
    };
    let _ = button.set_attribute("aria-expanded", "true");
    dialog.set_hidden(false);
    if let Some(search) = part(from, ".cc-emoji-search") {
        if let Some(input) = search.dyn_ref::<web_sys::HtmlInputElement>() {
            input.set_value("");
        }
        let _ = search.focus();
    }
    load(picker, dialog.unchecked_into());
}

/// Closes the picker (its button says so) and returns its button.
fn close(from: &web_sys::Element) -> Option<HtmlElement> {
    let (button, dialog) = (part(from, ".cc-emoji-button")?, part(from, ".cc-emoji")?);
    let _ = button.set_attribute("aria-expanded", "false");
    dialog.set_hidden(true);
    Some(button)
}

/// Fetches the table if it is not there (again, if it failed), then shows it.
fn load(picker: PickerRef, dialog: web_sys::Element) {
    let state = picker.with_value(|p| p.state);
    if state == State::Loaded {
        refresh(picker, &dialog);
        return;
    }
    if state == State::Loading {
        return;
    }
    let ctl = picker.with_value(|p| p.ctl);
    let url = controller(ctl).options().panel.emoji_url.clone();
    picker.update_value(|p| p.state = State::Loading);
    refresh(picker, &dialog);
    platform::spawn(async move {
        let read = match url {
            Some(url) => match platform::http("GET", &url, &[], None).await {
                Ok(answer) if answer.status == 200 => read_table(&answer.body),
                _ => None,
            },
            None => None,
        };
        let done = picker.try_update_value(|p| match read {
            Some(list) => {
                p.table = std::rc::Rc::new(list);
                p.state = State::Loaded;
            }
            None => p.state = State::Failed,
        });
        if done.is_some() {
            refresh(picker, &dialog);
        }
    });
}

/// The grid and the status line, for the table and the search as they are.
fn refresh(picker: PickerRef, dialog: &web_sys::Element) {
    let Some((ctl, state, table)) =
        picker.try_with_value(|p| (p.ctl, p.state, std::rc::Rc::clone(&p.table)))
    else {
        return;
    };
    let q = dialog
        .query_selector(".cc-emoji-search")
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| lower(&i.value()))
        .unwrap_or_default();
    let shown = dialog
        .query_selector(".cc-emoji-grid")
        .ok()
        .flatten()
        .map_or(0, |grid| fill_grid(&grid, &table, &q));
    let status = match state {
        State::Unloaded | State::Loading => localized(ctl, Text::EmojiLoading),
        State::Failed => localized(ctl, Text::EmojiFailed),
        State::Loaded if shown == 0 => localized(ctl, Text::EmojiNone),
        State::Loaded => String::new(),
    };
    if let Some(p) = dialog.query_selector(".cc-emoji-status").ok().flatten() {
        p.set_text_content(Some(&status));
    }
}

/// What the picker does with an event in it (one listener for all).
fn handle(picker: PickerRef, e: &web_sys::Event) {
    let Some(target) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let open = part(&target, ".cc-emoji").is_some_and(|d| !d.hidden());
    match e.type_().as_str() {
        "click" => {
            let Some(button) = target.closest("button").ok().flatten() else {
                return;
            };
            if crate::text::contains(&button.class_name(), "cc-emoji-button") {
                if open {
                    let _ = close(&button).map(|b| b.focus());
                } else {
                    open_dialog(picker, &button);
                }
            } else if let Some(text) = button.get_attribute("data-emoji") {
                insert(picker, &button, &text);
            } else if let Some(n) = button.get_attribute("data-category") {
                // The category's first emoji, the search emptied, scrolled to and focused.
                if let Some(search) = part(&button, ".cc-emoji-search")
                    .and_then(|s| s.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    if !search.value().is_empty() {
                        search.set_value("");
                        if let Some(dialog) = part(&button, ".cc-emoji") {
                            refresh(picker, &dialog);
                        }
                    }
                }
                let first = part(&button, &[".cc-emoji-grid [data-in=\"", &n, "\"]"].concat());
                if let Some(first) = first {
                    first.scroll_into_view();
                    let _ = first.focus();
                }
            }
        }
        "input" => {
            if let Some(dialog) = part(&target, ".cc-emoji") {
                refresh(picker, &dialog);
            }
        }
        // A press on one of its buttons keeps the focus where it is (the search, an emoji):
        // Safari does not focus a pressed button, and the focus leaving the picker for nothing
        // would close it (below) before the click arrives.
        "mousedown" if open && target.closest("button").ok().flatten().is_some() => {
            e.prevent_default();
        }
        "focusout" => {
            // A press elsewhere: the focus leaves the picker and its button.
            let related = e
                .dyn_ref::<web_sys::FocusEvent>()
                .and_then(|f| f.related_target());
            if open && closest(related, ".cc-emoji-wrap").is_none() {
                close(&target);
            }
        }
        "keydown" => {
            if let Some(key) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                on_key(picker, key, &target, open);
            }
        }
        _ => {}
    }
}

/// The picker's keys: Escape closes it; from the search, ArrowDown goes to the emoji; among
/// the emoji, the arrows move by one and by a row (right to left, the way the row reads),
/// Home and End to the ends, ArrowUp from the first row back to the search.
fn on_key(picker: PickerRef, e: &web_sys::KeyboardEvent, el: &web_sys::Element, open: bool) {
    let key = e.key();
    if key == "Escape" && open {
        // The panel's Escape (close the chat) is for when the picker is closed.
        e.stop_propagation();
        e.prevent_default();
        let _ = close(el).map(|b| b.focus());
        return;
    }
    let list = buttons(el);
    if el.class_name() == "cc-emoji-search" {
        if key == "ArrowDown" {
            e.prevent_default();
            focus_emoji(&list, 0);
        }
        return;
    }
    let Some(at) = list
        .iter()
        .position(|b| b.unchecked_ref::<web_sys::Element>() == el)
    else {
        return;
    };
    let at = at as isize;
    let ctl = picker.with_value(|p| p.ctl);
    let ahead = if controller(ctl).strings().rtl { -1 } else { 1 };
    let to = match key.as_str() {
        "ArrowRight" => at + ahead,
        "ArrowLeft" => at - ahead,
        "ArrowDown" => at + COLUMNS,
        "ArrowUp" if at < COLUMNS => {
            e.prevent_default();
            if let Some(search) = part(el, ".cc-emoji-search") {
                let _ = search.focus();
            }
            return;
        }
        "ArrowUp" => at - COLUMNS,
        "Home" => 0,
        "End" => list.len() as isize - 1,
        _ => return,
    };
    e.prevent_default();
    focus_emoji(&list, to);
}

/// The emoji chosen goes in at the caret of the text area (over a selection), the caret after
/// it, the picker closed, the focus in the text area.
fn insert(picker: PickerRef, from: &web_sys::Element, text: &str) {
    let area = from
        .closest("form")
        .ok()
        .flatten()
        .and_then(|f| f.query_selector("textarea").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    close(from);
    if let Some(area) = area {
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        let _ = area.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
        let blank = picker.with_value(|p| p.blank);
        blank.set(area.value().trim().is_empty());
        let _ = area.focus();
    }
}
