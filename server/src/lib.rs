//! The local Captivate-compatible server: one router, shared state in an `Arc`.

use std::path::PathBuf;

use axum::Router;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;

/// How the server is set up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Folder served at `/` (the built widget and demo page), if any.
    pub static_dir: Option<PathBuf>,
}

/// Builds the router.
pub fn router(config: &Config) -> Router {
    let router = Router::new().route("/healthz", axum::routing::get(|| async { "ok" }));
    match &config.static_dir {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router,
    }
}

/// Serves until the process is stopped.
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    axum::serve(listener, router(&config)).await
}
