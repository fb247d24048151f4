//! The widget's model: the messages a conversation shows, who wrote them and where a
//! visitor's message is, the past conversations, and the signals components read.

use std::sync::Arc;

use leptos::prelude::*;

use crate::client::platform::{self};
use crate::client::LinkStatus;
use crate::protocol::ContentItem;

/// Who wrote a message shown in the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    User,
    Bot,
    Agent,
    /// A note from the widget (agent joined, an error…).
    System,
}

/// Where a visitor's message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendState {
    Sending,
    Sent,
    Failed,
}

/// One message in the list.
#[derive(Debug, Clone)]
pub struct Msg {
    /// Stable key for the list.
    pub key: u64,
    pub author: Author,
    /// Shared: the list is cloned by the view on every change, the items are not.
    pub items: Arc<Vec<ContentItem>>,
    /// Milliseconds since the epoch.
    pub time: f64,
    /// The server's message id, when known (used to merge transcripts).
    pub id: Option<String>,
    pub client_msg_id: Option<String>,
    pub state: Option<SendState>,
    /// The agent's name for agent messages.
    pub name: Option<String>,
}

impl Msg {
    /// A message shown now, with no ids and no delivery state yet.
    pub(super) fn new(key: u64, author: Author, items: Vec<ContentItem>) -> Msg {
        Msg {
            key,
            author,
            items: Arc::new(items),
            time: platform::now_ms(),
            id: None,
            client_msg_id: None,
            state: None,
            name: None,
        }
    }

    /// What the visitor sent, while it is being sent.
    pub(super) fn outgoing(key: u64, item: ContentItem, client_msg_id: &str) -> Msg {
        Msg {
            client_msg_id: Some(client_msg_id.to_owned()),
            state: Some(SendState::Sending),
            ..Msg::new(key, Author::User, vec![item])
        }
    }
}

/// An earlier conversation of the visitor, as listed by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Past {
    pub id: String,
    pub title: Option<String>,
    /// Milliseconds since the epoch, when the server says.
    pub updated: Option<f64>,
}

/// The signals of one widget.
#[derive(Clone, Copy)]
pub struct Chat {
    pub messages: RwSignal<Vec<Msg>>,
    pub link: RwSignal<LinkStatus>,
    pub agent: RwSignal<Option<String>>,
    pub typing: RwSignal<bool>,
    pub unread: RwSignal<u32>,
    pub open: RwSignal<bool>,
    /// The text for the polite live region (the latest message, with its sender).
    pub announcement: RwSignal<String>,
    /// The visitor's conversations while that list is shown.
    pub history: RwSignal<Option<Vec<Past>>>,
    /// The conversation on screen.
    pub current: RwSignal<Option<String>>,
}

impl Chat {
    pub(super) fn new(open: bool) -> Chat {
        Chat {
            messages: RwSignal::new(Vec::new()),
            link: RwSignal::new(LinkStatus::Offline),
            agent: RwSignal::new(None),
            typing: RwSignal::new(false),
            unread: RwSignal::new(0),
            open: RwSignal::new(open),
            announcement: RwSignal::new(String::new()),
            history: RwSignal::new(None),
            current: RwSignal::new(None),
        }
    }
}
