//! The widget's words: English, Spanish and Arabic (right-to-left), each overridable
//! through the `strings` init option.

use std::collections::HashMap;

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
];

/// The strings of one widget.
#[derive(Debug, Clone)]
pub struct Strings {
    map: HashMap<String, String>,
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
        let table = match lang.as_str() {
            "es" => ES,
            "ar" => AR,
            _ => EN,
        };
        let mut map: HashMap<String, String> = EN
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        map.extend(
            table
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        map.extend(overrides.iter().cloned());
        let rtl = matches!(lang.as_str(), "ar" | "he" | "fa" | "ur");
        Strings {
            map,
            rtl,
            lang: if table.as_ptr() == EN.as_ptr() && lang != "en" {
                "en".into()
            } else {
                lang
            },
        }
    }

    /// The text for `key` (the key itself when unknown).
    pub fn get(&self, key: &str) -> String {
        self.map.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with `{name}`-style placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}
