//! The one sanitizer. Every string from the network that becomes markup (HTML items,
//! markdown output, tables) goes through [`fragment`]; every URL from the network (links,
//! card images, buttons, files) goes through [`safe_url`]. Nothing else in the widget puts
//! network strings into the DOM except as text.
//!
//! Method (DOMPurify's): the browser parses the HTML into an inert document (no scripts
//! run, nothing loads), we walk it against the allow-list of `crate::policy`, and build
//! fresh nodes in the page's document from what is allowed.

use wasm_bindgen::JsCast;
use web_sys::{Document, DocumentFragment, DomParser, Element, Node, SupportedType};

use crate::policy::{self, AttrRule, TagRule};

/// How deep markup may nest before the rest is dropped.
const MAX_DEPTH: usize = 48;

/// What a URL is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    Link,
    Image,
    /// Audio sources and download links.
    Media,
}

/// The URL as the browser resolves it, when it is allowed for `use_`; `None` otherwise.
pub fn safe_url(raw: &str, use_: UrlUse) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_else(|| "https://invalid.invalid/".into());
    let url = web_sys::Url::new_with_base(raw, &base).ok()?;
    let protocol = url.protocol();
    let href = url.href();
    let ok = match use_ {
        UrlUse::Link => policy::link_allowed(&protocol),
        UrlUse::Image => policy::image_allowed(&protocol, &href),
        UrlUse::Media => policy::media_allowed(&protocol),
    };
    ok.then_some(href)
}

/// Sets a link's target to a new tab without opener or referrer.
pub fn harden_link(a: &Element) {
    let _ = a.set_attribute("target", "_blank");
    let _ = a.set_attribute("rel", "noopener noreferrer nofollow");
}

/// Parses `html` inertly and returns the allowed part as fresh nodes of `document`.
pub fn fragment(document: &Document, html: &str) -> DocumentFragment {
    let out = document.create_document_fragment();
    let parsed = DomParser::new().and_then(|p| p.parse_from_string(html, SupportedType::TextHtml));
    if let Ok(inert) = parsed {
        if let Some(body) = inert.body() {
            copy_children(document, &body, &out, 0);
        }
    }
    out
}

fn copy_children(document: &Document, from: &Node, to: &Node, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let children = from.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        match child.node_type() {
            Node::TEXT_NODE => {
                let text = document.create_text_node(&child.text_content().unwrap_or_default());
                let _ = to.append_child(&text);
            }
            Node::ELEMENT_NODE => {
                if let Some(el) = child.dyn_ref::<Element>() {
                    copy_element(document, el, to, depth);
                }
            }
            // Comments, processing instructions, CDATA: dropped.
            _ => {}
        }
    }
}

fn copy_element(document: &Document, el: &Element, to: &Node, depth: usize) {
    let tag = el.local_name().to_ascii_lowercase();
    // Elements in a foreign namespace (SVG/MathML smuggled in) are never kept.
    let html_ns = el.namespace_uri().as_deref() == Some("http://www.w3.org/1999/xhtml");
    let rule = if html_ns {
        policy::tag_rule(&tag)
    } else {
        TagRule::Drop
    };
    match rule {
        TagRule::Drop => {}
        TagRule::Unwrap => copy_children(document, el, to, depth + 1),
        TagRule::Keep => {
            let Ok(clean) = document.create_element(&tag) else {
                return;
            };
            let attrs = el.attributes();
            for i in 0..attrs.length() {
                let Some(attr) = attrs.item(i) else { continue };
                let name = attr.name().to_ascii_lowercase();
                let value = attr.value();
                let Some(rule) = policy::attr_rule(&tag, &name) else {
                    continue;
                };
                let kept = match rule {
                    AttrRule::LinkUrl => safe_url(&value, UrlUse::Link),
                    AttrRule::ImageUrl => safe_url(&value, UrlUse::Image),
                    other => policy::value_ok(other, &value).then_some(value),
                };
                if let Some(v) = kept {
                    let _ = clean.set_attribute(&name, &v);
                }
            }
            if tag == "a" {
                harden_link(&clean);
            }
            if tag == "img" {
                let _ = clean.set_attribute("loading", "lazy");
                let _ = clean.set_attribute("referrerpolicy", "no-referrer");
                if !clean.has_attribute("src") {
                    return;
                }
            }
            copy_children(document, el, &clean, depth + 1);
            let _ = to.append_child(&clean);
        }
    }
}
