//! The file service (`/api/file-to-text`, `/api/presigned-url`, downloads by token)
//! and the demo bot's own assets (an image, an audio clip, a document, card pictures).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::store::{now_secs, StoredFile};
use crate::AppState;

/// The plain-text document the bot offers.
pub const GUIDE: &str = "Captivate chat demo\n===================\n\nThis file is served by the local Captivate-compatible server.\nThe chat shows it as a document with its name and a download link.\n";

/// Lifetime of a link made at upload, in seconds.
const UPLOAD_LINK_SECONDS: i64 = 7200;

fn failure(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "success": false, "error": error }))).into_response()
}

/// Whether the bytes are text the service can read back.
fn is_text(mimetype: &str, filename: &str) -> bool {
    let lower = filename.to_ascii_lowercase();
    mimetype.starts_with("text/")
        || matches!(
            mimetype,
            "application/json" | "application/xml" | "application/csv"
        )
        || [
            ".txt", ".md", ".csv", ".json", ".xml", ".log", ".html", ".htm",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// `POST /api/file-to-text`: reads the text of a plain-text file and, when `storage`
/// is true, keeps the file and answers with a download link.
pub async fn file_to_text(
    State(state): State<Arc<AppState>>,
    mut multipart: Multipart,
) -> Response {
    let started = std::time::Instant::now();
    let mut file: Option<StoredFile> = None;
    let mut storage = false;
    let mut include_metadata = false;
    let mut path: Option<String> = None;
    let mut ttl_days: Option<i64> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return failure(
                    e.status(),
                    &format!("Invalid multipart body: {}", e.body_text()),
                )
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let filename = field.file_name().unwrap_or("attachment").to_owned();
            let mimetype = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            match field.bytes().await {
                Ok(bytes) => {
                    file = Some(StoredFile {
                        filename,
                        mimetype,
                        bytes: bytes.to_vec(),
                    })
                }
                Err(e) => {
                    return failure(
                        e.status(),
                        &format!("Could not read the file: {}", e.body_text()),
                    )
                }
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "storage" => storage = value.trim().eq_ignore_ascii_case("true"),
            "includeMetadata" => include_metadata = value.trim().eq_ignore_ascii_case("true"),
            "path" => path = Some(value).filter(|p| !p.is_empty()),
            "ttlDays" => match value.trim().parse::<i64>() {
                Ok(d) if [1, 7, 30, 90].contains(&d) => ttl_days = Some(d),
                _ => {
                    return failure(
                        StatusCode::BAD_REQUEST,
                        "ttlDays must be one of 1, 7, 30, 90",
                    )
                }
            },
            _ => {}
        }
    }
    let Some(file) = file else {
        return failure(StatusCode::BAD_REQUEST, "No file provided (field `file`)");
    };
    // With keys configured, an upload names one (7.0.0 sends `path` = `apiKey/conversationId`).
    if !state.key_in_path_allowed(path.as_deref().unwrap_or("")) {
        return failure(
            StatusCode::FORBIDDEN,
            "A valid API key is required: `path` must start with it",
        );
    }
    let text = if is_text(&file.mimetype, &file.filename) {
        String::from_utf8_lossy(&file.bytes).into_owned()
    } else {
        String::new()
    };
    let mut answer = json!({
        "success": true,
        "text": text,
        "fileSize": file.bytes.len(),
    });
    if include_metadata {
        answer["metadata"] = json!({ "filename": file.filename, "mimetype": file.mimetype, "size": file.bytes.len(), "extracted": !text.is_empty() });
    }
    if storage {
        let safe_name: String = file
            .filename
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let key = format!(
            "{}/{}-{}",
            path.as_deref().unwrap_or("anonymous"),
            uuid::Uuid::new_v4().simple(),
            safe_name
        );
        let expires_at = now_secs() + UPLOAD_LINK_SECONDS;
        let stored = state
            .store
            .add_file(&key, &file, &text, ttl_days)
            .and_then(|_| state.store.add_file_link(&key, expires_at));
        match stored {
            Ok(Some(token)) => {
                answer["fileKey"] = json!(key);
                answer["presignedUrl"] = json!(format!("{}/files/{token}", state.public_origin()));
                answer["expiresIn"] = json!(expires_at);
            }
            Ok(None) => {
                return failure(StatusCode::INTERNAL_SERVER_ERROR, "The file was not stored")
            }
            Err(e) => return failure(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        }
    }
    answer["processingTime"] = json!(started.elapsed().as_millis() as u64);
    Json(answer).into_response()
}

/// `POST /api/presigned-url`: a fresh download link for a stored file.
pub async fn presigned_url(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return failure(
            StatusCode::BAD_REQUEST,
            "Body must be JSON: { fileKey, expiresIn }",
        );
    };
    let Some(key) = request.get("fileKey").and_then(Value::as_str) else {
        return failure(StatusCode::BAD_REQUEST, "fileKey is required");
    };
    if !state.key_in_path_allowed(key) {
        return failure(StatusCode::FORBIDDEN, "A valid API key is required");
    }
    let seconds = request
        .get("expiresIn")
        .and_then(Value::as_i64)
        .unwrap_or(7200)
        .clamp(1, 7 * 24 * 3600);
    // `expiresIn` asks for a lifetime in seconds; every answer's `expiresIn` is the link's
    // expiry time in epoch seconds (as the upload's, which clients store and compare to now).
    let expires_at = now_secs() + seconds;
    match state.store.add_file_link(key, expires_at) {
        Ok(Some(token)) => Json(json!({
            "success": true,
            "presignedUrl": format!("{}/files/{token}", state.public_origin()),
            "expiresIn": expires_at,
        }))
        .into_response(),
        Ok(None) => failure(StatusCode::NOT_FOUND, "File not found"),
        Err(e) => failure(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn download(bytes: Vec<u8>, mimetype: &str, filename: &str) -> Response {
    let safe: String = filename
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != '\\')
        .collect();
    (
        [
            (header::CONTENT_TYPE, mimetype.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{safe}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            // Uploaded files are served inert: no script even if someone uploads HTML or SVG.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self' data:; media-src 'self'; sandbox".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /files/{token}`: a stored file, while its link is valid.
pub async fn stored_file(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Response {
    match state.store.file_by_link(&token) {
        Ok(Some(f)) => download(f.bytes, &f.mimetype, &f.filename),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "This link has expired or does not exist.",
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn card_svg(hue: u16, label: &str) -> Vec<u8> {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"180\" viewBox=\"0 0 320 180\"><defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"><stop offset=\"0\" stop-color=\"hsl({hue},80%,65%)\"/><stop offset=\"1\" stop-color=\"hsl({},70%,40%)\"/></linearGradient></defs><rect width=\"320\" height=\"180\" fill=\"url(#g)\"/><text x=\"160\" y=\"100\" font-family=\"sans-serif\" font-size=\"28\" fill=\"#fff\" text-anchor=\"middle\">{label}</text></svg>",
        (hue + 40) % 360
    )
    .into_bytes()
}

/// One second of a 440 Hz tone as 8 kHz, 8-bit mono WAV.
fn tone_wav() -> Vec<u8> {
    let rate: u32 = 8000;
    let samples: Vec<u8> = (0..rate)
        .map(|i| {
            let t = i as f64 / rate as f64;
            let fade = (1.0 - t).min(t * 20.0).min(1.0);
            (128.0 + 90.0 * fade * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as u8
        })
        .collect();
    let mut wav = Vec::with_capacity(44 + samples.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&rate.to_le_bytes()); // byte rate
    wav.extend_from_slice(&1u16.to_le_bytes()); // block align
    wav.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(&samples);
    wav
}

/// `GET /assets/{name}`: the demo bot's media.
pub async fn asset(Path(name): Path<String>) -> Response {
    let (bytes, mimetype) = match name.as_str() {
        "demo-image.svg" => (card_svg(200, "Captivate"), "image/svg+xml"),
        "card-1.svg" => (card_svg(30, "Sunrise"), "image/svg+xml"),
        "card-2.svg" => (card_svg(210, "Ocean"), "image/svg+xml"),
        "card-3.svg" => (card_svg(120, "Forest"), "image/svg+xml"),
        "demo-tone.wav" => (tone_wav(), "audio/wav"),
        "captivate-guide.txt" => (GUIDE.as_bytes().to_vec(), "text/plain; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "No such asset").into_response(),
    };
    download(bytes, mimetype, &name)
}
