//! `init({...})` options (also what the embed script reads from `data-*` attributes),
//! with their defaults in one place.

use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};

use crate::client::values::{self, get};
use crate::client::Endpoints;

/// Where the launcher sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Right,
    Left,
}

/// Colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows `prefers-color-scheme`.
    Auto,
}

/// Where a widget keeps the visitor's id and chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    Local,
    Session,
    None,
}

/// Everything a page can set.
#[derive(Debug, Clone)]
pub struct WidgetOptions {
    pub api_key: String,
    pub endpoints: Endpoints,
    /// The visitor's id; an anonymous id kept in localStorage when absent.
    pub user_id: Option<String>,
    pub bot_first: bool,
    pub title: Option<String>,
    pub position: Position,
    pub theme: Theme,
    /// A CSS colour (`#rgb`, `#rrggbb`, `rgb(…)`), validated.
    pub accent: Option<String>,
    pub locale: String,
    pub open: bool,
    /// Open the socket when the page loads (`connect: "eager"`), not only when it is needed:
    /// the panel opens, a message is sent, or a stored conversation is to be resumed.
    pub connect_eagerly: bool,
    /// Where the visitor's id and chat are kept (`storage`: `local`, `session`, `none`).
    pub storage: StorageKind,
    /// Days after which what was kept is forgotten (`maxAge`, 30 by default).
    pub max_age_days: f64,
    /// Nonce for the `<style>` fallback where constructable stylesheets are missing.
    pub nonce: Option<String>,
    pub strings: Vec<(String, String)>,
    /// The texts of the widget's language (`locale`), which the embed loader fetched (its
    /// file beside the wasm) and passes as `texts`: `{ key: text, "unread.one": … }`.
    pub texts: Vec<(String, String)>,
    /// `{ type: (item) => Node | string }` for custom content types.
    pub renderers: JsValue,
    /// What the panel alone reads, which the widget's part reads from the options (`with_panel`).
    pub panel: PanelOptions,
    /// A proactive greeting beside the launcher (`greeting` and its `greeting*` options).
    pub greeting: Option<GreetingOptions>,
    /// An element to mount into instead of a floating launcher (inline mode).
    pub container: Option<web_sys::Element>,
    /// The launcher this widget takes the place of (set by the embed loader): the widget's
    /// host goes where it is, so that widgets keep their order on the page.
    pub replaces: Option<web_sys::Element>,
}

/// The options only the panel reads. The widget's part reads them (`WidgetOptions::with_panel`,
/// from `mount`), so that their code stays out of the first load, which the launcher's main
/// part is (docs/size.md); the launcher's `WidgetOptions` has them at their defaults (off).
#[derive(Debug, Clone, Default)]
pub struct PanelOptions {
    /// More hosts bot and agent markup may load images from without a click (`imageHosts`:
    /// a list, or text with commas or spaces; `*` for any).
    pub image_hosts: Vec<String>,
    /// A chime when the bot or an agent writes while the visitor is elsewhere (`sound`).
    pub sound: bool,
    /// System notifications the visitor may turn on from the panel (`notifications`).
    pub notifications: bool,
    /// Who the visitor is, as the page knows it (`user: { name, email }`; `data-user-name`,
    /// `data-user-email`): sent as a new conversation's `userBasicInfo`.
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    /// What the pre-chat form asks for (`prechat`: `name`, `email`), and which of them must be
    /// filled (`prechatRequired`: a list, or `true` for all).
    pub prechat: Vec<String>,
    pub prechat_required: Vec<String>,
    /// Ask the visitor to rate a conversation that ended (`rating`: `true`, 1 to 5 stars;
    /// `thumbs`, 👎 or 👍).
    pub rating: bool,
    pub rating_thumbs: bool,
    /// Thumbs up and down under each bot message (`feedback`): `controller::feedback`.
    pub feedback: bool,
    /// A button copying a bot or agent message's text (`copy`).
    pub copy: bool,
    /// The page's address and title in the conversation's metadata (`pageContext`):
    /// `controller::context`.
    pub page_context: bool,
    /// "Ask about this" beside text the visitor selects on the page (`askAboutSelection`):
    /// `ui::selection`.
    pub ask_about_selection: bool,
    /// An emoji picker in the composer (`emoji`): `ui::emoji`; its table for the widget's
    /// language, which the embed loader names (`emojiUrl`, a file beside the parts).
    pub emoji: bool,
    pub emoji_url: Option<String>,
}

/// The proactive greeting: a short line beside the launcher, shown once in a while.
#[derive(Debug, Clone, PartialEq)]
pub struct GreetingOptions {
    pub text: String,
    /// After how long on the page (`greetingDelay`, seconds; 5 by default).
    pub delay_ms: f64,
    /// Only on pages whose path matches one of these (`greetingPages`; `*` for any text):
    /// every page when empty.
    pub pages: Vec<String>,
    /// Not again for this many days once shown (`greetingEvery`, 1 by default; 0: on every
    /// page).
    pub every_days: f64,
}

fn string(o: &JsValue, key: &'static str) -> Option<String> {
    text_of(&get(o, key))
}

/// An object's texts (`strings`, `texts`): its keys with a text (a string or a number) as
/// their value, in its order; nothing from anything but an object.
pub fn text_entries(v: &JsValue) -> Vec<(String, String)> {
    if !v.is_object() {
        return Vec::new();
    }
    Object::keys(&Object::from(v.clone()))
        .iter()
        .filter_map(|k| k.as_string())
        .filter_map(|key| {
            let value = js_sys::Reflect::get(v, &JsValue::from_str(&key)).ok()?;
            Some((key, text_of(&value)?))
        })
        .collect()
}

/// A string option's value: a string or a number, trimmed; `None` when empty.
fn text_of(v: &JsValue) -> Option<String> {
    v.as_string()
        .or_else(|| v.as_f64().map(values::number_text))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// `Number(value)` of a number option (a data attribute is text; no float parser here), if
/// it is a number at or above 0.
fn amount(o: &JsValue, key: &'static str) -> Option<f64> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() || v.as_string().is_some_and(|s| s.trim().is_empty()) {
        return None;
    }
    Some(v.unchecked_into_f64()).filter(|n| n.is_finite() && *n >= 0.0)
}

/// A list option (`imageHosts`, `greetingPages`): a list, or text with commas or spaces (a
/// data attribute).
fn list(o: &JsValue, key: &'static str) -> Vec<String> {
    let given = get(o, key);
    let mut text = given.as_string().unwrap_or_default();
    if js_sys::Array::is_array(&given) {
        for host in js_sys::Array::from(&given)
            .iter()
            .filter_map(|h| h.as_string())
        {
            text.extend([&host, " "]);
        }
    }
    text.split([',', ' '])
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The pre-chat form's fields among `given` (`name`, `email`; others are not asked), once each,
/// in that order.
fn fields(given: Vec<String>) -> Vec<String> {
    ["name", "email"]
        .into_iter()
        .filter(|f| given.iter().any(|g| g.eq_ignore_ascii_case(f)))
        .map(str::to_owned)
        .collect()
}

fn boolean(o: &JsValue, key: &'static str) -> Option<bool> {
    let v = get(o, key);
    v.as_bool().or_else(|| {
        v.as_string()
            .map(|s| matches!(s.trim(), "" | "true" | "1" | "yes" | "open"))
    })
}

/// Accepts `#abc`, `#aabbcc`, `#aabbccdd`, `rgb(…)`/`rgba(…)`/`hsl(…)` with digits, commas, dots, %, spaces.
pub fn valid_colour(c: &str) -> bool {
    let c = c.trim();
    if let Some(hex) = c.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let inner = ["rgb(", "rgba(", "hsl(", "hsla("]
        .iter()
        .find_map(|p| c.strip_prefix(p))
        .and_then(|r| r.strip_suffix(')'));
    inner.is_some_and(|i| {
        !i.is_empty()
            && i.bytes().all(|b| {
                b.is_ascii_digit() || b" ,.%/".contains(&b) || b == b'd' || b == b'e' || b == b'g'
            })
    })
}

/// Options the widget cannot start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsError {
    /// No `apiKey` (nor `data-api-key` on the script tag).
    MissingApiKey,
}

impl OptionsError {
    /// What the page is told (without core::fmt, like every message the wasm writes).
    pub fn message(&self) -> &'static str {
        match self {
            OptionsError::MissingApiKey => {
                "CaptivateChat.init: `apiKey` (data-api-key) is required"
            }
        }
    }
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for OptionsError {}

impl WidgetOptions {
    /// The same with the panel's options read from `o` too (the widget's part).
    pub fn with_panel(mut self, o: &JsValue) -> WidgetOptions {
        let thumbs = string(o, "rating").as_deref() == Some("thumbs");
        self.panel = PanelOptions {
            image_hosts: list(o, "imageHosts"),
            sound: boolean(o, "sound").unwrap_or(false),
            notifications: boolean(o, "notifications").unwrap_or(false),
            user_name: text_of(&get(&get(o, "user"), "name")).or_else(|| string(o, "userName")),
            user_email: text_of(&get(&get(o, "user"), "email")).or_else(|| string(o, "userEmail")),
            prechat: fields(list(o, "prechat")),
            // `true` (or the attribute alone): every field asked; else the fields named.
            prechat_required: match boolean(o, "prechatRequired") {
                Some(true) => fields(list(o, "prechat")),
                _ => fields(list(o, "prechatRequired")),
            },
            rating: boolean(o, "rating").unwrap_or(false) || thumbs,
            rating_thumbs: thumbs,
            feedback: boolean(o, "feedback").unwrap_or(false),
            copy: boolean(o, "copy").unwrap_or(false),
            page_context: boolean(o, "pageContext").unwrap_or(false),
            ask_about_selection: boolean(o, "askAboutSelection").unwrap_or(false),
            emoji: boolean(o, "emoji").unwrap_or(false),
            emoji_url: string(o, "emojiUrl"),
        };
        self
    }

    /// Reads an options object (the panel's at their defaults: `with_panel`); `apiKey` is
    /// required.
    pub fn from_js(o: &JsValue) -> Result<WidgetOptions, OptionsError> {
        let api_key = string(o, "apiKey").ok_or(OptionsError::MissingApiKey)?;
        let mode = string(o, "mode").unwrap_or_else(|| "prod".into());
        let endpoints = match string(o, "baseUrl") {
            Some(base) => Endpoints::single_origin(&base),
            None => Endpoints::preset(&mode),
        }
        .with_overrides(
            string(o, "socketUrl"),
            string(o, "apiUrl"),
            string(o, "fileUrl"),
        );
        let start = string(o, "start").or_else(|| string(o, "autoConversationStart"));
        Ok(WidgetOptions {
            api_key,
            endpoints,
            user_id: string(o, "userId"),
            bot_first: start.as_deref() != Some("user-first"),
            title: string(o, "title"),
            position: if string(o, "position").as_deref() == Some("left") {
                Position::Left
            } else {
                Position::Right
            },
            theme: match string(o, "theme").as_deref() {
                Some("dark") => Theme::Dark,
                Some("auto") => Theme::Auto,
                _ => Theme::Light,
            },
            accent: string(o, "accent").filter(|c| valid_colour(c)),
            locale: string(o, "locale").unwrap_or_default(),
            open: boolean(o, "open").unwrap_or(false),
            connect_eagerly: string(o, "connect").as_deref() == Some("eager"),
            storage: match string(o, "storage").as_deref() {
                Some("session") => StorageKind::Session,
                Some("none") => StorageKind::None,
                _ => StorageKind::Local,
            },
            // `Number(maxAge)` in the engine (a data attribute is text; no float parser here).
            max_age_days: Some(get(o, "maxAge").unchecked_into_f64())
                .filter(|d| d.is_finite() && *d > 0.0)
                .unwrap_or(30.0),
            nonce: string(o, "nonce"),
            strings: text_entries(&get(o, "strings")),
            texts: text_entries(&get(o, "texts")),
            renderers: get(o, "renderers"),
            panel: PanelOptions::default(),
            greeting: string(o, "greeting").map(|text| GreetingOptions {
                text,
                delay_ms: amount(o, "greetingDelay").unwrap_or(5.0) * 1000.0,
                pages: list(o, "greetingPages"),
                every_days: amount(o, "greetingEvery").unwrap_or(1.0),
            }),
            container: get(o, "container").dyn_into::<web_sys::Element>().ok(),
            replaces: get(o, "replaces").dyn_into::<web_sys::Element>().ok(),
        })
    }
}

/// Where bot and agent markup may load images from at once; an image from anywhere else
/// shows as a button (`cc-img-hold`) the visitor clicks to load it ([`reveal`]). Images of
/// the page's own origin are fetched without the visitor's cookies
/// (`render::sanitize::image`).
#[derive(Debug, Clone, Default)]
pub struct Images {
    /// Origins (`https://cdn.example.com`), hosts, or `*` for any.
    pub allowed: Vec<String>,
    /// The page's own origin (`""`: none known).
    pub own: String,
    /// The button's text, with `{host}` for the image's host.
    pub label: String,
}

impl Images {
    /// The hold button's text for an image at `src`.
    pub fn label_for(&self, src: &str) -> String {
        let host = web_sys::Url::new(src).map(|u| u.host()).unwrap_or_default();
        crate::text::fill(&self.label, &[("host", &host)])
    }

    /// Whether `href` is of the page's own origin (an `<img>` would send the visitor's
    /// cookies for the site along).
    pub fn is_own(&self, href: &str) -> bool {
        !self.own.is_empty()
            && crate::client::platform::origin_of(href).as_deref() == Some(self.own.as_str())
    }

    /// Whether the image at `href` (an allowed image URL) may load without a click.
    pub fn at_once(&self, href: &str) -> bool {
        match web_sys::Url::new(href) {
            // `data:` rasters (already checked) have an opaque origin: nothing to ask.
            Ok(url) if url.protocol() == "data:" => true,
            Ok(url) => crate::policy::image_origin_allowed(&url.origin(), &self.allowed),
            Err(_) => false,
        }
    }
}
