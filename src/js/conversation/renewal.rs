//! `getTranscript()`'s file links: a link that expires within 5 minutes is renewed
//! through the file service and the renewed links are pushed back with `editMessage`, as
//! 7.0.0 does. The entries stay the objects the engine's `JSON.parse` made (keys in the
//! server's order) and are read with JavaScript's own coercions, as there: `expiresIn`
//! is compared as `Number(expiresIn) - now < 300` (a missing one is `NaN` and left as it
//! is; `null` is 0 and renewed), and the ids and keys are taken when truthy.

use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::client::platform;
use crate::client::values::{get, json_copy, set};
use crate::js::files;

use super::{edit_message, Inner};

/// `String(value)`.
fn js_string(value: &JsValue) -> String {
    value
        .as_string()
        .unwrap_or_else(|| String::from(js_sys::JsString::from(value.clone())))
}

/// Renews the expiring file links of a transcript's entries in place.
pub(super) async fn renew_file_links(inner: Rc<Inner>, entries: &Array) {
    let base = inner.client.endpoints().files.clone();
    let now = (platform::now_ms() / 1000.0).floor();
    for entry in entries.iter() {
        let files = get(&entry, "files");
        let Some(files) = files.dyn_ref::<Array>() else {
            continue;
        };
        let mut refreshed = false;
        for file in files.iter() {
            let storage = get(&file, "storage");
            let key = get(&storage, "fileKey");
            if !key.is_truthy() {
                continue;
            }
            // `+expiresIn`; `NaN < 300` is false (a missing one is left), as in 7.0.0.
            let expires = get(&storage, "expiresIn").unchecked_into_f64();
            #[allow(clippy::neg_cmp_op_on_partial_ord)]
            if !(expires - now < 300.0) {
                continue;
            }
            match files::secure_file_url(&base, &js_string(&key), 7200).await {
                Ok(url) => {
                    set(&storage, "presignedUrl", &JsValue::from_str(&url));
                    set(&storage, "expiresIn", &JsValue::from_f64(now + 7200.0));
                    refreshed = true;
                }
                Err(e) => platform::console_error(
                    "Failed to refresh a file link:",
                    &JsValue::from_str(&super::files::link_error_text(&e)),
                ),
            }
        }
        if !refreshed {
            continue;
        }
        let id = match get(&entry, "message_id") {
            id if id.is_truthy() => id,
            _ => get(&entry, "id"),
        };
        if !id.is_truthy() {
            continue;
        }
        let content = get(&entry, "content");
        let updated = Object::new();
        if content.is_truthy() {
            Object::assign(&updated, content.unchecked_ref());
        } else {
            let text = match get(&entry, "text") {
                t if t.is_truthy() => t,
                _ => JsValue::from_str(""),
            };
            set(&updated, "text", &text);
        }
        set(&updated, "files", files);
        if let Err(e) = edit_message(inner.clone(), js_string(&id), json_copy(&updated)).await {
            platform::console_error("Failed to push refreshed URLs via editMessage:", &e);
        }
    }
}
