//! The few host facilities the client needs, bound to *globals* so that the same code
//! runs in a page, a worker and Node (≥ 22, or 20 with `--experimental-websocket`),
//! and so that a page or test that replaces `fetch`/`WebSocket` is honoured.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::ClientError;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &JsValue) -> Promise;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: i32) -> JsValue;

    #[wasm_bindgen(js_namespace = console, js_name = log)]
    pub fn console_log(a: &str, b: &JsValue);
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    pub fn console_warn(a: &str, b: &JsValue);
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub fn console_error(a: &str, b: &JsValue);

    /// `JSON.parse` of a JS string, without copying it through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse_js(text: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get` without the exception wrapper (a fifth of a frame's routing cost):
    /// only for objects `JSON.parse` made, on which it cannot throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn parsed_get(target: &JsValue, key: &JsValue) -> JsValue;

    /// The platform's CSPRNG (browsers, workers, Node ≥ 19: what the `uuid` crate's `js`
    /// feature reaches through getrandom, called here without its layers).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn random_values(into: &mut [u8]);
}

/// A number as the engine writes it (`42`, `0.5`, `1e+21`): no float formatting in wasm
/// (Rust's costs kilobytes).
pub fn number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
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
    pub body: String,
}

impl HttpAnswer {
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

fn error_message(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| "Unknown error".into())
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
        body: text.as_string().unwrap_or_default(),
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

/// Parses JSON text into a JS value; `undefined` when it is not JSON.
pub fn parse_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::UNDEFINED)
}

/// Parses a JS string holding JSON (a socket frame as received, an answer's body) with
/// the engine's parser; text that is not JSON is `ClientError::Answer` with the parser's
/// message.
pub fn parse_json_checked(text: &JsValue) -> Result<JsValue, ClientError> {
    json_parse_js(text).map_err(|e| ClientError::Answer(error_message(&e)))
}

thread_local! {
    /// The conversation id the last frame named, as the engine held it and as text.
    static LAST_CONVERSATION: std::cell::RefCell<Option<(JsValue, String)>> =
        const { std::cell::RefCell::new(None) };
}

/// Parsed JSON as the engine holds it, read field by field (the routing head of a frame).
impl crate::protocol::JsonView for JsValue {
    fn field(&self, key: &'static str) -> Option<JsValue> {
        // Only objects have fields (and `Reflect.get` would throw on anything else).
        if !JsValue::is_object(self) {
            return None;
        }
        self.member(key)
    }

    fn member(&self, key: &'static str) -> Option<JsValue> {
        Some(parsed_get(self, js_str(key))).filter(|v| !v.is_undefined())
    }

    // The field as it is, `undefined` when absent: that reads as no text like `null` does,
    // without a question of its own (one call into the engine fewer per frame).
    fn member_text(&self, key: &'static str) -> Option<String> {
        parsed_get(self, js_str(key)).lenient_string()
    }

    fn member_conversation(&self, key: &'static str) -> Option<String> {
        parsed_get(self, js_str(key)).conversation_text()
    }

    fn conversation_text(&self) -> Option<String> {
        LAST_CONVERSATION.with(|last| {
            if let Some((js, text)) = &*last.borrow() {
                if self == js {
                    return Some(text.clone());
                }
            }
            let text = self.lenient_string()?;
            *last.borrow_mut() = Some((self.clone(), text.clone()));
            Some(text)
        })
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !js_sys::Array::is_array(self)
    }

    fn items(&self) -> Option<Vec<JsValue>> {
        js_sys::Array::is_array(self).then(|| self.unchecked_ref::<js_sys::Array>().to_vec())
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn is_str(&self, s: &'static str) -> bool {
        self == js_str(s)
    }

    fn lenient_string(&self) -> Option<String> {
        if let Some(s) = self.as_string() {
            return Some(s);
        }
        if self.is_null() {
            return None;
        }
        if let Some(b) = self.as_bool() {
            return Some(if b { "true" } else { "false" }.to_owned());
        }
        self.as_f64().map(number_text)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn kind(&self) -> &'static str {
        if self.is_null() {
            "null"
        } else if self.as_bool().is_some() {
            "a boolean"
        } else if self.as_f64().is_some() {
            "a number"
        } else if self.is_string() {
            "a string"
        } else if js_sys::Array::is_array(self) {
            "an array"
        } else {
            "an object"
        }
    }
}

/// Serialises a JS value as JSON text.
pub fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "null".into())
}

/// What the client sends is built as the engine's own objects, and written by
/// `JSON.stringify` when it goes out.
impl crate::protocol::JsonBuild for JsValue {
    fn text(s: &str) -> JsValue {
        JsValue::from_str(s)
    }

    fn null() -> JsValue {
        JsValue::NULL
    }

    fn strings(items: &[String]) -> JsValue {
        items
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect::<js_sys::Array>()
            .into()
    }

    fn object(pairs: &[(&'static str, Option<JsValue>)]) -> JsValue {
        let o = Object::new();
        for (key, value) in pairs {
            if let Some(value) = value {
                set(&o, key, value);
            }
        }
        o.into()
    }
}

/// A page's value as JSON holds it, taken now (`JSON.parse(JSON.stringify(v))`: `toJSON`,
/// dropped functions and `undefined`s, `NaN` as null), so that what is sent later is what
/// was given, whatever the page changes meanwhile; `null` for what JSON cannot hold.
pub fn json_copy(v: &JsValue) -> JsValue {
    match js_sys::JSON::stringify(v) {
        Ok(text) if text.is_string() => json_parse_js(&text).unwrap_or(JsValue::NULL),
        _ => JsValue::NULL,
    }
}

/// JSON text as the engine holds it (`JSON.stringify`; `null` for what it cannot write).
pub fn json_string(v: &JsValue) -> JsValue {
    match js_sys::JSON::stringify(v) {
        Ok(text) if text.is_string() => text.into(),
        _ => JsValue::from_str("null"),
    }
}

// serde_json values (the widget's content model) cross the boundary built and read by
// walking them, with the engine's own `JSON.parse`/`JSON.stringify` for text: serde_json's
// parser and printer (with their float tables and error texts) stay out of the wasm. The
// drop-in links none of what follows: it reads what it receives as the engine parsed it
// (`JsonView`) and builds what it sends as the engine's objects (`JsonBuild`, `json_copy`).

/// A serde_json value as a JS value (objects keep their key order).
pub fn to_js(v: &serde_json::Value) -> JsValue {
    use serde_json::Value;
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
        Value::Object(map) => {
            let o = Object::new();
            for (k, item) in map {
                let _ = Reflect::set(&o, &JsValue::from_str(k), &to_js(item));
            }
            o.into()
        }
    }
}

/// A JS value as a serde_json value, as `JSON.stringify` sees it (`toJSON`, dropped
/// functions and `undefined`s, `NaN` as null); `Null` for what JSON cannot hold.
pub fn from_js(v: &JsValue) -> serde_json::Value {
    if v.is_undefined() {
        return serde_json::Value::Null;
    }
    if !v.is_object() {
        return from_plain(v);
    }
    match js_sys::JSON::stringify(v) {
        Ok(text) => json_parse_js(&text)
            .map(|plain| from_plain(&plain))
            .unwrap_or(serde_json::Value::Null),
        Err(_) => serde_json::Value::Null,
    }
}

/// Parses JSON text with the engine's parser (not JSON: `ClientError::Answer`).
pub fn parse_json_value(text: &str) -> Result<serde_json::Value, ClientError> {
    parse_json_checked(&JsValue::from_str(text)).map(|v| from_plain(&v))
}

/// A serde_json value as JSON text (the engine's `JSON.stringify`).
pub fn json_text(v: &serde_json::Value) -> String {
    stringify(&to_js(v))
}

/// A value made by `JSON.parse` (only null, booleans, finite numbers, strings, arrays
/// and plain objects) as a serde_json value.
pub(crate) fn from_plain(v: &JsValue) -> serde_json::Value {
    use serde_json::Value;
    // The commonest kinds first: each question is a call into the engine, and a transcript
    // of 10,000 messages asks a few hundred thousand.
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if v.is_object() {
        if js_sys::Array::is_array(v) {
            let items = js_sys::Array::from(v);
            Value::Array(items.iter().map(|i| from_plain(&i)).collect())
        } else {
            // Its own keys, each read with the plain getter (`JSON.parse` made the object:
            // no getter can throw).
            let keys = Object::keys(v.unchecked_ref::<Object>());
            let mut map = serde_json::Map::new();
            for key in keys.iter() {
                let value = parsed_get(v, &key);
                if let Some(k) = key.as_string() {
                    map.insert(k, from_plain(&value));
                }
            }
            Value::Object(map)
        }
    } else if let Some(n) = v.as_f64() {
        number(n)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else {
        Value::Null
    }
}

/// A JS number as JSON holds it: integers as integers (as `JSON.parse` then
/// `serde_json` would give for `1` but also for `1.0`, which JS cannot tell apart).
fn number(n: f64) -> serde_json::Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= SAFE {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// A message for an unknown thrown value.
pub fn describe_error(e: &JsValue) -> String {
    error_message(e)
}

/// `obj[key]`, or `undefined` when `obj` is not an object.
pub fn get(obj: &JsValue, key: &'static str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, js_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `obj[key] = value` (ignored when `obj` is frozen or not an object).
pub fn set(obj: &JsValue, key: &'static str, value: &JsValue) {
    let _ = Reflect::set(obj, js_str(key), value);
}

thread_local! {
    static KEYS: std::cell::RefCell<Vec<(&'static str, &'static JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// One of the code's own short strings (a property name, a callback's `type`) as a JS
/// string, made once and kept for the life of the module (a few dozen): copying it out of
/// wasm memory (a `TextDecoder` call) each time cost more than the use itself, per frame,
/// and so did handing out copies of the handle. Found by the literal's address (a hashed
/// lookup cost a fifth of a frame's routing), then by its text.
pub fn js_str(key: &'static str) -> &'static JsValue {
    KEYS.with(|keys| {
        let found = {
            let keys = keys.borrow();
            keys.iter()
                .find(|(k, _)| std::ptr::eq(*k, key))
                .or_else(|| keys.iter().find(|(k, _)| *k == key))
                .map(|(_, v)| *v)
        };
        found.unwrap_or_else(|| {
            let k: &'static JsValue = Box::leak(Box::new(JsValue::from_str(key)));
            keys.borrow_mut().push((key, k));
            k
        })
    })
}
