//! Captivate chat front end: the wire protocol, the client, the drop-in JavaScript API
//! and the embeddable widget.
//!
//! Layers point down only: `protocol` (pure data, native tests) ← `client` (all I/O)
//! ← `js` (the captivate-chat-api 7.0.0 surface) and `widget` (the chat bubble). Everything that touches JS lives behind
//! `cfg(target_arch = "wasm32")`.
// clippy.toml's disallowed macros, methods and types are the widget's size rules: denied in
// src/widget/ (its mod.rs), allowed in the drop-in, the client and the protocol.
#![allow(
    clippy::disallowed_macros,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

pub mod client;
pub mod forms;
pub mod greeting_rules;
pub mod linkify;
pub mod plain_text;
pub mod policy;
pub mod protocol;
pub mod text;

#[cfg(all(target_arch = "wasm32", feature = "api"))]
pub mod js;

#[cfg(target_arch = "wasm32")]
thread_local! {
    static DEBUG: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `CaptivateChatAPI.setDebugMode(true)` is on.
#[cfg(target_arch = "wasm32")]
pub(crate) fn js_debug() -> bool {
    DEBUG.with(|d| d.get())
}

#[cfg(all(target_arch = "wasm32", feature = "api"))]
pub(crate) fn set_js_debug(on: bool) {
    DEBUG.with(|d| d.set(on));
}

#[cfg(all(target_arch = "wasm32", feature = "widget"))]
pub mod widget;

/// The allocator, counted (no limit): `memoryStats()` reports what the wasm heap holds.
/// Talc rather than std's dlmalloc: smaller (docs/size.md, "Tricks"). Nothing else may call
/// std's `System` allocator, or dlmalloc comes back beside talc: `std::thread::current()`
/// does (Leptos's send_wrapper called it; `patches/send_wrapper/` does not, in wasm32).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: cap::Cap<talc::wasm::WasmDynamicTalc> =
    cap::Cap::new(talc::wasm::new_wasm_dynamic_allocator(), usize::MAX);

/// `{ wasmBytes, liveBytes }`: the size of the wasm linear memory (it grows, never
/// shrinks) and the bytes currently allocated in it (what a leak would raise). For the
/// memory benchmark and for pages that want to watch it.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = memoryStats)]
pub fn memory_stats() -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsCast;
    let live = ALLOCATOR.allocated() as f64;
    let wasm = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length() as f64)
                .unwrap_or(f64::NAN)
        })
        .unwrap_or(f64::NAN);
    let out = js_sys::Object::new();
    client::values::set(&out, "wasmBytes", &wasm.into());
    client::values::set(&out, "liveBytes", &live.into());
    out.into()
}
