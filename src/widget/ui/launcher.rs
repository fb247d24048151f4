//! The launcher: the round button that opens and closes the panel, with the unread badge
//! (and the greeting's bubble beside it, `ui::greeting`).
//! The widget renders it beside its panel; the module's main part (what a page loads first,
//! without the widget's part) renders it by itself as soon as the page loads
//! (`mountLauncher`), and the widget takes its place when the page is idle or the visitor
//! clicks (see `www/loader/widgets.js`).

use leptos::prelude::*;

use crate::text::count;
use crate::widget::i18n::{Strings, Text};
use crate::widget::kit::{listen, on};

/// What the launcher says to assistive technology: open or close, and the unread count.
pub fn label(strings: &Strings, open: bool, unread: usize) -> String {
    if open {
        strings.get(Text::Close)
    } else if unread > 0 {
        [
            strings.get(Text::Open).as_str(),
            " — ",
            &strings.count(Text::Unread, unread),
        ]
        .concat()
    } else {
        strings.get(Text::Open)
    }
}

/// The button. `busy` while what it opens is still loading. Its state comes as the signals
/// themselves (a `Signal` wrapper would be generic code of its own in the first load).
#[component]
pub fn LauncherButton(
    open: RwSignal<bool>,
    unread: RwSignal<usize>,
    /// For its label ([`label`]), made here from `open` and `unread`.
    strings: Strings,
    busy: RwSignal<bool>,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button
            class="cc-launcher"
            aria-label=move || label(&strings, open.get(), unread.get())
            // Both as `&str` values, like `d` below: each value type of a reactive attribute
            // is its own copy of tachys's code in the first load.
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls="cc-panel"
            aria-busy=move || if busy.get() { "true" } else { "false" }
            use:listen=on("click", move |_: web_sys::Event| on_click())
        >
            <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon">
                // A close cross while open, else a speech bubble.
                <path d=move || if open.get() { "M6 6l12 12M18 6L6 18" } else { "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" } />
            </svg>
            <span class="cc-badge" aria-hidden="true">{move || {
                let unread = unread.get();
                if unread > 0 && !open.get() { count(unread.min(99)) } else { String::new() }
            }}</span>
        </button>
    }
}

pub use alone::{mount_launcher, LauncherHandle};

/// The launcher alone, until the widget's part of the module is loaded.
mod alone {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::Function;
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;

    use super::LauncherButton;
    use crate::widget::greeting::{self, Greeting};
    use crate::widget::ui::greeting::show_bubble;
    use crate::widget::{host, i18n::Strings, options::WidgetOptions, storage};

    /// The mounted launcher (dropping it unmounts).
    type Unmount = Box<dyn std::any::Any>;

    /// A launcher on the page, until the widget takes its place.
    #[wasm_bindgen(js_name = CaptivateLauncher)]
    pub struct LauncherHandle {
        host: web_sys::Element,
        unmount: RefCell<Option<Unmount>>,
        follower: RefCell<Option<host::ViewportFollower>>,
        busy: RwSignal<bool>,
        unread: RwSignal<usize>,
    }

    /// Forgets every visitor of the widget with `apiKey` (what `reset()` does), before the
    /// widget's part has loaded, or after the widget was destroyed.
    #[wasm_bindgen(js_name = forgetVisitor)]
    pub fn forget_visitor(api_key: String) {
        storage::forget_all(&api_key);
    }

    #[wasm_bindgen(js_class = CaptivateLauncher)]
    impl LauncherHandle {
        /// The launcher's host element (the widget's goes in its place).
        #[wasm_bindgen(getter)]
        pub fn host(&self) -> web_sys::Element {
            self.host.clone()
        }

        /// What the click asked for could not load (the widget's part of the module): the
        /// button is no longer busy, and the next click asks again.
        pub fn failed(&self) {
            self.busy.set(false);
        }

        /// The visitor was forgotten: no unread count the last page left.
        pub fn forgotten(&self) {
            self.unread.set(0);
        }

        /// Removes the launcher (the widget is on the page now).
        pub fn remove(&self) {
            drop(self.unmount.borrow_mut().take());
            drop(self.follower.borrow_mut().take());
            self.host.remove();
        }
    }

    /// Shows the launcher for `options` (those of `init`): where the widget's will be, with
    /// the unread count the last page left. A click calls `on_open` (once; the button is
    /// busy until the widget replaces it, or until `failed()`).
    #[wasm_bindgen(js_name = mountLauncher)]
    pub fn mount_launcher(options: JsValue, on_open: Function) -> Result<LauncherHandle, JsValue> {
        let mut opts =
            WidgetOptions::from_js(&options).map_err(|e| js_sys::Error::new(e.message()))?;
        let strings = Strings::new(&opts.locale, &opts.strings, std::mem::take(&mut opts.texts));
        let keeping = storage::Keeping::of(&opts);
        let unread = keeping.known_visitor(&opts).map_or(0, |visitor| {
            keeping.unread_count(&storage::record_key(&opts.api_key, &visitor))
        });
        let (host, mount_point, follower) = host::create(&opts, &strings, host::Styles::Launcher)?;
        let busy = RwSignal::new(false);
        let unread = RwSignal::new(unread);
        let click = move || {
            if !busy.get_untracked() {
                busy.set(true);
                if let Err(e) = on_open.call0(&JsValue::NULL) {
                    web_sys::console::error_2(
                        &"[CaptivateChat] The chat could not open:".into(),
                        &e,
                    );
                    busy.set(false);
                }
            }
        };
        // The greeting (if any) shows beside this launcher until the widget takes its place.
        greeting::set_show_bubble(show_bubble);
        Greeting::of(&opts, &strings).attach(host.clone(), Rc::new(click.clone()));
        let unmount = leptos::mount::mount_to(mount_point, move || {
            view! {
                <div class="cc-root">
                    <LauncherButton
                        open=RwSignal::new(false)
                        unread=unread
                        strings=strings.clone()
                        busy=busy
                        on_click=click
                    />
                </div>
            }
        });
        Ok(LauncherHandle {
            host,
            unmount: RefCell::new(Some(Box::new(unmount))),
            follower: RefCell::new(follower),
            busy,
            unread,
        })
    }
}
