//! The embeddable chat bubble: `init({...})` mounts a launcher and a chat panel inside a
//! Shadow DOM (styles through constructable stylesheets, so it works under a strict CSP)
//! and returns a handle to drive it. The module is split in parts (wasm-split, at
//! `handle::widget_part` and `render::markdown::markdown_part`; see `scripts/post-build.mjs`): the
//! embed loader (`www/loader/`) loads the main part and shows the launcher alone
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

// Where things live:
// - `handle`: what a page calls (`init`, `loadWidget`, the handle's methods) and the split
//   point of the widget's part; `host`: the Shadow DOM host, its stylesheet and placement;
//   `resources`: the stylesheets and texts the build puts beside the wasm.
// - `options`, `i18n` (strings, and times in the page's language), `model` (a conversation's
//   signals), `storage` (what the browser keeps), `greeting` (the proactive greeting's state,
//   shared by the launcher and the widget): data the rest reads.
// - `controller/`: the controller (`Controller`: the state of one widget and what it does)
//   and what it owns: which conversation is on screen (`threads`), events heard
//   (`inbound`), messages sent (`outbound`), the visitor and their stored conversation
//   (`visitor`), the visitor's other tabs (`tabs`).
// - `ui/`: the components (the widget, its launcher and panel; the message list, past
//   conversations, the composer); `kit` is what they share (the controller's handle, the
//   `use:listen` directive); `fresh`: views built anew instead of diffed.
// - `render/`: one message's content as DOM (`content`), markdown (its own part of the
//   module), and the sanitizer every HTML string goes through.
// Components never touch the socket; `controller/` never touches the DOM of a message.

mod controller;
mod fresh;
mod greeting;
mod handle;
mod host;
mod i18n;
mod kit;
mod model;
mod options;
pub mod render;
mod resources;
mod storage;
mod ui;

pub use greeting::greet;
pub use handle::{init, load_widget, report_error, WidgetHandle};
pub use render::markdown::load_markdown;
/// The sanitizer (public for the browser tests and the demo).
pub use render::sanitize;
pub use ui::launcher::{mount_launcher, LauncherHandle};
