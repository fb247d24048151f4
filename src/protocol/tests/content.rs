//! Content items in every shape the protocol has had: text, buttons, cards, HTML and markdown, tables, files, pauses, unknown types.

use serde_json::{json, Value};

use super::*;

#[test]
fn text_item_and_bare_strings() {
    assert_eq!(
        parse_content(&json!([{ "type": "text", "text": "a" }, "b", { "text": "c" }])),
        vec![
            ContentItem::Text("a".into()),
            ContentItem::Text("b".into()),
            ContentItem::Text("c".into()),
        ]
    );
    assert_eq!(
        parse_content(&json!("just text")),
        vec![ContentItem::Text("just text".into())]
    );
    assert_eq!(parse_content(&Value::Null), vec![]);
}

#[test]
fn buttons_with_options_list_or_single_object() {
    let list = ContentItem::parse(
        &json!({ "type": "buttons", "buttons": { "title": "Pick", "options": [{ "label": "A", "value": "a" }, { "label": "B", "value": 2 }] } }),
    );
    assert_eq!(
        list,
        ContentItem::Buttons(Buttons {
            title: Some("Pick".into()),
            options: vec![
                ButtonOption {
                    label: Some("A".into()),
                    value: Some(json!("a")),
                    url: None
                },
                ButtonOption {
                    label: Some("B".into()),
                    value: Some(json!(2)),
                    url: None
                },
            ],
            action: None
        })
    );
    let single = ContentItem::parse(
        &json!({ "type": "button", "buttons": { "title": "One", "options": { "label": "Only", "value": "o" } } }),
    );
    assert_eq!(
        single,
        ContentItem::Buttons(Buttons {
            title: Some("One".into()),
            options: vec![ButtonOption {
                label: Some("Only".into()),
                value: Some(json!("o")),
                url: None
            }],
            action: None
        })
    );
}

#[test]
fn a_button_shows_its_label_and_sends_its_value_as_text() {
    let options = |item: Value| match ContentItem::parse(&item) {
        ContentItem::Buttons(b) => b.options,
        other => panic!("not buttons: {other:?}"),
    };
    let texts: Vec<(String, String)> =
        options(json!({ "type": "buttons", "buttons": { "options": [
        { "label": "A", "value": "a" },
        { "label": "Two", "value": 2 },
        { "value": 2.5 },
        { "value": true },
        { "value": { "pick": [1, "x"] } },
        { "title": "No value" },
        { "url": "https://example.com/" },
        "plain",
        { "value": null },
        {}
    ] } }))
        .iter()
        // A string as it is, anything else as JSON text.
        .map(|o| o.texts(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .collect();
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        texts,
        vec![
            pair("A", "a"),
            pair("Two", "2"),
            pair("2.5", "2.5"),
            pair("true", "true"),
            pair(r#"{"pick":[1,"x"]}"#, r#"{"pick":[1,"x"]}"#),
            pair("No value", "No value"),
            pair("https://example.com/", "https://example.com/"),
            pair("plain", "plain"),
        ],
        "an option with neither label, value nor URL is dropped"
    );
}

#[test]
fn buttons_in_the_older_url_shape() {
    let item = ContentItem::parse(
        &json!({ "type": "buttons", "buttons": { "type": "url", "buttons": [{ "title": "Docs", "url": "https://example.com" }] } }),
    );
    assert_eq!(
        item,
        ContentItem::Buttons(Buttons {
            title: None,
            options: vec![ButtonOption {
                label: Some("Docs".into()),
                value: None,
                url: Some("https://example.com".into())
            }],
            action: None
        })
    );
}

#[test]
fn buttons_that_trigger_an_action() {
    let item = ContentItem::parse(
        &json!({ "type": "buttons", "buttons": { "title": "Talk to a human", "action": { "id": "escalateToHuman" } } }),
    );
    assert_eq!(
        item,
        ContentItem::Buttons(Buttons {
            title: Some("Talk to a human".into()),
            options: vec![],
            action: Some(json!({ "id": "escalateToHuman" }))
        })
    );
}

#[test]
fn cards_nested_flat_and_direct() {
    let card = Card {
        text: Some("T".into()),
        description: Some("D".into()),
        image_url: Some("https://i/1.png".into()),
        link: Some("https://l".into()),
    };
    let fields = json!({ "text": "T", "description": "D", "image_url": "https://i/1.png", "link": "https://l" });
    let nested = ContentItem::parse(
        &json!({ "type": "cards", "cards": { "type": "carousel", "cards": [fields] } }),
    );
    let flat = ContentItem::parse(&json!({ "type": "cards", "cards": [fields] }));
    let mut direct_item = fields.clone();
    direct_item["type"] = json!("cards");
    let direct = ContentItem::parse(&direct_item);
    for item in [nested, flat, direct] {
        assert_eq!(item, ContentItem::Cards(vec![card.clone()]));
    }
}

#[test]
fn html_and_md_as_string_or_object() {
    assert_eq!(
        ContentItem::parse(&json!({ "type": "html", "html": "<b>x</b>" })),
        ContentItem::Html("<b>x</b>".into())
    );
    assert_eq!(
        ContentItem::parse(
            &json!({ "type": "html", "html": { "type": "html", "html": "<i>y</i>" } })
        ),
        ContentItem::Html("<i>y</i>".into())
    );
    assert_eq!(
        ContentItem::parse(&json!({ "type": "md", "md": "# t" })),
        ContentItem::Markdown("# t".into())
    );
    assert_eq!(
        ContentItem::parse(&json!({ "type": "md", "md": { "type": "md", "md": "*e*" } })),
        ContentItem::Markdown("*e*".into())
    );
}

#[test]
fn table_is_an_html_string() {
    assert_eq!(
        ContentItem::parse(
            &json!({ "type": "table", "table": "<table><tr><td>1</td></tr></table>" })
        ),
        ContentItem::Table("<table><tr><td>1</td></tr></table>".into())
    );
}

#[test]
fn files_as_list_object_singular_and_livechat() {
    let list = ContentItem::parse(
        &json!({ "type": "files", "title": "Docs", "files": [{ "type": "image", "url": "https://f/a.png", "mimetype": "image/png", "filename": "a.png" }] }),
    );
    assert_eq!(
        list,
        ContentItem::Files {
            title: Some("Docs".into()),
            files: vec![FileRef {
                kind: Some("image".into()),
                url: Some("https://f/a.png".into()),
                mimetype: Some("image/png".into()),
                filename: Some("a.png".into()),
                size: None,
                thumbnail: None
            }]
        }
    );
    let obj = ContentItem::parse(
        &json!({ "type": "files", "files": { "type": "files", "files": [{ "type": "audio", "url": "u" }] } }),
    );
    assert!(
        matches!(obj, ContentItem::Files { ref files, .. } if files.len() == 1 && files[0].kind.as_deref() == Some("audio"))
    );
    let singular = ContentItem::parse(
        &json!({ "type": "file", "title": "Report", "files": [{ "mimetype": "application/pdf", "url": "u", "filename": "r.pdf", "size": 1024, "thumbnail": "t" }] }),
    );
    assert_eq!(
        singular,
        ContentItem::Files {
            title: Some("Report".into()),
            files: vec![FileRef {
                kind: None,
                url: Some("u".into()),
                mimetype: Some("application/pdf".into()),
                filename: Some("r.pdf".into()),
                size: Some(1024),
                thumbnail: Some("t".into())
            }]
        }
    );
    let livechat = ContentItem::parse(
        &json!({ "type": "files", "files": [{ "mimetype": "image", "url": "u", "filename": null }] }),
    );
    assert!(
        matches!(livechat, ContentItem::Files { ref files, .. } if files[0].filename.is_none() && files[0].mimetype.as_deref() == Some("image"))
    );
}

#[test]
fn pause_item() {
    assert_eq!(
        ContentItem::parse(&json!({ "type": "pause", "time": 1500 })),
        ContentItem::Pause { time_ms: 1500 }
    );
    assert_eq!(
        ContentItem::parse(&json!({ "type": "pause", "time": "x" })),
        ContentItem::Pause { time_ms: 0 }
    );
}

#[test]
fn unknown_types_keep_the_whole_item() {
    for raw in [
        json!({ "type": "custom", "anything": [1, 2] }),
        json!({ "type": "alert", "level": "warn" }),
        json!({ "type": "any" }),
        json!(5),
        json!({ "type": "html", "html": 7 }),
    ] {
        match ContentItem::parse(&raw) {
            ContentItem::Unknown { raw: kept, .. } => assert_eq!(kept, raw),
            ContentItem::Html(h) => assert_eq!(h, "7"),
            other => panic!("{raw} decoded as {other:?}"),
        }
    }
    assert_eq!(
        ContentItem::parse(&json!({ "type": "custom" })).kind(),
        "custom"
    );
}
