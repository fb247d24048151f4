//! The proactive greeting (`greeting`, `greetingDelay`, `greetingPages`, `greetingEvery`;
//! `CaptivateChat.greet(text)` from the page): a short line beside the launcher, after a
//! while on the page, on the pages given, and not again for a while once shown. Its state
//! lives in the module's main part, one per API key on the page, shared by the launcher and
//! by the widget that takes its place (`attach`), so that a greeting on screen stays there
//! through the hand-over. The bubble (`ui::greeting`) is a part of the module of its own,
//! loaded when a greeting first shows: the greeting opens no socket and does not load the
//! widget's part, and a page without one loads nothing for it. What it keeps is only when it
//! was last shown (no visitor id). The rules (which pages, how often) are
//! `crate::greeting_rules`.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::i18n::Strings;
use super::options::{GreetingOptions, WidgetOptions};
use super::storage::{self, Keeping};
use crate::client::{platform, values};

/// A widget's greeting on this page.
#[derive(Clone)]
pub struct Greeting(Rc<Inner>);

struct Inner {
    /// Whether a line is on screen (a flag rather than an `Option<String>` signal: each value
    /// type of a signal is its own copy of the signal code, and this one is in the first
    /// load); made with no owner, so that it outlives the launcher that made it.
    visible: RwSignal<bool>,
    /// The line, set before `visible`.
    text: RefCell<String>,
    /// The line the visitor opened the chat from, until the widget shows it in the
    /// conversation.
    opened: RefCell<Option<String>>,
    /// A floating widget (an inline one has no launcher to greet beside).
    floating: bool,
    /// The panel is open: nothing shows meanwhile.
    open: Cell<bool>,
    /// Dismissed, or opened: the configured greeting does not come back on this page.
    done: Cell<bool>,
    keeping: Keeping,
    /// Where the time it was last shown is kept (among the API key's records: `reset()` and
    /// `maxAge` forget it with them).
    key: String,
    /// The widget's words (the bubble's labels).
    strings: Strings,
    /// The launcher now on the page (its host: the bubble goes into its shadow root) and
    /// what opens the chat from it (`attach`).
    launcher: RefCell<Option<Launcher>>,
    /// The bubble mounted beside that launcher (dropping it unmounts it).
    bubble: RefCell<Option<Box<dyn Any>>>,
    /// A line was shown on this page: the bubble follows the launcher to the widget.
    used: Cell<bool>,
    /// The first line is still to be said by the bubble's live region.
    unsaid: Cell<bool>,
    /// The page's greeting (`greeting` and its options).
    config: Option<GreetingOptions>,
    /// Its delay is over: the bubble's part is to decide whether it shows.
    offered: Cell<bool>,
    /// The bubble's part is loading, or mounting it.
    mounting: Cell<bool>,
    /// The page's nonce (the bubble's `<style>` where constructable stylesheets are missing).
    nonce: Option<String>,
}

/// A launcher's host element, and what opens the chat from it.
type Launcher = (web_sys::Element, Rc<dyn Fn()>);

/// Mounts the bubble of a greeting beside its launcher (`ui::greeting::show_bubble`, which
/// loads its part of the module first). The launcher and the widget register it as they
/// mount: this module is state, and does not import the components.
pub type ShowBubble = fn(&Greeting, web_sys::Element);

thread_local! {
    static SHOW_BUBBLE: Cell<Option<ShowBubble>> = const { Cell::new(None) };
}

/// Registers how bubbles are shown ([`ShowBubble`]).
pub fn set_show_bubble(show: ShowBubble) {
    SHOW_BUBBLE.set(Some(show));
}

thread_local! {
    static GREETINGS: RefCell<Vec<(String, Greeting)>> = const { RefCell::new(Vec::new()) };
}

impl Greeting {
    /// The greeting of the widget with `opts`' API key on this page: the one the launcher
    /// made, or a new one, which (a floating widget with a `greeting`) is offered after
    /// `greetingDelay` (and shows if the page and the day are for it: `ui::greeting`).
    pub fn of(opts: &WidgetOptions, strings: &Strings) -> Greeting {
        let known = GREETINGS.with_borrow(|list| {
            list.iter()
                .find(|(key, _)| *key == opts.api_key)
                .map(|(_, g)| g.clone())
        });
        if let Some(greeting) = known {
            return greeting;
        }
        let greeting = Greeting(Rc::new(Inner {
            visible: RwSignal::new(false),
            text: RefCell::new(String::new()),
            opened: RefCell::new(None),
            floating: opts.container.is_none(),
            open: Cell::new(opts.open),
            done: Cell::new(false),
            keeping: Keeping::of(opts),
            key: storage::greeted_key(&opts.api_key),
            strings: strings.clone(),
            launcher: RefCell::new(None),
            bubble: RefCell::new(None),
            used: Cell::new(false),
            unsaid: Cell::new(true),
            config: opts.greeting.clone(),
            offered: Cell::new(false),
            mounting: Cell::new(false),
            nonce: opts.nonce.clone(),
        }));
        GREETINGS.with_borrow_mut(|list| list.push((opts.api_key.clone(), greeting.clone())));
        if let Some(config) = opts.greeting.as_ref().filter(|_| greeting.0.floating) {
            // The bubble's part decides then whether this page and this day are for it
            // (`offered`): a page without a greeting loads nothing for it.
            let later = greeting.clone();
            platform::after(config.delay_ms, move || {
                if !later.0.done.get() {
                    later.0.offered.set(true);
                    later.mount_bubble();
                }
            });
        }
        greeting
    }

    /// The configured greeting, once its delay is over, if the visitor has neither opened
    /// the chat nor dismissed a greeting meanwhile (once: the bubble's part asks).
    pub fn take_offer(&self) -> Option<&GreetingOptions> {
        let offered = self.0.offered.replace(false);
        if offered && !self.0.done.get() && !self.0.open.get() {
            self.0.config.as_ref()
        } else {
            None
        }
    }

    /// The time the configured greeting was last shown (ms since the epoch), if kept.
    pub fn last_shown(&self) -> Option<f64> {
        values::get(&self.0.keeping.fresh(&self.0.key), "savedAt").as_f64()
    }

    /// Keeps that the configured greeting was shown now.
    pub fn remember(&self) {
        let at = js_sys::Object::new();
        values::set(&at, "savedAt", &JsValue::from_f64(platform::now_ms()));
        self.0
            .keeping
            .store_text(&self.0.key, &values::stringify(&at));
    }

    /// The launcher now on the page is the one in `host` (the launcher alone, then the
    /// widget's), and `open` opens the chat from it: a bubble the visitor has seen moves there.
    pub fn attach(&self, host: web_sys::Element, open: Rc<dyn Fn()>) {
        *self.0.launcher.borrow_mut() = Some((host, open));
        drop(self.0.bubble.borrow_mut().take());
        if self.0.used.get() {
            self.mount_bubble();
        }
    }

    fn host(&self) -> Option<web_sys::Element> {
        self.0
            .launcher
            .borrow()
            .as_ref()
            .map(|(host, _)| host.clone())
    }

    /// Mounts the bubble beside the launcher on the page, unless it is there or on its way.
    fn mount_bubble(&self) {
        if self.0.bubble.borrow().is_some() || self.0.mounting.get() {
            return;
        }
        if let (Some(show), Some(host)) = (SHOW_BUBBLE.get(), self.host()) {
            self.0.mounting.set(true);
            show(self, host);
        }
    }

    /// What [`ShowBubble`] mounted in `host` (`None`: nothing, the page or the day is not
    /// for the greeting, or its part could not load), kept until the launcher changes; a
    /// launcher that changed meanwhile gets one of its own.
    pub fn set_bubble(&self, host: &web_sys::Element, bubble: Option<Box<dyn Any>>) {
        self.0.mounting.set(false);
        let Some(bubble) = bubble else {
            return;
        };
        if self.host().as_ref() == Some(host) {
            *self.0.bubble.borrow_mut() = Some(bubble);
        } else {
            drop(bubble);
            self.mount_bubble();
        }
    }

    /// The page's nonce, if it gave one.
    pub fn nonce(&self) -> Option<&str> {
        self.0.nonce.as_deref()
    }

    /// Whether the bubble mounting now is to say the line (only the first one does).
    pub fn take_announcement(&self) -> bool {
        self.0.unsaid.replace(false)
    }

    /// The widget's words.
    pub fn strings(&self) -> &Strings {
        &self.0.strings
    }

    /// Whether a line is on screen, now (untracked).
    pub fn visible_now(&self) -> bool {
        self.0.visible.get_untracked()
    }

    /// Whether a line is on screen (tracked).
    pub fn visible(&self) -> bool {
        self.0.visible.get()
    }

    /// The line on screen, or `""` (tracked).
    pub fn line(&self) -> String {
        if self.visible() {
            self.0.text.borrow().clone()
        } else {
            String::new()
        }
    }

    fn hide(&self) {
        if self.0.visible.get_untracked() {
            self.0.visible.set(false);
        }
    }

    /// Shows `text` beside the launcher (not while the panel is open, nor in an inline
    /// widget).
    pub fn show(&self, text: String) {
        // (`pub` for the bubble's part, which shows the configured greeting.)
        if !self.0.floating || self.0.open.get() {
            return;
        }
        *self.0.text.borrow_mut() = text;
        // A new line while one shows: the flag flips so that the bubble reads it again.
        self.0.visible.set(false);
        self.0.visible.set(true);
        self.0.used.set(true);
        self.mount_bubble();
    }

    /// The visitor closed the greeting.
    pub fn dismiss(&self) {
        self.0.done.set(true);
        self.hide();
    }

    /// The visitor clicked the greeting: it goes, and the chat opens showing it
    /// ([`take_opened`](Self::take_opened)).
    pub fn open_from(&self) {
        self.0.done.set(true);
        if self.0.visible.get_untracked() {
            *self.0.opened.borrow_mut() = Some(self.0.text.borrow().clone());
        }
        self.hide();
        let open = self
            .0
            .launcher
            .borrow()
            .as_ref()
            .map(|(_, open)| open.clone());
        if let Some(open) = open {
            open();
        }
    }

    /// Focuses the launcher (the bubble was dismissed from the keyboard).
    pub fn focus_launcher(&self) {
        let button = self
            .0
            .launcher
            .borrow()
            .as_ref()
            .and_then(|(host, _)| host.shadow_root())
            .and_then(|root| root.query_selector(".cc-launcher").ok().flatten())
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(b) = button {
            let _ = b.focus();
        }
    }

    /// The line the chat was opened from, once.
    pub fn take_opened(&self) -> Option<String> {
        self.0.opened.borrow_mut().take()
    }

    /// The panel opened or closed: a greeting on screen goes as the panel opens.
    pub fn set_open(&self, open: bool) {
        self.0.open.set(open);
        if open {
            self.0.done.set(true);
            self.hide();
        }
    }

    /// The widget was destroyed: a widget mounted again with its key starts afresh.
    pub fn forget(&self) {
        GREETINGS.with_borrow_mut(|list| list.retain(|(_, g)| !Rc::ptr_eq(&g.0, &self.0)));
        self.0.done.set(true);
        self.hide();
        drop(self.0.bubble.borrow_mut().take());
        drop(self.0.launcher.borrow_mut().take());
    }
}

/// `CaptivateChat.greet(text)`: shows `text` beside the launcher of every floating widget on
/// the page whose panel is closed, now (whatever `greetingDelay`, `greetingPages` and
/// `greetingEvery` say: the page asked for it).
#[wasm_bindgen(js_name = greet)]
pub fn greet(text: String) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    // (Showing does not come back to the list: it is not borrowed again meanwhile.)
    GREETINGS.with_borrow(|list| {
        for (_, greeting) in list {
            greeting.show(text.to_owned());
        }
    });
}
