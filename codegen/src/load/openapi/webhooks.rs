//! Webhooks (`x-webhooks` in OpenAPI 3.0, `webhooks` as OpenAPI 3.1 names it) -> IR events.
//!
//! Each webhook is an operation whose request body is the notification. The event's name is the
//! value of the one body property that every webhook declares as a required string with a single
//! `enum` value (`event: {type: string, enum: [user.created]}`): that property tells the events
//! apart, and it becomes a plain string field, since its value is fixed by the event.

use super::schemas::SchemaRef;
use super::{path_to_pointer, Lowerer};
use crate::diagnostics::{join, Diagnostic};
use crate::ir::{TypeKind, TypeRef, Webhook, Webhooks};
use crate::names::{self, Scope};
use openapiv3::{PathItem, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

/// The document keys that hold webhooks, in the order they are read.
const KEYS: [&str; 2] = ["x-webhooks", "webhooks"];

/// Rust name wanted for the enum over every event.
const ENUM_NAME: &str = "WebhookEvent";

/// Webhooks taken out of a document: (document key, webhook name, path item).
pub(super) type Parsed = Vec<(&'static str, String, ReferenceOr<PathItem>)>;

/// Removes the webhooks from `document` (the OpenAPI 3.0 types have no place for them) and parses
/// them. An operation without `responses` is allowed here: a webhook's answer is not described.
pub(super) fn take(document: &mut Value) -> Result<Parsed, Diagnostic> {
    let mut parsed = Vec::new();
    let Some(root) = document.as_object_mut() else { return Ok(parsed) };
    for key in KEYS {
        let Some(Value::Object(mut hooks)) = root.remove(key) else { continue };
        for (name, item) in hooks.iter_mut() {
            for (method, operation) in item.as_object_mut().into_iter().flatten() {
                if let Some(operation) = operation.as_object_mut().filter(|_| method != "parameters") {
                    operation.entry("responses").or_insert_with(|| Value::Object(Default::default()));
                }
            }
            let at = join("#", &[key, name]);
            let item = serde_path_to_error::deserialize(item.take()).map_err(|e| {
                let inner = path_to_pointer(e.path());
                Diagnostic::error(
                    format!("{at}{}", inner.trim_start_matches('#')),
                    format!("not a valid webhook here: {}", e.inner()),
                )
            })?;
            parsed.push((key, name.clone(), item));
        }
    }
    Ok(parsed)
}

/// One webhook's body before the events are told apart.
struct Lowered {
    ty: TypeRef,
    /// Properties that could name the event: (wire name, the one value).
    tags: Vec<(String, String)>,
    webhook: Webhook,
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_webhooks(&mut self, parsed: &'a Parsed) -> Option<Webhooks> {
        let mut lowered = Vec::new();
        let mut variants = Scope::with_taken(["Unknown"]);
        for (key, name, item) in parsed {
            let at = join("#", &[key, name]);
            let ReferenceOr::Item(item) = item else {
                self.diagnostics.push(Diagnostic::error(at, "a `$ref` webhook is not supported; write it inline"));
                continue;
            };
            for (method, operation) in item.iter() {
                let at = join(&at, &[method]);
                match self.lower_webhook(name, operation, &at, &mut variants) {
                    Ok(Some(one)) => lowered.push(one),
                    Ok(None) => {}
                    Err(d) => self.diagnostics.push(d),
                }
            }
        }
        if lowered.is_empty() {
            return None;
        }
        let tag = lowered[0]
            .tags
            .iter()
            .map(|(tag, _)| tag.clone())
            .find(|tag| lowered.iter().all(|one| one.tags.iter().any(|(t, _)| t == tag)));
        let Some(tag) = tag else {
            // The operations and the events' body types do not need the enum: generate them, say what is missing.
            const SHOWN: usize = 5;
            let names: Vec<&str> = lowered.iter().take(SHOWN).map(|one| one.webhook.name.as_str()).collect();
            let more = match lowered.len().saturating_sub(SHOWN) {
                0 => String::new(),
                more => format!(" and {more} more"),
            };
            self.warn(
                join("#", &[parsed[0].0]),
                format!(
                    "the webhooks' bodies ({}{more}) do not name their event in one common property, so \
                     no enum over the events is generated (their body types are); to get one, give each body \
                     a required string property with a single `enum` value, e.g. \
                     `event: {{type: string, enum: [user.created]}}`",
                    names.join(", ")
                ),
            );
            return None;
        };
        let mut events: Vec<Webhook> = Vec::with_capacity(lowered.len());
        for one in lowered {
            let (_, value) = one.tags.iter().find(|(t, _)| *t == tag).expect("every body has the tag");
            if let Some(earlier) = events.iter().find(|e| e.name == *value) {
                self.diagnostics.push(Diagnostic::error(
                    &one.webhook.pointer,
                    format!("the event `{value}` is also the event of `{}`", earlier.pointer),
                ));
                continue;
            }
            self.plain_tag(&one.ty, &tag);
            let webhook = Webhook { name: value.clone(), ..one.webhook };
            self.document_event(&webhook);
            events.push(webhook);
        }
        let enum_name = self.type_scope.claim(ENUM_NAME);
        let signature = self.webhook_signature();
        Some(Webhooks { enum_name, tag, events, signature })
    }

    fn lower_webhook(
        &mut self,
        name: &str,
        operation: &'a openapiv3::Operation,
        at: &str,
        variants: &mut Scope,
    ) -> Result<Option<Lowered>, Diagnostic> {
        let Some(body) = &operation.request_body else {
            self.warn(at, "a webhook without a `requestBody` carries no event; it is skipped");
            return Ok(None);
        };
        let body_at = join(at, &["requestBody"]);
        let body = self.resolve_body(body, &body_at)?;
        let Some((media, content)) = body.content.iter().find(|(media, _)| is_json(media)) else {
            self.warn(&body_at, "a webhook whose body is not JSON is skipped");
            return Ok(None);
        };
        let schema_at = join(&body_at, &["content", media, "schema"]);
        let Some(schema) = &content.schema else {
            return Err(Diagnostic::error(join(&body_at, &["content", media]), "a webhook's body needs a `schema`"));
        };
        let variant = variants.claim(&names::type_name(operation.operation_id.as_deref().unwrap_or(name)));
        let ty = self.lower(schema.into(), &format!("{variant}Event"), &schema_at)?;
        let tags = self.tag_candidates(schema.into(), &schema_at)?;
        let webhook = Webhook {
            name: name.to_owned(),
            variant,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            ty: ty.clone(),
            pointer: at.to_owned(),
        };
        Ok(Some(Lowered { ty, tags, webhook }))
    }

    /// The event's own docs go on its type (its name, summary and description), unless the schema
    /// has some.
    fn document_event(&mut self, webhook: &Webhook) {
        let TypeRef::Named(type_name) = &webhook.ty else { return };
        let Some(def) = self.types.get_mut(type_name).filter(|d| d.description.is_none()) else { return };
        let name = format!("The `{}` event.", webhook.name.replace('`', "'"));
        let paragraphs = [Some(&name), webhook.summary.as_ref(), webhook.description.as_ref()];
        def.description = Some(paragraphs.into_iter().flatten().map(String::as_str).collect::<Vec<_>>().join("\n\n"));
    }

    /// The body's required properties that are strings with exactly one `enum` value.
    fn tag_candidates(&self, schema: SchemaRef<'a>, at: &str) -> Result<Vec<(String, String)>, Diagnostic> {
        let schema = self.resolve_schema(schema, at)?;
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(any) => (&any.properties, &any.required),
            _ => return Ok(Vec::new()),
        };
        let mut found = Vec::new();
        for (wire, property) in properties.iter().filter(|(wire, _)| required.contains(wire)) {
            let property = self.resolve_schema(property.into(), &join(at, &["properties", wire]))?;
            if let Some(value) = single_string(property) {
                found.push((wire.clone(), value));
            }
        }
        Ok(found)
    }

    /// The tag's value is fixed by the event, so its one-value enum type, made for that property
    /// alone, gives way to a plain string.
    fn plain_tag(&mut self, ty: &TypeRef, tag: &str) {
        let TypeRef::Named(name) = ty else { return };
        let Some(def) = self.types.get(name) else { return };
        let own_pointer = join(&def.pointer, &["properties", tag]);
        let TypeKind::Struct(s) = &def.kind else { return };
        let Some(TypeRef::Named(enum_name)) = s.fields.iter().find(|f| f.name == tag).map(|f| f.ty.clone()) else {
            return;
        };
        let made_for_it = self.types.get(&enum_name).is_some_and(|e| {
            e.pointer == own_pointer && matches!(&e.kind, TypeKind::StringEnum(values) if values.len() == 1)
        });
        if !made_for_it {
            return;
        }
        self.types.remove(&enum_name);
        if let Some(TypeKind::Struct(s)) = self.types.get_mut(name).map(|d| &mut d.kind) {
            if let Some(field) = s.fields.iter_mut().find(|f| f.name == tag) {
                field.ty = TypeRef::String;
            }
        }
    }
}

/// The one value of a string schema with a single-value `enum`.
fn single_string(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => match t.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => match any.enumeration.as_slice() {
            [Value::String(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognised_with_parameters_and_suffixes() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/cloudevents+json"));
        assert!(!is_json("text/plain"));
    }

    #[test]
    fn only_a_one_value_string_enum_names_an_event() {
        let schema = |yaml: &str| serde_yaml::from_str::<Schema>(yaml).expect("a schema");
        assert_eq!(single_string(&schema("{type: string, enum: [user.created]}")), Some("user.created".into()));
        assert_eq!(single_string(&schema("{type: string, enum: [a, b]}")), None);
        assert_eq!(single_string(&schema("{type: string}")), None);
        assert_eq!(single_string(&schema("{type: integer, enum: [1]}")), None);
    }
}
