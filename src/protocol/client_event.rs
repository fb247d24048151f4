//! Client → server events: what `captivate-chat-api` 7.0.0 POSTs to
//! `/api/custom-channel/sockets/message` (and what the manual's older flow sends
//! over the socket itself), with the exact field names and defaults it uses.

use serde_json::Value;

use super::json::JsonBuild;

/// The `action` of every client envelope.
pub const CLIENT_ACTION: &str = "sendMessage";
/// The `type` the official client puts on messages and edits.
pub const MESSAGE_CREATE: &str = "message_create";

/// One client → server event. Its JSON parts are `serde_json` values where it is decoded
/// (the server, native tests) and the engine's own objects where a client builds one
/// ([`JsonBuild`]): what the page gave goes out as it is, without a conversion each way.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent<V = Value> {
    /// Starts a conversation; the reply is `conversation_start_success` on the socket.
    /// 7.0.0 always sends `metadata.private` (its default `{}` is truthy).
    /// User ids and flags are JSON values: 7.0.0 passes on what the page gave (a number
    /// stays a number, `undefined` is left out); a server reads them with [`user_key`](super::user_key)
    /// and [`flag`].
    ConversationStart {
        user_id: Option<V>,
        user_basic_info: V,
        metadata: V,
    },
    /// A visitor's message. `content` is `{type:"text", text}` for a string, else as given.
    UserMessage {
        client_msg_id: Option<String>,
        conversation_id: String,
        content: V,
    },
    /// A visitor's action (e.g. the reserved `escalateToHuman`).
    Action {
        id: String,
        data: V,
        conversation_id: String,
    },
    /// Sets metadata; `{private: …}` for private metadata, `{timeToLive: d}` for a TTL.
    Metadata {
        metadata: V,
        client_msg_id: Option<String>,
        conversation_id: String,
        target: Option<String>,
    },
    /// Asks for the conversation's metadata; the HTTP answer carries it.
    MetadataRequest { conversation_id: String },
    /// Replaces the content of an earlier message.
    EditMessage {
        client_msg_id: Option<String>,
        conversation_id: String,
        message_id: String,
        content: V,
    },
    /// Deletes one conversation; soft by default.
    DeleteConversation { conversation_id: String, soft: V },
    /// Lists a user's conversations (v1: no options).
    GetUserConversations { user_id: Option<V> },
    /// Lists a user's conversations with options; each is sent only when non-empty.
    GetUserConversationsV2 {
        user_id: Option<V>,
        filter: Option<V>,
        search: Option<V>,
        pagination: Option<V>,
        api_keys: Option<Vec<String>>,
    },
    /// Deletes every conversation of a user; soft by default.
    DeleteUserConversations { user_id: V, soft: V },
    /// Asks for a transcript over the socket (the manual's flow; 7.0.0 uses HTTP).
    ConversationTranscriptRequest { conversation_id: String },
    /// Any other event type, kept as sent.
    Unknown { event_type: String, payload: V },
}

/// A client event with the socket that should receive the replies.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFrame<V = Value> {
    pub event: ClientEvent<V>,
    /// 7.0.0 always sends the key, `null` before `socket_connected`.
    pub socket_id: Option<String>,
}

impl<V: JsonBuild> ClientEvent<V> {
    /// The wire name of this event.
    pub fn event_type(&self) -> &str {
        match self {
            ClientEvent::ConversationStart { .. } => "conversation_start",
            ClientEvent::UserMessage { .. } => "user_message",
            ClientEvent::Action { .. } => "action",
            ClientEvent::Metadata { .. } => "metadata",
            ClientEvent::MetadataRequest { .. } => "metadata_request",
            ClientEvent::EditMessage { .. } => "edit_message",
            ClientEvent::DeleteConversation { .. } => "delete_conversation",
            ClientEvent::GetUserConversations { .. } => "get_user_conversations",
            ClientEvent::GetUserConversationsV2 { .. } => "get_user_conversations_v2",
            ClientEvent::DeleteUserConversations { .. } => "delete_user_conversations",
            ClientEvent::ConversationTranscriptRequest { .. } => "conversation_transcript_request",
            ClientEvent::Unknown { event_type, .. } => event_type,
        }
    }

    /// The conversation this event is about, if any.
    pub fn conversation_id(&self) -> Option<&str> {
        match self {
            ClientEvent::UserMessage {
                conversation_id, ..
            }
            | ClientEvent::Action {
                conversation_id, ..
            }
            | ClientEvent::Metadata {
                conversation_id, ..
            }
            | ClientEvent::MetadataRequest { conversation_id }
            | ClientEvent::EditMessage {
                conversation_id, ..
            }
            | ClientEvent::DeleteConversation {
                conversation_id, ..
            }
            | ClientEvent::ConversationTranscriptRequest { conversation_id } => {
                Some(conversation_id)
            }
            _ => None,
        }
    }

    /// `content` as 7.0.0 builds it: a string becomes `{type:"text", text}`.
    pub fn text_content(text: &str) -> V {
        V::object(&[
            ("type", Some(V::text("text"))),
            ("text", Some(V::text(text))),
        ])
    }

    /// The `event_payload` exactly as the official client sends it.
    pub fn payload(&self) -> V {
        let s = |v: &str| Some(V::text(v));
        let opt = |v: &Option<String>| v.as_deref().and_then(s);
        match self {
            ClientEvent::ConversationStart {
                user_id,
                user_basic_info,
                metadata,
            } => V::object(&[
                ("userId", user_id.clone()),
                ("userBasicInfo", Some(user_basic_info.clone())),
                ("metadata", Some(metadata.clone())),
            ]),
            ClientEvent::UserMessage {
                client_msg_id,
                conversation_id,
                content,
            } => V::object(&[
                ("type", s(MESSAGE_CREATE)),
                ("client_msg_id", opt(client_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("content", Some(content.clone())),
            ]),
            ClientEvent::Action {
                id,
                data,
                conversation_id,
            } => V::object(&[
                ("type", s("normal")),
                ("id", s(id)),
                ("data", Some(data.clone())),
                ("conversation_id", s(conversation_id)),
            ]),
            ClientEvent::Metadata {
                metadata,
                client_msg_id,
                conversation_id,
                target,
            } => V::object(&[
                ("metadata", Some(metadata.clone())),
                ("client_msg_id", opt(client_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("target", opt(target)),
            ]),
            ClientEvent::MetadataRequest { conversation_id }
            | ClientEvent::ConversationTranscriptRequest { conversation_id } => {
                V::object(&[("conversation_id", s(conversation_id))])
            }
            ClientEvent::EditMessage {
                client_msg_id,
                conversation_id,
                message_id,
                content,
            } => V::object(&[
                ("type", s(MESSAGE_CREATE)),
                ("client_msg_id", opt(client_msg_id)),
                ("conversation_id", s(conversation_id)),
                ("message_id", s(message_id)),
                ("content", Some(content.clone())),
            ]),
            ClientEvent::DeleteConversation {
                conversation_id,
                soft,
            } => V::object(&[
                ("conversation_id", s(conversation_id)),
                ("softdelete", Some(soft.clone())),
            ]),
            ClientEvent::GetUserConversations { user_id } => {
                V::object(&[("userId", user_id.clone())])
            }
            ClientEvent::GetUserConversationsV2 {
                user_id,
                filter,
                search,
                pagination,
                api_keys,
            } => V::object(&[
                ("userId", user_id.clone()),
                ("filter", filter.clone()),
                ("search", search.clone()),
                ("pagination", pagination.clone()),
                ("apiKeys", api_keys.as_deref().map(V::strings)),
            ]),
            ClientEvent::DeleteUserConversations { user_id, soft } => V::object(&[
                ("userId", Some(user_id.clone())),
                ("softdelete", Some(soft.clone())),
            ]),
            ClientEvent::Unknown { payload, .. } => payload.clone(),
        }
    }

    /// This event in its envelope for the socket `socket_id` (what [`ClientFrame::to_value`]
    /// writes), built from a borrowed event.
    pub fn envelope(&self, socket_id: Option<&str>) -> V {
        let socket_id = socket_id.map_or_else(V::null, V::text);
        V::object(&[
            ("action", Some(V::text(CLIENT_ACTION))),
            (
                "event",
                Some(V::object(&[
                    ("event_type", Some(V::text(self.event_type()))),
                    ("event_payload", Some(self.payload())),
                    ("socket_id", Some(socket_id)),
                ])),
            ),
        ])
    }
}

impl<V: JsonBuild> ClientFrame<V> {
    /// The envelope as JSON: `{action:"sendMessage", event:{event_type, event_payload, socket_id}}`.
    pub fn to_value(&self) -> V {
        self.event.envelope(self.socket_id.as_deref())
    }
}

impl ClientFrame {
    /// The envelope as a JSON string, ready to POST.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }
}
