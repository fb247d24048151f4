//! The embeddable chat bubble: `init({...})` mounts a launcher and a chat panel inside a
//! Shadow DOM (styles through constructable stylesheets, so it works under a strict CSP)
//! and returns a handle to drive it. The embed loader (`www/captivate-embed.js`) first
//! shows the launcher alone (the `launcher` feature: a small module of its own), then
//! calls `init` with the `data-*` attributes of its `<script>` tag when the page is idle
//! or the visitor clicks, and the widget takes the launcher's place.

mod host;
mod i18n;
mod launcher;
mod options;
mod storage;

#[cfg(not(feature = "widget"))]
pub use launcher::{mount_launcher, LauncherHandle};

#[cfg(feature = "widget")]
mod composer;
#[cfg(feature = "widget")]
mod content;
#[cfg(feature = "widget")]
mod handle;
#[cfg(feature = "widget")]
mod history;
#[cfg(feature = "widget")]
mod inbound;
#[cfg(feature = "widget")]
mod markdown;
#[cfg(feature = "widget")]
mod messages;
#[cfg(feature = "widget")]
mod model;
#[cfg(feature = "widget")]
mod outbound;
#[cfg(feature = "widget")]
pub mod sanitize;
#[cfg(feature = "widget")]
mod state;
#[cfg(feature = "widget")]
mod tabs;
#[cfg(feature = "widget")]
mod threads;
#[cfg(feature = "widget")]
mod view;
#[cfg(feature = "widget")]
mod visitor;

#[cfg(feature = "widget")]
pub use handle::{init, report_error, WidgetHandle};
