//! One message and every content type it can hold: text (linkified), markdown (its own
//! module), sanitized HTML, buttons, cards, files, images, audio, custom types.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::history::time_label;
use super::i18n::Text;
use super::markdown;
use super::messages::FollowEnd;
use super::model::{ButtonOption, ContentItem};
use super::sanitize::{self, UrlUse};
use super::state::{Author, Controller, Msg, SendState};
use super::view::{controller, t, Ctl};
use crate::client::platform;
use crate::client::platform::JsPart;
use crate::policy::{linkify, Segment};
use crate::protocol::{Card, FileRef, JsonView};

#[component]
pub(super) fn Message(ctl: Ctl, msg: Msg) -> AnyView {
    let class = match msg.author {
        Author::User => "cc-msg cc-user",
        Author::Bot => "cc-msg cc-bot",
        Author::Agent => "cc-msg cc-agent",
        Author::System => "cc-msg cc-system",
    };
    let who = match msg.author {
        Author::User => t(ctl, Text::You),
        Author::Agent => msg.name.clone().unwrap_or_else(|| t(ctl, Text::Agent)),
        Author::Bot => t(ctl, Text::Bot),
        Author::System => String::new(),
    };
    let key = msg.key;
    let state = msg.state.clone();
    let items = msg.items.clone();
    let author = msg.author;
    view! {
        <div class=class>
            {(author != Author::System && author != Author::User).then(|| view! { <span class="cc-who">{who}</span> })}
            <div class="cc-bubble">
                {items.iter().cloned().map(|item| view! { <Item ctl=ctl item=item /> }).collect_view()}
            </div>
            <div class="cc-meta">
                <time>{time_label(msg.time)}</time>
                {state.map(|s| match s {
                    SendState::Sending => view! { <span class="cc-state">{t(ctl, Text::Sending)}</span> }.into_any(),
                    SendState::Sent => view! { <span class="cc-state">{t(ctl, Text::Sent)}</span> }.into_any(),
                    SendState::Failed => view! {
                        <span class="cc-state cc-failed">{t(ctl, Text::Failed)}</span>
                        <button class="cc-retry" on:click=move |_| controller(ctl).retry(key)>{t(ctl, Text::Retry)}</button>
                    }.into_any(),
                })}
            </div>
        </div>
    }
    .into_any()
}

/// Sanitized markup, built as nodes once the element exists.
#[component]
pub(super) fn Rich(html: String, class: &'static str) -> AnyView {
    let node = NodeRef::<html::Div>::new();
    let images = use_context::<sanitize::Images>().unwrap_or_default();
    Effect::new(move |_| {
        // Filled once; Leptos may have put a marker comment inside, so a flag says it is done.
        if let Some(el) = node.get() {
            if !el.has_attribute("data-filled") {
                let _ = el.set_attribute("data-filled", "");
                if let Some(doc) = el.owner_document() {
                    let _ = el.append_child(&sanitize::fragment(&doc, &html, &images));
                }
            }
        }
    });
    view! { <div class=class node_ref=node></div> }.into_any()
}

#[component]
pub(super) fn Markdown(md: String) -> AnyView {
    let html = RwSignal::new(markdown::render_now(&md));
    if html.get_untracked().is_none() {
        let follow = use_context::<FollowEnd>();
        let source = md.clone();
        platform::spawn(async move {
            if let Some(h) = markdown::render(&source).await {
                // The item may be gone by now (try_set does nothing then).
                if html.try_set(Some(h)).is_none() {
                    if let Some(FollowEnd(f)) = follow {
                        f.run(());
                    }
                }
            }
        });
    }
    (move || match html.get() {
        Some(h) => view! { <Rich html=h class="cc-rich cc-md" /> }.into_any(),
        None => view! { <p class="cc-text cc-md-pending">{md.clone()}</p> }.into_any(),
    })
    .into_any()
}

pub(super) fn text_view(text: String) -> impl IntoView {
    let parts = linkify(&text).into_iter().map(|s| match s {
        Segment::Text(t) => t.into_any(),
        Segment::Link { href, label } => match sanitize::safe_url(&href, UrlUse::Link) {
            Some(href) => view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{label}</a> }.into_any(),
            None => label.into_any(),
        },
    });
    view! { <p class="cc-text">{parts.collect_view()}</p> }
}

#[component]
pub(super) fn Item(ctl: Ctl, item: ContentItem) -> AnyView {
    match item {
        ContentItem::Text(text) => text_view(text).into_any(),
        ContentItem::Markdown(md) => view! { <Markdown md=md /> }.into_any(),
        ContentItem::Html(h) => view! { <Rich html=h class="cc-rich cc-html" /> }.into_any(),
        ContentItem::Table(h) => view! { <Rich html=h class="cc-rich cc-table" /> }.into_any(),
        ContentItem::Buttons(b) => {
            let title = b.title.clone();
            let action = b.action.clone();
            let action_title = b.title.clone().unwrap_or_default();
            view! {
                <div class="cc-buttons">
                    {title.map(|t| view! { <p class="cc-text">{t}</p> })}
                    <div class="cc-button-row">
                        {b.options.into_iter().map(|o| view! { <ChoiceButton ctl=ctl option=o /> }).collect_view()}
                        {action.map(|a| view! {
                            <button class="cc-choice" on:click=move |_| controller(ctl).send_action(a.clone())>{action_title.clone()}</button>
                        })}
                    </div>
                </div>
            }.into_any()
        }
        ContentItem::Cards(cards) => view! {
            <div class="cc-cards" role="list">
                {cards.into_iter().map(|c| view! { <CardView card=c /> }).collect_view()}
            </div>
        }
        .into_any(),
        ContentItem::Files { title, files } => view! {
            <div class="cc-files">
                {title.map(|t| view! { <p class="cc-text">{t}</p> })}
                {files.into_iter().map(|f| view! { <FileView ctl=ctl file=f /> }).collect_view()}
            </div>
        }
        .into_any(),
        ContentItem::Pause { .. } => ().into_any(),
        ContentItem::Unknown { kind, raw } => {
            view! { <Custom ctl=ctl kind=kind raw=raw /> }.into_any()
        }
    }
}

#[component]
pub(super) fn ChoiceButton(ctl: Ctl, option: ButtonOption) -> AnyView {
    let (label, value) = option.texts(JsPart::text);
    match option.url.as_deref().and_then(|u| sanitize::safe_url(u, UrlUse::Link)) {
        Some(href) => view! { <a class="cc-choice" href=href target="_blank" rel="noopener noreferrer nofollow">{label}</a> }.into_any(),
        None => {
            let shown = label.clone();
            view! { <button class="cc-choice" on:click=move |_| controller(ctl).send(&shown, &value)>{label}</button> }.into_any()
        }
    }
}

/// An image of a card or a file: shown at once from an allowed host, else as a button the
/// visitor clicks to load it (see `sanitize::Images`; the message list handles the click).
fn held_image(src: String, alt: String, class: &'static str) -> AnyView {
    let images = use_context::<sanitize::Images>().unwrap_or_default();
    if images.at_once(&src) {
        return view! { <img class=class src=src alt=alt loading="lazy" referrerpolicy="no-referrer" /> }.into_any();
    }
    let label = images.label_for(&src);
    view! { <button type="button" class="cc-img-hold" data-src=src data-alt=alt data-class=class>{label}</button> }.into_any()
}

#[component]
pub(super) fn CardView(card: Card) -> AnyView {
    let image = card
        .image_url
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Image));
    let link = card
        .link
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Link));
    let alt = card.text.clone().unwrap_or_default();
    view! {
        <article class="cc-card" role="listitem">
            {image.map(|src| held_image(src, alt.clone(), "cc-card-image"))}
            <div class="cc-card-body">
                {card.text.map(|t| view! { <h3>{t}</h3> })}
                {card.description.map(|d| view! { <p>{d}</p> })}
                {link.map(|href| view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{"Open ↗"}</a> })}
            </div>
        </article>
    }
    .into_any()
}

#[component]
pub(super) fn FileView(ctl: Ctl, file: FileRef) -> AnyView {
    let name = file.filename.clone().unwrap_or_else(|| "file".into());
    let kind = file.kind.clone().unwrap_or_default();
    let mime = file.mimetype.clone().unwrap_or_default();
    let is_image = kind == "image" || mime.starts_with("image");
    let is_audio = kind == "audio" || mime.starts_with("audio");
    let raw = file.url.clone().unwrap_or_default();
    if is_image {
        if let Some(src) = sanitize::safe_url(&raw, UrlUse::Image) {
            return held_image(src, name, "cc-image");
        }
    }
    if is_audio {
        if let Some(src) = sanitize::safe_url(&raw, UrlUse::Media) {
            return view! { <audio class="cc-audio" controls=true preload="none" src=src aria-label=name></audio> }.into_any();
        }
    }
    match sanitize::safe_url(&raw, UrlUse::Media) {
        Some(href) => {
            let label = controller(ctl)
                .strings()
                .fill(Text::Download, &[("name", &name)]);
            view! { <a class="cc-file" href=href target="_blank" rel="noopener noreferrer nofollow" download=name.clone() aria-label=label>{file_icon()}{name.clone()}</a> }.into_any()
        }
        None => view! { <span class="cc-file">{file_icon()}{name}</span> }.into_any(),
    }
}

/// A document (an SVG like the other icons: an emoji is an empty box where the font lacks it).
pub(super) fn file_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon cc-file-icon">
            <path d="M14 3H7a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V7zM14 3v4h4M9 13h6M9 17h6" />
        </svg>
    }
}

/// A custom type: the page's renderer (`renderers: { type: fn }`), or a neutral fallback.
#[component]
pub(super) fn Custom(ctl: Ctl, kind: String, raw: JsPart) -> AnyView {
    let renderer = page_renderer(&controller(ctl), &kind);
    let node = NodeRef::<html::Div>::new();
    let fallback = t(ctl, Text::Unsupported);
    let text = raw.value().field_string("text");
    if let Some(f) = renderer {
        let raw_js = raw.value().clone();
        Effect::new(move |_| {
            let Some(el) = node.get() else { return };
            if el.has_attribute("data-filled") {
                return;
            }
            let _ = el.set_attribute("data-filled", "");
            // The page's own renderer: trusted like the rest of the page's code.
            match f.call1(&wasm_bindgen::JsValue::NULL, &raw_js) {
                Ok(out) => {
                    if let Some(n) = out.dyn_ref::<web_sys::Node>() {
                        let _ = el.append_child(n);
                    } else if let Some(s) = out.as_string() {
                        el.set_text_content(Some(&s));
                    }
                }
                Err(e) => crate::client::platform::console_error(
                    "[CaptivateChat] A custom renderer threw:",
                    &e,
                ),
            }
        });
        return view! { <div class="cc-custom" node_ref=node></div> }.into_any();
    }
    view! { <div class="cc-unknown"><p class="cc-text">{text.unwrap_or(fallback)}</p></div> }
        .into_any()
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
    js_sys::Reflect::get(r, &key)
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
}
