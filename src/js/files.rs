//! The file service calls behind `CaptivateChatFileManager`: text extraction (and
//! storage) of an upload, and fresh download links. Errors read as in 7.0.0.

use std::cell::RefCell;

use js_sys::Object;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{error, set};
use crate::client::platform::{self, to_js};
use crate::client::Endpoints;

thread_local! {
    /// The file service the static factories use: the last one an API instance was made for.
    static FILE_SERVICE: RefCell<String> = RefCell::new(Endpoints::preset("prod").files);
}

pub(crate) fn remember_file_service(base: &str) {
    FILE_SERVICE.with(|f| *f.borrow_mut() = base.to_owned());
}

fn file_service() -> String {
    FILE_SERVICE.with(|f| f.borrow().clone())
}

fn json_error(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default()
}

/// `POST /api/file-to-text`; resolves to `{ text, storageInfo }`.
pub(crate) async fn file_to_text(
    base: &str,
    file: JsValue,
    file_name: &str,
    storage: bool,
    api_key: Option<&str>,
    conversation_id: Option<&str>,
    ttl_days: Option<u32>,
) -> Result<JsValue, JsValue> {
    let convert = |m: String| error(format!("Failed to convert file to text: {m}"));
    let form = web_sys::FormData::new().map_err(|e| convert(platform::describe_error(&e)))?;
    let blob: web_sys::Blob = file
        .dyn_into()
        .map_err(|_| convert("file must be a File or Blob".into()))?;
    form.append_with_blob_and_filename("file", &blob, file_name)
        .map_err(|e| convert(platform::describe_error(&e)))?;
    let _ = form.append_with_str("includeMetadata", "true");
    let _ = form.append_with_str("storage", if storage { "true" } else { "false" });
    if let (Some(k), Some(c)) = (
        api_key.filter(|k| !k.is_empty()),
        conversation_id.filter(|c| !c.is_empty()),
    ) {
        let _ = form.append_with_str("path", &format!("{k}/{c}"));
    }
    if let Some(d) = ttl_days.filter(|d| [1, 7, 30, 90].contains(d)) {
        let _ = form.append_with_str("ttlDays", &d.to_string());
    }
    let url = format!("{}/api/file-to-text", base.trim_end_matches('/'));
    let answer = platform::http("POST", &url, &[], Some(&form.into()))
        .await
        .map_err(convert)?;
    if !answer.ok() {
        return Err(error(format!(
            "File conversion failed: {} {}. {}",
            answer.status,
            answer.status_text,
            json_error(&answer.body)
        )));
    }
    let data: Value = serde_json::from_str(&answer.body).map_err(|e| convert(e.to_string()))?;
    if data.get("success").and_then(Value::as_bool) != Some(true) {
        let why = data
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("Unknown error");
        return Err(error(format!("File conversion failed: {why}")));
    }
    let result = Object::new();
    set(
        &result,
        "text",
        &JsValue::from_str(data.get("text").and_then(Value::as_str).unwrap_or("")),
    );
    if storage {
        let info = Object::new();
        for key in [
            "fileKey",
            "presignedUrl",
            "expiresIn",
            "fileSize",
            "processingTime",
        ] {
            set(
                &info,
                key,
                &data.get(key).map(to_js).unwrap_or(JsValue::UNDEFINED),
            );
        }
        set(&result, "storageInfo", &info);
    }
    Ok(result.into())
}

/// `POST /api/presigned-url`: a fresh link for a stored file.
pub(crate) async fn secure_file_url(
    base: &str,
    file_key: &str,
    expires_in: u32,
) -> Result<String, String> {
    let url = format!("{}/api/presigned-url", base.trim_end_matches('/'));
    let body = serde_json::json!({ "fileKey": file_key, "expiresIn": expires_in }).to_string();
    let answer = platform::http(
        "POST",
        &url,
        &[("Content-Type", "application/json")],
        Some(&JsValue::from_str(&body)),
    )
    .await
    .map_err(|e| format!("Failed to generate secure URL: {e}"))?;
    if !answer.ok() {
        return Err(format!(
            "Secure URL generation failed: {} {}. {}",
            answer.status,
            answer.status_text,
            json_error(&answer.body)
        ));
    }
    let data: Value = serde_json::from_str(&answer.body)
        .map_err(|e| format!("Failed to generate secure URL: {e}"))?;
    if data.get("success").and_then(Value::as_bool) != Some(true) {
        return Err(format!(
            "Secure URL generation failed: {}",
            data.get("error")
                .and_then(Value::as_str)
                .unwrap_or("Unknown error")
        ));
    }
    Ok(data
        .get("presignedUrl")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned())
}

/// `CaptivateChatFileManager`'s conversion call (static factories).
#[wasm_bindgen(js_name = convertFileToText)]
pub fn convert_file_to_text(
    file: JsValue,
    file_name: String,
    storage: bool,
    api_key: Option<String>,
    conversation_id: Option<String>,
    ttl_days: Option<u32>,
) -> js_sys::Promise {
    future_to_promise(async move {
        file_to_text(
            &file_service(),
            file,
            &file_name,
            storage,
            api_key.as_deref(),
            conversation_id.as_deref(),
            ttl_days,
        )
        .await
    })
}

/// `CaptivateChatFileManager.getSecureFileUrl(fileKey, expiresIn = 7200)`.
#[wasm_bindgen(js_name = getSecureFileUrl)]
pub fn get_secure_file_url(file_key: String, expires_in: Option<u32>) -> js_sys::Promise {
    future_to_promise(async move {
        secure_file_url(&file_service(), &file_key, expires_in.unwrap_or(7200))
            .await
            .map(JsValue::from)
            .map_err(error)
    })
}

/// Points the static file-manager factories at another file service.
#[wasm_bindgen(js_name = setFileServiceUrl)]
pub fn set_file_service_url(url: String) {
    remember_file_service(url.trim_end_matches('/'));
}
