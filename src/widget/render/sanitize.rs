//! The one sanitizer. Every string from the network that becomes markup (HTML items,
//! markdown output, tables) goes through [`fragment`]; every URL from the network (links,
//! card images, buttons, files) goes through [`safe_url`]. Nothing else in the widget puts
//! network strings into the DOM except as text.
//!
//! Method (DOMPurify's): the browser parses the HTML into an inert document (no scripts
//! run, nothing loads), we walk it against the allow-list of `crate::policy`, and build
//! fresh nodes in the page's document from what is allowed.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Document, DocumentFragment, DomParser, Element, NamedNodeMap, Node, NodeList, SupportedType,
};

use crate::policy::{self, AttrRule, TagRule};
use crate::widget::options::Images;

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

/// Loads the image a `cc-img-hold` button stands for, in its place (on the visitor's click).
pub fn reveal(hold: &Element) {
    let Some(src) = hold
        .get_attribute("data-src")
        .and_then(|s| safe_url(&s, UrlUse::Image))
    else {
        return;
    };
    let Some(document) = hold.owner_document() else {
        return;
    };
    let alt = hold.get_attribute("data-alt").unwrap_or_default();
    let class = hold.get_attribute("data-class").unwrap_or_default();
    if let Some(img) = img(&document, &alt, &class) {
        // Asked for by the click: as any image the visitor opens, with the site's cookies.
        let _ = img.set_attribute("src", &src);
        let _ = hold.replace_with_with_node_1(&img);
    }
}

/// An `<img>` for an allowed image URL, sent without a referrer (`class` when not empty);
/// its source is set by [`load`].
fn img(document: &Document, alt: &str, class: &str) -> Option<Element> {
    let img = document.create_element("img").ok()?;
    img.set_attribute("alt", alt).ok()?;
    if !class.is_empty() {
        img.set_attribute("class", class).ok()?;
    }
    img.set_attribute("referrerpolicy", "no-referrer").ok()?;
    Some(img)
}

/// An image of a card or a file (an allowed image URL), at the end of `to`: shown at once,
/// lazily, from a host [`Images`] allows; else held ([`hold`]).
pub fn image(
    document: &Document,
    images: &Images,
    to: &Node,
    src: &str,
    alt: &str,
    class: &str,
) -> Option<()> {
    if !images.at_once(src) {
        let button = hold(document, images, src, Some(alt), class)?;
        to.append_child(&button).ok()?;
        return Some(());
    }
    let img = img(document, alt, class)?;
    img.set_attribute("loading", "lazy").ok()?;
    to.append_child(&img).ok()?;
    load(&img, src, images, Some(alt), class);
    Some(())
}

/// Loads the allowed image at `src` into `img`: from another host through its `src`; from
/// the page's own origin fetched without credentials (an `<img src>` would send the visitor's
/// cookies for the site, a request bot content must not make without a click: `![](/logout)`)
/// and shown from the bytes received. What cannot be fetched so, or shown so (a policy
/// without `blob:` in `img-src`), waits for a click instead ([`hold`]).
fn load(img: &Element, src: &str, images: &Images, alt: Option<&str>, class: &str) {
    if !images.is_own(src) {
        let _ = img.set_attribute("src", src);
        return;
    }
    let held = img
        .owner_document()
        .and_then(|d| hold(&d, images, src, alt, class));
    let (img, src) = (img.clone(), src.to_owned());
    crate::client::platform::spawn(async move {
        let give_up = {
            let img = img.clone();
            move || {
                if let Some(button) = &held {
                    let _ = img.replace_with_with_node_1(button);
                }
            }
        };
        let Some(url) = fetched_without_cookies(&src).await else {
            give_up();
            return;
        };
        let object_url = url.clone();
        // Once shown (or refused), the bytes are the element's: the URL is let go.
        let settled = wasm_bindgen::closure::Closure::once_into_js(move |e: web_sys::Event| {
            let _ = web_sys::Url::revoke_object_url(&object_url);
            if e.type_() == "error" {
                give_up();
            }
        });
        for event in ["load", "error"] {
            let _ = img.add_event_listener_with_callback(event, settled.unchecked_ref());
        }
        let _ = img.set_attribute("src", &url);
    });
}

/// The image at `src` fetched without credentials or referrer, as an object URL; `None` when
/// it could not be fetched or is not an image.
async fn fetched_without_cookies(src: &str) -> Option<String> {
    use wasm_bindgen_futures::JsFuture;
    let init = Object::new();
    let _ = Reflect::set(&init, &"credentials".into(), &"omit".into());
    let _ = Reflect::set(&init, &"referrerPolicy".into(), &"no-referrer".into());
    let response = JsFuture::from(crate::client::platform::global_fetch(src, &init))
        .await
        .ok()?
        .dyn_into::<web_sys::Response>()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let blob = JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into::<web_sys::Blob>()
        .ok()?;
    if !blob.type_().starts_with("image/") {
        return None;
    }
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// An image that waits for a click: a button naming its host (markup's images, and cards'
/// and files' from hosts not allowed). `class`: the image's, once loaded.
pub fn hold(
    document: &Document,
    images: &Images,
    src: &str,
    alt: Option<&str>,
    class: &str,
) -> Option<Element> {
    let button = document.create_element("button").ok()?;
    button.set_class_name("cc-img-hold");
    let _ = button.set_attribute("type", "button");
    let _ = button.set_attribute("data-src", src);
    if let Some(alt) = alt {
        let _ = button.set_attribute("data-alt", alt);
    }
    if !class.is_empty() {
        let _ = button.set_attribute("data-class", class);
    }
    button.set_text_content(Some(&images.label_for(src)));
    Some(button)
}

/// Parses `html` inertly and returns the allowed part as fresh nodes of `document`.
pub fn fragment(document: &Document, html: &str, images: &Images) -> DocumentFragment {
    let out = document.create_document_fragment();
    let defused = policy::defuse_handlers(html);
    let parsed =
        DomParser::new().and_then(|p| p.parse_from_string(&defused, SupportedType::TextHtml));
    if let Ok(inert) = parsed {
        if let Some(g) = Getters::new() {
            if let Some(body) = g.body(&inert) {
                copy_children(&g, document, images, &body, &out, 0);
            }
        }
    }
    out
}

/// Reads DOM properties through the prototypes' own getters: an untrusted element's
/// properties can be clobbered (`<form><input name=localName>` makes `form.localName` an
/// element), and a clobbered value must not reach the sanitizer as if it were a string.
struct Getters {
    node_type: Function,
    child_nodes: Function,
    text_content: Function,
    local_name: Function,
    namespace_uri: Function,
    attributes: Function,
    body: Function,
}

fn getter(proto: &JsValue, name: &str) -> Option<Function> {
    let desc =
        Object::get_own_property_descriptor(&Object::from(proto.clone()), &JsValue::from_str(name));
    Reflect::get(&desc, &JsValue::from_str("get"))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

impl Getters {
    fn new() -> Option<Getters> {
        let global = js_sys::global();
        let proto = |class: &str| {
            Reflect::get(&global, &JsValue::from_str(class))
                .and_then(|c| Reflect::get(&c, &JsValue::from_str("prototype")))
                .ok()
        };
        let node = proto("Node")?;
        let element = proto("Element")?;
        let doc = proto("Document")?;
        Some(Getters {
            body: getter(&doc, "body")?,
            node_type: getter(&node, "nodeType")?,
            child_nodes: getter(&node, "childNodes")?,
            text_content: getter(&node, "textContent")?,
            local_name: getter(&element, "localName")?,
            namespace_uri: getter(&element, "namespaceURI")?,
            attributes: getter(&element, "attributes")?,
        })
    }

    fn node_type(&self, n: &JsValue) -> u16 {
        self.node_type
            .call0(n)
            .ok()
            .and_then(|v| v.as_f64())
            .map(|f| f as u16)
            .unwrap_or(0)
    }

    fn children(&self, n: &JsValue) -> Option<NodeList> {
        self.child_nodes.call0(n).ok()?.dyn_into::<NodeList>().ok()
    }

    fn text(&self, n: &JsValue) -> String {
        self.text_content
            .call0(n)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    fn local_name(&self, n: &JsValue) -> Option<String> {
        self.local_name.call0(n).ok()?.as_string()
    }

    fn namespace(&self, n: &JsValue) -> Option<String> {
        self.namespace_uri.call0(n).ok()?.as_string()
    }

    fn body(&self, d: &Document) -> Option<JsValue> {
        self.body.call0(d).ok().filter(|b| b.is_object())
    }

    fn attributes(&self, n: &JsValue) -> Option<NamedNodeMap> {
        self.attributes
            .call0(n)
            .ok()?
            .dyn_into::<NamedNodeMap>()
            .ok()
    }
}

fn copy_children(
    g: &Getters,
    document: &Document,
    images: &Images,
    from: &JsValue,
    to: &Node,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(children) = g.children(from) else {
        return;
    };
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        let child = JsValue::from(child);
        match g.node_type(&child) {
            TEXT_NODE => {
                let text = document.create_text_node(&g.text(&child));
                let _ = to.append_child(&text);
            }
            ELEMENT_NODE => copy_element(g, document, images, &child, to, depth),
            // Comments, processing instructions, CDATA: dropped.
            _ => {}
        }
    }
}

const ELEMENT_NODE: u16 = 1;
const TEXT_NODE: u16 = 3;

fn copy_element(
    g: &Getters,
    document: &Document,
    images: &Images,
    el: &JsValue,
    to: &Node,
    depth: usize,
) {
    let Some(tag) = g.local_name(el).map(|t| t.to_ascii_lowercase()) else {
        return;
    };
    // Elements in a foreign namespace (SVG/MathML smuggled in) are never kept.
    let html_ns = g.namespace(el).as_deref() == Some("http://www.w3.org/1999/xhtml");
    let rule = if html_ns {
        policy::tag_rule(&tag)
    } else {
        TagRule::Drop
    };
    match rule {
        TagRule::Drop => {}
        TagRule::Unwrap => copy_children(g, document, images, el, to, depth + 1),
        TagRule::Keep => {
            let Ok(clean) = document.create_element(&tag) else {
                return;
            };
            if let Some(attrs) = g.attributes(el) {
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
            }
            if tag == "a" {
                harden_link(&clean);
            }
            if tag == "img" {
                let _ = clean.set_attribute("loading", "lazy");
                let _ = clean.set_attribute("referrerpolicy", "no-referrer");
                let Some(src) = clean.get_attribute("src") else {
                    return;
                };
                let alt = clean.get_attribute("alt");
                if !images.at_once(&src) {
                    if let Some(button) = hold(document, images, &src, alt.as_deref(), "") {
                        let _ = to.append_child(&button);
                    }
                    return;
                }
                let _ = clean.remove_attribute("src");
                load(&clean, &src, images, alt.as_deref(), "");
            }
            copy_children(g, document, images, el, &clean, depth + 1);
            let _ = to.append_child(&clean);
        }
    }
}
