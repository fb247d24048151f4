//! The widget's words in its 21 languages (docs/widget.md, "Languages"), each overridable
//! through the `strings` init option. The texts are `src/widget/locales/<lang>.json`, one
//! file per language, put beside the wasm by the build (`scripts/resources.mjs`), not in it:
//! wasm-split keeps every string of the module in the main part, the first load (docs/size.md,
//! "Resources beside the wasm"). English's come with the parts (the launcher's and the
//! greeting's with the main part, every text with the widget's part); another language's are
//! a file the embed loader chooses and fetches, passed in as the option `texts`. The build
//! checks each file's keys against [`Text`]'s (tests/node/locales.test.mjs).

use wasm_bindgen::JsValue;

use super::options::text_entries;
use super::resources::{plural, resource};
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
    Emoji = "emoji",
    EmojiSearch = "emoji_search",
    EmojiLoading = "emoji_loading",
    EmojiFailed = "emoji_failed",
    EmojiNone = "emoji_none",
    EmojiSmileys = "emoji_smileys",
    EmojiPeople = "emoji_people",
    EmojiAnimals = "emoji_animals",
    EmojiFood = "emoji_food",
    EmojiActivities = "emoji_activities",
    EmojiTravel = "emoji_travel",
    EmojiObjects = "emoji_objects",
    EmojiSymbols = "emoji_symbols",
}

/// The strings of one widget.
#[derive(Debug, Clone)]
pub struct Strings {
    /// Each text, in `Text`'s order.
    texts: Vec<String>,
    /// The language's texts and English's, flat: the plural forms (`unread.one`,
    /// `unread.few`…) of a text with a count.
    language: Vec<(String, String)>,
    english: Vec<(String, String)>,
    /// Right-to-left layout.
    pub rtl: bool,
    /// The language, as the embed loader chose it (`es`, `zh-TW`).
    pub lang: String,
}

/// The last text `list` gives `key`.
fn find(list: &[(String, String)], key: &str) -> Option<String> {
    list.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

impl Strings {
    /// The strings of the language `locale` names (the embed loader chose it and fetched its
    /// `texts`: `locale` if the page gave one, else the visitor's first language the widget
    /// has), with the page's `overrides`; English for a text the language lacks, and for
    /// every text when there are none (its file could not load).
    pub fn new(
        locale: &str,
        overrides: &[(String, String)],
        texts: Vec<(String, String)>,
    ) -> Strings {
        let lang = if texts.is_empty() || locale.is_empty() {
            "en"
        } else {
            locale
        };
        // English's texts (`{ key: text, "unread.one": … }`): the launcher's from the main
        // part, all of them once the widget's part has loaded.
        let english = text_entries(
            &resource("strings")
                .map(|json| values::parse_json(&json))
                .unwrap_or(JsValue::UNDEFINED),
        );
        // The page's words first (the last one given wins), then the language's, then English.
        let all = Text::ALL
            .iter()
            .map(|t| {
                let key = t.key();
                find(overrides, key)
                    .or_else(|| find(&texts, key))
                    .or_else(|| find(&english, key))
                    .unwrap_or_else(|| key.to_owned())
            })
            .collect();
        Strings {
            texts: all,
            language: texts,
            english,
            // The languages the loader picks from (its `zh-TW`, `pt`…): two letters, then a
            // region for Chinese only.
            rtl: matches!(lang, "ar" | "he" | "fa" | "ur"),
            lang: lang.to_owned(),
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

    /// A text with a count (`{count}`), in the plural form the language's rules
    /// (`Intl.PluralRules`) give `n` (`unread.one`, `unread.few`…; else `unread.other`); the
    /// page's own text for the key if it gave one.
    pub fn count(&self, text: Text, n: usize) -> String {
        let key = text.key();
        // The language has every form its rules give (the build checks); English, for a text
        // the language lacks, may not (`few`): then its `other`.
        let form = [key, ".", &plural(&self.lang, n as f64)].concat();
        // A counted text is only its forms (the build checks): one under its own key is the
        // page's, which wins.
        let own = self.get(text);
        let template = if own != key {
            own
        } else {
            find(&self.language, &form)
                .or_else(|| find(&self.english, &form))
                .or_else(|| find(&self.english, &[key, ".other"].concat()))
                .unwrap_or(own)
        };
        crate::text::fill(&template, &[("count", &crate::text::count(n))])
    }

    /// A past conversation's time (with the day), in the widget's language.
    pub fn date(&self, ms: f64) -> String {
        formatted(&self.lang, ms, Format::Date)
    }

    /// A message's time (hour and minute), in the widget's language.
    pub fn time(&self, ms: f64) -> String {
        formatted(&self.lang, ms, Format::Time)
    }
}

/// How a time is shown: a message's (hour and minute), a past conversation's (with the day).
#[derive(Clone, Copy, PartialEq)]
enum Format {
    Time,
    Date,
}

thread_local! {
    /// The widget's `Intl.DateTimeFormat`s, one per language and format, made once:
    /// `Date.prototype.toLocaleTimeString` makes one at every call (about 0.2 ms in Chromium:
    /// a fifth of the time a 1,000-message burst took to show).
    static FORMATS: std::cell::RefCell<Vec<(String, Format, js_sys::Function)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// A time (milliseconds since the epoch) in `lang`.
fn formatted(lang: &str, ms: f64, format: Format) -> String {
    let format_fn = FORMATS.with(|formats| {
        if let Some((_, _, f)) = formats
            .borrow()
            .iter()
            .find(|(l, k, _)| *k == format && l == lang)
        {
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
        // The bound `format` of a formatter for the widget's language.
        let f =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&lang.into()), &opts).format();
        formats
            .borrow_mut()
            .push((lang.to_owned(), format, f.clone()));
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
