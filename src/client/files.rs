//! The file service: text extraction (and storage) of an upload, and fresh download
//! links. Used by the drop-in's `CaptivateChatFileManager` and by the widget's attach
//! button. Error messages read as in captivate-chat-api 7.0.0.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use super::platform;

/// What the file service said about an upload.
#[derive(Debug, Clone)]
pub struct Upload {
    pub text: String,
    /// `{ fileKey, presignedUrl, expiresIn, fileSize, processingTime }` when stored.
    pub storage: Option<Value>,
}

fn json_error(body: &str) -> String {
    platform::parse_json_value(body)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default()
}

/// "<what>: <status> <text>. <the server's error>", as 7.0.0 words a failed answer.
fn failure(what: &str, answer: &platform::HttpAnswer) -> String {
    format!(
        "{what}: {} {}. {}",
        answer.status,
        answer.status_text,
        json_error(&answer.body)
    )
}

/// `POST {base}/api/file-to-text` (multipart).
pub async fn file_to_text(
    base: &str,
    file: &JsValue,
    file_name: &str,
    storage: bool,
    api_key: Option<&str>,
    conversation_id: Option<&str>,
    ttl_days: Option<u32>,
) -> Result<Upload, String> {
    let convert = |m: String| format!("Failed to convert file to text: {m}");
    let form = web_sys::FormData::new().map_err(|e| convert(platform::describe_error(&e)))?;
    let blob: &web_sys::Blob = file
        .dyn_ref()
        .ok_or_else(|| convert("file must be a File or Blob".into()))?;
    form.append_with_blob_and_filename("file", blob, file_name)
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
        return Err(failure("File conversion failed", &answer));
    }
    let data = platform::parse_json_value(&answer.body).map_err(convert)?;
    if data.get("success").and_then(Value::as_bool) != Some(true) {
        let why = data
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("Unknown error");
        return Err(format!("File conversion failed: {why}"));
    }
    let storage = storage.then(|| {
        let mut info = serde_json::Map::new();
        for key in [
            "fileKey",
            "presignedUrl",
            "expiresIn",
            "fileSize",
            "processingTime",
        ] {
            if let Some(v) = data.get(key) {
                info.insert(key.to_owned(), v.clone());
            }
        }
        Value::Object(info)
    });
    Ok(Upload {
        text: data
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        storage,
    })
}

/// `POST {base}/api/presigned-url`: a fresh link for a stored file.
pub async fn secure_file_url(
    base: &str,
    file_key: &str,
    expires_in: u32,
) -> Result<String, String> {
    let url = format!("{}/api/presigned-url", base.trim_end_matches('/'));
    let body = platform::json_text(&Value::Object(
        [
            ("fileKey".to_owned(), Value::from(file_key)),
            ("expiresIn".to_owned(), Value::from(expires_in)),
        ]
        .into_iter()
        .collect(),
    ));
    let answer = platform::http(
        "POST",
        &url,
        &[("Content-Type", "application/json")],
        Some(&JsValue::from_str(&body)),
    )
    .await
    .map_err(|e| format!("Failed to generate secure URL: {e}"))?;
    if !answer.ok() {
        return Err(failure("Secure URL generation failed", &answer));
    }
    let data = platform::parse_json_value(&answer.body)
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
