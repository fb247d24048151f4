//! What a [`ChatClient`](crate::client::ChatClient)'s listeners hear: the link's status, server
//! frames as the engine parsed them, frames that could not be decoded, and the delivery
//! state of outbox messages.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::client::ClientError;
use crate::protocol::{DecodeError, FrameHead};

/// The state of the link to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    /// Not connected and not trying (before `connect()`, after `dispose()`).
    Offline,
    Connecting,
    Online,
    /// Lost; trying again.
    Reconnecting,
}

impl LinkStatus {
    /// The name pages see: `offline`, `connecting`, `online`, `reconnecting`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Offline => "offline",
            LinkStatus::Connecting => "connecting",
            LinkStatus::Online => "online",
            LinkStatus::Reconnecting => "reconnecting",
        }
    }
}

/// Where an outbox message is.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Waiting for the link.
    Queued,
    Sending,
    /// Delivered (the sender's promise resolves with the server's answer).
    Sent,
    /// Given up: why, and whether it had been retried (a transient failure that lasted).
    Failed {
        error: ClientError,
        retried: bool,
    },
}

/// A server frame as the engine's `JSON.parse` made it: what routing read of it, and its
/// parts as parsed objects (`head.payload`, which JS callbacks are handed, so the frame is
/// parsed once).
#[derive(Debug, Clone)]
pub struct Frame {
    pub head: FrameHead<JsValue>,
    /// Where a frame that names no conversation was routed: the conversation that last sent
    /// or was started or switched to ([`ChatClient::touch`]). `None` for one that names its
    /// own (then the head's id is the only copy).
    pub(super) routed_to: Option<String>,
}

impl Frame {
    /// The conversation the client routed it to: the one it names, else the one that last
    /// sent or was started or switched to.
    pub fn conversation(&self) -> Option<&str> {
        self.head
            .conversation_id
            .as_deref()
            .or(self.routed_to.as_deref())
    }
}

/// What listeners hear.
#[derive(Debug)]
pub enum Notice<'a> {
    /// A server event, routed to a conversation.
    Frame(&'a Frame),
    /// A frame that could not be decoded (ignored otherwise).
    BadFrame(&'a DecodeError),
    Link(LinkStatus),
    /// The socket came back with a new id after a loss: transcripts may have gaps to fill.
    Reconnected,
    /// An outbox message changed state.
    Delivery {
        conversation_id: &'a str,
        client_msg_id: &'a str,
        delivery: &'a Delivery,
    },
}

/// A listener; `Rc` so that the list can be copied before calling out.
pub type Listener = Rc<dyn Fn(&Notice)>;
