//! The client layer: all I/O. One [`ChatClient`] per API key owns the socket, the HTTP
//! sends, reconnection and the outbox, and routes server events to conversations.
//! Only [`Endpoints`] is pure (and tested natively); the rest runs where JS does.

mod endpoints;
pub use endpoints::{encode_component, Endpoints};

#[cfg(target_arch = "wasm32")]
mod chat;
#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
mod socket;

#[cfg(target_arch = "wasm32")]
pub use chat::{ChatClient, Delivery, Frame, LinkStatus, Listener, Notice, SendError};
