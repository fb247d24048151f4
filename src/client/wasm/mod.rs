//! The client's half that runs where JS does (a page, a worker, Node): [`ChatClient`]
//! (`chat`) and its socket (`socket`, with `frame.rs` + `frame.js`, the socket's message
//! handler), its link's state and reconnects (`link`), HTTP (`rest`, `files`), the outbox,
//! routing of events to conversations (`routing`) and what it tells listeners (`notice`);
//! `platform` binds the host's globals (fetch, timers, crypto), `values` the values that
//! cross to the engine.

mod chat;
pub mod files;
mod frame;
mod link;
mod notice;
mod outbox;
pub mod platform;
mod rest;
mod routing;
mod socket;
pub mod values;

pub use chat::{ChatClient, StartWaiter};
pub use notice::{Delivery, Frame, LinkStatus, Listener, Notice};
