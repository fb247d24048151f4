//! The widget's entry point: `init({...})` mounts a launcher and a chat panel and returns
//! the handle a page drives it with.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::controller::Controller;
use super::greeting;
use super::host;
use super::i18n;
use super::options::WidgetOptions;
use super::ui;
use crate::client::platform;
use crate::client::values;

struct Mounted {
    controller: Controller,
    host: web_sys::Element,
    /// Keeps a floating host over the visual viewport (dropped with the widget).
    _follower: Option<host::ViewportFollower>,
    /// The mounted view (dropping it unmounts); its type is the whole view's, named nowhere.
    unmount: Option<Box<dyn std::any::Any>>,
}

/// What a mounted widget does for its handle. Implemented by the lazily loaded part of
/// the module (`Live`), called through this trait from the handle the main part exports,
/// so that the main part (the launcher) does not link the widget.
trait Ops {
    fn open(&self);
    fn close(&self);
    fn toggle(&self);
    fn send_message(&self, text: String);
    fn set_metadata(&self, metadata: JsValue) -> Promise;
    fn connect(&self);
    fn reset(&self);
    fn on(&self, event: String, callback: Function);
    fn is_connected(&self) -> bool;
    fn is_open(&self) -> bool;
    fn destroy(&self);
}

/// What `init()` returns: drive the widget from the page.
#[wasm_bindgen(js_name = CaptivateChatWidget)]
pub struct WidgetHandle {
    ops: Box<dyn Ops>,
}

fn error(m: &str) -> JsValue {
    js_sys::Error::new(m).into()
}

#[wasm_bindgen(js_class = CaptivateChatWidget)]
impl WidgetHandle {
    pub fn open(&self) {
        self.ops.open()
    }

    pub fn close(&self) {
        self.ops.close()
    }

    pub fn toggle(&self) {
        self.ops.toggle()
    }

    /// Sends a message as if the visitor typed it.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: String) {
        self.ops.send_message(text)
    }

    /// Sets conversation metadata (starts the conversation if needed).
    #[wasm_bindgen(js_name = setMetadata)]
    pub fn set_metadata(&self, metadata: JsValue) -> Promise {
        self.ops.set_metadata(metadata)
    }

    /// Opens the socket now. Without this it opens when it is needed: the panel opens, a
    /// message is sent, or a stored conversation is resumed.
    pub fn connect(&self) {
        self.ops.connect()
    }

    /// Forgets the visitor: the kept conversation, unread count and anonymous id, and the
    /// conversation on screen (for a shared computer, or when the page's user logs out).
    pub fn reset(&self) {
        self.ops.reset()
    }

    /// Listens to `open`, `close`, `message`, `action`, `error` or `connection`.
    pub fn on(&self, event: String, callback: Function) {
        self.ops.on(event, callback)
    }

    #[wasm_bindgen(getter, js_name = isConnected)]
    pub fn is_connected(&self) -> bool {
        self.ops.is_connected()
    }

    #[wasm_bindgen(getter, js_name = isOpen)]
    pub fn is_open(&self) -> bool {
        self.ops.is_open()
    }

    /// Removes the widget and closes its connection.
    pub fn destroy(&self) {
        self.ops.destroy()
    }
}

/// The widget's mount function, once its part of the module is loaded.
type Mount = fn(JsValue) -> Result<Box<dyn Ops>, JsValue>;

thread_local! {
    static MOUNT: std::cell::Cell<Option<Mount>> = const { std::cell::Cell::new(None) };
}

/// A lazily loaded part of the module failed to load (offline, blocked).
pub(super) struct Unloaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unloaded
    }
}

/// The split point: everything only `mount` reaches goes to the widget's own chunk (the
/// release build, `split` feature: scripts/post-build.mjs).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(widget, fallible, wasm_split_path = ::leptos::wasm_split)]
fn widget_part() -> Result<Mount, Unloaded> {
    Ok(mount)
}

/// One module, nothing to load (the debug build of `make dev`).
#[cfg(not(feature = "split"))]
async fn widget_part() -> Result<Mount, Unloaded> {
    Ok(mount)
}

/// Loads the widget's part of the module (once): `init` works after it has resolved.
#[wasm_bindgen(js_name = loadWidget)]
pub async fn load_widget() -> Result<(), JsValue> {
    if MOUNT.with(|m| m.get()).is_none() {
        let mount = widget_part()
            .await
            .map_err(|_| error("The chat could not be loaded"))?;
        MOUNT.with(|m| m.set(Some(mount)));
    }
    Ok(())
}

/// Mounts a widget. `options`: `{ apiKey, mode, baseUrl, userId, start, title, position,
/// theme, accent, locale, open, strings, renderers, container, nonce }`. After
/// `loadWidget()` has resolved.
#[wasm_bindgen(js_name = init)]
pub fn init(options: JsValue) -> Result<WidgetHandle, JsValue> {
    let mount = MOUNT
        .with(|m| m.get())
        .ok_or_else(|| error("init() before loadWidget() has resolved"))?;
    Ok(WidgetHandle {
        ops: mount(options)?,
    })
}

struct Live {
    inner: RefCell<Option<Mounted>>,
    /// Whose visitors `reset()` forgets, even after `destroy()`.
    api_key: String,
}

impl Live {
    fn controller(&self) -> Option<Controller> {
        self.inner.borrow().as_ref().map(|m| m.controller.clone())
    }
}

impl Ops for Live {
    fn open(&self) {
        if let Some(c) = self.controller() {
            c.set_open(true);
        }
    }

    fn close(&self) {
        if let Some(c) = self.controller() {
            c.set_open(false);
        }
    }

    fn toggle(&self) {
        if let Some(c) = self.controller() {
            let open = c.chat().open.get_untracked();
            c.set_open(!open);
        }
    }

    fn send_message(&self, text: String) {
        if let Some(c) = self.controller() {
            c.send(&text, &text);
        }
    }

    fn set_metadata(&self, metadata: JsValue) -> Promise {
        let c = self.controller();
        future_to_promise(async move {
            let c = c.ok_or_else(|| error("This widget was destroyed"))?;
            if !metadata.is_object() {
                return Err(error("Metadata must be a non-null object."));
            }
            c.set_metadata(values::json_copy(&metadata))
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(|e| error(&e.message()))
        })
    }

    fn connect(&self) {
        if let Some(c) = self.controller() {
            c.ensure_connected();
        }
    }

    fn reset(&self) {
        match self.controller() {
            Some(c) => c.reset(),
            None => crate::widget::storage::forget_all(&self.api_key),
        }
    }

    fn on(&self, event: String, callback: Function) {
        if let Some(c) = self.controller() {
            c.on(&event, callback);
        }
    }

    fn is_connected(&self) -> bool {
        self.controller().is_some_and(|c| c.is_connected())
    }

    fn is_open(&self) -> bool {
        self.controller()
            .is_some_and(|c| c.chat().open.get_untracked())
    }

    fn destroy(&self) {
        if let Some(mut m) = self.inner.borrow_mut().take() {
            m.controller.destroy();
            drop(m.unmount.take());
            m.host.remove();
        }
    }
}

fn mount(options: JsValue) -> Result<Box<dyn Ops>, JsValue> {
    let mut opts = WidgetOptions::from_js(&options)
        .map_err(|e| error(e.message()))?
        .with_panel(&options);
    let strings = i18n::Strings::new(&opts.locale, &opts.strings, std::mem::take(&mut opts.texts));
    let inline = opts.container.is_some();
    let (host, mount_point, follower) = host::create(&opts, &strings, host::Styles::Widget)?;

    let api_key = opts.api_key.clone();
    greeting::set_show_bubble(ui::greeting::show_bubble);
    let controller = Controller::new(opts, strings);
    if !inline {
        // A greeting beside the launcher it replaces moves to this one, and opens this chat.
        let weak = controller.weak();
        controller.greeting().attach(
            host.clone(),
            Rc::new(move || {
                if let Some(c) = Controller::upgrade(&weak) {
                    c.set_open(true);
                }
            }),
        );
    }
    let stored = StoredValue::new_local(controller.clone());
    let unmount = leptos::mount::mount_to(mount_point, move || {
        view! { <ui::Widget ctl=stored inline=inline /> }
    });
    // From here on (mounting set up the task executor its effects need), the visitor's
    // record follows the model: what starting changes is kept too.
    controller.keep_record();
    controller.start();
    Ok(Box::new(Live {
        inner: RefCell::new(Some(Mounted {
            controller,
            host,
            _follower: follower,
            unmount: Some(Box::new(unmount)),
        })),
        api_key,
    }))
}

/// Logs an error the embed script hit (kept here so the loader stays tiny).
#[wasm_bindgen(js_name = reportError)]
pub fn report_error(message: String) {
    platform::console_error("[CaptivateChat]", &JsValue::from_str(&message));
}
