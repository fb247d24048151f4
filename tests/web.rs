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

#[wasm_bindgen_test]
fn uuids_are_random_version_4_in_the_hyphenated_form() {
    use std::collections::HashSet;
    let ids: Vec<String> = (0..1000)
        .map(|_| captivate_chat::client::platform::uuid())
        .collect();
    for id in &ids {
        let bytes = id.as_bytes();
        assert_eq!(bytes.len(), 36, "{id}");
        for (i, b) in bytes.iter().enumerate() {
            match i {
                8 | 13 | 18 | 23 => assert_eq!(*b, b'-', "{id}"),
                _ => assert!(b.is_ascii_digit() || (b'a'..=b'f').contains(b), "{id}"),
            }
        }
        // Version 4, RFC 4122 variant.
        assert_eq!(bytes.get(14), Some(&b'4'), "{id}");
        assert!(
            matches!(bytes.get(19), Some(b'8' | b'9' | b'a' | b'b')),
            "{id}"
        );
    }
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len());
    // Every hex digit of the random part varies: not a fixed or zeroed buffer.
    let first = ids.first().map(String::as_bytes).unwrap_or_default();
    assert!((0..36)
        .filter(|i| ![8, 13, 14, 18, 19, 23].contains(i))
        .all(|i| { ids.iter().any(|id| id.as_bytes().get(i) != first.get(i)) }));
}

#[wasm_bindgen_test]
fn transcripts_read_the_same_from_the_engines_objects_as_from_serde_values() {
    use captivate_chat::protocol::{parse_transcript, read_transcript};
    // Every shape PROTOCOL.md lists, and what is not an entry: the drop-in reads the
    // engine's parsed objects, the widget serde values; both must see the same entries.
    let answers = [
        r#"{"transcript":[{"from":"user","messages":[{"type":"text","text":"hi"}],"message_id":"m1"},
            {"from":"bot","messages":{"messages":[{"type":"md","md":"**a**"}]},"chatbotName":"Cap"},
            {"from":"livechat","messages":["from a person"],"livechatName":"Ann","id":7},
            {"from":"chatbot","content":{"text":"with file"},"message_id":null}]}"#,
        r#"[{"event_id":"e","messages":[{"from":"agent ","livechatName":"Bo","messages":["hello"]},
            {"from":"user","messages":[{"type":"text","text":"yo"}],"message_id":12.5}]}]"#,
        r#"[{"messages":[{"messages":[{"from":"bot","message_id":"deep"}]}]}]"#,
        r#"{"transcript":{"from":"bot","message_id":"one"}}"#,
        r#"{"transcript":null}"#,
        r#"[1,"x",null,[{"from":"bot"}],{"from":3},{"from":true,"id":false}]"#,
        r#""nope""#,
        r#"{}"#,
    ];
    for text in answers {
        let parsed = js_sys::JSON::parse(text).expect("test JSON");
        let value: serde_json::Value = serde_json::from_str(text).expect("test JSON");
        let from_js = read_transcript(parsed);
        let from_serde = parse_transcript(&value);
        assert_eq!(from_js.len(), from_serde.len(), "{text}");
        for (a, b) in from_js.iter().zip(&from_serde) {
            assert_eq!(a.from, b.from, "{text}");
            assert_eq!(a.message_id, b.message_id, "{text}");
            assert_eq!(a.chatbot_name, b.chatbot_name, "{text}");
            assert_eq!(a.livechat_name, b.livechat_name, "{text}");
            // Each entry's raw is the answer's own object, as the server ordered it.
            let raw = js_sys::JSON::stringify(&a.raw)
                .ok()
                .and_then(|s| s.as_string());
            let back: Option<serde_json::Value> = raw.and_then(|s| serde_json::from_str(&s).ok());
            assert_eq!(back.as_ref(), Some(&b.raw), "{text}");
        }
    }
    // Not vacuous: the first answer has its four entries.
    let first = read_transcript(js_sys::JSON::parse(answers[0]).expect("test JSON"));
    assert_eq!(first.len(), 4);
    assert_eq!(first[2].message_id.as_deref(), Some("7"));
}

#[wasm_bindgen_test]
fn a_buttons_value_that_is_not_text_is_sent_as_the_engine_writes_it() {
    use captivate_chat::client::platform;
    use captivate_chat::protocol::ContentItem;
    // As the widget reads a frame: parsed by the engine, then its serde value.
    let item = platform::from_js(
        &js_sys::JSON::parse(
            r#"{"type":"buttons","buttons":{"options":[{"label":"Two","value":2},{"value":2.5},
            {"value":1e21},{"value":false},{"value":{"pick":[1,"x"]}},{"label":"L","value":"v"}]}}"#,
        )
        .expect("test JSON"),
    );
    let ContentItem::Buttons(buttons) = ContentItem::parse(&item) else {
        panic!("not buttons");
    };
    let texts: Vec<(String, String)> = buttons
        .options
        .iter()
        .map(|o| o.texts(platform::json_text))
        .collect();
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        texts,
        vec![
            pair("Two", "2"),
            pair("2.5", "2.5"),
            pair("1e+21", "1e+21"),
            pair("false", "false"),
            pair(r#"{"pick":[1,"x"]}"#, r#"{"pick":[1,"x"]}"#),
            pair("L", "v"),
        ]
    );
}
