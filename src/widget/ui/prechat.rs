//! The pre-chat form (`prechat`; `controller::prechat` says when it is asked): the fields the
//! page asked for (name, e-mail), each labelled and marked optional when it is, checked when
//! sent (the browser's own checks are off, so that every message is the widget's, in its
//! language): the first problem is said by an alert region, its field marked invalid and
//! focused. The first field takes the focus as the form shows, when the visitor was using the
//! widget (the launcher they pressed to open it), never from the page.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::widget::i18n::Text;
use crate::widget::kit::{controller, current_element, listen, localized, on, ControllerRef};

/// The form, while a new conversation waits for it.
#[component]
pub(super) fn Prechat(ctl: ControllerRef) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let c = controller(ctl);
    let options = c.options();
    let asks = |field: &str| options.panel.prechat.iter().any(|f| f == field);
    // "Email (optional)" where it may stay empty.
    let label = |text: Text, field: &str| {
        let text = localized(ctl, text);
        if options.panel.prechat_required.iter().any(|f| f == field) {
            text
        } else {
            [
                text.as_str(),
                " (",
                &localized(ctl, Text::PrechatOptional),
                ")",
            ]
            .concat()
        }
    };
    let required = |field: &str| options.panel.prechat_required.iter().any(|f| f == field);
    // One field: its input named `name` (also its autocomplete token), of `kind`.
    let field = |name: &'static str, text: Text, kind: &'static str, longest: &'static str| {
        asks(name).then(|| {
            view! {
                <label class="cc-field">
                    <span>{label(text, name)}</span>
                    <input name=name type=kind autocomplete=name maxlength=longest required=required(name)
                        aria-describedby="cc-prechat-error" />
                </label>
            }
        })
    };
    let name = field("name", Text::PrechatName, "text", "200");
    let email = field("email", Text::PrechatEmail, "email", "254");
    let on_submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let Some(form) = current_element(&e) else {
            return;
        };
        let field = |name: &str| {
            form.query_selector(&["[name=", name, "]"].concat())
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let value = |name: &str| field(name).map(|i| i.value()).unwrap_or_default();
        for name in ["name", "email"] {
            if let Some(input) = field(name) {
                let _ = input.remove_attribute("aria-invalid");
            }
        }
        match controller(ctl).submit_prechat(&value("name"), &value("email")) {
            Ok(()) => error.set(None),
            Err((name, problem)) => {
                error.set(Some(localized(ctl, problem)));
                if let Some(input) = field(name) {
                    let _ = input.set_attribute("aria-invalid", "true");
                    let _ = input.focus();
                }
            }
        }
    };
    view! {
        <form class="cc-prechat" novalidate=true aria-labelledby="cc-prechat-intro" use:listen=on("submit", on_submit)
            use:focus_first_field>
            <p id="cc-prechat-intro">{localized(ctl, Text::PrechatIntro)}</p>
            {name}
            {email}
            <p id="cc-prechat-error" class="cc-form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <button type="submit" class="cc-wide-button cc-primary">{localized(ctl, Text::PrechatSubmit)}</button>
        </form>
    }
}

/// Gives the form's first field the focus once the form is on the page (the next frame), if
/// the focus is in the widget then: the visitor pressed the launcher (or a button of the
/// panel) to get here. A panel open as the page loads, or opened by the page's own call,
/// leaves the focus where the page has it.
fn focus_first_field(form: web_sys::Element) {
    request_animation_frame(move || {
        // The page's focused element is our shadow root's host: the focus is in the widget.
        let in_widget = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|host| host.shadow_root())
            .is_some_and(|root| JsValue::from(root) == JsValue::from(form.get_root_node()));
        let first = form
            .query_selector("input")
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok());
        if let (true, Some(first)) = (in_widget, first) {
            let _ = first.focus();
        }
    });
}
