//! Captivate chat front end: the wire protocol, and (in later layers) the client,
//! the drop-in JavaScript API and the embeddable widget.
//!
//! Layers point down only: `protocol` is pure data and is tested on the native target;
//! everything that touches the browser lives behind `cfg(target_arch = "wasm32")`.

pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod demo;
