//! A socket message, parsed by the engine and its routing head read. `frame.js` (put by the
//! build in the glue's scope) is the socket's message handler: it reads the plain shape of
//! the frequent events into a code and parts, and calls wasm with the code; anything else
//! is parsed there and read by [`FrameHead::read`](crate::protocol::FrameHead::read), with
//! the same result (tests/node/frames.test.mjs holds the two to it).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::protocol::{DecodeError, EventKind, FrameHead};

#[wasm_bindgen]
extern "C" {
    /// Makes `frame.js`'s reader the socket's message handler: `on_frame` hears each
    /// frame's code (see there), the frame's parts waiting in `frame.js`.
    #[wasm_bindgen(js_name = captivateListen)]
    pub fn listen(ws: &web_sys::WebSocket, on_frame: &Closure<dyn FnMut(u32)>);
    /// A part of what it read.
    #[wasm_bindgen(js_name = captivateFramePart)]
    fn part(n: u32) -> JsValue;
    /// A part of what it read, as text.
    #[wasm_bindgen(js_name = captivateFramePart)]
    fn text(n: u32) -> Option<String>;
}

// The code `frame.js` returns (see there): the kind in the low bits, then flags.
const KIND: u32 = 15;
const NOT_READ: u32 = 0;
const NOT_JSON: u32 = 14;
const NOT_TEXT: u32 = 15;
const PAYLOAD: u32 = 16;
const SAME_CONVERSATION: u32 = 32;
const NEW_CONVERSATION: u32 = 64;
const MESSAGE_ID: u32 = 128;
// Its parts.
const FRAME: u32 = 0;
const PAYLOAD_PART: u32 = 1;
const CONVERSATION_PART: u32 = 2;
const MESSAGE_ID_PART: u32 = 3;
const WHY_PART: u32 = 3;

thread_local! {
    /// The conversation id `frame.js` read last (it says when a frame names the same one).
    static LAST_CONVERSATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A frame's routing head (its parts views of the frame as parsed); or why it could not
/// be read.
pub type FrameRead = Result<FrameHead<JsValue>, DecodeError>;

/// Reads a socket message from the code `frame.js`'s reader returned for it (its parts are
/// read from there); `None`: not text.
pub fn read(code: u32) -> Option<FrameRead> {
    let kind = match code & KIND {
        NOT_TEXT => return None,
        NOT_JSON => {
            // The parser's own message.
            return Some(Err(DecodeError::NotJson(
                text(WHY_PART).unwrap_or_default(),
            )));
        }
        NOT_READ => {
            return Some(FrameHead::read(&part(FRAME)));
        }
        1 => EventKind::BotMessage,
        2 => EventKind::LivechatMessage,
        _ => EventKind::Action,
    };
    let conversation_id = if code & NEW_CONVERSATION != 0 {
        let id = text(CONVERSATION_PART);
        LAST_CONVERSATION.with(|c| c.borrow_mut().clone_from(&id));
        id
    } else if code & SAME_CONVERSATION != 0 {
        LAST_CONVERSATION.with(|c| c.borrow().clone())
    } else {
        None
    };
    let head = FrameHead {
        kind,
        payload: (code & PAYLOAD != 0).then(|| part(PAYLOAD_PART)),
        conversation_id,
        message_id: (code & MESSAGE_ID != 0)
            .then(|| text(MESSAGE_ID_PART))
            .flatten(),
        socket_id: None,
        error: None,
    };
    Some(Ok(head))
}
