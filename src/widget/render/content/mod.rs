//! One message and every content type it can hold: text (linkified), markdown (its own
//! module), sanitized HTML, buttons, cards, files, images, audio, custom types.
//!
//! A message does not change once shown (the list renders it again when its delivery state
//! changes, and markdown replaces its source once rendered), so its nodes are built once, by
//! plain DOM calls in one directive, like the sanitizer's: a view type per shape of content
//! made tachys's renderer generic copies of its own (docs/size.md, rule 7). Its
//! buttons have no handler each: the list has one for them all ([`clicked`]).

mod tools;
use std::sync::Arc;

use js_sys::Reflect;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Node};

use crate::client::platform;
use crate::client::values::{self, JsPart};
use crate::policy::{linkify, Segment};
use crate::protocol::{Card, FileRef, JsonView};
use crate::widget::controller::{Author, Controller, Msg, SendState};
use crate::widget::i18n::Text;
use crate::widget::kit::{controller, localized, ControllerRef};
use crate::widget::model::{ButtonOption, ContentItem};
use crate::widget::options::Images;
use crate::widget::render::markdown;
use crate::widget::render::sanitize::{self, UrlUse};

/// What a choice button sends (a string), set on the button.
const VALUE: &str = "ccValue";
/// What an action button sends (the bot's action), set on the button.
const ACTION: &str = "ccAction";
/// Which message a retry button sends again (its key), set on the button.
const KEY: &str = "ccKey";

/// What every message of a list is built with (made once per list, shared by its messages).
#[derive(Clone)]
pub(in crate::widget) struct Shared {
    /// Where images may load from at once.
    pub(in crate::widget) images: Arc<Images>,
    /// Keeps the list at its end while the visitor is there, when content grows after it
    /// was shown (markdown once its module has loaded). A plain closure: a `Callback` is a
    /// reactive stored value, another copy of the storage code in the wasm.
    pub(in crate::widget) follow_end: Arc<dyn Fn() + Send + Sync>,
}

/// One message of the list.
pub(in crate::widget) fn message(ctl: ControllerRef, msg: Msg, shared: &Shared) -> impl IntoView {
    let built = MessageInput {
        ctl,
        msg,
        shared: shared.clone(),
    };
    view! { <div use:build_message=built></div> }
}

/// What a message's nodes are built from.
#[derive(Clone)]
struct MessageInput {
    ctl: ControllerRef,
    msg: Msg,
    shared: Shared,
}

fn build_message(el: Element, b: MessageInput) {
    if let Some(doc) = el.owner_document() {
        let _ = fill_message(&NodeMaker(doc), &el, &b);
    }
}

/// Builds elements (each call one, at the end of its parent). `None`: the document refused
/// to make one (it does not, for these names); the message then shows what was built.
struct NodeMaker(Document);

impl NodeMaker {
    /// A new `<tag class=class>` (no class when empty), not yet in the document.
    fn make(&self, tag: &str, class: &str) -> Option<Element> {
        let el = self.0.create_element(tag).ok()?;
        if !class.is_empty() {
            el.set_class_name(class);
        }
        Some(el)
    }

    /// A new `<tag class=class>` at the end of `parent`.
    fn add(&self, parent: &Node, tag: &str, class: &str) -> Option<Element> {
        let el = self.make(tag, class)?;
        parent.append_child(&el).ok()?;
        Some(el)
    }

    /// The same, holding `text`.
    fn add_text(&self, parent: &Node, tag: &str, class: &str, text: &str) -> Option<Element> {
        let el = self.add(parent, tag, class)?;
        el.set_text_content(Some(text));
        Some(el)
    }

    /// A link (an allowed URL) that opens in a new tab, without opener or referrer.
    fn add_link(&self, parent: &Node, class: &str, href: &str) -> Option<Element> {
        let a = self.add(parent, "a", class)?;
        a.set_attribute("href", href).ok()?;
        sanitize::harden_link(&a);
        Some(a)
    }

    /// Sanitized markup in a `<div class=class>`.
    fn rich(&self, html: &str, class: &str, images: &Images) -> Option<Element> {
        let div = self.make("div", class)?;
        div.append_child(&sanitize::fragment(&self.0, html, images))
            .ok()?;
        Some(div)
    }

    /// The same at the end of `parent`.
    fn add_rich(&self, parent: &Node, html: &str, class: &str, images: &Images) -> Option<()> {
        let div = self.rich(html, class, images)?;
        parent.append_child(&div).ok()?;
        Some(())
    }
}

/// Sets attributes of an element.
fn set_attrs(el: &Element, attrs: &[(&str, &str)]) -> Option<()> {
    for (name, value) in attrs {
        el.set_attribute(name, value).ok()?;
    }
    Some(())
}

fn fill_message(d: &NodeMaker, el: &Element, b: &MessageInput) -> Option<()> {
    let (ctl, msg) = (b.ctl, &b.msg);
    el.set_class_name(match msg.author {
        Author::User => "cc-msg cc-user",
        Author::Bot => "cc-msg cc-bot",
        Author::Agent => "cc-msg cc-agent",
        Author::System => "cc-msg cc-system",
    });
    let who = match msg.author {
        Author::Agent => Some(
            msg.name
                .clone()
                .unwrap_or_else(|| localized(ctl, Text::Agent)),
        ),
        Author::Bot => Some(localized(ctl, Text::Bot)),
        Author::User | Author::System => None,
    };
    if let Some(who) = who {
        d.add_text(el, "span", "cc-who", &who)?;
    }
    let bubble = d.add(el, "div", "cc-bubble")?;
    // A message goes the way its own text does, not the widget's: an English answer in an
    // Arabic widget reads left to right, its full stop at its end (HTML's `dir="auto"`: the
    // first letter with a direction decides, for the bubble and what it holds).
    set_attrs(&bubble, &[("dir", "auto")])?;
    for item in msg.items.iter() {
        let _ = item_nodes(d, b, &bubble, item);
    }
    let meta = d.add(el, "div", "cc-meta")?;
    d.add_text(&meta, "time", "", &controller(ctl).strings().time(msg.time))?;
    let _ = tools::answer_tools(d, ctl, msg, &meta);
    let (class, text) = match msg.state {
        None => return Some(()),
        Some(SendState::Sending) => ("cc-state", Text::Sending),
        Some(SendState::Sent) => ("cc-state", Text::Sent),
        Some(SendState::Failed) => ("cc-state cc-failed", Text::Failed),
    };
    d.add_text(&meta, "span", class, &localized(ctl, text))?;
    if msg.state == Some(SendState::Failed) {
        let retry = d.add_text(&meta, "button", "cc-retry", &localized(ctl, Text::Retry))?;
        // Keys count up from 1: exact as a JS number.
        values::set(&retry, KEY, &JsValue::from_f64(msg.key as f64));
    }
    Some(())
}

/// Plain text, its links made links.
fn text_nodes(d: &NodeMaker, parent: &Node, text: &str) -> Option<()> {
    let p = d.add(parent, "p", "cc-text")?;
    for segment in linkify(text) {
        match segment {
            Segment::Text(t) => p.append_with_str_1(&t).ok()?,
            Segment::Link { href, label } => match sanitize::safe_url(&href, UrlUse::Link) {
                Some(href) => {
                    d.add_link(&p, "", &href)?.set_text_content(Some(&label));
                }
                None => p.append_with_str_1(&label).ok()?,
            },
        }
    }
    Some(())
}

fn item_nodes(d: &NodeMaker, b: &MessageInput, parent: &Node, item: &ContentItem) -> Option<()> {
    match item {
        ContentItem::Text(text) => text_nodes(d, parent, text)?,
        ContentItem::Markdown(md) => markdown_nodes(d, b, parent, md)?,
        ContentItem::Html(h) => d.add_rich(parent, h, "cc-rich cc-html", &b.shared.images)?,
        ContentItem::Table(h) => d.add_rich(parent, h, "cc-rich cc-table", &b.shared.images)?,
        ContentItem::Buttons(buttons) => {
            let div = d.add(parent, "div", "cc-buttons")?;
            if let Some(title) = &buttons.title {
                d.add_text(&div, "p", "cc-text", title)?;
            }
            let row = d.add(&div, "div", "cc-button-row")?;
            for option in &buttons.options {
                let _ = choice(d, &row, option);
            }
            if let Some(action) = &buttons.action {
                let title = buttons.title.as_deref().unwrap_or_default();
                let button = d.add_text(&row, "button", "cc-choice", title)?;
                values::set(&button, ACTION, action.value());
            }
        }
        ContentItem::Cards(cards) => {
            let div = d.add(parent, "div", "cc-cards")?;
            div.set_attribute("role", "list").ok()?;
            for card in cards {
                let _ = card_nodes(d, &b.shared.images, &div, card);
            }
        }
        ContentItem::Files { title, files } => {
            let div = d.add(parent, "div", "cc-files")?;
            if let Some(title) = title {
                d.add_text(&div, "p", "cc-text", title)?;
            }
            for file in files {
                let _ = file_nodes(d, b, &div, file);
            }
        }
        ContentItem::Pause { .. } => {}
        ContentItem::Unknown { kind, raw } => custom(d, b, parent, kind, raw)?,
    }
    Some(())
}

/// Markdown: rendered at once when its part is loaded; else its source as text until it is.
fn markdown_nodes(d: &NodeMaker, b: &MessageInput, parent: &Node, md: &str) -> Option<()> {
    if let Some(html) = markdown::render_now(md) {
        return d.add_rich(parent, &html, "cc-rich cc-md", &b.shared.images);
    }
    let pending = d.add_text(parent, "p", "cc-text cc-md-pending", md)?;
    let (doc, md, shared) = (d.0.clone(), md.to_owned(), b.shared.clone());
    platform::spawn(async move {
        let Some(html) = markdown::render(&md).await else {
            return;
        };
        let Some(rich) = NodeMaker(doc).rich(&html, "cc-rich cc-md", &shared.images) else {
            return;
        };
        let _ = pending.replace_with_with_node_1(&rich);
        // Taller now: the list keeps its end in view if the visitor is there (unless the
        // message is gone by now, and with it the list that asked).
        if rich.is_connected() {
            (shared.follow_end)();
        }
    });
    Some(())
}

/// A button of a `buttons` item: a link when it has an (allowed) URL, else it sends its value.
fn choice(d: &NodeMaker, row: &Node, option: &ButtonOption) -> Option<()> {
    let (label, value) = option.texts(JsPart::text);
    match option
        .url
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Link))
    {
        Some(href) => d
            .add_link(row, "cc-choice", &href)?
            .set_text_content(Some(&label)),
        None => {
            let button = d.add_text(row, "button", "cc-choice", &label)?;
            values::set(&button, VALUE, &JsValue::from_str(&value));
        }
    }
    Some(())
}

fn card_nodes(d: &NodeMaker, images: &Images, parent: &Node, card: &Card) -> Option<()> {
    let article = d.add(parent, "article", "cc-card")?;
    article.set_attribute("role", "listitem").ok()?;
    let src = card
        .image_url
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Image));
    if let Some(src) = src {
        let alt = card.text.as_deref().unwrap_or_default();
        sanitize::image(&d.0, images, &article, &src, alt, "cc-card-image")?;
    }
    let body = d.add(&article, "div", "cc-card-body")?;
    if let Some(text) = &card.text {
        d.add_text(&body, "h3", "", text)?;
    }
    if let Some(description) = &card.description {
        d.add_text(&body, "p", "", description)?;
    }
    if let Some(href) = card
        .link
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Link))
    {
        d.add_link(&body, "", &href)?
            .set_text_content(Some("Open ↗"));
    }
    Some(())
}

fn file_nodes(d: &NodeMaker, b: &MessageInput, parent: &Node, file: &FileRef) -> Option<()> {
    let name = file.filename.as_deref().unwrap_or("file");
    let kind = file.kind.as_deref().unwrap_or_default();
    let mime = file.mimetype.as_deref().unwrap_or_default();
    let raw = file.url.as_deref().unwrap_or_default();
    if kind == "image" || mime.starts_with("image") {
        if let Some(src) = sanitize::safe_url(raw, UrlUse::Image) {
            return sanitize::image(&d.0, &b.shared.images, parent, &src, name, "cc-image");
        }
    }
    let src = sanitize::safe_url(raw, UrlUse::Media);
    if kind == "audio" || mime.starts_with("audio") {
        if let Some(src) = &src {
            let audio = d.add(parent, "audio", "cc-audio")?;
            return set_attrs(
                &audio,
                &[
                    ("controls", ""),
                    ("preload", "none"),
                    ("src", src),
                    ("aria-label", name),
                ],
            );
        }
    }
    let link = match src {
        Some(href) => {
            let a = d.add_link(parent, "cc-file", &href)?;
            let label = controller(b.ctl)
                .strings()
                .fill(Text::Download, &[("name", name)]);
            set_attrs(&a, &[("download", name), ("aria-label", &label)])?;
            a
        }
        None => d.add(parent, "span", "cc-file")?,
    };
    file_icon(d, &link)?;
    link.append_with_str_1(name).ok()
}

/// A document (an SVG like the other icons: an emoji is an empty box where the font lacks it).
fn file_icon(d: &NodeMaker, parent: &Node) -> Option<()> {
    const SVG: Option<&str> = Some("http://www.w3.org/2000/svg");
    let svg = d.0.create_element_ns(SVG, "svg").ok()?;
    set_attrs(
        &svg,
        &[
            ("viewBox", "0 0 24 24"),
            ("aria-hidden", "true"),
            ("class", "cc-icon cc-file-icon"),
        ],
    )?;
    let path = d.0.create_element_ns(SVG, "path").ok()?;
    let shape = "M14 3H7a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V7zM14 3v4h4M9 13h6M9 17h6";
    path.set_attribute("d", shape).ok()?;
    svg.append_child(&path).ok()?;
    parent.append_child(&svg).ok()?;
    Some(())
}

/// A custom type: the page's renderer (`renderers: { type: fn }`), or a neutral fallback.
fn custom(d: &NodeMaker, b: &MessageInput, parent: &Node, kind: &str, raw: &JsPart) -> Option<()> {
    let Some(f) = page_renderer(&controller(b.ctl), kind) else {
        let div = d.add(parent, "div", "cc-unknown")?;
        let text = raw.value().field_string("text");
        d.add_text(
            &div,
            "p",
            "cc-text",
            &text.unwrap_or_else(|| localized(b.ctl, Text::Unsupported)),
        )?;
        return Some(());
    };
    let div = d.add(parent, "div", "cc-custom")?;
    // The page's own renderer: trusted like the rest of the page's code.
    match f.call1(&JsValue::NULL, raw.value()) {
        Ok(out) => {
            if let Some(n) = out.dyn_ref::<Node>() {
                div.append_child(n).ok()?;
            } else if let Some(s) = out.as_string() {
                div.set_text_content(Some(&s));
            }
        }
        Err(e) => platform::console_error("[CaptivateChat] A custom renderer threw:", &e),
    }
    Some(())
}

/// The page's renderer for a custom type, if it gave one.
fn page_renderer(c: &Controller, kind: &str) -> Option<js_sys::Function> {
    // Own properties only: a type named `toString` or `constructor` must not find
    // Object.prototype's.
    // (Any object: one from another frame or with a null prototype is not `instanceof Object`.)
    let r = &c.options().renderers;
    if !r.is_object() {
        return None;
    }
    let r = r.unchecked_ref::<js_sys::Object>();
    let key = js_sys::JsString::from(kind);
    if !js_sys::Object::has_own_str(r, &key).unwrap_or(false) {
        return None;
    }
    Reflect::get(r, &key)
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
}

/// A click in the message list: loads a held image, sends a choice or an action, sends a
/// failed message again. Only the buttons built here carry what they do (markup from the
/// network cannot make one that sends).
pub(in crate::widget) fn clicked(ctl: ControllerRef, e: &web_sys::Event) {
    let button = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("button").ok().flatten());
    let Some(button) = button else {
        return;
    };
    let on = |key| values::get(&button, key);
    if button.class_name() == "cc-img-hold" {
        sanitize::reveal(&button);
    } else if button.class_name() == "cc-copy" {
        tools::copy_message(ctl, &button);
    } else if tools::voted(ctl, &button) {
        // A feedback button: the choice is made.
    } else if let Some(key) = on(KEY).as_f64() {
        controller(ctl).retry(key as u64);
    } else if let Some(value) = on(VALUE).as_string() {
        let label = button.text_content().unwrap_or_default();
        controller(ctl).send(&label, &value);
    } else {
        let action = on(ACTION);
        if !action.is_undefined() {
            controller(ctl).send_action(&action);
        }
    }
}
