//! The widget's words: English, Spanish and Arabic (right-to-left), each overridable
//! through the `strings` init option.

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
}

/// Keys and their English text.
const EN: &[(&str, &str)] = &[
    ("title", "Chat"),
    ("open", "Open chat"),
    ("close", "Close chat"),
    ("placeholder", "Type a message…"),
    ("send", "Send"),
    ("attach", "Attach a file"),
    ("new_conversation", "New conversation"),
    ("connecting", "Connecting…"),
    ("online", "Online"),
    ("offline", "Offline"),
    (
        "reconnecting",
        "Reconnecting… messages will be sent when the connection is back",
    ),
    ("sending", "Sending…"),
    ("sent", "Sent"),
    ("failed", "Not sent"),
    ("retry", "Retry"),
    ("image_blocked", "Show image from {host}"),
    ("typing", "Typing…"),
    ("agent_joined", "{name} joined the conversation"),
    ("agent_left", "{name} left the conversation"),
    ("new_messages", "New messages"),
    ("earlier", "Show earlier messages"),
    ("latest", "Latest messages"),
    ("unsupported", "This message cannot be shown here."),
    ("you", "You"),
    ("bot", "Bot"),
    ("agent", "Agent"),
    ("error", "Something went wrong"),
    ("uploading", "Uploading {name}…"),
    ("upload_failed", "Could not upload {name}"),
    ("unread", "{count} unread messages"),
    ("download", "Download {name}"),
    ("history", "Your conversations"),
    ("back", "Back to the conversation"),
    ("delete", "Delete"),
    ("current", "current"),
    ("no_history", "No conversations yet."),
    ("conversation_of", "Conversation of {date}"),
    ("more", "More options"),
    ("sound", "Sound"),
    ("notifications", "Notify me of new replies"),
    (
        "notifications_blocked",
        "Notifications are blocked for this site in the browser's settings",
    ),
    ("download_transcript", "Download the conversation"),
];

const ES: &[(&str, &str)] = &[
    ("title", "Chat"),
    ("open", "Abrir chat"),
    ("close", "Cerrar chat"),
    ("placeholder", "Escribe un mensaje…"),
    ("send", "Enviar"),
    ("attach", "Adjuntar un archivo"),
    ("new_conversation", "Nueva conversación"),
    ("connecting", "Conectando…"),
    ("online", "En línea"),
    ("offline", "Sin conexión"),
    (
        "reconnecting",
        "Reconectando… los mensajes se enviarán al volver la conexión",
    ),
    ("sending", "Enviando…"),
    ("sent", "Enviado"),
    ("failed", "No enviado"),
    ("retry", "Reintentar"),
    ("image_blocked", "Mostrar imagen de {host}"),
    ("typing", "Escribiendo…"),
    ("agent_joined", "{name} se unió a la conversación"),
    ("agent_left", "{name} salió de la conversación"),
    ("new_messages", "Mensajes nuevos"),
    ("earlier", "Ver mensajes anteriores"),
    ("latest", "Últimos mensajes"),
    ("unsupported", "Este mensaje no se puede mostrar aquí."),
    ("you", "Tú"),
    ("bot", "Bot"),
    ("agent", "Agente"),
    ("error", "Algo salió mal"),
    ("uploading", "Subiendo {name}…"),
    ("upload_failed", "No se pudo subir {name}"),
    ("unread", "{count} mensajes sin leer"),
    ("download", "Descargar {name}"),
    ("history", "Tus conversaciones"),
    ("back", "Volver a la conversación"),
    ("delete", "Eliminar"),
    ("current", "actual"),
    ("no_history", "Aún no hay conversaciones."),
    ("conversation_of", "Conversación del {date}"),
    ("more", "Más opciones"),
    ("sound", "Sonido"),
    ("notifications", "Avisarme de las respuestas nuevas"),
    (
        "notifications_blocked",
        "Las notificaciones de este sitio están bloqueadas en la configuración del navegador",
    ),
    ("download_transcript", "Descargar la conversación"),
];

const AR: &[(&str, &str)] = &[
    ("title", "محادثة"),
    ("open", "افتح المحادثة"),
    ("close", "أغلق المحادثة"),
    ("placeholder", "اكتب رسالة…"),
    ("send", "إرسال"),
    ("attach", "إرفاق ملف"),
    ("new_conversation", "محادثة جديدة"),
    ("connecting", "جارٍ الاتصال…"),
    ("online", "متصل"),
    ("offline", "غير متصل"),
    (
        "reconnecting",
        "جارٍ إعادة الاتصال… سترسل الرسائل عند عودة الاتصال",
    ),
    ("sending", "جارٍ الإرسال…"),
    ("sent", "أُرسلت"),
    ("failed", "لم تُرسل"),
    ("retry", "أعد المحاولة"),
    ("image_blocked", "عرض الصورة من {host}"),
    ("typing", "يكتب…"),
    ("agent_joined", "انضم {name} إلى المحادثة"),
    ("agent_left", "غادر {name} المحادثة"),
    ("new_messages", "رسائل جديدة"),
    ("earlier", "عرض الرسائل السابقة"),
    ("latest", "أحدث الرسائل"),
    ("unsupported", "لا يمكن عرض هذه الرسالة هنا."),
    ("you", "أنت"),
    ("bot", "روبوت"),
    ("agent", "موظف"),
    ("error", "حدث خطأ ما"),
    ("uploading", "جارٍ رفع {name}…"),
    ("upload_failed", "تعذّر رفع {name}"),
    ("unread", "{count} رسائل غير مقروءة"),
    ("download", "تنزيل {name}"),
    ("history", "محادثاتك"),
    ("back", "العودة إلى المحادثة"),
    ("delete", "حذف"),
    ("current", "الحالية"),
    ("no_history", "لا توجد محادثات بعد."),
    ("conversation_of", "محادثة {date}"),
    ("more", "خيارات أخرى"),
    ("sound", "الصوت"),
    ("notifications", "أعلمني بالردود الجديدة"),
    (
        "notifications_blocked",
        "الإشعارات محظورة لهذا الموقع في إعدادات المتصفح",
    ),
    ("download_transcript", "تنزيل المحادثة"),
];

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn is_text(key: &str) -> bool {
    let mut i = 0;
    while i < Text::ALL.len() {
        if same(Text::ALL[i].key(), key) {
            return true;
        }
        i += 1;
    }
    false
}

const fn has(table: &[(&str, &str)], key: &str) -> bool {
    let mut i = 0;
    while i < table.len() {
        if same(table[i].0, key) {
            return true;
        }
        i += 1;
    }
    false
}

/// Every key of `table` is a [`Text`]; with `complete`, every [`Text`] is in `table`.
const fn checked(table: &[(&str, &str)], complete: bool) -> bool {
    let mut i = 0;
    while i < table.len() {
        if !is_text(table[i].0) {
            return false;
        }
        i += 1;
    }
    let mut t = 0;
    while complete && t < Text::ALL.len() {
        if !has(table, Text::ALL[t].key()) {
            return false;
        }
        t += 1;
    }
    true
}

// A misspelt key in a table, or a text English lacks, fails the build (the others fall
// back to English).
const _: () = assert!(checked(EN, true) && checked(ES, false) && checked(AR, false));

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
        let (known, table) = match lang.as_str() {
            "es" => (true, ES),
            "ar" => (true, AR),
            _ => (lang == "en", EN),
        };
        let find = |t: &[(&str, &str)], key: &str| {
            t.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        };
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
                    .or_else(|| find(table, key))
                    .or_else(|| find(EN, key))
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
