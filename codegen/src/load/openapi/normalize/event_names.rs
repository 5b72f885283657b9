//! Webhooks whose bodies do not fix the event's name. The loader tells events apart by a required
//! string property with one `enum` value in each body (`event: {enum: [user.created]}`); some APIs'
//! descriptions give that property as a plain string and key each webhook by the event's
//! name instead. Then the one required string property every body has is given the webhook's key
//! as its one value, with a warning saying so.

use super::Normalizer;
use crate::diagnostics::{join, Diagnostic};
use serde_json::{Map, Value};

pub(super) fn infer(n: &mut Normalizer, root: &mut Map<String, Value>) {
    for key in ["webhooks", "x-webhooks"] {
        let Some(Value::Object(hooks)) = root.get_mut(key) else { continue };
        let mut bodies: Vec<(&String, &mut Map<String, Value>)> = Vec::new();
        for (name, item) in hooks.iter_mut() {
            let Some(item) = item.as_object_mut() else { return };
            for operation in item.values_mut().filter_map(Value::as_object_mut) {
                let Some(body) = operation.get_mut("requestBody") else { continue };
                // A body this cannot read (a `$ref`, not JSON) is left to the loader's own rule.
                let Some(body) = json_body(body) else { return };
                bodies.push((name, body));
            }
        }
        let Some((_, first)) = bodies.first() else { continue };
        let in_every = |names: fn(&Map<String, Value>) -> Vec<String>| -> Vec<String> {
            names(first).into_iter().filter(|p| bodies.iter().all(|(_, b)| names(b).contains(p))).collect()
        };
        if !in_every(fixed_names).is_empty() {
            continue;
        }
        let common = in_every(plain_strings);
        let [tag] = common.as_slice() else { continue };
        let example = bodies[0].0.clone();
        for (name, body) in bodies {
            if let Some(Value::Object(property)) = body.get_mut("properties").and_then(|p| p.get_mut(tag)) {
                property.insert("enum".into(), Value::Array(vec![Value::String(name.clone())]));
            }
        }
        n.notes.push(Diagnostic::warning(
            join("#", &[key]),
            format!(
                "no webhook body fixes its event's name with a one-value `enum`; `{tag}`, the one string property \
                 every body requires, is read as holding the webhook's key (`{example}`, ...)"
            ),
        ));
    }
}

/// The inline object schema of a request body's JSON content.
fn json_body(body: &mut Value) -> Option<&mut Map<String, Value>> {
    let content = body.get_mut("content")?.as_object_mut()?;
    let (_, media) = content.iter_mut().find(|(media, _)| {
        let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json")
    })?;
    media.get_mut("schema")?.as_object_mut().filter(|s| !s.contains_key("$ref"))
}

fn required(body: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let names: Vec<&str> =
        body.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    body.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(move |(k, _)| names.contains(&k.as_str()))
}

/// Required properties with one `enum` value: what the loader's own rule looks for.
fn fixed_names(body: &Map<String, Value>) -> Vec<String> {
    required(body)
        .filter(|(_, p)| p.get("enum").and_then(Value::as_array).is_some_and(|values| values.len() == 1))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Required properties that are strings of any value.
fn plain_strings(body: &Map<String, Value>) -> Vec<String> {
    required(body)
        .filter(|(_, p)| p.get("type").and_then(Value::as_str) == Some("string") && p.get("enum").is_none())
        .map(|(name, _)| name.clone())
        .collect()
}
