//! Browser tests (headless Chromium through wasm-bindgen-test-runner).
#![cfg(all(target_arch = "wasm32", feature = "demo"))]

use captivate_chat::demo;
use captivate_chat::protocol::{decode_server_frame, ServerEvent};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn protocol_decodes_inside_the_browser() {
    let frame = decode_server_frame(
        r#"{"event_type":"socket_connected","event_payload":{"socket_id":"s"}}"#,
    );
    assert_eq!(
        frame.map(|f| f.event),
        Ok(ServerEvent::SocketConnected {
            socket_id: "s".into()
        })
    );
}

#[wasm_bindgen_test]
fn demo_writes_hostile_html_as_text_not_markup() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let list = document.create_element("ul").expect("ul");
    demo::render_into(&document, &list).expect("render");
    let items = list.children();
    assert_eq!(items.length(), 5);
    assert_eq!(
        list.query_selector("img").expect("query"),
        None,
        "no element was parsed from bot HTML"
    );
    let text = list.text_content().unwrap_or_default();
    assert!(
        text.contains("bot_message: text \u{201c}Hello!\u{201d}, buttons (1 options), html"),
        "{text}"
    );
    assert!(
        text.contains("unknown event kept: typing_indicator"),
        "{text}"
    );
    assert!(text.contains("rejected: frame is not valid JSON"), "{text}");
}
