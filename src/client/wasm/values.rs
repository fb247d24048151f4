//! JSON values as the engine holds them: parsed by its `JSON.parse` (read through
//! [`JsonView`](crate::protocol::JsonView)), built as its objects (through
//! [`JsonBuild`](crate::protocol::JsonBuild)) and written by its `JSON.stringify`; the
//! parts of content the widget keeps as they are ([`JsPart`]); and, to compare a reader's
//! two views in tests, a serde value of an engine's value.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::client::ClientError;
use js_sys::Reflect;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string, without copying it through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse_js(text: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get` without the exception wrapper (a fifth of a frame's routing cost):
    /// only for objects `JSON.parse` made, on which it cannot throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn parsed_get(target: &JsValue, key: &JsValue) -> JsValue;
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

    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !js_sys::Array::is_array(self)
    }

    fn is_null(&self) -> bool {
        JsValue::is_null(self)
    }

    type Part = JsPart;

    // An object or array is copied: the page hears the same parsed content (the widget's
    // `message` event) and may change it; what the widget sends back later (a button's
    // value, an action) is what the bot sent.
    fn part(&self) -> JsPart {
        let value = match JsValue::is_object(self) {
            true => json_copy(self),
            false => self.clone(),
        };
        JsPart(send_wrapper::SendWrapper::new(value))
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

/// A part of parsed JSON kept as the engine holds it (what [`JsonView::part`] keeps in the
/// browser: a button's value, an action, a content item of an unknown type). The widget's
/// signals hold `Send + Sync` values; the wasm has one thread, and `SendWrapper` holds the
/// value to it.
///
/// [`JsonView::part`]: crate::protocol::JsonView::part
#[derive(Debug, Clone)]
pub struct JsPart(send_wrapper::SendWrapper<JsValue>);

impl PartialEq for JsPart {
    fn eq(&self, other: &JsPart) -> bool {
        *self.0 == *other.0
    }
}

impl JsPart {
    /// The value.
    pub fn value(&self) -> &JsValue {
        &self.0
    }

    /// A string as it is, anything else as JSON text (`JSON.stringify`).
    pub fn text(&self) -> String {
        self.0.as_string().unwrap_or_else(|| stringify(&self.0))
    }
}

/// Serialises a JS value as JSON text ([`json_string`], copied into wasm memory).
pub fn stringify(v: &JsValue) -> String {
    json_string(v).as_string().unwrap_or_default()
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

// Neither face holds serde_json values: both read what they receive as the engine parsed
// it (`JsonView`) and build what they send as the engine's objects (`JsonBuild`,
// `json_copy`). What follows makes a serde value of an engine's value, to compare the two
// views of one reader (the browser tests); nothing else links it.

/// A JS value as a serde_json value, as `JSON.stringify` sees it (`toJSON`, dropped
/// functions and `undefined`s, `NaN` as null); `Null` for what JSON cannot hold.
pub fn from_js(v: &JsValue) -> serde_json::Value {
    from_plain(&json_copy(v))
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

/// A number as the engine writes it (`42`, `0.5`, `1e+21`): no float formatting in wasm
/// (Rust's costs kilobytes).
pub fn number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// What a thrown value says: an `Error`'s message, a thrown string, or "Unknown error".
pub fn error_message(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| "Unknown error".into())
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
