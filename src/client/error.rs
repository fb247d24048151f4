//! What can go wrong in the client, as values. Each face words them for its readers:
//! `Display` gives the plain message (7.0.0's own phrases where it has one), and the drop-in
//! (`src/js/`) adds the context 7.0.0 puts around them ("Failed to send message via HTTP: …").

use std::fmt;

/// Why a call into the client failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The client was disposed (by the page, or with its instance).
    Disposed,
    /// No `socket_connected` came within the connect timeout.
    ConnectTimeout,
    /// `reconnect()` used up its attempts.
    ReconnectAttempts(u32),
    /// The socket could not be opened, failed, or closed before it was up (why).
    Socket(String),
    /// The server did not confirm a conversation start on the socket in time.
    StartTimeout,
    /// An HTTP answer that is not a success.
    Http { status: u16, status_text: String },
    /// No HTTP answer at all (the engine's message: offline, refused, CORS…).
    Network(String),
    /// An answer that could not be read (not JSON, or missing what it must hold).
    Answer(String),
    /// The file service said no: its HTTP status and status text when the answer was not a
    /// success (`None` for `success: false`), and its `error`.
    Refused {
        status: Option<(u16, String)>,
        error: String,
    },
    /// What the page passed cannot be sent (a file that is not a `File` or `Blob`…).
    Invalid(String),
}

impl ClientError {
    /// The HTTP status of a refused request (`None`: no answer, or not an HTTP failure).
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Http { status, .. } => Some(*status),
            ClientError::Refused {
                status: Some((status, _)),
                ..
            } => Some(*status),
            _ => None,
        }
    }
}

impl ClientError {
    /// The plain message (what `Display` writes), put together without `format!` (each
    /// formatting call site costs the wasm code of its own).
    pub fn message(&self) -> String {
        match self {
            ClientError::Disposed => "Instance disposed".to_owned(),
            ClientError::ConnectTimeout => {
                "Connection timeout: socket_connected not received".to_owned()
            }
            ClientError::ReconnectAttempts(n) => [
                "Max reconnection attempts (",
                &crate::text::decimal(*n),
                ") reached",
            ]
            .concat(),
            ClientError::StartTimeout => {
                "Timeout: No conversation_start_success received from WebSocket".to_owned()
            }
            ClientError::Http {
                status,
                status_text,
            } => [
                "HTTP request failed: ",
                &crate::text::decimal((*status).into()),
                " ",
                status_text,
            ]
            .concat(),
            ClientError::Refused {
                status: Some((status, text)),
                error,
            } => [
                &crate::text::decimal((*status).into()),
                " ",
                text,
                ". ",
                error,
            ]
            .concat(),
            ClientError::Refused {
                status: None,
                error,
            } => error.clone(),
            ClientError::Socket(why)
            | ClientError::Network(why)
            | ClientError::Answer(why)
            | ClientError::Invalid(why) => why.clone(),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ClientError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_7_0_0_phrases_and_only_http_failures_have_a_status() {
        let http = ClientError::Http {
            status: 503,
            status_text: "Service Unavailable".into(),
        };
        assert_eq!(
            http.to_string(),
            "HTTP request failed: 503 Service Unavailable"
        );
        assert_eq!(http.status(), Some(503));
        assert_eq!(
            ClientError::ReconnectAttempts(5).to_string(),
            "Max reconnection attempts (5) reached"
        );
        assert_eq!(
            ClientError::ConnectTimeout.to_string(),
            "Connection timeout: socket_connected not received"
        );
        for e in [
            ClientError::Disposed,
            ClientError::Network("Failed to fetch".into()),
            ClientError::Socket("WebSocket closed (code 1006)".into()),
        ] {
            assert_eq!(e.status(), None, "{e}");
        }
        assert_eq!(
            ClientError::Network("Failed to fetch".into()).to_string(),
            "Failed to fetch"
        );
        let refused = ClientError::Refused {
            status: Some((413, "Payload Too Large".into())),
            error: "File too large".into(),
        };
        assert_eq!(refused.to_string(), "413 Payload Too Large. File too large");
        // An ordinary Rust error: usable wherever a `dyn Error` is.
        let boxed: Box<dyn std::error::Error> = Box::new(refused.clone());
        assert_eq!(boxed.to_string(), refused.message());
        assert_eq!(refused.status(), Some(413));
        let said_no = ClientError::Refused {
            status: None,
            error: "Unknown error".into(),
        };
        assert_eq!(
            (said_no.to_string().as_str(), said_no.status()),
            ("Unknown error", None)
        );
    }
}
