//! The embeddable chat bubble: `init({...})` mounts a launcher and a chat panel inside a
//! Shadow DOM (styles through constructable stylesheets, so it works under a strict CSP)
//! and returns a handle to drive it. The module is split in parts (wasm-split, at
//! `handle::widget_part` and `markdown::markdown_part`; see `scripts/post-build.mjs`): the
//! embed loader (`www/captivate-embed.js`) loads the main part and shows the launcher alone
//! (`mountLauncher`), then, when the page is idle or the visitor clicks, loads the widget's
//! part (`loadWidget`) and calls `init` with the `data-*` attributes of its `<script>` tag,
//! and the widget takes the launcher's place; markdown comes after (`loadMarkdown`).

// The widget's size rules (clippy.toml, docs/size.md "Rules"): a newcomer meets the reason
// as a lint, not as a size budget failing minutes later.
#![deny(
    clippy::disallowed_macros,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod host;
mod i18n;
mod launcher;
mod options;
mod storage;

pub use launcher::{mount_launcher, LauncherHandle};

mod composer;
mod content;
mod fresh;
mod handle;
mod history;
mod inbound;
mod markdown;
mod messages;
mod model;
mod outbound;
pub mod sanitize;
mod state;
mod tabs;
mod threads;
mod view;
mod visitor;

pub use handle::{init, load_widget, report_error, WidgetHandle};
pub use markdown::load_markdown;
