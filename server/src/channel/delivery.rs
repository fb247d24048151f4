//! The bot's delivery queue: one worker per conversation (replies go out in the order the
//! messages came in), and pushing bot messages, large ones as a 413 link.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use captivate_chat::protocol::{ActionItem, ConversationUpdate, GeneralError, ServerEvent};

use serde_json::Value;
use tokio::sync::mpsc;

use super::{error_frame, event_frame};
use crate::bot::{self, BotState, Reply};
use crate::store::Author;
use crate::{ApiError, AppState};

/// Work for a conversation's bot.
pub enum Job {
    Message { content: Value, origin: String },
    Action { id: String, data: Value },
}

/// One worker per conversation, so replies go out in the order messages came in. A worker
/// with nothing to do for `Config::bot_idle` ends (the next message starts another), so the
/// server holds a task for the conversations that are talking, not for every one it ever
/// saw; what a worker knows that must outlive it (a human agent has taken over) is kept in
/// `agents` until the agent leaves or the conversation goes.
#[derive(Default)]
pub struct BotRunner {
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<Job>>>,
    agents: Mutex<std::collections::HashSet<String>>,
}

impl BotRunner {
    fn queues(&self) -> std::sync::MutexGuard<'_, HashMap<String, mpsc::UnboundedSender<Job>>> {
        self.queues.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn agents(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<String>> {
        self.agents.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many workers are running, and how many conversations are with an agent.
    pub fn held(&self) -> (usize, usize) {
        (self.queues().len(), self.agents().len())
    }

    /// A worker idle for its bound leaves, unless a job came meanwhile (`enqueue` sends
    /// under the same lock, so none can come between the look and the leaving). `false`: it
    /// has work, and stays. What it knows of the agent is kept for the next worker.
    fn retire(
        &self,
        conversation_id: &str,
        jobs: &mut mpsc::UnboundedReceiver<Job>,
        state: &BotState,
    ) -> bool {
        let mut queues = self.queues();
        if !jobs.is_empty() {
            return false;
        }
        jobs.close();
        // Its own queue, unless the conversation was deleted and started a new one since.
        let own = queues.get(conversation_id).is_some_and(|tx| tx.is_closed());
        if own {
            queues.remove(conversation_id);
        }
        let mut agents = self.agents();
        if state.agent_connected {
            agents.insert(conversation_id.to_owned());
        } else {
            agents.remove(conversation_id);
        }
        true
    }

    /// Queues a job for the conversation's bot, starting its worker if needed.
    pub fn enqueue(&self, state: &Arc<AppState>, conversation_id: &str, job: Job) {
        let mut queues = self.queues();
        let job = match queues.get(conversation_id) {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(job);
        queues.insert(conversation_id.to_owned(), tx);
        let bot_state = BotState {
            agent_connected: self.agents().contains(conversation_id),
        };
        tokio::spawn(bot_worker(
            state.clone(),
            conversation_id.to_owned(),
            rx,
            bot_state,
        ));
    }

    /// Stops the worker of a deleted conversation.
    pub fn forget(&self, conversation_id: &str) {
        self.queues().remove(conversation_id);
        self.agents().remove(conversation_id);
    }
}

pub(super) async fn bot_worker(
    state: Arc<AppState>,
    conversation_id: String,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    mut bot_state: BotState,
) {
    let mut origin = String::from("http://127.0.0.1");
    loop {
        let job = match tokio::time::timeout(state.config.bot_idle, jobs.recv()).await {
            Ok(Some(job)) => job,
            // Its queue was dropped (the conversation deleted).
            Ok(None) => break,
            Err(_) if state.bots.retire(&conversation_id, &mut jobs, &bot_state) => break,
            Err(_) => continue,
        };
        let replies = match job {
            Job::Message { content, origin: o } => {
                origin = o;
                bot::reply_to_message(&content, &mut bot_state, &origin)
            }
            Job::Action { id, data } => bot::reply_to_action(&id, &data, &mut bot_state),
        };
        for (i, reply) in replies.into_iter().enumerate() {
            let pause = if i == 0 {
                state.config.bot_delay
            } else {
                state.config.bot_delay / 3
            };
            tokio::time::sleep(pause).await;
            // Deleted while the bot was thinking: its replies have nowhere to go.
            if !matches!(state.store.conversation(&conversation_id), Ok(Some(_))) {
                break;
            }
            if let Err(e) = deliver(&state, &conversation_id, reply, &origin) {
                eprintln!(
                    "captivate-server: bot reply for {conversation_id} failed: {}",
                    e.message
                );
            }
        }
    }
}

/// Stores and pushes one bot reply.
pub(super) fn deliver(
    state: &AppState,
    conversation_id: &str,
    reply: Reply,
    origin: &str,
) -> Result<(), ApiError> {
    let conv = Some(conversation_id.to_owned());
    let event = match reply {
        Reply::Bot(content) => {
            let id = state
                .store
                .add_message(conversation_id, Author::Bot, &content, None)?;
            ServerEvent::BotMessage {
                conversation_id: conv,
                ch_msg_id: Some(id),
                content,
            }
        }
        Reply::Agent(content) => {
            state
                .store
                .add_message(conversation_id, Author::Agent, &content, None)?;
            ServerEvent::LivechatMessage {
                conversation_id: conv,
                content,
            }
        }
        Reply::Action { id, data } => ServerEvent::Action {
            conversation_id: conv,
            actions: vec![ActionItem {
                id: id.to_owned(),
                data,
            }],
        },
        Reply::Update { kind, data } => ServerEvent::ConversationUpdate(ConversationUpdate {
            kind: kind.to_owned(),
            conversation_id: conv,
            data,
        }),
        Reply::Large(content) => return send_large(state, conversation_id, &content, origin),
        Reply::Error { code, desc } => {
            return {
                state.hub.send_to_conversation(
                    conversation_id,
                    &error_frame(Some(conversation_id), code, desc),
                );
                Ok(())
            }
        }
    };
    state
        .hub
        .send_to_conversation(conversation_id, &event_frame(event));
    Ok(())
}

/// Sends a message as a 413 `general_error` with a link the client fetches it from.
pub fn send_large(
    state: &AppState,
    conversation_id: &str,
    content: &Value,
    origin: &str,
) -> Result<(), ApiError> {
    let Some(conv) = state.store.conversation(conversation_id)? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Conversation not found: {conversation_id}"),
        ));
    };
    state
        .store
        .add_message(conversation_id, Author::Bot, content, None)?;
    let id = state.store.add_large_message(&conv.api_key, content)?;
    let f = event_frame(ServerEvent::GeneralError(GeneralError {
        conversation_id: Some(conversation_id.to_owned()),
        error_code: Some(413),
        error_desc: Some("Message too large for the socket; fetch it from message_link".to_owned()),
        message_link: Some(format!("{origin}/api/messages/{id}")),
    }));
    state.hub.send_to_conversation(conversation_id, &f);
    Ok(())
}

/// Pushes a bot message (stored or not) straight to a conversation's socket.
pub fn push_bot_message(
    state: &AppState,
    conversation_id: &str,
    content: Value,
    store: bool,
) -> Result<bool, ApiError> {
    let id = if store {
        Some(
            state
                .store
                .add_message(conversation_id, Author::Bot, &content, None)?,
        )
    } else {
        None
    };
    let event = ServerEvent::BotMessage {
        conversation_id: Some(conversation_id.to_owned()),
        ch_msg_id: id,
        content,
    };
    Ok(state
        .hub
        .send_to_conversation(conversation_id, &event_frame(event)))
}
