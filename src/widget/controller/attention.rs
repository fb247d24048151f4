//! Calling the visitor back when the bot or an agent writes while they are elsewhere (the
//! panel closed, or the tab hidden): the page's title counts what they missed, `(2) Page
//! title`, until they are back with the panel open, and is then what it was; a short tone
//! (`sound`, which the visitor can mute from the panel); a system notification
//! (`notifications`, which asks the browser's permission only when the visitor turns them
//! on from the panel, never on load). The visitor's choices are kept with their chat.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationPermission};

use crate::client::values;
use crate::widget::controller::{Author, Controller};
use crate::widget::i18n::Text;
use crate::widget::storage;

type Handler = Closure<dyn FnMut(web_sys::Event)>;

/// What the widget needs to call the visitor back.
#[derive(Default)]
pub(in crate::widget) struct Attention {
    /// Bot and agent messages since the visitor went elsewhere.
    missed: Cell<usize>,
    /// The page's own title (as its `<title>` element holds it) and the one put in its
    /// place: a page that changes its title meanwhile has its new one restored.
    titles: RefCell<Option<(String, String)>>,
    /// Made at the visitor's first press in the widget: browsers let a page play sound only
    /// after one.
    audio: RefCell<Option<web_sys::AudioContext>>,
    /// Hears the tab come back into view.
    handler: RefCell<Option<Handler>>,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The page's title as its `<title>` holds it (`document.title` trims and folds spaces).
fn title(d: &web_sys::Document) -> String {
    match d.query_selector("title").ok().flatten() {
        Some(t) => t.text_content().unwrap_or_default(),
        None => d.title(),
    }
}

fn set_title(d: &web_sys::Document, text: &str) {
    match d.query_selector("title").ok().flatten() {
        Some(t) => t.set_text_content(Some(text)),
        None => d.set_title(text),
    }
}

impl Controller {
    /// The page's own title: what its `<title>` holds, or held before the widget put the
    /// count of missed messages in it.
    pub(in crate::widget) fn page_title(&self) -> String {
        let Some(d) = document() else {
            return String::new();
        };
        let now = title(&d);
        match &*self.0.attention.titles.borrow() {
            Some((own, ours)) if *ours == now => own.clone(),
            _ => now,
        }
    }

    /// Reads the visitor's kept choices and listens for the tab coming back into view.
    pub(in crate::widget) fn watch_attention(&self) {
        let options = &self.0.options;
        let prefs = self.0.keeping.fresh(&storage::prefs_key(&options.api_key));
        let chose = |key| values::get(&prefs, key).as_bool();
        let chat = self.0.chat;
        chat.sound_on
            .set(options.panel.sound && chose("sound").unwrap_or(true));
        chat.notify_on.set(
            options.panel.notifications
                && chose("notify") == Some(true)
                && Notification::permission() == NotificationPermission::Granted,
        );
        let weak = self.weak();
        let handler = Handler::new(move |_| {
            if let Some(this) = Controller::upgrade(&weak) {
                this.maybe_back();
            }
        });
        if let Some(d) = document() {
            let _ = d.add_event_listener_with_callback(
                "visibilitychange",
                handler.as_ref().unchecked_ref(),
            );
        }
        *self.0.attention.handler.borrow_mut() = Some(handler);
    }

    /// On `destroy()`: the title as it was, and no more listening.
    pub(in crate::widget) fn forget_attention(&self) {
        self.back();
        let handler = self.0.attention.handler.borrow_mut().take();
        if let (Some(h), Some(d)) = (handler, document()) {
            let _ = d.remove_event_listener_with_callback(
                "visibilitychange",
                h.as_ref().unchecked_ref(),
            );
        }
    }

    /// Whether the visitor sees the conversation: the panel open in a visible tab.
    fn is_here(&self) -> bool {
        self.0.chat.open.get_untracked() && !document().is_some_and(|d| d.hidden())
    }

    /// The panel opened or the tab came back: the visitor is back if both hold.
    pub(in crate::widget) fn maybe_back(&self) {
        if self.is_here() {
            self.back();
        }
    }

    /// The bot or an agent (`name`) wrote `line`; `loud`: heard on this tab's socket (what
    /// another tab heard first is counted here, and rung there).
    pub(in crate::widget) fn call_back(
        &self,
        author: Author,
        name: Option<&str>,
        line: &str,
        loud: bool,
    ) {
        if self.is_here() {
            return;
        }
        let attention = &self.0.attention;
        attention.missed.set(attention.missed.get() + 1);
        self.show_missed();
        if !loud {
            return;
        }
        if self.0.chat.sound_on.get_untracked() {
            self.chime();
        }
        if self.0.chat.notify_on.get_untracked() && document().is_some_and(|d| d.hidden()) {
            self.notify(author, name, line);
        }
    }

    fn show_missed(&self) {
        let Some(d) = document() else {
            return;
        };
        let attention = &self.0.attention;
        let now = title(&d);
        let own = match attention.titles.borrow().as_ref() {
            Some((own, set)) if *set == now => own.clone(),
            _ => now,
        };
        let set = ["(", &crate::text::count(attention.missed.get()), ") ", &own].concat();
        set_title(&d, &set);
        *attention.titles.borrow_mut() = Some((own, set));
    }

    /// The visitor is back: nothing missed, and the page's title as it was.
    fn back(&self) {
        let attention = &self.0.attention;
        attention.missed.set(0);
        let titles = attention.titles.borrow_mut().take();
        if let (Some((own, set)), Some(d)) = (titles, document()) {
            // A title the page set meanwhile is the page's.
            if title(&d) == set {
                set_title(&d, &own);
            }
        }
    }

    /// From a visitor's press in the widget: the audio context is made (or woken) now, so
    /// that the browser lets it play later.
    pub(in crate::widget) fn unlock_audio(&self) {
        if !self.0.chat.sound_on.get_untracked() {
            return;
        }
        let mut audio = self.0.attention.audio.borrow_mut();
        if audio.is_none() {
            *audio = web_sys::AudioContext::new().ok();
        }
        if let Some(context) = audio.as_ref() {
            let _ = context.resume();
        }
    }

    /// A short, quiet two-note chime made with Web Audio (no file to fetch).
    fn chime(&self) {
        let Some(context) = self.0.attention.audio.borrow().clone() else {
            return;
        };
        let (Ok(tone), Ok(volume)) = (context.create_oscillator(), context.create_gain()) else {
            return;
        };
        let at = context.current_time();
        let pitch = tone.frequency();
        let _ = pitch.set_value_at_time(880.0, at);
        let _ = pitch.set_value_at_time(1320.0, at + 0.1);
        let level = volume.gain();
        let _ = level.set_value_at_time(0.0001, at);
        let _ = level.exponential_ramp_to_value_at_time(0.12, at + 0.02);
        let _ = level.exponential_ramp_to_value_at_time(0.0001, at + 0.3);
        let _ = tone.connect_with_audio_node(&volume);
        let _ = volume.connect_with_audio_node(&context.destination());
        let _ = tone.start();
        let _ = tone.stop_with_when(at + 0.32);
    }

    /// A system notification naming who wrote; a click on it brings the visitor to the chat.
    fn notify(&self, author: Author, name: Option<&str>, line: &str) {
        if Notification::permission() != NotificationPermission::Granted {
            return;
        }
        let who = match (author, name) {
            (Author::Agent, Some(name)) => name.to_owned(),
            (Author::Agent, None) => self.0.strings.get(Text::Agent),
            _ => self
                .0
                .options
                .title
                .clone()
                .unwrap_or_else(|| self.0.strings.get(Text::Title)),
        };
        let options = web_sys::NotificationOptions::new();
        options.set_body(line);
        // One at a time: a newer one replaces the last.
        options.set_tag(&storage::prefs_key(&self.0.options.api_key));
        let Ok(shown) = Notification::new_with_options(&who, &options) else {
            return;
        };
        let weak = self.weak();
        let click = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.focus();
            }
            if let Some(this) = Controller::upgrade(&weak) {
                this.set_open(true);
            }
        });
        shown.set_onclick(Some(click.unchecked_ref()));
    }

    /// The visitor mutes or unmutes the chime (kept).
    pub fn set_sound(&self, on: bool) {
        self.0.chat.sound_on.set(on);
        if on {
            self.unlock_audio();
        }
        self.keep_choices();
    }

    /// The visitor turns notifications on (asking the browser's permission now, if it was
    /// never asked) or off (kept). Turned on where the browser refuses them, it says so.
    pub async fn set_notify(&self, on: bool) {
        let mut granted = Notification::permission() == NotificationPermission::Granted;
        if on && Notification::permission() == NotificationPermission::Default {
            if let Ok(asked) = Notification::request_permission() {
                granted = JsFuture::from(asked).await.ok().and_then(|p| p.as_string())
                    == Some("granted".to_owned());
            }
        }
        if on && !granted {
            self.0
                .chat
                .announcement
                .set(Some(self.0.strings.get(Text::NotificationsBlocked)));
        }
        self.0.chat.notify_on.set(on && granted);
        self.keep_choices();
    }

    fn keep_choices(&self) {
        let chat = self.0.chat;
        let choices = js_sys::Object::new();
        values::set(
            &choices,
            "sound",
            &JsValue::from_bool(chat.sound_on.get_untracked()),
        );
        values::set(
            &choices,
            "notify",
            &JsValue::from_bool(chat.notify_on.get_untracked()),
        );
        values::set(
            &choices,
            "savedAt",
            &JsValue::from_f64(crate::client::platform::now_ms()),
        );
        let _ = self.0.keeping.store_text(
            &storage::prefs_key(&self.0.options.api_key),
            &values::stringify(&choices),
        );
    }
}
