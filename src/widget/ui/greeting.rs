//! The greeting's bubble beside the launcher (`widget::greeting` says when it shows): its
//! text is a button that opens the chat, its × (or Escape) dismisses it (the focus goes
//! back to the launcher). A polite live region says it as it appears. It is a part of the
//! module of its own (`greeting_part`), loaded when a greeting first shows, and mounted into
//! the shadow root of the launcher on the page (the launcher alone, then the widget's).

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::client::platform;
use crate::greeting_rules::{greeting_due, page_matches};
use crate::widget::greeting::Greeting;
use crate::widget::host;
use crate::widget::i18n::Text;
use crate::widget::kit::{listen, on};
use crate::widget::resources::stylesheet;

/// Mounts the bubble into the launcher's shadow root (in `host`), once its part of the
/// module is loaded; a part that cannot load leaves the launcher as it is (the next greeting
/// tries again).
pub fn show_bubble(greeting: &Greeting, host: web_sys::Element) {
    let greeting = greeting.clone();
    platform::spawn(async move {
        let mounted = match greeting_part().await {
            Ok(mount) => mount(&greeting, &host),
            Err(NotLoaded) => Err(JsValue::from_str("its part of the module could not load")),
        };
        match mounted {
            Ok(bubble) => greeting.set_bubble(&host, bubble),
            Err(e) => {
                greeting.set_bubble(&host, None);
                platform::console_warn("[CaptivateChat] The greeting could not show:", &e);
            }
        }
    });
}

/// The bubble's part of the module could not load (offline, blocked).
struct NotLoaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// Mounts the bubble into `host`'s shadow root; dropping the result unmounts it.
type Mount = fn(&Greeting, &web_sys::Element) -> Result<Option<Box<dyn Any>>, JsValue>;

/// The split point: the bubble goes to a part of its own (the release build, `split`
/// feature: scripts/post-build.mjs).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(greeting, fallible, wasm_split_path = ::leptos::wasm_split)]
fn greeting_part() -> Result<Mount, NotLoaded> {
    Ok(mount)
}

/// One module, nothing to load (the debug build of `make dev`).
#[cfg(not(feature = "split"))]
async fn greeting_part() -> Result<Mount, NotLoaded> {
    Ok(mount)
}

/// Shows the page's greeting if its delay is over and this page and day are for it (then
/// keeps that it was shown), and mounts the bubble into `host`'s shadow root if there is a
/// line to show.
fn mount(greeting: &Greeting, host: &web_sys::Element) -> Result<Option<Box<dyn Any>>, JsValue> {
    if let Some(config) = greeting.take_offer() {
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        if page_matches(&config.pages, &path)
            && greeting_due(greeting.last_shown(), platform::now_ms(), config.every_days)
        {
            let text = config.text.clone();
            greeting.remember();
            greeting.show(text);
        }
    }
    if !greeting.visible_now() {
        return Ok(None);
    }
    let root = host
        .shadow_root()
        .ok_or_else(|| JsValue::from_str("the launcher has no shadow root"))?;
    // Its styles (they came with this part) join the launcher's, once per launcher.
    if root.query_selector(".cc-greeting-styled")?.is_none() {
        host::add_stylesheet(&root, &stylesheet("greeting.css")?, greeting.nonce())?;
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let point: web_sys::HtmlElement = document.create_element("div")?.dyn_into()?;
    point.set_attribute("class", "cc-mount cc-greeting-styled")?;
    root.append_child(&point)?;
    let greeting = greeting.clone();
    let unmount = leptos::mount::mount_to(point.clone(), move || {
        view! { <GreetingBubble greeting=greeting /> }
    });
    // Unmounted and its mount point removed together.
    Ok(Some(Box::new((unmount, Removed(point)))))
}

/// Removes its element when dropped.
struct Removed(web_sys::HtmlElement);

impl Drop for Removed {
    fn drop(&mut self) {
        self.0.remove();
    }
}

/// The bubble, shown while the greeting has a line (none while the panel is open).
#[component]
fn GreetingBubble(greeting: Greeting) -> impl IntoView {
    let dismiss_label = greeting.strings().get(Text::Dismiss);
    // The live region is on the page before it speaks (a region inserted with its text is
    // not read); the bubble that follows the launcher to the widget does not say it again.
    let speak = RwSignal::new(false);
    if greeting.take_announcement() {
        platform::after(100.0, move || speak.set(true));
    }
    // The views' closures must be `Send`; the greeting is not (it lives in one thread).
    let greeting = StoredValue::new_local(greeting);
    let line = move || greeting.with_value(Greeting::line);
    let hidden = move || !greeting.with_value(Greeting::visible);
    let dismiss = move || {
        greeting.with_value(|g| {
            g.dismiss();
            g.focus_launcher();
        })
    };
    view! {
        <div class="cc-greeting" hidden=hidden use:listen=on("keydown", move |e: web_sys::KeyboardEvent| {
            if e.key() == "Escape" { dismiss() }
        })>
            <button class="cc-greeting-text" use:listen=on("click", move |_: web_sys::Event| greeting.with_value(Greeting::open_from))>
                {line}
            </button>
            <button class="cc-greeting-close" aria-label=dismiss_label.clone() title=dismiss_label
                use:listen=on("click", move |_: web_sys::Event| dismiss())>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M6 6l12 12M18 6L6 18" /></svg>
            </button>
        </div>
        <div class="cc-sr-only" aria-live="polite">{move || if speak.get() { line() } else { String::new() }}</div>
    }
}
