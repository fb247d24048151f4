//! The scripted demo bot: a greeting, then on request every content type of the
//! protocol, an `action` event, a large message (413 link) and a simulated hand-off
//! to a human agent. Pure: it decides replies; `channel` delivers them.

use serde_json::{json, Value};

/// The bot's display name in transcripts.
pub const BOT_NAME: &str = "Captivate Demo Bot";
/// The simulated human agent.
pub const AGENT_NAME: &str = "Alex";

/// One thing the bot (or the simulated agent) does in reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A `bot_message` with these content items.
    Bot(Value),
    /// A `livechat_message` from the simulated agent.
    Agent(Value),
    /// An `action` event.
    Action { id: &'static str, data: Value },
    /// A `conversation_update`.
    Update { kind: &'static str, data: Value },
    /// A message too large for a frame: a `general_error` 413 with a link to it.
    Large(Value),
    /// A `general_error`.
    Error { code: i64, desc: &'static str },
}

/// What the bot knows about a conversation between messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BotState {
    /// A (simulated) human agent has taken over.
    pub agent_connected: bool,
}

/// The commands `help` lists, with what each shows.
pub const COMMANDS: &[(&str, &str)] = &[
    ("text", "plain text with links"),
    ("buttons", "buttons that send a value"),
    ("links", "buttons that open a page (older shape)"),
    ("cards", "a carousel of cards"),
    ("markdown", "formatted text"),
    ("html", "an HTML snippet"),
    ("table", "an HTML table"),
    ("image", "an image file"),
    ("audio", "an audio clip"),
    ("file", "a document to download"),
    ("custom", "a custom content type"),
    ("pause", "a message that arrives in parts"),
    ("action", "an action event for the page"),
    ("large", "a message too large for the socket"),
    ("error", "an error event"),
    ("everything", "all of the above content at once"),
    ("agent", "hand-off to a human agent (say bye to end it)"),
];

fn text(t: &str) -> Value {
    json!({ "type": "text", "text": t })
}

fn quick_buttons(title: &str, options: &[(&str, &str)]) -> Value {
    let options: Vec<Value> = options
        .iter()
        .map(|(label, value)| json!({ "label": label, "value": value }))
        .collect();
    json!({ "type": "buttons", "buttons": { "title": title, "options": options } })
}

/// The content of one demo command, or `None` for a command that is not a content type.
pub fn content_for(command: &str, origin: &str) -> Option<Value> {
    let asset = |name: &str| format!("{origin}/assets/{name}");
    let items = match command {
        "text" => json!([text("This is plain text. Links become clickable: https://captivatechat.ai — and so do emails like hello@example.com.")]),
        "buttons" => json!([quick_buttons("How is your day going?", &[("Great", "great"), ("Fine", "fine"), ("Could be better", "could be better")])]),
        "links" => json!([{ "type": "buttons", "buttons": { "type": "url", "buttons": [
            { "title": "Captivate website", "url": "https://captivatechat.ai" },
            { "title": "Protocol reference", "url": format!("{origin}/assets/captivate-guide.txt") }
        ] } }]),
        "cards" => json!([{ "type": "cards", "cards": { "type": "carousel", "cards": [
            { "text": "Sunrise", "description": "A bright start to the day.", "image_url": asset("card-1.svg"), "link": "https://example.com/sunrise" },
            { "text": "Ocean", "description": "Calm blue water.", "image_url": asset("card-2.svg"), "link": "https://example.com/ocean" },
            { "text": "Forest", "description": "Quiet and green.", "image_url": asset("card-3.svg"), "link": "https://example.com/forest" }
        ] } }]),
        "markdown" | "md" => json!([{ "type": "md", "md": "## Markdown\n\nText can be **bold**, *italic* or `code`.\n\n- lists\n- [links](https://captivatechat.ai)\n\n```\nlet code = \"blocks\";\n```\n\n| Plan | Price |\n|---|---|\n| Free | $0 |\n| Pro | $29 |" }]),
        "html" => json!([{ "type": "html", "html": { "type": "html", "html": "<p>This is <strong>HTML</strong> from the bot, with a <a href=\"https://captivatechat.ai\">link</a>.</p><ul><li>sanitized</li><li>then shown</li></ul>" } }]),
        "table" => json!([{ "type": "table", "table": "<table><thead><tr><th>Plan</th><th>Messages</th><th>Price</th></tr></thead><tbody><tr><td>Free</td><td>1,000</td><td>$0</td></tr><tr><td>Pro</td><td>50,000</td><td>$29</td></tr></tbody></table>" }]),
        "image" => json!([{ "type": "files", "title": "An image", "files": [
            { "type": "image", "url": asset("demo-image.svg"), "mimetype": "image/svg+xml", "filename": "demo-image.svg" }
        ] }]),
        "audio" => json!([{ "type": "files", "title": "A short tone", "files": [
            { "type": "audio", "url": asset("demo-tone.wav"), "mimetype": "audio/wav", "filename": "demo-tone.wav" }
        ] }]),
        "file" | "document" => json!([{ "type": "file", "title": "The guide", "files": [
            { "mimetype": "text/plain", "url": asset("captivate-guide.txt"), "filename": "captivate-guide.txt", "size": crate::files::GUIDE.len() }
        ] }]),
        "custom" => json!([{ "type": "custom", "name": "order-status", "order": { "id": "A-1042", "status": "shipped" } }]),
        "pause" => json!([text("Let me think…"), { "type": "pause", "time": 1200 }, text("Done thinking.")]),
        _ => return None,
    };
    Some(items)
}

fn help(origin: &str) -> Value {
    let mut md = String::from("Here is what I can show you — type a word or click a button:\n\n");
    for (cmd, what) in COMMANDS {
        md.push_str(&format!("- **{cmd}** — {what}\n"));
    }
    md.push_str(
        "\nAround the conversation (the demo page turns these on):\n\n\
         - **Notifications** — say **pause**, close the panel or switch tabs: the tab's title counts \
         what you missed and a chime plays; the ⋮ menu turns system notifications on or mutes the chime\n\
         - **Download** — the ⋮ menu saves the conversation as a text file\n\
         - **End and rate** — the ⋮ menu's *End conversation*, then say how it was (also when the human \
         agent leaves: say **agent**, then **bye**)\n\
         - **Greeting** — a line beside the launcher a few seconds after the page loads, once a day\n",
    );
    let _ = origin;
    json!([{ "type": "md", "md": md }, quick_buttons("Try one", &[("Cards", "cards"), ("Markdown", "markdown"), ("Image", "image"), ("Talk to a human", "agent")])])
}

/// Extracts the visitor's words from a `user_message` content.
pub fn text_of(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Object(o) => o
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        _ => String::new(),
    }
}

/// Names of files attached to a `user_message` content.
pub fn files_of(content: &Value) -> Vec<String> {
    let files = match content.get("files") {
        Some(Value::Array(f)) => f.clone(),
        _ => Vec::new(),
    };
    files
        .iter()
        .map(|f| {
            f.get("filename")
                .and_then(Value::as_str)
                .unwrap_or("file")
                .to_owned()
        })
        .collect()
}

/// Replies to a visitor's message.
pub fn reply_to_message(content: &Value, state: &mut BotState, origin: &str) -> Vec<Reply> {
    let said = text_of(content);
    let files = files_of(content);
    let command = said
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_lowercase();

    if state.agent_connected {
        if matches!(command.as_str(), "bye" | "end" | "done" | "back to bot") {
            state.agent_connected = false;
            return vec![
                Reply::Agent(json!([text(
                    "Thanks for chatting! I'm handing you back to the bot."
                )])),
                Reply::Update {
                    kind: "livechatAgentDisconnected",
                    data: json!({ "agentName": AGENT_NAME }),
                },
                Reply::Bot(json!([text(
                    "You're back with the bot. Type help to see what I can do."
                )])),
            ];
        }
        let answer = if files.is_empty() {
            format!(
                "Got it: \u{201c}{said}\u{201d}. Anything else? (say bye to go back to the bot)"
            )
        } else {
            format!("Thanks, I received {}.", files.join(", "))
        };
        return vec![Reply::Agent(json!([text(&answer)]))];
    }

    if !files.is_empty() {
        return vec![Reply::Bot(json!([text(&format!(
            "Thanks for the file{}: {}.",
            if files.len() == 1 { "" } else { "s" },
            files.join(", ")
        ))]))];
    }

    match command.as_str() {
        "" => vec![Reply::Bot(json!([
            text("Hi! I'm the Captivate demo bot. I can show you every kind of message this chat supports."),
            quick_buttons("Where shall we start?", &[("Show me everything", "everything"), ("What can you do?", "help"), ("Talk to a human", "agent")])
        ]))],
        "help" | "menu" | "commands" => vec![Reply::Bot(help(origin))],
        "agent" | "human" | "handoff" | "talk to a human" => start_handoff(state),
        "action" => vec![
            Reply::Bot(json!([text("I just sent the page an action event named getLocation.")])),
            Reply::Action { id: "getLocation", data: json!({ "reason": "demo" }) },
        ],
        "large" => vec![Reply::Large(json!([
            text("This message was too large for the socket, so the client fetched it from a link."),
            { "type": "md", "md": "x".repeat(512) }
        ]))],
        "error" => vec![Reply::Error { code: 500, desc: "The demo bot raised an error on purpose." }],
        "everything" | "all" => {
            let mut replies = vec![Reply::Bot(json!([text("Here is every content type, one after another.")]))];
            for (cmd, _) in COMMANDS {
                if let Some(items) = content_for(cmd, origin) {
                    replies.push(Reply::Bot(items));
                }
            }
            replies
        }
        other => match content_for(other, origin) {
            Some(items) => vec![Reply::Bot(items)],
            None => vec![Reply::Bot(json!([{ "type": "md", "md": format!(
                "You said: \u{201c}{}\u{201d}. Type **help** to see what I can show you.",
                said.replace('*', "\\*")
            ) }]))],
        },
    }
}

fn start_handoff(state: &mut BotState) -> Vec<Reply> {
    if state.agent_connected {
        return vec![Reply::Agent(json!([text("I'm already here!")]))];
    }
    state.agent_connected = true;
    vec![
        Reply::Bot(json!([text("Connecting you to a human agent…")])),
        Reply::Update { kind: "livechatAgentConnected", data: json!({ "agentName": AGENT_NAME }) },
        Reply::Agent(json!([text(&format!("Hi, I'm {AGENT_NAME}, a (simulated) human agent. How can I help? Say bye to go back to the bot."))])),
    ]
}

/// Replies to an `action` the visitor's page sent.
pub fn reply_to_action(id: &str, data: &Value, state: &mut BotState) -> Vec<Reply> {
    match id {
        "escalateToHuman" => start_handoff(state),
        // The visitor ended the conversation: nothing more to say in it.
        "conversation_end" => Vec::new(),
        // Feedback on an answer (`{ message_id, value }`): a bot records it, and says nothing.
        "message_feedback" => Vec::new(),
        "conversation_rating" => {
            let score = data.get("score").and_then(Value::as_u64).unwrap_or(0);
            let scale = data.get("scale").and_then(Value::as_u64).unwrap_or(5);
            let comment = data
                .get("comment")
                .and_then(Value::as_str)
                .map_or(String::new(), |c| {
                    format!(" You wrote: “{}”", c.chars().take(200).collect::<String>())
                });
            vec![Reply::Bot(json!([text(&format!(
                "Thank you for rating this conversation {score} of {scale}.{comment}"
            ))]))]
        }
        _ => vec![Reply::Bot(json!([text(&format!(
            "Action received: {id} {data}"
        ))]))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_command_answers_with_something_other_than_the_fallback() {
        for (cmd, _) in COMMANDS {
            let replies = reply_to_message(
                &json!({ "type": "text", "text": cmd }),
                &mut BotState::default(),
                "http://h",
            );
            let fallback =
                matches!(&replies[..], [Reply::Bot(v)] if v.to_string().contains("You said"));
            assert!(!fallback, "{cmd} fell back to the echo");
        }
    }

    #[test]
    fn handoff_routes_messages_to_the_agent_until_bye() {
        let mut state = BotState::default();
        let r = reply_to_message(&json!({ "type": "text", "text": "agent" }), &mut state, "");
        assert!(r.iter().any(|x| matches!(
            x,
            Reply::Update {
                kind: "livechatAgentConnected",
                ..
            }
        )));
        let r = reply_to_message(&json!({ "type": "text", "text": "hello" }), &mut state, "");
        assert!(matches!(&r[..], [Reply::Agent(_)]));
        let r = reply_to_message(&json!({ "type": "text", "text": "Bye!" }), &mut state, "");
        assert!(r.iter().any(|x| matches!(
            x,
            Reply::Update {
                kind: "livechatAgentDisconnected",
                ..
            }
        )));
        assert!(!state.agent_connected);
    }

    #[test]
    fn empty_first_message_gets_the_greeting() {
        let r = reply_to_message(
            &json!({ "type": "text", "text": "" }),
            &mut BotState::default(),
            "",
        );
        assert!(matches!(&r[..], [Reply::Bot(v)] if v.to_string().contains("demo bot")));
    }

    #[test]
    fn a_rating_is_thanked_with_its_score_and_comment_and_an_end_gets_no_reply() {
        let mut state = BotState::default();
        let r = reply_to_action(
            "conversation_rating",
            &json!({ "score": 4, "scale": 5, "comment": "Quick and clear" }),
            &mut state,
        );
        assert!(
            matches!(&r[..], [Reply::Bot(v)] if v.to_string().contains("4 of 5") && v.to_string().contains("Quick and clear"))
        );
        let r = reply_to_action("conversation_rating", &json!({ "score": "x" }), &mut state);
        assert!(matches!(&r[..], [Reply::Bot(v)] if v.to_string().contains("0 of 5")));
        assert!(reply_to_action("conversation_end", &json!({}), &mut state).is_empty());
        assert!(reply_to_action(
            "message_feedback",
            &json!({ "message_id": "m1", "value": "up" }),
            &mut state
        )
        .is_empty());
    }
}
