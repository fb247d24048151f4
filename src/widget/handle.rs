//! The widget's entry point: `init({...})` mounts a launcher and a chat panel and returns
//! the handle a page drives it with.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::options::WidgetOptions;
use super::state::Controller;
use super::{host, i18n, view};
use crate::client::platform::{self, from_js};

struct Mounted {
    controller: Controller,
    host: web_sys::Element,
    /// Keeps a floating host over the visual viewport (dropped with the widget).
    _follower: Option<host::ViewportFollower>,
    unmount: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

/// What `init()` returns: drive the widget from the page.
#[wasm_bindgen(js_name = CaptivateChatWidget)]
pub struct WidgetHandle {
    inner: Rc<RefCell<Option<Mounted>>>,
}

fn error(m: &str) -> JsValue {
    js_sys::Error::new(m).into()
}

impl WidgetHandle {
    fn controller(&self) -> Option<Controller> {
        self.inner.borrow().as_ref().map(|m| m.controller.clone())
    }
}

#[wasm_bindgen(js_class = CaptivateChatWidget)]
impl WidgetHandle {
    pub fn open(&self) {
        if let Some(c) = self.controller() {
            c.set_open(true);
        }
    }

    pub fn close(&self) {
        if let Some(c) = self.controller() {
            c.set_open(false);
        }
    }

    pub fn toggle(&self) {
        if let Some(c) = self.controller() {
            let open = c.chat().open.get_untracked();
            c.set_open(!open);
        }
    }

    /// Sends a message as if the visitor typed it.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: String) {
        if let Some(c) = self.controller() {
            c.send(&text, &text);
        }
    }

    /// Sets conversation metadata (starts the conversation if needed).
    #[wasm_bindgen(js_name = setMetadata)]
    pub fn set_metadata(&self, metadata: JsValue) -> Promise {
        let c = self.controller();
        future_to_promise(async move {
            let c = c.ok_or_else(|| error("This widget was destroyed"))?;
            if !metadata.is_object() {
                return Err(error("Metadata must be a non-null object."));
            }
            c.set_metadata(from_js(&metadata))
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(|e| error(&e.to_string()))
        })
    }

    /// Opens the socket now. Without this it opens when it is needed: the panel opens, a
    /// message is sent, or a stored conversation is resumed.
    pub fn connect(&self) {
        if let Some(c) = self.controller() {
            c.ensure_connected();
        }
    }

    /// Forgets the visitor: the kept conversation, unread count and anonymous id, and the
    /// conversation on screen (for a shared computer, or when the page's user logs out).
    pub fn reset(&self) {
        if let Some(c) = self.controller() {
            c.reset();
        }
    }

    /// Listens to `open`, `close`, `message`, `action`, `error` or `connection`.
    pub fn on(&self, event: String, callback: Function) {
        if let Some(c) = self.controller() {
            c.on(&event, callback);
        }
    }

    #[wasm_bindgen(getter, js_name = isConnected)]
    pub fn is_connected(&self) -> bool {
        self.controller().is_some_and(|c| c.is_connected())
    }

    #[wasm_bindgen(getter, js_name = isOpen)]
    pub fn is_open(&self) -> bool {
        self.controller()
            .is_some_and(|c| c.chat().open.get_untracked())
    }

    /// Removes the widget and closes its connection.
    pub fn destroy(&self) {
        if let Some(mut m) = self.inner.borrow_mut().take() {
            m.controller.destroy();
            drop(m.unmount.take());
            m.host.remove();
        }
    }
}

/// Mounts a widget. `options`: `{ apiKey, mode, baseUrl, userId, start, title, position,
/// theme, accent, locale, open, strings, renderers, container, nonce }`.
#[wasm_bindgen(js_name = init)]
pub fn init(options: JsValue) -> Result<WidgetHandle, JsValue> {
    let opts = WidgetOptions::from_js(&options).map_err(|e| error(&e.to_string()))?;
    let strings = i18n::Strings::new(&opts.locale, &opts.strings);
    let inline = opts.container.is_some();
    let (host, mount_point, follower) = host::create(&opts, &strings)?;

    let controller = Controller::new(opts, strings);
    let stored = StoredValue::new_local(controller.clone());
    let unmount = leptos::mount::mount_to(mount_point, move || {
        view! { <view::Widget ctl=stored inline=inline /> }.into_any()
    });
    // From here on (mounting set up the task executor its effects need), the visitor's
    // record follows the model: what starting changes is kept too.
    controller.keep_record();
    controller.start();
    Ok(WidgetHandle {
        inner: Rc::new(RefCell::new(Some(Mounted {
            controller,
            host,
            _follower: follower,
            unmount: Some(unmount),
        }))),
    })
}

/// Logs an error the embed script hit (kept here so the loader stays tiny).
#[wasm_bindgen(js_name = reportError)]
pub fn report_error(message: String) {
    platform::console_error("[CaptivateChat]", &JsValue::from_str(&message));
}
