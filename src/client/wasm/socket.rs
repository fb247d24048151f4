//! The one WebSocket of a client, wrapped once: every JS closure is owned here and
//! detached on drop, and nothing about the socket can panic on what the network sends.

use super::frame::{self, FrameRead};
use crate::client::ClientError;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, Event, WebSocket};

/// What the socket reports.
#[derive(Debug, Clone)]
pub enum SocketEvent {
    Open,
    /// A text frame, parsed by the engine (the text is not copied into wasm) and its routing
    /// head read, or why it could not be.
    Frame(FrameRead),
    /// A frame that was not text (the protocol has none); ignored by the client.
    Binary,
    Error(String),
    Closed {
        code: u16,
        reason: String,
    },
}

/// An open (or opening) WebSocket and its handlers.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(u32)>,
    _on_error: Closure<dyn FnMut(Event)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens `url`; `on_event` hears everything the socket does until it is dropped.
    pub fn open(url: &str, on_event: Rc<dyn Fn(SocketEvent)>) -> Result<Socket, ClientError> {
        let ws = WebSocket::new(url)
            .map_err(|e| ClientError::Socket(super::values::describe_error(&e)))?;
        let h = on_event.clone();
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_| h(SocketEvent::Open));
        let h = on_event.clone();
        let on_message = Closure::<dyn FnMut(u32)>::new(move |code: u32| {
            h(match frame::read(code) {
                Some(frame) => SocketEvent::Frame(frame),
                None => SocketEvent::Binary,
            })
        });
        let h = on_event.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            let message = js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "WebSocket error".into());
            h(SocketEvent::Error(message))
        });
        let h = on_event;
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            h(SocketEvent::Closed {
                code: e.code(),
                reason: e.reason(),
            })
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        frame::listen(&ws, &on_message);
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_error: on_error,
            _on_close: on_close,
        })
    }

    /// Whether the socket is open.
    pub fn is_open(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }

    /// The browser object (what `getSocket()` returns).
    pub fn raw(&self) -> &WebSocket {
        &self.ws
    }

    /// Starts a clean close with `code`; errors (already closed) are ignored.
    pub fn close(&self, code: u16, reason: &str) {
        let _ = self.ws.close_with_code_and_reason(code, reason);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onerror(None);
        self.ws.set_onclose(None);
        if self.ws.ready_state() == WebSocket::OPEN
            || self.ws.ready_state() == WebSocket::CONNECTING
        {
            let _ = self
                .ws
                .close_with_code_and_reason(1000, "client released the socket");
        }
    }
}
