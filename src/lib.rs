//! Captivate chat front end: the wire protocol, the client, the drop-in JavaScript API
//! and (in a later layer) the embeddable widget.
//!
//! Layers point down only: `protocol` (pure data, native tests) ← `client` (all I/O)
//! ← `js` (the captivate-chat-api 7.0.0 surface). Everything that touches JS lives behind
//! `cfg(target_arch = "wasm32")`.

pub mod client;
pub mod policy;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod js;

#[cfg(all(target_arch = "wasm32", feature = "demo"))]
pub mod demo;

#[cfg(target_arch = "wasm32")]
thread_local! {
    static DEBUG: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `CaptivateChatAPI.setDebugMode(true)` is on.
#[cfg(target_arch = "wasm32")]
pub(crate) fn js_debug() -> bool {
    DEBUG.with(|d| d.get())
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn set_js_debug(on: bool) {
    DEBUG.with(|d| d.set(on));
}

#[cfg(all(target_arch = "wasm32", feature = "widget"))]
pub mod widget;
