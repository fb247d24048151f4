//! The client layer: all I/O. One [`ChatClient`] per API key owns the socket, the HTTP
//! sends, reconnection and the outbox, and routes server events to conversations.
//! [`Endpoints`], the timing rules in `retry` and the gap-fill rule in [`gap`] are pure
//! (and tested natively); the rest runs where JS does, in `wasm/`.

mod endpoints;
pub use endpoints::{encode_component, file_to_text_url, presigned_url, Endpoints};
mod error;
pub use error::ClientError;
pub mod gap;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod retry;

// What runs where JS does (the socket, HTTP, timers, the values that cross to the engine):
// `wasm/`.
#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub use wasm::{
    files, platform, values, ChatClient, Delivery, Frame, LinkStatus, Listener, Notice, StartWaiter,
};
