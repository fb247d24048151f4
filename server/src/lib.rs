//! The local Captivate-compatible server: one router, shared state in an `Arc`.
//!
//! It speaks the custom-channel protocol of `shared/reference/PROTOCOL.md` on loopback
//! (WebSocket at `/dev?apiKey=…`, HTTP sends, transcripts, the file service), keeps
//! conversations in SQLite, answers with a scripted demo bot, and serves the built
//! widget and demo page. Fault injection for tests is off unless enabled.

mod access;
pub mod bot;
mod channel;
mod faults;
pub mod files;
mod hub;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;

pub use store::Store;

/// Largest accepted channel request body (a message, metadata…).
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;
/// Largest accepted upload to the file service.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// Where conversations are kept.
#[derive(Debug, Clone)]
pub enum Database {
    File(PathBuf),
    Memory,
}

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder served at `/` (the built widget and demo page), if any.
    pub static_dir: Option<PathBuf>,
    pub database: Database,
    /// Accepted API keys; `None` accepts any non-empty key.
    pub api_keys: Option<Vec<String>>,
    /// How long the bot "thinks" before its first reply to a message.
    pub bot_delay: Duration,
    /// Enables the `/__faults/*` endpoints.
    pub faults: bool,
    /// The origin links to this server are built on (`message_link`, `presignedUrl`), e.g.
    /// `https://chat.example.com`; `None`: the address the server is bound to. Never the
    /// request's `Host` header, which any client can forge.
    pub public_url: Option<String>,
    /// Origins whose pages may call the server besides its own and loopback ones (`*`: any).
    pub allowed_origins: Vec<String>,
    /// How long a connection may take to send a request's headers.
    pub header_timeout: Duration,
    /// How often an idle socket is pinged; one that answers nothing for 2½ times this is closed.
    pub ping_interval: Duration,
    /// The most sockets one API key may have open at once.
    pub max_sockets_per_key: usize,
    /// How long a conversation's bot worker waits for work before it ends.
    pub bot_idle: Duration,
    /// Days after which what nothing else dates is removed: conversations without their own
    /// `timeToLive` (after their last change), uploads without `ttlDays`, large messages.
    /// 0 keeps them.
    pub retention_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            static_dir: None,
            database: Database::Memory,
            api_keys: None,
            bot_delay: Duration::from_millis(250),
            faults: false,
            public_url: None,
            allowed_origins: Vec::new(),
            header_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(30),
            max_sockets_per_key: 200,
            bot_idle: Duration::from_secs(60),
            retention_days: 30,
        }
    }
}

/// Everything the handlers share.
pub struct AppState {
    pub config: Config,
    pub store: Store,
    hub: hub::Hub,
    bots: channel::BotRunner,
    faults: faults::Faults,
    /// `http://` and the bound address, once the listener is bound.
    bound: std::sync::OnceLock<String>,
    /// Whether it listens on loopback only.
    loopback: std::sync::OnceLock<bool>,
}

/// What the server holds in memory besides its database: bounded by what is live (open
/// sockets, talking conversations), not by every conversation it has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub sockets: usize,
    pub routes: usize,
    pub bot_workers: usize,
    /// Conversations a (simulated) human agent has taken over.
    pub agents: usize,
}

impl AppState {
    /// What the server holds in memory now.
    pub fn held(&self) -> Held {
        let (bot_workers, agents) = self.bots.held();
        Held {
            sockets: self.hub.open_sockets(),
            routes: self.hub.routes(),
            bot_workers,
            agents,
        }
    }

    fn bound_to_loopback(&self) -> bool {
        self.loopback.get().copied().unwrap_or(true)
    }

    /// With keys configured, whether a file path or key (`apiKey/…`) starts with one.
    fn key_in_path_allowed(&self, path: &str) -> bool {
        match &self.config.api_keys {
            None => true,
            Some(_) => path
                .split('/')
                .next()
                .is_some_and(|key| self.key_allowed(key)),
        }
    }

    /// The origin of links back to this server: the configured public URL, else the
    /// address it listens on (an unspecified address as loopback).
    pub fn public_origin(&self) -> String {
        match &self.config.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => self
                .bound
                .get()
                .cloned()
                .unwrap_or_else(|| "http://127.0.0.1".to_owned()),
        }
    }

    /// Whether `key` may use the server.
    fn key_allowed(&self, key: &str) -> bool {
        !key.is_empty()
            && self
                .config
                .api_keys
                .as_ref()
                .is_none_or(|keys| keys.iter().any(|k| k == key))
    }
}

/// An error answer: `{status:"error", error}` with an HTTP status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({ "status": "error", "error": self.message })),
        )
            .into_response()
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

/// Opens the database and builds the shared state.
pub fn state(config: Config) -> Result<Arc<AppState>, store::StoreError> {
    let store = match &config.database {
        Database::File(path) => Store::open(path)?,
        Database::Memory => Store::in_memory()?,
    };
    Ok(Arc::new(AppState {
        config,
        store,
        hub: hub::Hub::default(),
        bots: channel::BotRunner::default(),
        faults: faults::Faults::default(),
        bound: std::sync::OnceLock::new(),
        loopback: std::sync::OnceLock::new(),
    }))
}

/// Builds the router.
pub fn router(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/dev", get(channel::socket))
        .route(
            "/api/custom-channel/sockets/message",
            post(channel::message).layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES)),
        )
        .route("/api/transcript", get(channel::transcript))
        .route("/api/messages/{id}", get(channel::large_message))
        .route(
            "/api/file-to-text",
            post(files::file_to_text).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/api/presigned-url", post(files::presigned_url))
        .route("/files/{token}", get(files::stored_file))
        .route("/assets/{name}", get(files::asset));
    if state.config.faults {
        router = router.nest("/__faults", faults::router());
    }
    if let Some(dir) = &state.config.static_dir {
        let files = Router::new()
            .fallback_service(ServeDir::new(dir))
            .layer(axum::middleware::from_fn(cache_static));
        router = router.fallback_service(files);
    }
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::guard,
        ))
        .layer(access::cors(&state))
        .with_state(state)
}

/// How long a browser may keep a built file. The build names every widget file but the
/// embed loader after its content (`captivate-widget.<hash>.wasm`): those for good; the
/// rest (pages, the loader, which names the others) is checked again each time.
async fn cache_static(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let for_good = content_named(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let value = if for_good {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(value),
        );
    }
    response
}

/// `…/captivate-<name>.<10 lowercase hex digits>.js|wasm|json`.
fn content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplitn(3, '.');
    let (ext, hash, stem) = (parts.next(), parts.next(), parts.next());
    matches!(ext, Some("js" | "wasm" | "json"))
        && hash.is_some_and(|h| {
            h.len() == 10
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        && stem.is_some_and(|s| s.starts_with("captivate-"))
}

/// Serves until the process is stopped.
pub async fn serve(listener: TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    let mut addr = listener.local_addr()?;
    let _ = state.loopback.set(addr.ip().is_loopback());
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let _ = state.bound.set(format!("http://{addr}"));
    let header_timeout = state.config.header_timeout;
    tokio::spawn(sweep_expired(state.clone()));
    let app = router(state);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a moment instead of spinning or stopping.
            Err(e) if is_transient_accept_error(&e) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            // A connection that never finishes its headers is closed (it held a descriptor for ever).
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades();
            let _ = connection.await;
        });
    }
}

/// Keeps every conversation's `timeToLive`, every file's `ttlDays` and the retention of what
/// has neither (`Config::retention_days`): a sweep at start, then every ten minutes, for as
/// long as the server serves.
async fn sweep_expired(state: Arc<AppState>) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(e) = state
            .store
            .sweep_expired(store::now_secs(), state.config.retention_days)
        {
            eprintln!("captivate-server: retention sweep failed: {e}");
        }
    }
}

fn is_transient_accept_error(e: &std::io::Error) -> bool {
    !matches!(
        e.kind(),
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::PermissionDenied
    )
}
