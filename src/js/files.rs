//! The file service calls behind `CaptivateChatFileManager`: text extraction (and
//! storage) of an upload, and fresh download links. Errors read as in 7.0.0.

use std::cell::RefCell;

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::{error, set};
use crate::client::{files, ClientError, Endpoints};

thread_local! {
    /// The file service the static factories use: the last one an API instance was made for
    /// (none yet: the production preset's).
    static FILE_SERVICE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A failed conversion, as 7.0.0 words it.
fn conversion_error(e: ClientError) -> JsValue {
    error(match e {
        ClientError::Refused { .. } => ["File conversion failed: ", &e.message()].concat(),
        other => ["Failed to convert file to text: ", &other.message()].concat(),
    })
}

/// A failed link request, as 7.0.0 words it.
pub(crate) fn link_error_text(e: &ClientError) -> String {
    match e {
        ClientError::Refused { .. } => ["Secure URL generation failed: ", &e.message()].concat(),
        other => ["Failed to generate secure URL: ", &other.message()].concat(),
    }
}

pub(crate) fn remember_file_service(base: &str) {
    FILE_SERVICE.with(|f| *f.borrow_mut() = Some(base.to_owned()));
}

fn file_service() -> String {
    FILE_SERVICE
        .with(|f| f.borrow().clone())
        .unwrap_or_else(|| Endpoints::preset("prod").files)
}

/// The conversion as `CaptivateChatFileManager` resolves it: `{ text, storageInfo }`.
pub(crate) async fn file_to_text(
    base: &str,
    file: JsValue,
    file_name: &str,
    storage: bool,
    api_key: Option<&str>,
    conversation_id: Option<&str>,
    ttl_days: Option<u32>,
) -> Result<JsValue, JsValue> {
    let upload = files::file_to_text(
        base,
        &file,
        file_name,
        storage,
        api_key,
        conversation_id,
        ttl_days,
    )
    .await
    .map_err(conversion_error)?;
    let result = Object::new();
    set(&result, "text", &JsValue::from_str(&upload.text));
    if let Some(info) = upload.storage {
        set(&result, "storageInfo", &info);
    }
    Ok(result.into())
}

pub(crate) use files::secure_file_url;

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
    super::promise(async move {
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
    super::promise(async move {
        secure_file_url(&file_service(), &file_key, expires_in.unwrap_or(7200))
            .await
            .map(JsValue::from)
            .map_err(|e| error(link_error_text(&e)))
    })
}

/// Points the static file-manager factories at another file service.
#[wasm_bindgen(js_name = setFileServiceUrl)]
pub fn set_file_service_url(url: String) {
    remember_file_service(crate::text::trim_end_byte(&url, b'/'));
}
