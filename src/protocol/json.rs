//! Lenient readers for JSON fields: bots and older servers send numbers where
//! strings are expected, single objects where lists are expected, and nulls.

use serde_json::{Map, Value};

use super::error::{DecodeError, PayloadError};
use super::JsonView;

/// A string field, accepting numbers and booleans as their text; `None` when absent,
/// null, or structured.
pub(crate) fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.lenient_string()
}

/// A string field that must be present.
pub(crate) fn required_string(v: &Value, key: &'static str) -> Result<String, PayloadError> {
    string(v, key).ok_or_else(|| PayloadError::not_a_string(key, v.get(key).map(kind)))
}

/// Any JSON value of a field, `Null` when absent.
pub(crate) fn value(v: &Value, key: &str) -> Value {
    v.get(key).cloned().unwrap_or(Value::Null)
}

/// A field that should be a list: a single value becomes a one-item list,
/// absent or null an empty one.
pub(crate) fn list<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    match v.get(key) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    }
}

/// An unsigned number field, accepting numeric strings.
pub(crate) fn unsigned(v: &Value, key: &str) -> Option<u64> {
    match v.get(key)? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim_ascii().parse().ok(),
        _ => None,
    }
}

/// A signed integer field, accepting numeric strings.
pub(crate) fn integer(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        // The reader `error_code` uses on the engine's values too.
        Value::String(s) => crate::text::integer(s.trim_ascii()),
        _ => None,
    }
}

/// The name of a JSON value's type, for error messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// How the protocol builds the JSON a client sends: `serde_json` values here (the server,
/// native tests); the clients build the engine's own objects (`client::platform`), which
/// `JSON.stringify` writes.
pub trait JsonBuild: Clone {
    /// A string.
    fn text(s: &str) -> Self;
    /// `null`.
    fn null() -> Self;
    /// A list of strings.
    fn strings(items: &[String]) -> Self;
    /// An object of the pairs that are present, in order (by reference: one body for every
    /// size of object, the values cloned in).
    fn object(pairs: &[(&'static str, Option<Self>)]) -> Self;
}

impl JsonBuild for Value {
    fn text(s: &str) -> Value {
        Value::String(s.to_owned())
    }

    fn null() -> Value {
        Value::Null
    }

    fn strings(items: &[String]) -> Value {
        items.into()
    }

    fn object(pairs: &[(&'static str, Option<Value>)]) -> Value {
        object(pairs.iter().map(|(key, value)| (*key, value.clone())))
    }
}

/// Builds a JSON object from pairs, each present (no `json!` with interpolated values on
/// the client's paths: its `to_value` brings serde's value serializer into the wasm).
pub(crate) fn obj<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    object(pairs.map(|(k, v)| (k, Some(v))))
}

/// Builds a JSON object from pairs, skipping `None` values.
pub(crate) fn object<I>(pairs: I) -> Value
where
    I: IntoIterator<Item = (&'static str, Option<Value>)>,
{
    let mut map = Map::new();
    for (key, val) in pairs {
        if let Some(val) = val {
            map.insert(key.to_owned(), val);
        }
    }
    Value::Object(map)
}

/// What an HTTP answer of the channel carries: its `event.event_payload` when that is
/// there and not null, else the body itself (7.0.0: `e?.event?.event_payload || e`). Over
/// any view of the parsed answer (both faces read the engine's objects).
// Native builds have no answers (tests read it).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn answer_payload<V: JsonView>(body: V) -> V {
    match body.field("event").and_then(|e| e.field("event_payload")) {
        Some(payload) if payload.kind() != "null" => payload,
        _ => body,
    }
}

/// Opens either envelope shape (`{action, event:{…}}` or bare `{event_type, …}`):
/// the event object (its payload taken out), its type, and its payload (`{}` when
/// absent). Takes the frame by value so that the payload is moved, not copied.
pub(crate) fn envelope(mut v: Value) -> Result<(Value, String, Value), DecodeError> {
    let nested = matches!(v.get("event"), Some(Value::Object(_)));
    let mut event = match v.get_mut("event") {
        Some(inner) if nested => inner.take(),
        _ => v,
    };
    let event_type = match event.get("event_type") {
        Some(Value::String(t)) => t.clone(),
        _ => return Err(DecodeError::NoEventType),
    };
    let payload = event
        .as_object_mut()
        .and_then(|o| o.remove("event_payload"))
        .unwrap_or_else(|| Value::Object(Map::new()));
    Ok((event, event_type, payload))
}
