//! No input panics: arbitrary bytes, frames with bytes changed and arbitrary JSON through
//! every decoder.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        // Binary fractions: serde_json's default float parser is not bit-exact for every f64.
        any::<i32>().prop_map(|n| json!(f64::from(n) / 8.0)),
        prop_oneof![
            Just("text".to_string()),
            Just("buttons".to_string()),
            Just("cards".to_string()),
            Just("files".to_string()),
            Just("event_type".to_string()),
            Just("event_payload".to_string()),
            Just("bot_message".to_string()),
            Just("conversation_update".to_string()),
            Just("general_error".to_string()),
            Just("from".to_string()),
            ".*"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("type".to_string()),
            Just("event".to_string()),
            Just("event_type".to_string()),
            Just("event_payload".to_string()),
            Just("content".to_string()),
            Just("buttons".to_string()),
            Just("options".to_string()),
            Just("cards".to_string()),
            Just("files".to_string()),
            Just("messages".to_string()),
            Just("transcript".to_string()),
            Just("actions".to_string()),
            Just("html".to_string()),
            Just("md".to_string()),
            Just("from".to_string()),
            Just("conversation_id".to_string()),
            "[a-z_]{1,12}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const EVENT_TYPES: [&str; 8] = [
    "bot_message",
    "livechat_message",
    "conversation_update",
    "general_error",
    "conversation_transcript",
    "conversation_start_success",
    "socket_connected",
    "action",
];

/// A frame's text: an arbitrary payload under a known event type, with up to three bytes
/// replaced by JSON's own characters, so that many stay JSON with their shape or types
/// changed (random bytes almost never parse, and reach only the not-JSON path).
fn arb_frame_text() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        prop::sample::select(b"{}[]\",:0-.etn\\ ".to_vec()),
    );
    (
        arb_json(),
        prop::sample::select(EVENT_TYPES.to_vec()),
        prop::collection::vec(edit, 0..4),
    )
        .prop_map(|(v, event_type, edits)| {
            let frame = json!({ "event": { "event_type": event_type, "event_payload": v } });
            let mut bytes = frame.to_string().into_bytes();
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
}

#[test]
fn changed_frames_reach_the_decoders_where_random_bytes_do_not() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut count = |strategy: BoxedStrategy<String>| {
        let (mut json, mut decoded) = (0, 0);
        for _ in 0..500 {
            let text = strategy.new_tree(&mut runner).expect("a case").current();
            json += usize::from(serde_json::from_str::<Value>(&text).is_ok());
            decoded += usize::from(decode_server_frame(&text).is_ok());
        }
        (json, decoded)
    };
    let (json, decoded) = count(arb_frame_text().boxed());
    assert!(
        json >= 150 && decoded >= 50,
        "changed frames: {json} JSON, {decoded} decoded of 500"
    );
    let bytes = prop::collection::vec(any::<u8>(), 0..512)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
        .boxed();
    let (json, decoded) = count(bytes);
    assert!(
        json <= 10 && decoded <= 10,
        "random bytes: {json} JSON, {decoded} decoded of 500"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = decode_server_frame(&text);
        let _ = decode_client_frame(&text);
    }

    #[test]
    fn frames_with_bytes_changed_never_panic(text in arb_frame_text()) {
        let _ = decode_server_frame(&text);
        let _ = decode_client_frame(&text);
        if let Ok(frame) = decode_server_frame(&text) {
            let _ = frame.event.content_items();
            let _ = frame.to_json();
        }
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json(), event_type in prop_oneof![
        Just("socket_connected"), Just("conversation_start_success"), Just("bot_message"), Just("livechat_message"),
        Just("action"), Just("conversation_update"), Just("general_error"), Just("conversation_transcript"),
        Just("message_edited_success"), Just("conversation_start"), Just("user_message"), Just("metadata"),
        Just("metadata_request"), Just("edit_message"), Just("delete_conversation"), Just("get_user_conversations"),
        Just("get_user_conversations_v2"), Just("delete_user_conversations"), Just("conversation_transcript_request"), Just("other")
    ]) {
        let _ = ServerFrame::from_value(&v);
        let _ = ClientFrame::from_value(&v);
        let wrapped = json!({ "event": { "event_type": event_type, "event_payload": v.clone() } });
        if let Ok(frame) = ServerFrame::from_value(&wrapped) {
            let _ = frame.event.content_items();
            let _ = frame.to_json();
        }
        if let Ok(frame) = ClientFrame::from_value(&wrapped) {
            let _ = frame.to_json();
        }
        let _ = parse_content(&v);
        let _ = parse_transcript(&v);
    }

    #[test]
    fn routing_heads_agree_with_the_decoder(v in arb_json(), event_type in prop_oneof![
        Just("socket_connected"), Just("conversation_start_success"), Just("bot_message"), Just("livechat_message"),
        Just("action"), Just("conversation_update"), Just("general_error"), Just("conversation_transcript"),
        Just("message_edited_success"), Just("other")
    ], bare in any::<bool>()) {
        prop_assert_eq!(head_agrees(&v), Ok(()));
        let frame = if bare {
            json!({ "event_type": event_type, "event_payload": v })
        } else {
            json!({ "event": { "event_type": event_type, "event_payload": v } })
        };
        prop_assert_eq!(head_agrees(&frame), Ok(()));
    }

    #[test]
    fn decoded_server_frames_reencode_to_the_same_event(v in arb_json(), event_type in prop_oneof![
        Just("bot_message"), Just("livechat_message"), Just("general_error"), Just("conversation_update"), Just("other")
    ]) {
        let wrapped = json!({ "event": { "event_type": event_type, "event_payload": v } });
        if let Ok(frame) = ServerFrame::from_value(&wrapped) {
            let again = ServerFrame::new(frame.event.clone(), None);
            let back = decode_server_frame(&again.to_json()).map(|f| f.event);
            prop_assert_eq!(back, Ok(frame.event));
        }
    }
}

#[test]
fn user_ids_and_flags_go_out_as_the_page_gave_them() {
    // 7.0.0 passes them on unchanged: a number stays a number, `undefined` is left out.
    let start = ClientEvent::ConversationStart {
        user_id: Some(json!(42)),
        user_basic_info: json!({}),
        metadata: json!({}),
    };
    assert_eq!(start.payload()["userId"], json!(42));
    let list: ClientEvent = ClientEvent::GetUserConversations { user_id: None };
    assert_eq!(list.payload(), json!({}));
    let delete = ClientEvent::DeleteUserConversations {
        user_id: json!("u"),
        soft: json!(0),
    };
    assert_eq!(delete.payload(), json!({ "userId": "u", "softdelete": 0 }));
    // A server keys them leniently and reads flags as JavaScript does.
    assert_eq!(user_key(Some(&json!(42))), Some("42".to_owned()));
    assert_eq!(user_key(Some(&json!("u"))), Some("u".to_owned()));
    assert_eq!(user_key(Some(&json!(null))), None);
    assert_eq!(user_key(Some(&json!({ "id": 1 }))), None);
    assert_eq!(user_key(None), None);
    for (value, soft) in [
        (json!(true), true),
        (json!(false), false),
        (json!(0), false),
        (json!(1), true),
        (json!(null), false),
        (json!(""), false),
        (json!("false"), false),
        (json!("yes"), true),
        (json!({}), true),
    ] {
        assert_eq!(flag(&value), soft, "{value}");
    }
    // Decoded as sent; a missing flag is the default, true.
    let back = client(
        json!({ "event": { "event_type": "delete_user_conversations", "event_payload": { "userId": 7 } } }),
    );
    assert_eq!(
        back.event,
        ClientEvent::DeleteUserConversations {
            user_id: json!(7),
            soft: json!(true)
        }
    );
}

#[test]
fn a_413_links_its_large_message_also_when_nested_in_a_conversation_update() {
    let link = |v: Value| {
        FrameHead::read(&&v)
            .ok()
            .and_then(|h| h.large_message_link())
    };
    let at = Some("http://x/m/1".to_owned());
    assert_eq!(
        link(wrapped(
            "general_error",
            json!({ "conversation_id": "c", "error_code": 413, "message_link": "http://x/m/1" })
        )),
        at
    );
    assert_eq!(
        link(wrapped(
            "conversation_update",
            json!({ "event_type": "general_error", "event_payload":
                { "conversation_id": "c", "error_code": "413", "message_link": "http://x/m/1" } })
        )),
        at
    );
    // Not a 413, or no link: an error to show, nothing to fetch.
    for payload in [
        json!({ "error_code": 500, "message_link": "http://x/m/1" }),
        json!({ "error_code": 413 }),
        json!({ "error_code": 413, "message_link": null }),
    ] {
        assert_eq!(
            link(wrapped("general_error", payload.clone())),
            None,
            "{payload}"
        );
    }
    assert_eq!(
        link(wrapped(
            "bot_message",
            json!({ "conversation_id": "c", "error_code": 413, "message_link": "http://x/m/1" })
        )),
        None
    );
}

#[test]
fn numbers_and_senders_sent_as_text_are_read_with_json_whitespace_around_them() {
    // JSON's whitespace (space, tab, line feed, carriage return) around the text is
    // ignored; other characters (a no-break space) make it no number and another sender.
    let code = |c: Value| error_code(&&json!({ "error_code": c }));
    assert_eq!(code(json!(" 413\t\r\n")), Some(413));
    assert_eq!(code(json!("413")), Some(413));
    assert_eq!(code(json!("\u{a0}413")), None);
    assert_eq!(code(json!("4 13")), None);
    assert_eq!(Sender::parse("\tAgent \n"), Sender::Agent);
    assert_eq!(
        Sender::parse("\u{a0}bot"),
        Sender::Other("\u{a0}bot".to_owned())
    );
}

#[test]
fn an_answer_carries_its_event_payload_or_is_the_payload_itself() {
    use super::json::answer_payload;
    let wrapped = json!({ "event": { "event_payload": { "conversations": [1] } }, "status": "ok" });
    assert_eq!(answer_payload(&wrapped), &json!({ "conversations": [1] }));
    // 7.0.0's `e?.event?.event_payload || e`: a null or missing payload leaves the body.
    let null = json!({ "event": { "event_payload": null }, "conversations": [2] });
    assert_eq!(answer_payload(&null), &null);
    let bare = json!({ "conversations": [3] });
    assert_eq!(answer_payload(&bare), &bare);
    let odd = json!({ "event": "text" });
    assert_eq!(answer_payload(&odd), &odd);
    assert_eq!(answer_payload(&json!(null)), &json!(null));
}
