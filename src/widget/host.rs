//! A widget's place on the page: its host element (position, theme, direction and
//! language as classes and attributes), its Shadow DOM and styles (a constructed
//! stylesheet, so that a strict CSP page needs no `style-src` exception; a `<style nonce>`
//! where that is missing). The launcher and the widget mount the same way.
//!
//! A floating widget's host covers the *visual* viewport, whatever the layout viewport
//! does: on a phone, a page wider than the screen (a wide table, a long code line) makes
//! the layout viewport grow past the screen, and pinch-zoom moves and scales the visible
//! part; `position: fixed` alone would put the launcher and the panel off screen or make
//! them tiny. The host is sized, moved and counter-scaled to what the visitor sees, and the
//! launcher and panel are placed inside it (a transformed host is their containing block).

use js_sys::{Array, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

use super::i18n::Strings;
use super::options::{Position, Theme, WidgetOptions};
use super::resources::stylesheet;
use crate::client::values;

/// Which stylesheets a host needs: the launcher's alone, or the launcher's and the panel's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Styles {
    Launcher,
    Widget,
}

fn error(m: &str) -> JsValue {
    js_sys::Error::new(m).into()
}

/// Below this width (in CSS pixels at zoom 1) the panel fills the screen.
const PHONE_WIDTH: f64 = 480.0;

/// Keeps a floating host over the visual viewport until dropped.
pub struct ViewportFollower {
    viewport: web_sys::VisualViewport,
    update: Closure<dyn Fn()>,
}

impl Drop for ViewportFollower {
    fn drop(&mut self) {
        for kind in ["resize", "scroll"] {
            let _ = self
                .viewport
                .remove_event_listener_with_callback(kind, self.update.as_ref().unchecked_ref());
        }
    }
}

/// Where the host goes so that it covers the visual viewport at the visitor's zoom:
/// `(left, top, width, height, scale)`, the size before the host's counter-scale; and
/// whether that is a phone-sized screen.
pub fn viewport_box(
    offset_left: f64,
    offset_top: f64,
    width: f64,
    height: f64,
    scale: f64,
) -> ([f64; 5], bool) {
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let (w, h) = (width * scale, height * scale);
    (
        [offset_left, offset_top, w, h, 1.0 / scale],
        w <= PHONE_WIDTH,
    )
}

/// Follows `window.visualViewport` with the host's position, size and scale (CSS custom
/// properties the stylesheet reads; set through the CSSOM, which a strict CSP allows), and
/// marks phone-sized screens with the `cc-phone` class. `None` where there is no
/// `visualViewport` (the stylesheet then covers the layout viewport).
fn follow_viewport(host: &web_sys::HtmlElement) -> Option<ViewportFollower> {
    let viewport = web_sys::window()?.visual_viewport()?;
    let (v, el) = (viewport.clone(), host.clone());
    let update = Closure::<dyn Fn()>::new(move || {
        let ([x, y, w, h, s], phone) = viewport_box(
            v.offset_left(),
            v.offset_top(),
            v.width(),
            v.height(),
            v.scale(),
        );
        let style = el.style();
        for (name, value, unit) in [
            ("--cc-vx", x, "px"),
            ("--cc-vy", y, "px"),
            ("--cc-vw", w, "px"),
            ("--cc-vh", h, "px"),
            ("--cc-vs", s, ""),
        ] {
            let _ = style.set_property(name, &[values::number_text(value).as_str(), unit].concat());
        }
        let _ = el.class_list().toggle_with_force("cc-phone", phone);
    });
    for kind in ["resize", "scroll"] {
        let _ = viewport.add_event_listener_with_callback(kind, update.as_ref().unchecked_ref());
    }
    let _ = update
        .as_ref()
        .unchecked_ref::<js_sys::Function>()
        .call0(&JsValue::NULL);
    Some(ViewportFollower { viewport, update })
}

/// Creates the host (in `opts.container`, in the place of the launcher it replaces, or at
/// the end of `<body>`), its shadow root and
/// styles; returns the host, the element to mount into, and (floating) what keeps the host
/// over the visual viewport.
pub fn create(
    opts: &WidgetOptions,
    strings: &Strings,
    styles: Styles,
) -> Result<
    (
        web_sys::Element,
        web_sys::HtmlElement,
        Option<ViewportFollower>,
    ),
    JsValue,
> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| error("CaptivateChat needs a document"))?;
    let inline = opts.container.is_some();
    let host = document.create_element("div")?;
    host.set_attribute("data-captivate-chat", "")?;
    let mut classes = vec!["cc-host"];
    classes.push(if opts.position == Position::Left {
        "cc-left"
    } else {
        "cc-right"
    });
    classes.push(match opts.theme {
        Theme::Dark => "cc-dark",
        Theme::Auto => "cc-auto",
        Theme::Light => "cc-light",
    });
    classes.push(if inline {
        "cc-inline-host"
    } else {
        "cc-floating"
    });
    host.set_attribute("class", &classes.join(" "))?;
    // Always: `all: initial` in the stylesheet resets every inherited property but direction,
    // which would otherwise follow the page's (an English widget laid out right to left).
    host.set_attribute("dir", if strings.rtl { "rtl" } else { "ltr" })?;
    host.set_attribute("lang", &strings.lang)?;
    let shadow =
        host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
    style(&shadow, opts, styles)?;
    let mount_point: web_sys::HtmlElement = document.create_element("div")?.dyn_into()?;
    mount_point.set_attribute("class", "cc-mount")?;
    shadow.append_child(&mount_point)?;
    // Into the page once whole: a failure above leaves nothing there.
    match (&opts.container, &opts.replaces) {
        (Some(c), _) => {
            c.append_child(&host)?;
        }
        (None, Some(launcher)) if launcher.is_connected() => launcher.before_with_node_1(&host)?,
        (None, _) => {
            document
                .body()
                .ok_or_else(|| error("CaptivateChat needs a <body>"))?
                .append_child(&host)?;
        }
    };
    let follower = if inline {
        None
    } else {
        host.dyn_ref::<web_sys::HtmlElement>()
            .and_then(follow_viewport)
    };
    Ok((host, mount_point, follower))
}

fn theme_css(opts: &WidgetOptions) -> String {
    let mut css = String::new();
    if let Some(accent) = &opts.accent {
        css.extend([":host{--cc-accent:", accent, "}\n"]);
    }
    css
}

/// Applies the styles to the shadow root.
fn style(
    shadow: &web_sys::ShadowRoot,
    opts: &WidgetOptions,
    styles: Styles,
) -> Result<(), JsValue> {
    let mut css = stylesheet("launcher.css")?;
    if styles == Styles::Widget {
        css.extend(["\n", &stylesheet("panel.css")?]);
    }
    css.extend(["\n", &theme_css(opts)]);
    add_stylesheet(shadow, &css, opts.nonce.as_deref())
}

/// Adds `css` to the shadow root's styles: a constructed stylesheet, or (old browsers) a
/// `<style nonce>` element.
pub fn add_stylesheet(
    shadow: &web_sys::ShadowRoot,
    css: &str,
    nonce: Option<&str>,
) -> Result<(), JsValue> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(css).is_ok() {
            let key = JsValue::from_str("adoptedStyleSheets");
            let sheets = Reflect::get(shadow, &key)
                .ok()
                .filter(Array::is_array)
                .map_or_else(Array::new, |a| Array::from(&a));
            sheets.push(&sheet);
            Reflect::set(shadow, &key, &sheets)?;
            return Ok(());
        }
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| error("no document"))?;
    let el = document.create_element("style")?;
    if let Some(n) = nonce {
        el.set_attribute("nonce", n)?;
    }
    el.set_text_content(Some(css));
    shadow.append_child(&el)?;
    Ok(())
}
