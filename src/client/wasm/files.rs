//! The file service: text extraction (and storage) of an upload, and fresh download
//! links. Used by the drop-in's `CaptivateChatFileManager` and by the widget's attach
//! button. Errors are `ClientError`s; the drop-in words them as 7.0.0 does.

use wasm_bindgen::{JsCast, JsValue};

use super::platform;
use super::values::{self, get, set};
use crate::client::endpoints;
use crate::client::ClientError;
use crate::protocol::JsonBuild;

/// What the file service said about an upload.
#[derive(Debug, Clone)]
pub struct Upload {
    pub text: String,
    /// `{ fileKey, presignedUrl, expiresIn, fileSize, processingTime }` when stored, as
    /// 7.0.0 reports it (`storageInfo`: every key, `undefined` for what the service left
    /// out).
    pub storage: Option<JsValue>,
}

/// The keys of [`Upload::storage`].
const STORAGE_KEYS: [&str; 5] = [
    "fileKey",
    "presignedUrl",
    "expiresIn",
    "fileSize",
    "processingTime",
];

/// A file-service answer that is not a success: its status line and its `error`.
fn refused(answer: &platform::HttpAnswer) -> ClientError {
    ClientError::Refused {
        status: Some((answer.status, answer.status_text.clone())),
        error: get(&answer.json(), "error").as_string().unwrap_or_default(),
    }
}

/// The answer as the engine parses it, unless it is not `success: true` (then the service's
/// `error`).
fn succeeded(answer: &platform::HttpAnswer) -> Result<JsValue, ClientError> {
    let data = answer.parsed()?;
    if get(&data, "success").as_bool() != Some(true) {
        return Err(ClientError::Refused {
            status: None,
            error: get(&data, "error")
                .as_string()
                .unwrap_or_else(|| "Unknown error".to_owned()),
        });
    }
    Ok(data)
}

/// `POST {base}/api/file-to-text` (multipart); `base` as [`crate::client::Endpoints::files`] holds it.
pub async fn file_to_text(
    base: &str,
    file: &JsValue,
    file_name: &str,
    storage: bool,
    api_key: Option<&str>,
    conversation_id: Option<&str>,
    ttl_days: Option<u32>,
) -> Result<Upload, ClientError> {
    let invalid = |e: JsValue| ClientError::Invalid(values::describe_error(&e));
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
        let _ = form.append_with_str("path", &[k, "/", c].concat());
    }
    if let Some(d) = ttl_days.filter(|d| [1, 7, 30, 90].contains(d)) {
        let _ = form.append_with_str("ttlDays", &crate::text::decimal(d));
    }
    let answer = platform::http(
        "POST",
        &endpoints::file_to_text_url(base),
        &[],
        Some(&form.into()),
    )
    .await?;
    if !answer.ok() {
        return Err(refused(&answer));
    }
    let data = succeeded(&answer)?;
    let storage = storage.then(|| {
        let info = js_sys::Object::new();
        for key in STORAGE_KEYS {
            set(&info, key, &get(&data, key));
        }
        JsValue::from(info)
    });
    Ok(Upload {
        text: get(&data, "text").as_string().unwrap_or_default(),
        storage,
    })
}

/// `POST {base}/api/presigned-url`: a fresh link for a stored file (`base` as above).
pub async fn secure_file_url(
    base: &str,
    file_key: &str,
    expires_in: u32,
) -> Result<String, ClientError> {
    let body = JsValue::object(&[
        ("fileKey", Some(JsValue::from_str(file_key))),
        ("expiresIn", Some(JsValue::from(expires_in))),
    ]);
    let answer = platform::http(
        "POST",
        &endpoints::presigned_url(base),
        &[("Content-Type", "application/json")],
        Some(&values::json_string(&body)),
    )
    .await?;
    if !answer.ok() {
        return Err(refused(&answer));
    }
    Ok(get(&succeeded(&answer)?, "presignedUrl")
        .as_string()
        .unwrap_or_default())
}
