//! The client layer: all I/O. One [`ChatClient`] per API key owns the socket, the HTTP
//! sends, reconnection and the outbox, and routes server events to conversations.
//! [`Endpoints`], the timing rules in `retry` and the gap-fill rule in [`gap`] are pure
//! (and tested natively); the rest runs where JS does.

mod endpoints;
pub use endpoints::{encode_component, file_to_text_url, presigned_url, Endpoints};
mod error;
pub use error::ClientError;
pub mod gap;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod retry;

#[cfg(target_arch = "wasm32")]
mod chat;
#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
mod frame;
#[cfg(target_arch = "wasm32")]
mod link;
#[cfg(target_arch = "wasm32")]
mod notice;
#[cfg(target_arch = "wasm32")]
mod outbox;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
mod rest;
#[cfg(target_arch = "wasm32")]
mod routing;
#[cfg(target_arch = "wasm32")]
mod socket;
#[cfg(target_arch = "wasm32")]
mod values;

#[cfg(target_arch = "wasm32")]
pub use chat::{ChatClient, StartWaiter};
#[cfg(target_arch = "wasm32")]
pub use notice::{Delivery, Frame, LinkStatus, Listener, Notice};
