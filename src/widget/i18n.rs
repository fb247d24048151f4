//! The widget's words: English, Spanish and Arabic (right-to-left), each overridable
//! through the `strings` init option. The texts are `src/widget/locales/<lang>.json`, one
//! file per language (English has every key; another language falls back to English for a
//! key it lacks), put beside the wasm by the build (`scripts/resources.mjs`: the texts of the
//! launcher and the greeting with the main part, every text with the widget's part), not in
//! it: wasm-split keeps every string of the module in the main part, the first load
//! (docs/size.md, "Resources beside the wasm"). The build checks each file's keys against
//! [`Text`]'s (tests/node/locales.test.mjs).

use wasm_bindgen::JsValue;

use super::resources::resource;
use crate::client::values;

macro_rules! texts {
    ($($variant:ident = $key:literal,)*) => {
        /// A text of the widget's interface, named by a variant (a misspelt one does not
        /// compile); its key names it in the tables below and in the `strings` option.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text { $($variant,)* }

        impl Text {
            const ALL: &'static [Text] = &[$(Text::$variant,)*];
            const KEYS: &'static [&'static str] = &[$($key,)*];

            /// The key of this text in the tables and in the `strings` option.
            pub const fn key(self) -> &'static str {
                Text::KEYS[self as usize]
            }
        }
    };
}

texts! {
    Title = "title",
    Open = "open",
    Close = "close",
    Placeholder = "placeholder",
    Send = "send",
    Attach = "attach",
    NewConversation = "new_conversation",
    Connecting = "connecting",
    Online = "online",
    Offline = "offline",
    Reconnecting = "reconnecting",
    Sending = "sending",
    Sent = "sent",
    Failed = "failed",
    Retry = "retry",
    ImageBlocked = "image_blocked",
    Typing = "typing",
    AgentJoined = "agent_joined",
    AgentLeft = "agent_left",
    NewMessages = "new_messages",
    Earlier = "earlier",
    Latest = "latest",
    Unsupported = "unsupported",
    You = "you",
    Bot = "bot",
    Agent = "agent",
    Error = "error",
    Uploading = "uploading",
    UploadFailed = "upload_failed",
    Unread = "unread",
    Download = "download",
    History = "history",
    Back = "back",
    Delete = "delete",
    Current = "current",
    NoHistory = "no_history",
    ConversationOf = "conversation_of",
    More = "more",
    Sound = "sound",
    Notifications = "notifications",
    NotificationsBlocked = "notifications_blocked",
    DownloadTranscript = "download_transcript",
    Dismiss = "dismiss",
    EndConversation = "end_conversation",
    EndConfirm = "end_confirm",
    EndYes = "end_yes",
    Cancel = "cancel",
    Ended = "ended",
    StartNew = "start_new",
    RateQuestion = "rate_question",
    RateScore = "rate_score",
    RateComment = "rate_comment",
    RateSend = "rate_send",
    RateThanks = "rate_thanks",
    PrechatIntro = "prechat_intro",
    PrechatName = "prechat_name",
    PrechatEmail = "prechat_email",
    PrechatOptional = "prechat_optional",
    PrechatSubmit = "prechat_submit",
    PrechatNameMissing = "prechat_name_missing",
    PrechatEmailMissing = "prechat_email_missing",
    PrechatEmailInvalid = "prechat_email_invalid",
    Helpful = "helpful",
    NotHelpful = "not_helpful",
    Copy = "copy",
    Copied = "copied",
    CopyFailed = "copy_failed",
    AskAboutThis = "ask_about_this",
    RateGood = "rate_good",
    RateBad = "rate_bad",
}

/// The strings of one widget.
#[derive(Debug, Clone)]
pub struct Strings {
    /// Each text, in `Text`'s order.
    texts: Vec<String>,
    /// Right-to-left layout.
    pub rtl: bool,
    pub lang: String,
}

impl Strings {
    /// The strings for a locale (`es`, `es-MX`, `ar`…; English otherwise) with overrides.
    pub fn new(locale: &str, overrides: &[(String, String)]) -> Strings {
        let lang = locale
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        // `{ en: { key: text }, es: … }`: the texts the parts loaded so far carry.
        let tables = resource("strings")
            .map(|json| values::parse_json(&json))
            .unwrap_or(JsValue::UNDEFINED);
        let table = if tables.is_object() {
            js_sys::Reflect::get(&tables, &JsValue::from_str(&lang)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        };
        let english = values::get(&tables, "en");
        let known = lang == "en" || table.is_object();
        // The page's words first (the last one given wins), then the locale's, then English.
        let texts = Text::ALL
            .iter()
            .map(|t| {
                let key = t.key();
                overrides
                    .iter()
                    .rev()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
                    .or_else(|| values::get(&table, key).as_string())
                    .or_else(|| values::get(&english, key).as_string())
                    .unwrap_or_else(|| key.to_owned())
            })
            .collect();
        let rtl = matches!(lang.as_str(), "ar" | "he" | "fa" | "ur");
        Strings {
            texts,
            rtl,
            lang: if known { lang } else { "en".into() },
        }
    }

    /// A text in this widget's language (or as the page overrode it).
    pub fn get(&self, text: Text) -> String {
        self.texts
            .get(text as usize)
            .cloned()
            .unwrap_or_else(|| text.key().to_owned())
    }

    /// A text with its `{name}`-style placeholders filled.
    pub fn fill(&self, text: Text, args: &[(&str, &str)]) -> String {
        crate::text::fill(&self.get(text), args)
    }
}

/// A past conversation's time (with the day), in the page's language.
pub(super) fn date_label(ms: f64) -> String {
    formatted(ms, Format::Date)
}

/// A message's time (hour and minute), in the page's language.
pub(super) fn time_label(ms: f64) -> String {
    formatted(ms, Format::Time)
}

/// How a time is shown: a message's (hour and minute), a past conversation's (with the day).
#[derive(Clone, Copy, PartialEq)]
enum Format {
    Time,
    Date,
}

thread_local! {
    /// The page's `Intl.DateTimeFormat`s, made once: `Date.prototype.toLocaleTimeString`
    /// makes one at every call (about 0.2 ms in Chromium: a fifth of the time a
    /// 1,000-message burst took to show).
    static FORMATS: std::cell::RefCell<Vec<(Format, js_sys::Function)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// A time (milliseconds since the epoch) in the page's language.
fn formatted(ms: f64, format: Format) -> String {
    let format_fn = FORMATS.with(|formats| {
        if let Some((_, f)) = formats.borrow().iter().find(|(k, _)| *k == format) {
            return f.clone();
        }
        let options: &[(&str, &str)] = match format {
            Format::Time => &[("hour", "2-digit"), ("minute", "2-digit")],
            Format::Date => &[
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
        };
        let opts = js_sys::Object::new();
        for (k, v) in options {
            let _ = js_sys::Reflect::set(&opts, &(*k).into(), &(*v).into());
        }
        // The bound `format` of a formatter for the page's default locale.
        let f = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &opts).format();
        formats.borrow_mut().push((format, f.clone()));
        f
    });
    format_fn
        .call1(
            &wasm_bindgen::JsValue::NULL,
            &wasm_bindgen::JsValue::from_f64(ms),
        )
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}
