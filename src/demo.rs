//! A protocol showcase for the wasm-bindgen browser test (`tests/web.rs`): the protocol
//! core decoding sample frames into the page. Everything is written as text nodes, never as HTML.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use crate::protocol::{decode_server_frame, ContentItem, ServerEvent};

/// Frames in both envelope shapes, plus two that must be rejected or kept as unknown.
const SAMPLES: &[&str] = &[
    r#"{"event_type":"socket_connected","event_payload":{"socket_id":"demo-socket"}}"#,
    r#"{"action":"receiveMessage","event":{"event_type":"bot_message","event_payload":{"type":"message_create","content":[{"type":"text","text":"Hello!"},{"type":"buttons","buttons":{"title":"Pick","options":[{"label":"Yes","value":"yes"}]}},{"type":"html","html":"<img src=x onerror=alert(1)>"}]}}}"#,
    r#"{"action":"receiveMessage","event":{"event_type":"conversation_update","event_payload":{"type":"livechatAgentConnected","conversation_id":"c1","data":{}}}}"#,
    r#"{"event_type":"typing_indicator","event_payload":{"on":true}}"#,
    r#"not json at all"#,
];

/// One line describing how a frame decoded.
pub fn describe(frame: &str) -> String {
    match decode_server_frame(frame) {
        Ok(f) => match &f.event {
            ServerEvent::BotMessage { .. } | ServerEvent::LivechatMessage { .. } => {
                let kinds: Vec<String> =
                    f.event.content_items().iter().map(describe_item).collect();
                format!("{}: {}", f.event.event_type(), kinds.join(", "))
            }
            ServerEvent::Unknown { event_type, .. } => format!("unknown event kept: {event_type}"),
            other => format!(
                "{}{}",
                other.event_type(),
                other
                    .conversation_id()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ),
        },
        Err(e) => format!("rejected: {e}"),
    }
}

fn describe_item(item: &ContentItem) -> String {
    match item {
        ContentItem::Text(t) => format!("text \u{201c}{t}\u{201d}"),
        ContentItem::Buttons(b) => format!("buttons ({} options)", b.options.len()),
        other => other.kind().to_owned(),
    }
}

/// Appends one `<li>` per sample frame to `list`.
pub fn render_into(document: &Document, list: &Element) -> Result<(), JsValue> {
    for frame in SAMPLES {
        let item = document.create_element("li")?;
        item.set_text_content(Some(&describe(frame)));
        list.append_child(&item)?;
    }
    Ok(())
}

/// Fills `#protocol-demo` when the page has one; does nothing elsewhere.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Ok(());
    };
    match document.get_element_by_id("protocol-demo") {
        Some(list) => render_into(&document, &list),
        None => Ok(()),
    }
}
