//! Where a client connects: the `prod`/`dev` presets of captivate-chat-api 7.0.0, or any
//! base URLs an embedder (or a test against the local server) configures.

/// The three base URLs a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// WebSocket base, e.g. `wss://channel.wss.captivatechat.ai` (the client adds `/dev?apiKey=…`).
    pub socket: String,
    /// Channel HTTP base (messages, transcripts).
    pub channel: String,
    /// File service base (`/api/file-to-text`, `/api/presigned-url`).
    pub files: String,
}

impl Endpoints {
    /// The official hosts for a mode; anything but `dev` is `prod`, as in 7.0.0.
    pub fn preset(mode: &str) -> Endpoints {
        if mode == "dev" {
            Endpoints {
                socket: "wss://channel-dev.wss.captivatechat.ai".into(),
                channel: "https://channel.dev.captivat.io".into(),
                files: "https://file-to-text.prod.captivat.io".into(),
            }
        } else {
            Endpoints {
                socket: "wss://channel.wss.captivatechat.ai".into(),
                channel: "https://channel.prod.captivat.io".into(),
                files: "https://file-to-text.prod.captivat.io".into(),
            }
        }
    }

    /// One local server for everything: `http://127.0.0.1:8080` → `ws://127.0.0.1:8080` etc.
    pub fn single_origin(origin: &str) -> Endpoints {
        let origin = crate::text::trim_end_byte(origin, b'/');
        let socket = if let Some(rest) = origin.strip_prefix("https://") {
            ["wss://", rest].concat()
        } else if let Some(rest) = origin.strip_prefix("http://") {
            ["ws://", rest].concat()
        } else {
            origin.to_owned()
        };
        Endpoints {
            socket,
            channel: origin.to_owned(),
            files: origin.to_owned(),
        }
    }

    /// Overrides the preset's bases with those given (empty strings are ignored).
    pub fn with_overrides(
        mut self,
        socket: Option<String>,
        channel: Option<String>,
        files: Option<String>,
    ) -> Self {
        let clean = |s: Option<String>| {
            s.map(|v| crate::text::trim_end_byte(&v, b'/').to_owned())
                .filter(|v| !v.is_empty())
        };
        if let Some(s) = clean(socket) {
            self.socket = s;
        }
        if let Some(c) = clean(channel) {
            self.channel = c;
        }
        if let Some(f) = clean(files) {
            self.files = f;
        }
        self
    }

    /// The WebSocket URL for an API key, with the key URL-encoded.
    pub fn socket_url(&self, api_key: &str) -> String {
        [&self.socket, "/dev?apiKey=", &encode_component(api_key)].concat()
    }

    /// Where every client event is POSTed.
    pub fn message_url(&self) -> String {
        [&self.channel, "/api/custom-channel/sockets/message"].concat()
    }

    /// The transcript of a conversation.
    pub fn transcript_url(&self, conversation_id: &str) -> String {
        [
            &self.channel,
            "/api/transcript?conversation_id=",
            &encode_component(conversation_id),
        ]
        .concat()
    }
}

/// The file service's conversion endpoint, under `files` (a file service base as
/// [`Endpoints::files`] holds it, or as `setFileServiceUrl` keeps it: no trailing `/`).
pub fn file_to_text_url(files: &str) -> String {
    [files, "/api/file-to-text"].concat()
}

/// The file service's endpoint for fresh links to stored files, under `files` (as above).
pub fn presigned_url(files: &str) -> String {
    [files, "/api/presigned-url"].concat()
}

/// `encodeURIComponent`: keeps `A-Z a-z 0-9 - _ . ! ~ * ' ( )`, escapes the rest as UTF-8.
pub fn encode_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_match_the_official_hosts() {
        let prod = Endpoints::preset("prod");
        assert_eq!(
            prod.socket_url("k"),
            "wss://channel.wss.captivatechat.ai/dev?apiKey=k"
        );
        assert_eq!(
            prod.message_url(),
            "https://channel.prod.captivat.io/api/custom-channel/sockets/message"
        );
        let dev = Endpoints::preset("dev");
        assert_eq!(
            dev.socket_url("k"),
            "wss://channel-dev.wss.captivatechat.ai/dev?apiKey=k"
        );
        assert_eq!(
            dev.transcript_url("a b"),
            "https://channel.dev.captivat.io/api/transcript?conversation_id=a%20b"
        );
        assert_eq!(
            file_to_text_url(&dev.files),
            "https://file-to-text.prod.captivat.io/api/file-to-text"
        );
    }

    #[test]
    fn a_local_server_serves_everything() {
        let e = Endpoints::single_origin("http://127.0.0.1:8080/");
        assert_eq!(e.socket_url("k&x"), "ws://127.0.0.1:8080/dev?apiKey=k%26x");
        assert_eq!(
            presigned_url(&e.files),
            "http://127.0.0.1:8080/api/presigned-url"
        );
        assert_eq!(
            file_to_text_url(&e.files),
            "http://127.0.0.1:8080/api/file-to-text"
        );
        let e = Endpoints::preset("prod").with_overrides(
            None,
            Some("https://c.example/".into()),
            Some(String::new()),
        );
        assert_eq!(e.channel, "https://c.example");
        assert_eq!(e.files, "https://file-to-text.prod.captivat.io");
    }

    #[test]
    fn encode_component_matches_javascript() {
        assert_eq!(
            encode_component("a-b_c.d!e~f*g'h(i)j"),
            "a-b_c.d!e~f*g'h(i)j"
        );
        assert_eq!(encode_component("é/?="), "%C3%A9%2F%3F%3D");
    }
}
