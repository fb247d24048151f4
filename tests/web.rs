//! Browser tests (headless Chromium through wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]
// clippy.toml's size rules are the widget's (src/widget/mod.rs), not its tests'.
#![allow(clippy::disallowed_macros, clippy::disallowed_types)]

use captivate_chat::client::values;
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
    showcase::render_into(&document, &list).expect("render");
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
    use captivate_chat::protocol::ContentItem;
    // As the widget reads a frame: the object the engine parsed.
    let item = js_sys::JSON::parse(
        r#"{"type":"buttons","buttons":{"options":[{"label":"Two","value":2},{"value":2.5},
        {"value":1e21},{"value":false},{"value":{"pick":[1,"x"]}},{"label":"L","value":"v"}]}}"#,
    )
    .expect("test JSON");
    let ContentItem::Buttons(buttons) = ContentItem::read(&item) else {
        panic!("not buttons");
    };
    let texts: Vec<(String, String)> = buttons
        .options
        .iter()
        .map(|o| o.texts(values::JsPart::text))
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

/// The widget reads content and transcripts from the engine's parsed objects; the server and
/// the native tests from serde values. One reader, two views: every shape reads the same.
#[wasm_bindgen_test]
fn content_reads_the_same_from_the_engines_objects_as_from_serde_values() {
    use captivate_chat::protocol::{
        parse_content, parse_transcript, read_content, read_transcript, ContentItem,
    };
    let shapes = [
        r#"[{"type":"text","text":"a"},"b",{"text":"c"},{"text":7},{"type":"text"},null,3,[1]]"#,
        r#""just text""#,
        r#"null"#,
        r#"{"type":"buttons","title":"T","buttons":[{"title":"A","url":"https://a"},"B",4,{}]}"#,
        r#"{"type":"button","buttons":{"title":"In","options":[{"text":"x","value":{"k":[1,2.5,null]}}]}}"#,
        r#"{"type":"buttons","buttons":{"title":"Act","action":{"id":"go","data":{"n":1}}}}"#,
        r#"{"type":"buttons","buttons":null,"options":[{"label":"L","link":"https://l"}]}"#,
        r#"[{"type":"cards","cards":[{"title":"c","image":"i","url":"u"},5]},{"type":"card","text":"one"}]"#,
        r#"{"type":"cards","cards":{"cards":[{"text":"nested","description":"d"}]}}"#,
        r#"[{"type":"html","html":{"type":"html","html":"<b>x</b>"}},{"type":"md","markdown":"*m*"}]"#,
        r#"[{"type":"markdown","md":{"md":"m2"}},{"type":"table","html":"<table></table>"},{"type":"html"}]"#,
        r#"{"type":"files","title":"F","files":[{"type":"image","url":"u","mimeType":"image/png","size":"12"},"x"]}"#,
        r#"{"type":"file","url":"u","name":"n.pdf","size":-1,"thumbnail":"t"}"#,
        r#"{"type":"files","files":{"title":"inner","files":{"url":"one","size":3.7}}}"#,
        r#"[{"type":"pause","time":"250"},{"type":"pause","time":1.5},{"type":"pause"}]"#,
        r#"[{"type":"custom","x":{"y":[true,false]}},{"type":5,"text":"n"},{"type":true}]"#,
    ];
    // The parts kept as the engine's values (a button's value, an action, an unknown item)
    // compared as serde values.
    let as_values = |items: Vec<ContentItem<values::JsPart>>| -> Vec<ContentItem> {
        items
            .into_iter()
            .map(|i| i.map_parts(|p| values::from_js(p.value())))
            .collect()
    };
    for shape in shapes {
        let parsed = js_sys::JSON::parse(shape).expect("test JSON");
        assert_eq!(
            as_values(read_content(&parsed)),
            parse_content(&values::from_js(&parsed)),
            "{shape}"
        );
    }
    let transcript = r#"{"transcript":[
        {"from":"bot","message_id":"1","messages":[{"type":"text","text":"m"}],"content":"repeated"},
        {"from":"user","id":2,"client_msg_id":"c-2","content":{"text":"hi","files":[{"url":"f"}]}},
        {"from":"agent","content":{"type":"md","md":"*a*"},"files":[{"url":"g"}]},
        {"from":"bot","messages":{"messages":[{"type":"html","html":"<i>h</i>"}]},"text":"t"},
        {"from":"bot","text":"only text","files":[]},
        {"event_id":"e","messages":[{"from":"bot","messages":["nested"]},{"from":"user","content":"u"}]}
    ]}"#;
    let parsed = js_sys::JSON::parse(transcript).expect("test JSON");
    let views = read_transcript(parsed.clone());
    let values = parse_transcript(&values::from_js(&parsed));
    assert_eq!(views.len(), values.len());
    assert_eq!(views.len(), 7);
    for (view, value) in views.iter().zip(&values) {
        assert_eq!(as_values(view.shown_content()), value.content());
        assert_eq!(view.client_msg_id_text().as_deref(), value.client_msg_id());
        assert_eq!(view.message_id, value.message_id);
    }
    assert_eq!(views[1].client_msg_id_text().as_deref(), Some("c-2"));
}

/// The protocol core decoding sample frames into the page, written as text nodes, never as
/// HTML (what the test above checks).
mod showcase {
    use captivate_chat::protocol::{decode_server_frame, ContentItem, ServerEvent};
    use wasm_bindgen::JsValue;
    use web_sys::{Document, Element};

    /// Frames in both envelope shapes, plus two that must be rejected or kept as unknown.
    const SAMPLES: &[&str] = &[
        r#"{"event_type":"socket_connected","event_payload":{"socket_id":"demo-socket"}}"#,
        r#"{"action":"receiveMessage","event":{"event_type":"bot_message","event_payload":{"type":"message_create","content":[{"type":"text","text":"Hello!"},{"type":"buttons","buttons":{"title":"Pick","options":[{"label":"Yes","value":"yes"}]}},{"type":"html","html":"<img src=x onerror=alert(1)>"}]}}}"#,
        r#"{"action":"receiveMessage","event":{"event_type":"conversation_update","event_payload":{"type":"livechatAgentConnected","conversation_id":"c1","data":{}}}}"#,
        r#"{"event_type":"typing_indicator","event_payload":{"on":true}}"#,
        r#"not json at all"#,
    ];

    /// One line describing how a frame decoded.
    fn describe(frame: &str) -> String {
        match decode_server_frame(frame) {
            Ok(f) => match &f.event {
                ServerEvent::BotMessage { .. } | ServerEvent::LivechatMessage { .. } => {
                    let kinds: Vec<String> =
                        f.event.content_items().iter().map(describe_item).collect();
                    format!("{}: {}", f.event.event_type(), kinds.join(", "))
                }
                ServerEvent::Unknown { event_type, .. } => {
                    format!("unknown event kept: {event_type}")
                }
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
}
