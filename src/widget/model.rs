//! The widget's model: the messages a conversation shows, who wrote them and where a
//! visitor's message is, the past conversations, and the signals components read.

use std::sync::Arc;

use leptos::prelude::*;

use super::i18n::{Strings, Text};
use crate::client::platform::{self};
use crate::client::values::JsPart;
use crate::plain_text::markdown_text;
use crate::protocol;

/// A content item as the widget holds it: read from the engine's objects, the parts it does
/// not read kept as the engine's values.
pub type ContentItem = protocol::ContentItem<JsPart>;
/// A button as the widget holds it.
pub type ButtonOption = protocol::ButtonOption<JsPart>;

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

/// Where the rating of a conversation is (the `rating` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survey {
    /// Not asked (or not to be).
    Idle,
    /// "How was this conversation?" is on screen.
    Asking,
    /// Rated: the thanks are on screen.
    Thanked,
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

/// One conversation the widget knows, with signals of its own: it keeps what it shows
/// while the visitor looks at another, so that switching back needs no refetch, and the
/// past-conversations list shows its last message and unread count live.
#[derive(Clone, Copy)]
pub struct Thread {
    pub messages: RwSignal<Vec<Msg>>,
    /// The live agent's name while one is connected.
    pub agent: RwSignal<Option<String>>,
    pub typing: RwSignal<bool>,
    /// Bot and agent messages that arrived while another conversation was on screen.
    pub unread: RwSignal<usize>,
    /// Its transcript was read since the socket last came back (nothing to fetch on a switch).
    pub loaded: RwSignal<bool>,
    /// Notified when a visitor's message is added or changes state, in this thread or any
    /// other of the widget's (one trigger for all): what the visitor's record keeps
    /// (`Controller::keep_record`), without following every bot message.
    pub outgoing: Trigger,
    /// The visitor ended it: it shows closed, with "Start a new conversation".
    pub ended: RwSignal<bool>,
    /// Its rating.
    pub survey: RwSignal<Survey>,
}

/// The same thread (each has signals of its own).
impl PartialEq for Thread {
    fn eq(&self, other: &Thread) -> bool {
        self.messages == other.messages
    }
}

impl Thread {
    pub(super) fn new(outgoing: Trigger) -> Thread {
        Thread {
            messages: RwSignal::new(Vec::new()),
            agent: RwSignal::new(None),
            typing: RwSignal::new(false),
            unread: RwSignal::new(0),
            loaded: RwSignal::new(false),
            outgoing,
            ended: RwSignal::new(false),
            survey: RwSignal::new(Survey::Idle),
        }
    }

    /// Shows a message of the visitor's (typed or attached here, or in another tab).
    pub(super) fn push_outgoing(&self, message: Msg) {
        self.messages.update(|l| l.push(message));
        self.outgoing.notify();
    }

    /// Whether the visitor's message `client_msg_id` is in this thread.
    pub(super) fn holds(&self, client_msg_id: &str) -> bool {
        self.messages.with_untracked(|l| {
            l.iter()
                .any(|m| m.client_msg_id.as_deref() == Some(client_msg_id))
        })
    }

    /// A visitor's message was delivered (with the server's id, when it gave one) or given
    /// up; whether this thread holds it (nothing is notified when it does not).
    pub(super) fn set_state(
        &self,
        client_msg_id: &str,
        state: SendState,
        id: Option<String>,
    ) -> bool {
        let mut held = false;
        self.messages.maybe_update(|list| {
            if let Some(m) = list
                .iter_mut()
                .find(|m| m.client_msg_id.as_deref() == Some(client_msg_id))
            {
                m.state = Some(state);
                if id.is_some() {
                    m.id = id;
                }
                held = true;
            }
            held
        });
        if held {
            self.outgoing.notify();
        }
        held
    }

    /// The last bot, agent or visitor message, as the conversations list shows it
    /// ("Bot: Hello!").
    pub fn last_said(&self, strings: &Strings) -> Option<String> {
        self.messages.with(|list| {
            list.iter()
                .rev()
                .filter(|m| m.author != Author::System)
                .find_map(|m| {
                    let text = line_of(&m.items);
                    (!text.is_empty()).then(|| said(strings, m.author, &text))
                })
        })
    }
}

/// The signals of one widget (each conversation's are in its [`Thread`]).
#[derive(Clone, Copy)]
pub struct Chat {
    /// The link as the panel shows it: up, or being re-established after a loss (neither:
    /// connecting). Two flags rather than a `client::LinkStatus` signal: each value type of a signal
    /// is its own copy of the signal code in the wasm.
    pub online: RwSignal<bool>,
    pub reconnecting: RwSignal<bool>,
    /// The launcher's badge: bot and agent messages that arrived while the panel was closed.
    pub unread: RwSignal<usize>,
    pub open: RwSignal<bool>,
    /// The text for the polite live region (the latest message, with its sender). An
    /// `Option` as `agent` and `current` are (each value type of a signal is its own copy of
    /// the signal code in the wasm).
    pub announcement: RwSignal<Option<String>>,
    /// Whether the list of the visitor's conversations is shown (in place of the
    /// conversation). A flag of its own, so that a change to the list (a deletion) renders
    /// the list again and leaves the rest of the panel, and the focus, where they are.
    pub history_shown: RwSignal<bool>,
    /// Notified when the list of the visitor's conversations changes (the list is the
    /// controller's, `Controller::history`: a signal of its type would be its own copy of the
    /// signal code).
    pub history_changed: Trigger,
    /// The id of the conversation on screen (`None` until it has started); it changes
    /// whenever another thread comes on screen.
    pub current: RwSignal<Option<String>>,
    /// Whether a chime says that the bot or an agent wrote (`sound`, unless muted).
    pub sound_on: RwSignal<bool>,
    /// Whether a system notification says so (`notifications`, once turned on).
    pub notify_on: RwSignal<bool>,
    /// "End this conversation?" is on screen.
    pub confirm_end: RwSignal<bool>,
    /// The pre-chat form is on screen (a new conversation waits for it).
    pub prechat: RwSignal<bool>,
    /// Text for the composer to take (the visitor asked about a selection on the page): the
    /// composer puts it before what it holds and empties this.
    pub quote: RwSignal<Option<String>>,
}

impl Chat {
    pub(super) fn new(open: bool) -> Chat {
        Chat {
            online: RwSignal::new(false),
            reconnecting: RwSignal::new(false),
            unread: RwSignal::new(0),
            open: RwSignal::new(open),
            announcement: RwSignal::new(None),
            history_shown: RwSignal::new(false),
            history_changed: Trigger::new(),
            current: RwSignal::new(None),
            sound_on: RwSignal::new(false),
            notify_on: RwSignal::new(false),
            confirm_end: RwSignal::new(false),
            prechat: RwSignal::new(false),
            quote: RwSignal::new(None),
        }
    }
}

/// How many messages a conversation off screen keeps (its end): a thread holds what the
/// visitor saw so that switching back needs no refetch, but a long conversation left
/// behind must not hold its whole history for the life of the page.
const KEPT_OFF_SCREEN: usize = 100;

/// Trims a list that leaves the screen to its last [`KEPT_OFF_SCREEN`] messages, keeping
/// the visitor's messages not yet delivered wherever they are; whether it dropped any.
pub(super) fn trim_kept(list: &mut Vec<Msg>) -> bool {
    let Some(cut) = list.len().checked_sub(KEPT_OFF_SCREEN).filter(|c| *c > 0) else {
        return false;
    };
    let mut i = 0;
    list.retain(|m| {
        i += 1;
        i > cut || matches!(m.state, Some(SendState::Sending | SendState::Failed))
    });
    // The room the long list took goes too.
    list.shrink_to_fit();
    true
}

/// "Bot: Hello!": a line of a message with who wrote it (the live region, the conversations
/// list).
pub(super) fn said(strings: &Strings, author: Author, line: &str) -> String {
    let who = match author {
        Author::User => strings.get(Text::You),
        Author::Agent => strings.get(Text::Agent),
        _ => strings.get(Text::Bot),
    };
    [who.as_str(), ": ", line].concat()
}

/// What a message says, as one line of plain text (the live region, the conversations
/// list): no markup, no link or image addresses; each text item cut at 200 characters.
pub(super) fn line_of(items: &[ContentItem]) -> String {
    let mut line = String::new();
    for item in items {
        // The parts of one item (cards, files) are separated by ", ", items by a space.
        let start = line.len();
        let mut add = |part: &str| {
            if part.is_empty() {
                return;
            }
            if line.len() > start {
                line.push_str(", ");
            } else if start > 0 {
                line.push(' ');
            }
            line.push_str(part);
        };
        match item {
            ContentItem::Text(t) => add(&t.chars().take(200).collect::<String>()),
            // What a sighted visitor reads: no markup, no link or image addresses.
            ContentItem::Markdown(t) => {
                add(&markdown_text(t).chars().take(200).collect::<String>())
            }
            ContentItem::Buttons(b) => add(b.title.as_deref().unwrap_or_default()),
            ContentItem::Cards(c) => c.iter().filter_map(|c| c.text.as_deref()).for_each(add),
            ContentItem::Files { files, .. } => files
                .iter()
                .filter_map(|f| f.filename.as_deref())
                .for_each(add),
            _ => {}
        }
    }
    line
}
