//! The file service: text extraction (and storage) of an upload, and fresh download
//! links. Used by the drop-in's `CaptivateChatFileManager` and by the widget's attach
//! button. Errors are `ClientError`s; the drop-in words them as 7.0.0 does.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use super::platform;
use super::ClientError;
use crate::protocol::json::obj;

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

/// A file-service answer that is not a success: its status line and its `error`.
fn refused(answer: &platform::HttpAnswer) -> ClientError {
    ClientError::Refused {
        status: Some((answer.status, answer.status_text.clone())),
        error: json_error(&answer.body),
    }
}

/// `success: false`, with the service's `error`.
fn said_no(data: &Value) -> ClientError {
    ClientError::Refused {
        status: None,
        error: data
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("Unknown error")
            .to_owned(),
    }
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
) -> Result<Upload, ClientError> {
    let invalid = |e: JsValue| ClientError::Invalid(platform::describe_error(&e));
    let form = web_sys::FormData::new().map_err(invalid)?;
    let blob: &web_sys::Blob = file
        .dyn_ref()
        .ok_or_else(|| ClientError::Invalid("file must be a File or Blob".into()))?;
    form.append_with_blob_and_filename("file", blob, file_name)
        .map_err(invalid)?;
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
    let answer = platform::http("POST", &url, &[], Some(&form.into())).await?;
    if !answer.ok() {
        return Err(refused(&answer));
    }
    let data = platform::parse_json_value(&answer.body)?;
    if data.get("success").and_then(Value::as_bool) != Some(true) {
        return Err(said_no(&data));
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
) -> Result<String, ClientError> {
    let url = format!("{}/api/presigned-url", base.trim_end_matches('/'));
    let body = platform::json_text(&obj([
        ("fileKey", file_key.into()),
        ("expiresIn", expires_in.into()),
    ]));
    let answer = platform::http(
        "POST",
        &url,
        &[("Content-Type", "application/json")],
        Some(&JsValue::from_str(&body)),
    )
    .await?;
    if !answer.ok() {
        return Err(refused(&answer));
    }
    let data = platform::parse_json_value(&answer.body)?;
    if data.get("success").and_then(Value::as_bool) != Some(true) {
        return Err(said_no(&data));
    }
    Ok(data
        .get("presignedUrl")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned())
}
