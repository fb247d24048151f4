//! Transcripts in the flat shape and the older nested one.

use serde_json::json;

use super::*;

#[test]
fn transcript_entries_in_the_flat_shape() {
    let t = parse_transcript(&json!({ "transcript": [
        { "from": "user", "messages": [{ "type": "text", "text": "hi" }], "channelName": "web", "message_id": "m1" },
        { "from": "bot", "messages": { "idChat": "x", "messages": [{ "type": "md", "md": "**a**" }], "actions": [{ "id": "getLocation" }] }, "chatbotName": "Cap" },
        { "from": "livechat", "messages": ["from a person"], "livechatName": "Ann", "id": 7 },
        { "from": "chatbot", "content": { "text": "with file", "files": [{ "url": "u", "filename": "f.txt" }] } }
    ] }));
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].from, Sender::User);
    assert_eq!(t[0].message_id.as_deref(), Some("m1"));
    assert_eq!(t[1].content(), vec![ContentItem::Markdown("**a**".into())]);
    assert_eq!(t[1].actions(), vec!["getLocation".to_string()]);
    assert_eq!(t[1].chatbot_name.as_deref(), Some("Cap"));
    assert_eq!(t[2].from, Sender::Agent);
    assert_eq!(t[2].message_id.as_deref(), Some("7"));
    assert_eq!(t[3].from, Sender::Bot);
    assert_eq!(t[3].content().len(), 2);
}

#[test]
fn transcript_in_the_old_nested_shape_with_padded_from() {
    let t = parse_transcript(&json!([{ "event_id": "e", "messages": [
        { "actions": [{ "type": "normal", "title": "escalateToHuman" }], "files": [], "from": "agent ", "chatbotName": "", "channelName": "", "livechatName": "Bo", "messages": ["hello"] },
        { "from": "user", "messages": [{ "type": "text", "text": "yo" }] }
    ] }]));
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].from, Sender::Agent);
    assert_eq!(t[0].actions(), vec!["escalateToHuman".to_string()]);
    assert_eq!(t[0].content(), vec![ContentItem::Text("hello".into())]);
    assert_eq!(t[1].from, Sender::User);
}

#[test]
fn transcript_entry_with_only_top_level_files() {
    let t = parse_transcript(
        &json!([{ "from": "user", "text": "see file", "files": [{ "filename": "a.txt", "url": "u", "storage": { "fileKey": "k", "expiresIn": 1 } }] }]),
    );
    assert_eq!(t[0].content().len(), 2);
    assert_eq!(t[0].content()[0], ContentItem::Text("see file".into()));
    assert_eq!(
        t[0].to_value()["files"][0]["storage"]["fileKey"],
        json!("k")
    );
}

#[test]
fn transcript_ignores_what_is_not_an_entry() {
    assert!(parse_transcript(&json!([1, "x", null])).is_empty());
    assert!(parse_transcript(&json!("nope")).is_empty());
    assert_eq!(
        parse_transcript(&json!([{ "from": 3 }]))[0].from,
        Sender::Other("3".into())
    );
}
