//! Who the visitor is, for a new conversation's `userBasicInfo`: what the page says (`user`:
//! name and e-mail), or else what the visitor typed in the pre-chat form (`prechat`), which is
//! asked before the first conversation starts and never again (the answer is kept among the
//! API key's records, dated: `maxAge` and `reset()` forget it).

use futures_channel::oneshot;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::client::platform;
use crate::client::values;
use crate::forms::valid_email;
use crate::widget::controller::Controller;
use crate::widget::i18n::Text;
use crate::widget::storage;

/// What is wrong with what the visitor typed: the field (`name`, `email`) and why.
pub type FormProblem = (&'static str, Text);

impl Controller {
    /// `userBasicInfo` for a new conversation: the page's words, else the visitor's.
    pub(in crate::widget) fn basic_info(&self) -> JsValue {
        let options = &self.0.options;
        if options.panel.user_name.is_some() || options.panel.user_email.is_some() {
            let info = js_sys::Object::new();
            for (key, value) in [
                ("name", &options.panel.user_name),
                ("email", &options.panel.user_email),
            ] {
                if let Some(v) = value {
                    values::set(&info, key, &JsValue::from_str(v));
                }
            }
            return info.into();
        }
        let kept = self.about_visitor();
        if kept.is_object() {
            let info = js_sys::Object::new();
            for key in ["name", "email"] {
                let v = values::get(&kept, key);
                if v.as_string().is_some_and(|s| !s.is_empty()) {
                    values::set(&info, key, &v);
                }
            }
            return info.into();
        }
        js_sys::Object::new().into()
    }

    /// What the visitor answered in the pre-chat form (this page's answer, or the one kept).
    fn about_visitor(&self) -> JsValue {
        if let Some(answer) = self.0.about.borrow().clone() {
            return answer;
        }
        self.0
            .keeping
            .fresh(&storage::about_key(&self.0.options.api_key))
    }

    /// Waits, before a new conversation starts, for the pre-chat form if it is to be asked
    /// (the form shows meanwhile): `prechat` set, the page told nothing of the visitor, and the
    /// visitor never answered.
    pub(in crate::widget) async fn await_prechat(&self) {
        let options = &self.0.options;
        if options.panel.prechat.is_empty()
            || options.panel.user_name.is_some()
            || options.panel.user_email.is_some()
            || self.about_visitor().is_object()
        {
            return;
        }
        let (tx, rx) = oneshot::channel();
        self.0.prechat_waiters.borrow_mut().push(tx);
        self.0.chat.prechat.set(true);
        let _ = rx.await;
    }

    /// The visitor sent the pre-chat form: checked (a required field filled, an e-mail
    /// address that is one), kept, and the conversation starts with it.
    pub fn submit_prechat(&self, name: &str, email: &str) -> Result<(), FormProblem> {
        let (name, email) = (name.trim(), email.trim());
        let options = &self.0.options;
        let required = |f: &str| options.panel.prechat_required.iter().any(|r| r == f);
        let asked = |f: &str| options.panel.prechat.iter().any(|r| r == f);
        if asked("name") && required("name") && name.is_empty() {
            return Err(("name", Text::PrechatNameMissing));
        }
        if asked("email") && required("email") && email.is_empty() {
            return Err(("email", Text::PrechatEmailMissing));
        }
        if asked("email") && !email.is_empty() && !valid_email(email) {
            return Err(("email", Text::PrechatEmailInvalid));
        }
        let answer = js_sys::Object::new();
        values::set(&answer, "name", &JsValue::from_str(name));
        values::set(&answer, "email", &JsValue::from_str(email));
        *self.0.about.borrow_mut() = Some(answer.clone().into());
        values::set(&answer, "savedAt", &JsValue::from_f64(platform::now_ms()));
        self.0.keeping.store_text(
            &storage::about_key(&options.api_key),
            &values::stringify(&answer),
        );
        self.0.chat.prechat.set(false);
        for waiter in std::mem::take(&mut *self.0.prechat_waiters.borrow_mut()) {
            let _ = waiter.send(());
        }
        Ok(())
    }
}
