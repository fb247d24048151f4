//! A message's content as the visitor sees it: every content type built as DOM
//! (`content`), markdown rendered in a part of the module of its own (`markdown`), and the
//! one sanitizer every HTML string from the network goes through (`sanitize`).

pub(super) mod content;
pub(super) mod markdown;
pub mod sanitize;
