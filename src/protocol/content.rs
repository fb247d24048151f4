//! Message content items (`content[]` of bot and live-chat messages), decoded leniently:
//! every shape listed in PROTOCOL.md, and anything else kept as raw JSON so that a
//! renderer can still show something.

use serde_json::Value;

use super::json;

/// One button of a `buttons` item, from either documented shape.
#[derive(Debug, Clone, PartialEq)]
pub struct ButtonOption {
    /// What the button shows (`label`, `title` or `text`). Without one, a renderer shows
    /// the value's text, else the URL ([`parse`](ContentItem::parse) drops an option with
    /// none of the three).
    pub label: Option<String>,
    /// What a click sends back (`options[].value`), as given: text, or any other JSON
    /// value (a renderer writes it as JSON text: `2`, `true`, `{"a":1}`).
    pub value: Option<Value>,
    /// What a click opens (`buttons[].url`).
    pub url: Option<String>,
}

impl ButtonOption {
    /// What the button shows and what a click sends: the label (else the value's text, else
    /// the URL), and the value's text (else the label). A value that is not a string is
    /// written by `json_text` (in the widget, the engine's `JSON.stringify`).
    pub fn texts(&self, json_text: impl Fn(&Value) -> String) -> (String, String) {
        let value = self
            .value
            .as_ref()
            .map(|v| v.as_str().map_or_else(|| json_text(v), str::to_owned));
        let label = self
            .label
            .clone()
            .or_else(|| value.clone())
            .or_else(|| self.url.clone())
            .unwrap_or_default();
        let sent = value.unwrap_or_else(|| label.clone());
        (label, sent)
    }
}

/// A `button`/`buttons` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Buttons {
    pub title: Option<String>,
    pub options: Vec<ButtonOption>,
    /// The Captivate AI API's `{ title, action }` form: the button triggers this action.
    pub action: Option<Value>,
}

/// One card of a `cards` item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Card {
    pub text: Option<String>,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub link: Option<String>,
}

/// One file of a `files`/`file` item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileRef {
    /// `image`, `document`, `audio`, or a MIME type.
    pub kind: Option<String>,
    pub url: Option<String>,
    /// A MIME type, or (live chat) just `image`.
    pub mimetype: Option<String>,
    pub filename: Option<String>,
    pub size: Option<u64>,
    pub thumbnail: Option<String>,
}

/// One content item.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentItem {
    Text(String),
    Buttons(Buttons),
    Cards(Vec<Card>),
    Html(String),
    Markdown(String),
    /// An HTML table string.
    Table(String),
    Files {
        title: Option<String>,
        files: Vec<FileRef>,
    },
    /// Wait this long before showing the next item.
    Pause {
        time_ms: u64,
    },
    /// A type this decoder does not know (`custom`, `alert`, …), with the whole item.
    Unknown {
        kind: String,
        raw: Value,
    },
}

impl ContentItem {
    /// The item's `type` as the bot named it.
    pub fn kind(&self) -> &str {
        match self {
            ContentItem::Text(_) => "text",
            ContentItem::Buttons(_) => "buttons",
            ContentItem::Cards(_) => "cards",
            ContentItem::Html(_) => "html",
            ContentItem::Markdown(_) => "md",
            ContentItem::Table(_) => "table",
            ContentItem::Files { .. } => "files",
            ContentItem::Pause { .. } => "pause",
            ContentItem::Unknown { kind, .. } => kind,
        }
    }

    /// Decodes one item. Never fails: what it cannot read becomes `Unknown`.
    pub fn parse(item: &Value) -> ContentItem {
        let kind = match item {
            Value::String(s) => return ContentItem::Text(s.clone()),
            Value::Object(_) => json::string(item, "type").unwrap_or_default(),
            _ => {
                return ContentItem::Unknown {
                    kind: String::new(),
                    raw: item.clone(),
                }
            }
        };
        let parsed = match kind.as_str() {
            "text" => json::string(item, "text").map(ContentItem::Text),
            "button" | "buttons" => Some(ContentItem::Buttons(buttons(item))),
            "cards" | "card" => Some(ContentItem::Cards(cards(item))),
            "html" => nested_text(item, "html").map(ContentItem::Html),
            "md" | "markdown" => nested_text(item, "md")
                .or_else(|| nested_text(item, "markdown"))
                .map(ContentItem::Markdown),
            "table" => nested_text(item, "table")
                .or_else(|| nested_text(item, "html"))
                .map(ContentItem::Table),
            "files" | "file" => Some(files(item)),
            "pause" => Some(ContentItem::Pause {
                time_ms: json::unsigned(item, "time").unwrap_or(0),
            }),
            "" if item.get("text").is_some() => json::string(item, "text").map(ContentItem::Text),
            _ => None,
        };
        parsed.unwrap_or_else(|| ContentItem::Unknown {
            kind,
            raw: item.clone(),
        })
    }
}

/// Decodes a message's `content`: a list of items, one item, or a bare string.
pub fn parse_content(content: &Value) -> Vec<ContentItem> {
    match content {
        Value::Array(items) => items.iter().map(ContentItem::parse).collect(),
        Value::Null => Vec::new(),
        one => vec![ContentItem::parse(one)],
    }
}

/// `field` as a string, or `field.field` when it is an object (`{type, html}`).
fn nested_text(item: &Value, field: &str) -> Option<String> {
    match item.get(field)? {
        Value::Object(_) => json::string(&item[field], field),
        _ => json::string(item, field),
    }
}

fn buttons(item: &Value) -> Buttons {
    let holder = match item.get("buttons") {
        Some(b) if !b.is_null() => b,
        _ => item,
    };
    let (title, raw_options, action) = match holder {
        Value::Array(_) => (
            json::string(item, "title"),
            json::list(item, "buttons"),
            None,
        ),
        _ => {
            let mut opts = json::list(holder, "options");
            if opts.is_empty() {
                opts = json::list(holder, "buttons");
            }
            let action = holder.get("action").filter(|a| !a.is_null()).cloned();
            (
                json::string(holder, "title").or_else(|| json::string(item, "title")),
                opts,
                action,
            )
        }
    };
    let options = raw_options.into_iter().filter_map(button_option).collect();
    Buttons {
        title,
        options,
        action,
    }
}

fn button_option(v: &Value) -> Option<ButtonOption> {
    if let Value::String(s) = v {
        return Some(ButtonOption {
            label: Some(s.clone()),
            value: Some(v.clone()),
            url: None,
        });
    }
    let value = v.get("value").filter(|v| !v.is_null()).cloned();
    let url = json::string(v, "url").or_else(|| json::string(v, "link"));
    let label = json::string(v, "label")
        .or_else(|| json::string(v, "title"))
        .or_else(|| json::string(v, "text"));
    (label.is_some() || value.is_some() || url.is_some()).then_some(ButtonOption {
        label,
        value,
        url,
    })
}

fn cards(item: &Value) -> Vec<Card> {
    let list = match item.get("cards") {
        Some(Value::Array(_)) => json::list(item, "cards"),
        Some(obj @ Value::Object(_)) => json::list(obj, "cards"),
        _ => vec![item],
    };
    list.into_iter()
        .filter(|c| c.is_object())
        .map(|c| Card {
            text: json::string(c, "text").or_else(|| json::string(c, "title")),
            description: json::string(c, "description"),
            image_url: json::string(c, "image_url").or_else(|| json::string(c, "image")),
            link: json::string(c, "link").or_else(|| json::string(c, "url")),
        })
        .collect()
}

fn files(item: &Value) -> ContentItem {
    let (list, inner_title) = match item.get("files") {
        Some(obj @ Value::Object(_)) if obj.get("files").is_some() => {
            (json::list(obj, "files"), json::string(obj, "title"))
        }
        Some(_) => (json::list(item, "files"), None),
        None => (vec![item], None),
    };
    let files = list
        .into_iter()
        .filter(|f| f.is_object())
        .map(|f| FileRef {
            kind: json::string(f, "type").filter(|t| t != "file" && t != "files"),
            url: json::string(f, "url"),
            mimetype: json::string(f, "mimetype").or_else(|| json::string(f, "mimeType")),
            filename: json::string(f, "filename").or_else(|| json::string(f, "name")),
            size: json::unsigned(f, "size"),
            thumbnail: json::string(f, "thumbnail"),
        })
        .collect();
    ContentItem::Files {
        title: json::string(item, "title").or(inner_title),
        files,
    }
}
