//! Message content items (`content[]` of bot and live-chat messages), decoded leniently:
//! every shape listed in PROTOCOL.md, and anything else kept as raw JSON so that a
//! renderer can still show something.

use serde_json::Value;

use super::JsonView;

/// One button of a `buttons` item, from either documented shape. The parts kept as given
/// are `R`: serde values ([`parse`](ContentItem::parse)), or what a [`JsonView`] keeps
/// ([`read`](ContentItem::read): in the browser, the engine's values).
#[derive(Debug, Clone, PartialEq)]
pub struct ButtonOption<R = Value> {
    /// What the button shows (`label`, `title` or `text`). Without one, a renderer shows
    /// the value's text, else the URL ([`parse`](ContentItem::parse) drops an option with
    /// none of the three).
    pub label: Option<String>,
    /// What a click sends back (`options[].value`), as given: text, or any other JSON
    /// value (a renderer writes it as JSON text: `2`, `true`, `{"a":1}`).
    pub value: Option<R>,
    /// What a click opens (`buttons[].url`).
    pub url: Option<String>,
}

impl<R> ButtonOption<R> {
    /// What the button shows and what a click sends: the label (else the value's text, else
    /// the URL), and the value's text (else the label). `value_text` writes the value: a
    /// string as it is, anything else as JSON text (in the widget, the engine's
    /// `JSON.stringify`).
    pub fn texts(&self, value_text: impl Fn(&R) -> String) -> (String, String) {
        let value = self.value.as_ref().map(value_text);
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
pub struct Buttons<R = Value> {
    pub title: Option<String>,
    pub options: Vec<ButtonOption<R>>,
    /// The Captivate AI API's `{ title, action }` form: the button triggers this action.
    pub action: Option<R>,
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

/// One content item (the parts kept as given are `R`, as in [`ButtonOption`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ContentItem<R = Value> {
    Text(String),
    Buttons(Buttons<R>),
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
        raw: R,
    },
}

impl<R> ContentItem<R> {
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

    /// [`parse`](ContentItem::parse) over any view of the parsed item (the widget reads the
    /// engine's objects as they are), keeping the parts it does not read as the view keeps
    /// them ([`JsonView::part`]).
    pub fn read<V: JsonView<Part = R>>(item: &V) -> ContentItem<R> {
        if let Some(s) = item.string() {
            return ContentItem::Text(s);
        }
        if !item.is_object() {
            return ContentItem::Unknown {
                kind: String::new(),
                raw: item.part(),
            };
        }
        let kind = item.field_text("type").unwrap_or_default();
        let parsed = match kind.as_str() {
            "text" => item.field_text("text").map(ContentItem::Text),
            "button" | "buttons" => Some(ContentItem::Buttons(buttons(item))),
            "cards" | "card" => Some(ContentItem::Cards(cards(item))),
            "html" => nested_text(item, "html").map(ContentItem::Html),
            "md" | "markdown" => nested_text(item, "md")
                .or_else(|| nested_text(item, "markdown"))
                .map(ContentItem::Markdown),
            "table" => nested_text(item, "table")
                .or_else(|| nested_text(item, "html"))
                .map(ContentItem::Table),
            "files" | "file" => Some(match item.field("files") {
                Some(list) => files_in(list, item.field_text("title")),
                None => files_of(vec![item.clone()], item.field_text("title")),
            }),
            "pause" => Some(ContentItem::Pause {
                time_ms: unsigned(item, "time").unwrap_or(0),
            }),
            "" if item.field("text").is_some() => item.field_text("text").map(ContentItem::Text),
            _ => None,
        };
        parsed.unwrap_or_else(|| ContentItem::Unknown {
            kind,
            raw: item.part(),
        })
    }

    /// The item with its kept parts made into other values (`f`), everything else as it is.
    pub fn map_parts<S>(self, f: impl Fn(R) -> S) -> ContentItem<S> {
        match self {
            ContentItem::Text(t) => ContentItem::Text(t),
            ContentItem::Buttons(b) => ContentItem::Buttons(Buttons {
                title: b.title,
                options: b
                    .options
                    .into_iter()
                    .map(|o| ButtonOption {
                        label: o.label,
                        value: o.value.map(&f),
                        url: o.url,
                    })
                    .collect(),
                action: b.action.map(&f),
            }),
            ContentItem::Cards(c) => ContentItem::Cards(c),
            ContentItem::Html(h) => ContentItem::Html(h),
            ContentItem::Markdown(m) => ContentItem::Markdown(m),
            ContentItem::Table(t) => ContentItem::Table(t),
            ContentItem::Files { title, files } => ContentItem::Files { title, files },
            ContentItem::Pause { time_ms } => ContentItem::Pause { time_ms },
            ContentItem::Unknown { kind, raw } => ContentItem::Unknown { kind, raw: f(raw) },
        }
    }
}

impl ContentItem {
    /// Decodes one item. Never fails: what it cannot read becomes `Unknown`.
    pub fn parse(item: &Value) -> ContentItem {
        ContentItem::read(&item)
    }
}

/// Decodes a message's `content`: a list of items, one item, or a bare string.
pub fn parse_content(content: &Value) -> Vec<ContentItem> {
    read_content(&content)
}

/// [`parse_content`] over any view of the parsed content.
pub fn read_content<V: JsonView>(content: &V) -> Vec<ContentItem<V::Part>> {
    as_list(content.clone())
        .iter()
        .map(ContentItem::read)
        .collect()
}

/// A value that should be a list: a single value is a one-item list, null an empty one.
fn as_list<V: JsonView>(v: V) -> Vec<V> {
    match v.items() {
        Some(items) => items,
        None if v.is_null() => Vec::new(),
        None => vec![v],
    }
}

/// A field that should be a list ([`as_list`]; absent: empty).
fn list<V: JsonView>(v: &V, key: &'static str) -> Vec<V> {
    v.field(key).map(as_list).unwrap_or_default()
}

/// An unsigned number field, accepting numeric strings.
fn unsigned<V: JsonView>(v: &V, key: &'static str) -> Option<u64> {
    let field = v.field(key)?;
    match field.number() {
        Some(n) => (n >= 0.0).then_some(n as u64),
        None => field.string()?.trim_ascii().parse().ok(),
    }
}

/// `field` as a string, or `field.field` when it is an object (`{type, html}`).
fn nested_text<V: JsonView>(item: &V, field: &'static str) -> Option<String> {
    let inner = item.field(field)?;
    if inner.is_object() {
        inner.field_text(field)
    } else {
        inner.lenient_string()
    }
}

fn buttons<V: JsonView>(item: &V) -> Buttons<V::Part> {
    let holder = item
        .field("buttons")
        .filter(|b| !b.is_null())
        .unwrap_or_else(|| item.clone());
    let (title, raw_options, action) = match holder.items() {
        Some(options) => (item.field_text("title"), options, None),
        None => {
            let mut opts = list(&holder, "options");
            if opts.is_empty() {
                opts = list(&holder, "buttons");
            }
            let action = holder
                .field("action")
                .filter(|a| !a.is_null())
                .map(|a| a.part());
            (
                holder
                    .field_text("title")
                    .or_else(|| item.field_text("title")),
                opts,
                action,
            )
        }
    };
    let options = raw_options.iter().filter_map(button_option).collect();
    Buttons {
        title,
        options,
        action,
    }
}

fn button_option<V: JsonView>(v: &V) -> Option<ButtonOption<V::Part>> {
    if let Some(s) = v.string() {
        return Some(ButtonOption {
            label: Some(s),
            value: Some(v.part()),
            url: None,
        });
    }
    let value = v.field("value").filter(|v| !v.is_null()).map(|v| v.part());
    let url = v.field_text("url").or_else(|| v.field_text("link"));
    let label = v
        .field_text("label")
        .or_else(|| v.field_text("title"))
        .or_else(|| v.field_text("text"));
    (label.is_some() || value.is_some() || url.is_some()).then_some(ButtonOption {
        label,
        value,
        url,
    })
}

fn cards<V: JsonView>(item: &V) -> Vec<Card> {
    let list = match item.field("cards") {
        Some(c) if c.is_object() => list(&c, "cards"),
        Some(c) => c.items().unwrap_or_else(|| vec![item.clone()]),
        None => vec![item.clone()],
    };
    list.iter()
        .filter(|c| c.is_object())
        .map(|c| Card {
            text: c.field_text("text").or_else(|| c.field_text("title")),
            description: c.field_text("description"),
            image_url: c.field_text("image_url").or_else(|| c.field_text("image")),
            link: c.field_text("link").or_else(|| c.field_text("url")),
        })
        .collect()
}

/// A `files` item from the value of its `files` field: a list (or one file), or an object
/// that holds the list and a title (`{files:{title, files:[…]}}`).
pub(crate) fn files_in<V: JsonView>(files: V, title: Option<String>) -> ContentItem<V::Part> {
    if files.is_object() {
        if let Some(inner) = files.field("files") {
            let inner_title = files.field_text("title");
            return files_of(as_list(inner), title.or(inner_title));
        }
    }
    files_of(as_list(files), title)
}

fn files_of<V: JsonView>(list: Vec<V>, title: Option<String>) -> ContentItem<V::Part> {
    let files = list
        .iter()
        .filter(|f| f.is_object())
        .map(|f| FileRef {
            kind: f.field_text("type").filter(|t| t != "file" && t != "files"),
            url: f.field_text("url"),
            mimetype: f
                .field_text("mimetype")
                .or_else(|| f.field_text("mimeType")),
            filename: f.field_text("filename").or_else(|| f.field_text("name")),
            size: unsigned(f, "size"),
            thumbnail: f.field_text("thumbnail"),
        })
        .collect();
    ContentItem::Files { title, files }
}
