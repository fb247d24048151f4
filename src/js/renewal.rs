//! `getTranscript()`'s file links: a link that expires within 5 minutes is renewed
//! through the file service and the renewed links are pushed back with `editMessage`, as
//! 7.0.0 does (a link without a numeric `expiresIn` is left as it is, as there).

use std::rc::Rc;

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::files;
use crate::client::platform::{self};

use super::conversation::{edit_message, Inner};

/// The transcript's entries with their expiring file links renewed.
pub(super) async fn renew_file_links(inner: Rc<Inner>, entries: Vec<Value>) -> Vec<Value> {
    let base = inner.client.endpoints().files.clone();
    let now = (platform::now_ms() / 1000.0).floor() as i64;
    let mut out = Vec::with_capacity(entries.len());
    for mut entry in entries {
        let mut refreshed = false;
        if let Some(Value::Array(files)) = entry.get_mut("files") {
            for file in files.iter_mut() {
                let Some(key) = file
                    .pointer("/storage/fileKey")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                else {
                    continue;
                };
                // As 7.0.0 computes `expiresIn - now < 300`: a link without a number
                // there (NaN) is left as it is.
                let expires = match file.pointer("/storage/expiresIn") {
                    Some(Value::Number(n)) => n.as_f64(),
                    // (Whole seconds: parsing floats would cost the wasm ~15 kB.)
                    Some(Value::String(s)) => s.trim().parse::<i64>().ok().map(|n| n as f64),
                    _ => None,
                };
                match expires {
                    Some(at) if at - (now as f64) < 300.0 => {}
                    _ => continue,
                }
                match files::secure_file_url(&base, &key, 7200).await {
                    Ok(url) => {
                        file["storage"]["presignedUrl"] = json!(url);
                        file["storage"]["expiresIn"] = json!(now + 7200);
                        refreshed = true;
                    }
                    Err(e) => platform::console_error(
                        "Failed to refresh a file link:",
                        &JsValue::from_str(&e),
                    ),
                }
            }
        }
        if refreshed {
            let id = entry
                .get("message_id")
                .or_else(|| entry.get("id"))
                .filter(|v| !v.is_null())
                .cloned();
            if let Some(id) = id {
                let id = id
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| id.to_string());
                let files = entry.get("files").cloned().unwrap_or(Value::Null);
                let mut content = match entry.get("content") {
                    Some(c @ Value::Object(_)) => c.clone(),
                    _ => {
                        json!({ "text": entry.get("text").and_then(Value::as_str).unwrap_or("") })
                    }
                };
                content["files"] = files;
                if let Err(e) = edit_message(inner.clone(), id, content).await {
                    platform::console_error("Failed to push refreshed URLs via editMessage:", &e);
                }
            }
        }
        out.push(entry);
    }
    out
}
