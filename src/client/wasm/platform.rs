//! The few host facilities the client needs, bound to *globals* so that the same code
//! runs in a page, a worker and Node (≥ 22, or 20 with `--experimental-websocket`),
//! and so that a page or test that replaces `fetch`/`WebSocket` is honoured.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::values::{error_message, parse_json_checked};
use crate::client::ClientError;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (one a page or test put in its place included).
    #[wasm_bindgen(js_name = fetch)]
    pub fn global_fetch(url: &str, init: &JsValue) -> Promise;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: i32) -> JsValue;

    #[wasm_bindgen(js_namespace = console, js_name = log)]
    pub fn console_log(a: &str, b: &JsValue);
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    pub fn console_warn(a: &str, b: &JsValue);
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub fn console_error(a: &str, b: &JsValue);

    /// The platform's CSPRNG (browsers, workers, Node ≥ 19: what the `uuid` crate's `js`
    /// feature reaches through getrandom, called here without its layers).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn random_values(into: &mut [u8]);
}

/// The origin of an absolute URL as the platform's URL parser reads it (`None` when it is
/// not one).
pub fn origin_of(url: &str) -> Option<String> {
    web_sys::Url::new(url).ok().map(|u| u.origin())
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Calls `f` once after `ms` milliseconds (no future: code that runs nothing async needs no
/// executor).
pub fn after(ms: f64, f: impl FnOnce() + 'static) {
    let callback = wasm_bindgen::closure::Closure::once_into_js(f);
    set_timeout(
        callback.unchecked_ref(),
        ms.clamp(0.0, f64::from(i32::MAX)) as i32,
    );
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ms.min(i32::MAX as u32) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// A random (v4) UUID from the platform's CSPRNG, in the hyphenated lower-case form.
pub fn uuid() -> String {
    let mut bytes = [0u8; 16];
    random_values(&mut bytes);
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .encode_lower(&mut text)
        .to_owned()
}

/// What an HTTP exchange came back with.
#[derive(Debug, Clone)]
pub struct HttpAnswer {
    pub status: u16,
    pub status_text: String,
    pub content_type: Option<String>,
    /// The body as the engine read it (a JS string): parsed where it is read, by the
    /// engine's parser, and not copied into wasm and back on the way.
    pub body: JsValue,
}

impl HttpAnswer {
    /// The body parsed by the engine (not JSON: `ClientError::Answer`).
    pub fn parsed(&self) -> Result<JsValue, ClientError> {
        parse_json_checked(&self.body)
    }

    /// The body parsed by the engine; `undefined` when it is not JSON.
    pub fn json(&self) -> JsValue {
        self.parsed().unwrap_or(JsValue::UNDEFINED)
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether the content type says JSON (7.0.0: `includes("application/json")`).
    pub fn is_json(&self) -> bool {
        self.content_type
            .as_deref()
            .is_some_and(|c| crate::text::contains(c, "application/json"))
    }
}

/// Sends one request through the global `fetch`. No answer at all is
/// `ClientError::Network` with the engine's message (what 7.0.0 puts after "Failed to
/// send …: "); an answer of any status is `Ok`.
pub async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&JsValue>,
) -> Result<HttpAnswer, ClientError> {
    let network = |e: JsValue| ClientError::Network(error_message(&e));
    let init = Object::new();
    let h = Object::new();
    for (k, v) in headers {
        let _ = Reflect::set(&h, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let _ = Reflect::set(&init, &"method".into(), &method.into());
    let _ = Reflect::set(&init, &"headers".into(), &h);
    if let Some(b) = body {
        let _ = Reflect::set(&init, &"body".into(), b);
    }
    let response = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(network)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| ClientError::Network("fetch did not return a Response".to_owned()))?;
    let content_type = response.headers().get("content-type").ok().flatten();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.map_err(network)?,
        Err(e) => return Err(network(e)),
    };
    Ok(HttpAnswer {
        status: response.status(),
        status_text: response.status_text(),
        content_type,
        body: if text.is_string() {
            text
        } else {
            JsValue::from_str("")
        },
    })
}

/// Runs `future` on the page's microtask queue. Every task goes through this one
/// instantiation of `spawn_local` (one per future type cost wasm bytes each).
pub fn spawn(future: impl std::future::Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(future))
}

#[inline(never)]
fn spawn_boxed(future: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) {
    wasm_bindgen_futures::spawn_local(future)
}
