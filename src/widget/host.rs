//! A widget's place on the page: its host element (position, theme, direction and
//! language as classes and attributes), its Shadow DOM and styles (a constructed
//! stylesheet, so that a strict CSP page needs no `style-src` exception; a `<style nonce>`
//! where that is missing). The launcher and the widget mount the same way.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use super::i18n::Strings;
use super::options::{Position, Theme, WidgetOptions};

const CSS: &str = include_str!("../../styles/widget.css");

fn error(m: &str) -> JsValue {
    js_sys::Error::new(m).into()
}

/// Creates the host (in `opts.container`, in the place of the launcher it replaces, or at
/// the end of `<body>`), its shadow root and
/// styles; returns the host and the element to mount into.
pub fn create(
    opts: &WidgetOptions,
    strings: &Strings,
) -> Result<(web_sys::Element, web_sys::HtmlElement), JsValue> {
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
    if inline {
        classes.push("cc-inline-host");
    }
    host.set_attribute("class", &classes.join(" "))?;
    if strings.rtl {
        host.set_attribute("dir", "rtl")?;
    }
    host.set_attribute("lang", &strings.lang)?;
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
    let shadow =
        host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
    style(&shadow, opts)?;
    let mount_point: web_sys::HtmlElement = document.create_element("div")?.dyn_into()?;
    mount_point.set_attribute("class", "cc-mount")?;
    shadow.append_child(&mount_point)?;
    Ok((host, mount_point))
}

fn theme_css(opts: &WidgetOptions) -> String {
    let mut css = String::new();
    if let Some(accent) = &opts.accent {
        css.push_str(&format!(":host{{--cc-accent:{accent}}}\n"));
    }
    css
}

/// Applies the styles to the shadow root: a constructed stylesheet, or (old browsers) a
/// `<style nonce>` element.
fn style(shadow: &web_sys::ShadowRoot, opts: &WidgetOptions) -> Result<(), JsValue> {
    let css = format!("{CSS}\n{}", theme_css(opts));
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(&css).is_ok() {
            let sheets = Array::of1(&sheet);
            Reflect::set(shadow, &"adoptedStyleSheets".into(), &sheets)?;
            return Ok(());
        }
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| error("no document"))?;
    let el = document.create_element("style")?;
    if let Some(n) = &opts.nonce {
        el.set_attribute("nonce", n)?;
    }
    el.set_text_content(Some(&css));
    shadow.append_child(&el)?;
    Ok(())
}
