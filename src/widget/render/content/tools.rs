//! Under a bot or agent message: Copy (the `copy` option) and the thumbs of feedback on
//! answers (the `feedback` option); built with the message, their clicks heard by the list's
//! one handler ([`super::clicked`]).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

use super::NodeMaker;
use crate::client::platform;
use crate::client::values;
use crate::widget::controller::feedback::Vote;
use crate::widget::controller::{Author, Msg};
use crate::widget::i18n::Text;
use crate::widget::kit::{controller, localized, ControllerRef};

/// Which bot message a feedback button is about (its server id), set on the button.
const MESSAGE: &str = "ccMessage";
/// The choice a feedback button makes (`up`, `down`), set on the button.
const VOTE: &str = "ccVote";

/// Under a bot or agent message: the copy button (the `copy` option), and under a bot
/// message the server knows (its id), thumbs up and down (the `feedback` option), the
/// visitor's kept choice pressed.
pub(super) fn answer_tools(
    d: &NodeMaker,
    ctl: ControllerRef,
    msg: &Msg,
    meta: &Node,
) -> Option<()> {
    let c = controller(ctl);
    let options = c.options();
    if options.panel.copy && matches!(msg.author, Author::Bot | Author::Agent) {
        let copy = d.add_text(meta, "button", "cc-copy", &localized(ctl, Text::Copy))?;
        copy.set_attribute("type", "button").ok()?;
    }
    let id = msg
        .id
        .as_deref()
        .filter(|_| options.panel.feedback && msg.author == Author::Bot)?;
    let chosen = c.vote_of(id);
    let group = d.add(meta, "span", "cc-votes")?;
    group.set_attribute("role", "group").ok()?;
    for (vote, face, label) in [
        (Vote::Up, "👍", Text::Helpful),
        (Vote::Down, "👎", Text::NotHelpful),
    ] {
        let button = d.add_text(&group, "button", "cc-vote", face)?;
        button.set_attribute("type", "button").ok()?;
        button
            .set_attribute("aria-label", &localized(ctl, label))
            .ok()?;
        button
            .set_attribute(
                "aria-pressed",
                if chosen == Some(vote) {
                    "true"
                } else {
                    "false"
                },
            )
            .ok()?;
        values::set(&button, MESSAGE, &JsValue::from_str(id));
        values::set(&button, VOTE, &JsValue::from_str(vote.as_str()));
    }
    Some(())
}

/// A click on a feedback button (`false`: the button is not one): the choice is made, and
/// the message's two buttons show it (the message is not built again for this).
pub(super) fn voted(ctl: ControllerRef, button: &Element) -> bool {
    let (Some(id), Some(vote)) = (
        values::get(button, MESSAGE).as_string(),
        values::get(button, VOTE)
            .as_string()
            .and_then(|v| Vote::parse(&v)),
    ) else {
        return false;
    };
    controller(ctl).vote(&id, vote);
    let buttons = button.parent_element().map(|g| g.children());
    for i in 0..buttons.as_ref().map_or(0, |b| b.length()) {
        if let Some(b) = buttons.as_ref().and_then(|b| b.item(i)) {
            let pressed = values::get(&b, VOTE).as_string().as_deref() == Some(vote.as_str());
            let _ = b.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
        }
    }
    true
}

/// Copies the text of the message `button` is under, as the visitor reads it (the bubble's
/// rendered text, not its markdown source), to the clipboard; "Copied" shows on the button
/// for a moment and is announced, or a failure is (no clipboard in this page's context, or
/// permission refused).
pub(super) fn copy_message(ctl: ControllerRef, button: &Element) {
    let text = button
        .closest(".cc-msg")
        .ok()
        .flatten()
        .and_then(|m| m.query_selector(".cc-bubble").ok().flatten())
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|b| b.inner_text())
        .unwrap_or_default();
    // No clipboard outside a secure context (a page served over plain HTTP).
    let clipboard = web_sys::window()
        .map(|w| values::get(&w.navigator(), "clipboard"))
        .and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok());
    let written =
        clipboard.map(|c| wasm_bindgen_futures::JsFuture::from(c.write_text(text.trim())));
    let button = button.clone();
    platform::spawn(async move {
        let ok = match written {
            Some(written) => written.await.is_ok(),
            None => false,
        };
        let said = localized(ctl, if ok { Text::Copied } else { Text::CopyFailed });
        controller(ctl).announce(&said);
        if ok {
            button.set_text_content(Some(&said));
            platform::sleep(2000).await;
            button.set_text_content(Some(&localized(ctl, Text::Copy)));
        }
    });
}
