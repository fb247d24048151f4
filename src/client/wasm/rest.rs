//! REST reads (transcripts, large messages) and starting a conversation.

use futures_channel::oneshot;

use super::chat::{with_timeout_ms, ChatClient, CONNECT_TIMEOUT_MS};
use super::platform::{self, HttpAnswer};
use crate::client::ClientError;
use wasm_bindgen::JsValue;

use crate::protocol::{read_transcript, ClientEvent, JsonView, TranscriptEntry};

impl ChatClient {
    /// GETs a channel REST URL with `x-api-key` (the client's key unless another is given).
    pub(super) async fn get_with_key(
        &self,
        url: &str,
        api_key: Option<&str>,
    ) -> Result<HttpAnswer, ClientError> {
        let key = api_key.unwrap_or(&self.0.api_key);
        platform::http(
            "GET",
            url,
            &[("x-api-key", key), ("Accept", "application/json")],
            None,
        )
        .await
    }

    /// Whether `url` is on the channel API's origin, the only one the API key is sent to
    /// unasked (a link in a server frame may name any host).
    pub(super) fn is_api_origin(&self, url: &str) -> bool {
        let api = platform::origin_of(&self.0.endpoints.channel);
        api.is_some() && platform::origin_of(url) == api
    }

    /// `GET /api/transcript?conversation_id=…`; the answer as it came (callers read the status).
    pub async fn fetch_transcript(
        &self,
        conversation_id: &str,
        api_key: Option<&str>,
    ) -> Result<HttpAnswer, ClientError> {
        self.get_with_key(&self.0.endpoints.transcript_url(conversation_id), api_key)
            .await
    }

    /// A conversation's transcript as the engine's `JSON.parse` made it (what both faces fill
    /// gaps from after a reconnect), read as it is ([`read_transcript`], or
    /// [`transcript_entries`](Self::transcript_entries)). A refused read is
    /// `ClientError::Http` (404: the conversation is gone).
    pub async fn transcript(
        &self,
        conversation_id: &str,
        api_key: Option<&str>,
    ) -> Result<JsValue, ClientError> {
        let answer = self.fetch_transcript(conversation_id, api_key).await?;
        if !answer.ok() {
            return Err(ClientError::Http {
                status: answer.status,
                status_text: answer.status_text,
            });
        }
        answer.parsed()
    }

    /// [`transcript`](Self::transcript), read into entries (each a view of the parsed answer).
    pub async fn transcript_entries(
        &self,
        conversation_id: &str,
        api_key: Option<&str>,
    ) -> Result<Vec<TranscriptEntry<JsValue>>, ClientError> {
        let parsed = self.transcript(conversation_id, api_key).await?;
        Ok(read_transcript(parsed))
    }

    /// The content of a message that was too large for the socket (`general_error` 413
    /// with `message_link`), as the engine's parser made it (keys in the server's order).
    pub async fn fetch_large_message(
        &self,
        link: &str,
        api_key: Option<&str>,
    ) -> Result<JsValue, ClientError> {
        // 7.0.0 sends the key to whatever host the link names; ours only to the API's.
        let answer = if self.is_api_origin(link) {
            self.get_with_key(link, api_key).await?
        } else {
            platform::http("GET", link, &[("Accept", "application/json")], None).await?
        };
        if !answer.ok() {
            return Err(ClientError::Http {
                status: answer.status,
                status_text: answer.status_text,
            });
        }
        let body = answer.parsed()?;
        match body.field("botMessage") {
            Some(message) if JsonView::is_object(&message) => {
                Ok(message.field("content").unwrap_or(JsValue::NULL))
            }
            _ => Err(ClientError::Answer(
                "the answer has no botMessage".to_owned(),
            )),
        }
    }

    // ---------- conversations ----------

    /// Starts a conversation and waits for `conversation_start_success` (10 s).
    pub async fn start_conversation(
        &self,
        user_id: &Option<JsValue>,
        user_basic_info: JsValue,
        metadata: JsValue,
    ) -> Result<String, ClientError> {
        let (tx, rx) = oneshot::channel();
        self.0.st.borrow_mut().start_waiters.push(tx);
        let event = ClientEvent::ConversationStart {
            user_id: user_id.clone(),
            user_basic_info,
            metadata,
        };
        self.send_now(event).await?;
        match with_timeout_ms(rx, CONNECT_TIMEOUT_MS).await {
            Some(Ok(id)) => {
                self.touch(&id);
                Ok(id)
            }
            Some(Err(e)) => Err(e),
            None => Err(ClientError::StartTimeout),
        }
    }
}
