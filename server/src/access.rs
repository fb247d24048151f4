//! Who may use the server from a browser. By default only pages of the server's own
//! origin and of loopback origins (a developer's sites on `localhost`), plus origins named
//! with `--allow-origin` (`*` for any): CORS answers only those, and a WebSocket opened by
//! any other page is refused. On a loopback bind, a request whose `Host` is not a loopback
//! name or the configured public host is refused too (a DNS-rebinding page would reach the
//! server under its own name).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{ApiError, AppState};

/// The host part of a `host[:port]` (brackets kept for IPv6).
fn host_name(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn is_loopback_name(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost")
}

/// `scheme://host[:port]` of an origin or URL, lower-cased; `None` when it is not one.
fn origin_parts(origin: &str) -> Option<(&str, String)> {
    let (scheme, rest) = origin.split_once("://")?;
    let authority = rest.split('/').next().unwrap_or(rest);
    Some((scheme, authority.to_ascii_lowercase()))
}

impl AppState {
    /// Whether a page of `origin` may call the server (CORS) or open a socket.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let allowed = &self.config.allowed_origins;
        if allowed
            .iter()
            .any(|o| o == "*" || o.trim_end_matches('/') == origin)
        {
            return true;
        }
        if origin.eq_ignore_ascii_case(&self.public_origin()) {
            return true;
        }
        match origin_parts(origin) {
            Some(("http" | "https", authority)) => is_loopback_name(host_name(&authority)),
            _ => false,
        }
    }

    /// Whether a request naming `host` (its `Host` header) is for this server.
    fn host_allowed(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let name = host_name(&host);
        if is_loopback_name(name) {
            return true;
        }
        let public = self.public_origin();
        if origin_parts(&public).is_some_and(|(_, a)| host_name(&a) == name) {
            return true;
        }
        // Bound to every interface (a LAN demo): any name reaches it on purpose.
        !self.bound_to_loopback()
    }
}

/// The CORS answers: the allowed origins, the methods and headers the clients use.
pub fn cors(state: &Arc<AppState>) -> CorsLayer {
    let state = state.clone();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| state.origin_allowed(o))
        }))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-api-key"),
        ])
}

/// Refuses requests for another host name (DNS rebinding), and sockets and state-changing
/// requests (every method but GET and HEAD) sent by pages of origins that are not allowed,
/// before their body is read: CORS only hides an answer from such a page, while a form post,
/// a `no-cors` fetch or a `text/plain` body goes out without asking first. A browser names
/// the page's origin on every such request; one that names none and says it is cross-site
/// (`Sec-Fetch-Site`) is refused too. Clients that are not browsers (Node, the tests) send
/// neither and are served.
pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        if !state.host_allowed(host) {
            return ApiError::new(StatusCode::FORBIDDEN, format!("Host not allowed: {host}"))
                .into_response();
        }
    }
    let upgrade = headers
        .get(header::UPGRADE)
        .and_then(|u| u.to_str().ok())
        .is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if upgrade || writes {
        match headers.get(header::ORIGIN).map(|o| o.to_str()) {
            Some(Ok(origin)) if state.origin_allowed(origin) => {}
            Some(origin) => {
                let origin = origin.unwrap_or("(not text)");
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    format!("Origin not allowed: {origin} (see --allow-origin)"),
                )
                .into_response();
            }
            None => {
                let cross_site = headers
                    .get("sec-fetch-site")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
                if cross_site {
                    return ApiError::new(
                        StatusCode::FORBIDDEN,
                        "A cross-site request must name its origin",
                    )
                    .into_response();
                }
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        assert_eq!(host_name("localhost:8080"), "localhost");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("example.com"), "example.com");
        assert!(is_loopback_name("app.localhost"));
        assert!(!is_loopback_name("localhost.evil.com"));
        assert_eq!(
            origin_parts("http://LOCALHOST:3000"),
            Some(("http", "localhost:3000".to_owned()))
        );
        assert_eq!(origin_parts("null"), None);
    }
}
