//! What every component uses: the controller's handle (`ControllerRef`) and its strings (`localized`), and
//! the one way elements listen to events (the `use:listen` directive, `on(…)`), with the
//! element an event was heard on (components find the elements they act on from their
//! events: docs/size.md, rule 4). A leaf: the components (`ui`) and the message renderer
//! (`render`) import it.

use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::controller::Controller;
use super::i18n::Text;

pub(super) type ControllerRef = StoredValue<Controller, LocalStorage>;

/// The controller behind `ctl` (a handle: a clone is cheap). One function for every
/// component, instead of a `with_value` of its own at each call (each a generic copy).
pub(super) fn controller(ctl: ControllerRef) -> Controller {
    ctl.get_value()
}

pub(super) fn localized(ctl: ControllerRef, text: Text) -> String {
    controller(ctl).strings().get(text)
}

/// The element matching `selector` that holds an event's `target` (or is it), if any.
pub(super) fn closest(
    target: Option<web_sys::EventTarget>,
    selector: &str,
) -> Option<web_sys::Element> {
    target?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// The element whose listener hears `e` (components find the elements they act on from
/// their events: a `NodeRef` is a signal type of its own, with its own copy of the signal
/// code in the wasm).
pub(super) fn current_element(e: &web_sys::Event) -> Option<web_sys::Element> {
    e.current_target()?.dyn_into().ok()
}

/// An element's event listeners, as the `use:listen` directive attaches them: each event's
/// name and handler. The widget's elements listen through this one directive instead of
/// tachys's `on:` (a copy of its listener code per event and handler type, and its event
/// delegation machinery, which the first load carried though delegation is off).
#[derive(Clone)]
pub(super) struct Listen(Vec<Listener>);

/// One event's name, whether its listener is passive, and its handler.
type Listener = (&'static str, bool, Rc<dyn Fn(web_sys::Event)>);

/// A listener for the event `name`, whose handler takes it as `E` (the type the browser
/// gives that event); `.on(…)` adds another.
pub(super) fn on<E: JsCast + 'static>(name: &'static str, f: impl Fn(E) + 'static) -> Listen {
    Listen(Vec::new()).on(name, f)
}

impl Listen {
    pub(super) fn on<E: JsCast + 'static>(
        mut self,
        name: &'static str,
        f: impl Fn(E) + 'static,
    ) -> Listen {
        self.0.push((
            name,
            false,
            Rc::new(move |e: web_sys::Event| f(e.unchecked_into())),
        ));
        self
    }

    /// One handler for each of `names`, passive (it never cancels the event, so that the
    /// browser scrolls without waiting for it).
    pub(super) fn passive(
        mut self,
        names: &[&'static str],
        f: impl Fn(web_sys::Event) + 'static,
    ) -> Listen {
        let f: Rc<dyn Fn(web_sys::Event)> = Rc::new(f);
        for &name in names {
            self.0.push((name, true, f.clone()));
        }
        self
    }
}

/// The directive: listens on the element while its view is on the page (the listeners are
/// removed with it).
pub(super) fn listen(el: web_sys::Element, Listen(listeners): Listen) {
    for (name, passive, handler) in listeners {
        let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| handler(e));
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(passive);
        if el
            .add_event_listener_with_callback_and_add_event_listener_options(
                name,
                callback.as_ref().unchecked_ref(),
                &options,
            )
            .is_err()
        {
            continue;
        }
        if Owner::current().is_none() {
            // No view to go with (not expected): the element's listener keeps the handler,
            // and the engine frees it with the element.
            let _ = callback.into_js_value();
            continue;
        }
        let attached = SendWrapper::new((el.clone(), callback));
        on_cleanup(move || {
            let (el, callback) = attached.take();
            let _ = el.remove_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        });
    }
}
