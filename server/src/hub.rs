//! Open WebSockets: which socket id belongs to which connection, and which socket a
//! conversation's events go to (the one named by its latest client event).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use captivate_chat::protocol::ServerFrame;
use tokio::sync::{mpsc, Notify};

/// What the server tells one socket's task to do.
#[derive(Debug)]
pub enum Outgoing {
    /// Send a text frame.
    Text(String),
    /// Cut the connection without a close handshake (a network drop).
    Drop,
    /// Close the connection with a close frame carrying this code.
    Close(u16),
}

/// The most bytes of frames one socket may have waiting to be written: a client that
/// stops reading is cut there, rather than the server holding its frames without bound.
pub const MAX_BACKLOG_BYTES: usize = 4 * 1024 * 1024;

/// What one socket has waiting, shared by the hub (which adds) and its task (which writes).
#[derive(Default)]
pub struct Backlog {
    bytes: AtomicUsize,
    /// Told when the socket is cut for reading too slowly.
    pub cut: Notify,
}

impl Backlog {
    /// `n` bytes were written (or dropped) by the socket's task.
    pub fn written(&self, n: usize) {
        self.bytes.fetch_sub(n, Ordering::SeqCst);
    }
}

struct Socket {
    api_key: String,
    /// Other keys that may name this socket: those its client listed conversations of
    /// (`apiKeys`), whose conversations 7.0.0 then sends with this socket's id.
    granted: Vec<String>,
    tx: mpsc::UnboundedSender<Outgoing>,
    backlog: Arc<Backlog>,
    /// The conversations routed to it (their routes go with it).
    routed: Vec<String>,
}

/// The registry of open sockets. A route lives as long as its socket: when the socket goes,
/// so do the routes to it (the client's next event after a reconnect routes anew), so what
/// the hub holds is bounded by the open sockets, not by every conversation ever routed.
#[derive(Default)]
pub struct Hub {
    sockets: Mutex<HashMap<String, Socket>>,
    routes: Mutex<HashMap<String, String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Hub {
    /// Registers a new socket and returns its id, the queue its task drains and its backlog.
    pub fn register(
        &self,
        api_key: &str,
    ) -> (String, mpsc::UnboundedReceiver<Outgoing>, Arc<Backlog>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let backlog = Arc::new(Backlog::default());
        // Shaped like the gateway connection ids Captivate hands out.
        let id = format!("{}=", &uuid::Uuid::new_v4().simple().to_string()[..14]);
        lock(&self.sockets).insert(
            id.clone(),
            Socket {
                api_key: api_key.to_owned(),
                granted: Vec::new(),
                tx,
                backlog: backlog.clone(),
                routed: Vec::new(),
            },
        );
        (id, rx, backlog)
    }

    /// Whether a send with `api_key` may name `socket_id`: its own key's socket, or one whose
    /// client listed that key's conversations. `None` when there is no such socket.
    pub fn key_may_use(&self, socket_id: &str, api_key: &str) -> Option<bool> {
        lock(&self.sockets)
            .get(socket_id)
            .map(|s| s.api_key == api_key || s.granted.iter().any(|k| k == api_key))
    }

    /// Lets `keys` name `socket_id` from now on.
    pub fn grant(&self, socket_id: &str, keys: &[String]) {
        if let Some(s) = lock(&self.sockets).get_mut(socket_id) {
            for k in keys {
                if *k != s.api_key && !s.granted.contains(k) {
                    s.granted.push(k.clone());
                }
            }
        }
    }

    /// How many sockets an API key has open.
    pub fn open_for_key(&self, api_key: &str) -> usize {
        lock(&self.sockets)
            .values()
            .filter(|s| s.api_key == api_key)
            .count()
    }

    /// Forgets a closed socket, and the routes to it.
    pub fn unregister(&self, socket_id: &str) {
        let gone = lock(&self.sockets).remove(socket_id);
        self.forget_routes(socket_id, gone);
    }

    /// Removes the routes that still lead to `socket_id` (gone, with what it held).
    fn forget_routes(&self, socket_id: &str, gone: Option<Socket>) {
        if let Some(socket) = gone {
            let mut routes = lock(&self.routes);
            for conversation in socket.routed {
                if routes.get(&conversation).map(String::as_str) == Some(socket_id) {
                    routes.remove(&conversation);
                }
            }
        }
    }

    /// Removes every socket, with the routes to them; returns them.
    fn remove_all(&self) -> Vec<Socket> {
        let sockets: Vec<Socket> = lock(&self.sockets).drain().map(|(_, s)| s).collect();
        lock(&self.routes).clear();
        sockets
    }

    /// Sends raw text to one socket; false when it is gone.
    pub fn send_text(&self, socket_id: &str, text: String) -> bool {
        let mut sockets = lock(&self.sockets);
        let Some(s) = sockets.get(socket_id) else {
            return false;
        };
        let n = text.len();
        if s.backlog.bytes.load(Ordering::SeqCst) + n > MAX_BACKLOG_BYTES {
            // A client that stopped reading: cut it rather than hold its frames.
            let gone = sockets.remove(socket_id);
            drop(sockets);
            if let Some(s) = &gone {
                s.backlog.cut.notify_one();
            }
            self.forget_routes(socket_id, gone);
            return false;
        }
        s.backlog.bytes.fetch_add(n, Ordering::SeqCst);
        s.tx.send(Outgoing::Text(text)).is_ok()
    }

    /// Sends a frame to one socket; false when it is gone.
    pub fn send(&self, socket_id: &str, frame: &ServerFrame) -> bool {
        self.send_text(socket_id, frame.to_json())
    }

    /// From now on, `conversation_id`'s events go to `socket_id` (an open socket's).
    pub fn route(&self, conversation_id: &str, socket_id: &str) {
        let mut sockets = lock(&self.sockets);
        let Some(socket) = sockets.get_mut(socket_id) else {
            return;
        };
        if !socket.routed.iter().any(|c| c == conversation_id) {
            socket.routed.push(conversation_id.to_owned());
        }
        lock(&self.routes).insert(conversation_id.to_owned(), socket_id.to_owned());
    }

    /// How many routes the hub holds.
    pub fn routes(&self) -> usize {
        lock(&self.routes).len()
    }

    /// The socket a conversation's events go to.
    pub fn socket_of(&self, conversation_id: &str) -> Option<String> {
        lock(&self.routes).get(conversation_id).cloned()
    }

    /// Sends a frame to the socket of a conversation; false when there is none open.
    pub fn send_to_conversation(&self, conversation_id: &str, frame: &ServerFrame) -> bool {
        match self.socket_of(conversation_id) {
            Some(socket) => self.send(&socket, frame),
            None => false,
        }
    }

    /// Sends text to every open socket; returns how many.
    pub fn broadcast_text(&self, text: &str) -> usize {
        let ids: Vec<String> = lock(&self.sockets).keys().cloned().collect();
        ids.iter()
            .filter(|id| self.send_text(id, text.to_owned()))
            .count()
    }

    /// Cuts every open socket; returns how many.
    pub fn drop_all(&self) -> usize {
        self.remove_all()
            .iter()
            .filter(|s| s.tx.send(Outgoing::Drop).is_ok())
            .count()
    }

    /// Cuts one socket (a network drop); false when it is gone already.
    pub fn drop_one(&self, socket_id: &str) -> bool {
        let gone = lock(&self.sockets).remove(socket_id);
        let dropped = gone
            .as_ref()
            .is_some_and(|s| s.tx.send(Outgoing::Drop).is_ok());
        self.forget_routes(socket_id, gone);
        dropped
    }

    /// Closes every open socket with a close frame; returns how many.
    pub fn close_all(&self, code: u16) -> usize {
        self.remove_all()
            .iter()
            .filter(|s| s.tx.send(Outgoing::Close(code)).is_ok())
            .count()
    }

    /// How many sockets are open.
    pub fn open_sockets(&self) -> usize {
        lock(&self.sockets).len()
    }
}
