//! Types from examples. Every example value is one observation of a [`Shape`]; observations of the
//! same place (several saved responses, the items of an array) accumulate in one shape, which then
//! becomes an IR type. The rule throughout: every example the shape saw decodes into its type.
//!
//! - A property is required only when at least two objects were seen there and all of them have
//!   it; one example proves nothing about what a server may leave out.
//! - `null` makes a property nullable; integers and fractions together make a number.
//! - Strings that all share a form (`2019-09-13T21:08:52Z`) keep it as the field's format.
//! - Values of different JSON kinds at one place make an untagged union of those kinds.
//! - Placeholders such as `<integer>` are types, not values.

use super::text::{self, Scalar};
use crate::diagnostics::Diagnostic;
use crate::ir::{EnumValue, Field, OneOf, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::load::sensitive::is_secret_by_name;
use crate::names::{self, Scope};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// Everything seen at one place of the examples.
#[derive(Debug, Clone, Default)]
pub(super) struct Shape {
    /// Observations, `null` included.
    pub seen: usize,
    pub null: bool,
    pub boolean: bool,
    pub integer: bool,
    pub number: bool,
    /// Strings were seen; the format is the one all of them share.
    pub string: Option<Option<&'static str>>,
    /// Arrays were seen; the shape of all their items together.
    pub array: Option<Box<Shape>>,
    pub object: Option<ObjectShape>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct ObjectShape {
    /// Objects seen here.
    pub count: usize,
    /// Properties in the order first seen; each shape's `seen` is how many objects had it.
    pub fields: IndexMap<String, Shape>,
}

/// Bare type words read as values (`"type": "integer"`): their place in the example and the word.
pub(super) type Notes = Vec<(String, String)>;

impl Shape {
    /// Observes a JSON value; `path` names its place (`user_info.type`) for notes.
    pub fn observe(&mut self, value: &Value, path: &str, notes: &mut Notes) {
        self.seen += 1;
        match value {
            Value::Null => self.null = true,
            Value::Bool(_) => self.boolean = true,
            // Beyond 64 signed bits only a float can hold the value.
            Value::Number(n) if n.is_i64() => self.integer = true,
            Value::Number(_) => self.number = true,
            Value::String(s) => self.string_value(s, path, notes),
            Value::Array(items) => {
                let item = self.array.get_or_insert_with(Default::default);
                let path = format!("{path}[]");
                for value in items {
                    item.observe(value, &path, notes);
                }
            }
            Value::Object(map) => {
                let object = self.object.get_or_insert_with(Default::default);
                object.count += 1;
                for (key, value) in map {
                    let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    object.fields.entry(key.clone()).or_default().observe(value, &path, notes);
                }
            }
        }
    }

    /// Observes a value written as text (a query value, a form field): JSON text is read as JSON,
    /// anything else by its form (`100` an integer, `true` a boolean).
    pub fn observe_text(&mut self, text: &str, path: &str, notes: &mut Notes) {
        if text.trim_start().starts_with(['{', '[']) {
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                self.observe(&value, path, notes);
                return;
            }
        }
        self.seen += 1;
        self.scalar(text::scalar_of_text(text));
    }

    fn string_value(&mut self, value: &str, path: &str, notes: &mut Notes) {
        if let Some(scalar) = text::placeholder(value) {
            self.scalar(scalar);
            return;
        }
        if let Some(scalar) = text::bare_type_word(value) {
            // Either a sketch of the type or the value itself: the type takes both, so the
            // example decodes and so does a real answer.
            notes.push((path.to_owned(), value.to_owned()));
            self.scalar(scalar);
        }
        self.add_string(text::string_format(value));
    }

    fn scalar(&mut self, scalar: Scalar) {
        match scalar {
            Scalar::Boolean => self.boolean = true,
            Scalar::Integer => self.integer = true,
            Scalar::Number => self.number = true,
            Scalar::String(format) => self.add_string(format),
        }
    }

    fn add_string(&mut self, format: Option<&'static str>) {
        match &mut self.string {
            None => self.string = Some(format),
            Some(shared) if *shared != format => *shared = None,
            Some(_) => {}
        }
    }

    /// The JSON kinds seen, in the order an untagged union tries them (integers before numbers,
    /// so `1` stays an integer).
    fn kinds(&self) -> Vec<Kind> {
        let mut kinds = Vec::new();
        if self.boolean {
            kinds.push(Kind::Boolean);
        }
        if self.number {
            kinds.push(Kind::Number);
        } else if self.integer {
            kinds.push(Kind::Integer);
        }
        if self.string.is_some() {
            kinds.push(Kind::String);
        }
        if self.array.is_some() {
            kinds.push(Kind::Array);
        }
        if self.object.is_some() {
            kinds.push(Kind::Object);
        }
        kinds
    }

    /// The format of the strings here, when strings are all that was seen.
    pub fn format(&self) -> Option<&'static str> {
        match self.kinds().as_slice() {
            [Kind::String] => self.string.flatten(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Boolean => "Boolean",
            Kind::Integer => "Integer",
            Kind::Number => "Number",
            Kind::String => "String",
            Kind::Array => "List",
            Kind::Object => "Object",
        }
    }
}

/// The named types of one collection and the names they took.
#[derive(Debug, Default)]
pub(super) struct Types {
    pub defs: BTreeMap<String, TypeDef>,
    scope: Scope,
    pub warnings: Vec<Diagnostic>,
}

impl Types {
    /// A free type name built from `hint` (`get user_response` -> `GetUserResponse`).
    pub fn claim(&mut self, hint: &str) -> String {
        self.scope.claim(&names::type_name(hint))
    }

    fn define(&mut self, name: String, kind: TypeKind, at: &str) -> TypeRef {
        let def = TypeDef { name: name.clone(), description: None, deprecated: false, kind, pointer: at.to_owned() };
        self.defs.insert(name.clone(), def);
        TypeRef::Named(name)
    }

    /// The type of everything `shape` saw, named after `hint` where it needs a name.
    pub fn lower(&mut self, shape: &Shape, hint: &str, at: &str) -> TypeRef {
        match shape.kinds().as_slice() {
            [] => TypeRef::Any,
            [kind] => self.lower_kind(*kind, shape, hint, at),
            kinds => {
                let name = self.claim(hint);
                let variants = kinds
                    .iter()
                    .map(|kind| Variant {
                        rust_name: kind.label().to_owned(),
                        ty: self.lower_kind(*kind, shape, &format!("{name}{}", kind.label()), at),
                        tag_value: None,
                        description: None,
                        boxed: false,
                    })
                    .collect();
                self.define(name, TypeKind::OneOf(OneOf { variants, tag: None }), at)
            }
        }
    }

    fn lower_kind(&mut self, kind: Kind, shape: &Shape, hint: &str, at: &str) -> TypeRef {
        match kind {
            Kind::Boolean => TypeRef::Boolean,
            Kind::Integer => TypeRef::Integer(64),
            Kind::Number => TypeRef::Number,
            Kind::String if shape.format() == Some("date-time") => TypeRef::DateTime,
            Kind::String => TypeRef::String,
            Kind::Array => {
                let item = shape.array.as_deref().expect("an array kind has an item shape");
                // Only empty arrays: nothing tells the items' type. A `null` item beside others has
                // no place in a typed list, so such items stay JSON values too.
                if item.seen == 0 || (item.null && !item.kinds().is_empty()) {
                    TypeRef::Array(Box::new(TypeRef::Any))
                } else {
                    TypeRef::Array(Box::new(self.lower(item, &format!("{hint}Item"), at)))
                }
            }
            Kind::Object => {
                let object = shape.object.as_ref().expect("an object kind has an object shape");
                if object.fields.is_empty() {
                    return TypeRef::Map(Box::new(TypeRef::Any));
                }
                let name = self.claim(hint);
                let mut fields = Vec::with_capacity(object.fields.len());
                for (wire, field) in &object.fields {
                    let ty = self.lower(field, &format!("{name}_{wire}"), at);
                    let secret = is_secret_by_name(wire, &ty);
                    fields.push(Field {
                        name: wire.clone(),
                        rust_name: String::new(),
                        ty,
                        required: object.count >= 2 && field.seen == object.count,
                        nullable: field.null,
                        boxed: false,
                        description: None,
                        deprecated: false,
                        read_only: false,
                        write_only: false,
                        secret,
                        default: None,
                        format: field.format().map(str::to_owned),
                    });
                }
                self.structure(name, fields, at)
            }
        }
    }

    /// Defines a struct, giving each field a unique Rust name in order.
    pub fn structure(&mut self, name: String, mut fields: Vec<Field>, at: &str) -> TypeRef {
        let mut scope = Scope::default();
        for field in &mut fields {
            let wanted = names::field_name(&field.name);
            field.rust_name = claim_field(&mut scope, &wanted);
            if field.rust_name != wanted {
                self.warnings.push(Diagnostic::warning(
                    at,
                    format!(
                        "property `{}` of `{name}` would be `{wanted}` in Rust, which another property already is; it is `{}`",
                        field.name, field.rust_name
                    ),
                ));
            }
        }
        self.define(name, TypeKind::Struct(Struct { fields, additional: None }), at)
    }

    /// An open enum of the listed values: integers when every value is one, strings otherwise.
    pub fn enumeration(&mut self, values: &[String], hint: &str, at: &str) -> TypeRef {
        let name = self.claim(hint);
        let integers: Option<Vec<i64>> = values.iter().map(|v| v.parse::<i64>().ok()).collect();
        let kind = match integers {
            Some(integers) => TypeKind::IntEnum(enum_values(integers, |v| v.to_string())),
            None => TypeKind::StringEnum(enum_values(values.to_vec(), Clone::clone)),
        };
        self.define(name, kind, at)
    }
}

/// Enum values with unique Rust names; a value listed twice is kept once.
fn enum_values<T: PartialEq>(values: Vec<T>, text: impl Fn(&T) -> String) -> Vec<EnumValue<T>> {
    let mut scope = Scope::with_taken(["Unknown"]);
    let mut out: Vec<EnumValue<T>> = Vec::with_capacity(values.len());
    for value in values {
        if out.iter().any(|v| v.value == value) {
            continue;
        }
        let rust_name = scope.claim(&names::variant_name(&text(&value)));
        out.push(EnumValue { value, rust_name, description: None });
    }
    out
}

/// A unique snake-case name; a keyword escape clashing with another is numbered on the word
/// (`type_2`), not on the escape (`type__2`, which is not snake case).
pub(super) fn claim_field(scope: &mut Scope, wanted: &str) -> String {
    match wanted.strip_suffix('_') {
        Some(word) if scope.is_taken(wanted) => scope.claim(&format!("{word}_2")),
        _ => scope.claim(wanted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape_of(examples: &[Value]) -> (Shape, Notes) {
        let mut shape = Shape::default();
        let mut notes = Notes::new();
        for example in examples {
            shape.observe(example, "", &mut notes);
        }
        (shape, notes)
    }

    fn fields(types: &Types, name: &str) -> Vec<Field> {
        match &types.defs[name].kind {
            TypeKind::Struct(s) => s.fields.clone(),
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn merged_examples_decide_required_nullable_and_number() {
        let (shape, _) = shape_of(&[
            json!({"id": 1, "score": 1, "note": null, "at": "2019-09-13T21:08:52Z"}),
            json!({"id": 2, "score": 2.5, "note": "x", "at": "2020-01-01T00:00:00Z", "extra": true}),
        ]);
        let mut types = Types::default();
        assert_eq!(types.lower(&shape, "Thing", "#"), TypeRef::Named("Thing".into()));
        let fields = fields(&types, "Thing");
        let summary: Vec<_> =
            fields.iter().map(|f| (f.name.as_str(), f.ty.clone(), f.required, f.nullable, f.format.clone())).collect();
        assert_eq!(
            summary,
            [
                ("id", TypeRef::Integer(64), true, false, None),
                ("score", TypeRef::Number, true, false, None),
                ("note", TypeRef::String, true, true, None),
                ("at", TypeRef::DateTime, true, false, Some("date-time".to_owned())),
                ("extra", TypeRef::Boolean, false, false, None),
            ]
        );
    }

    #[test]
    fn one_example_requires_nothing() {
        let (shape, _) = shape_of(&[json!({"id": "a"})]);
        let mut types = Types::default();
        types.lower(&shape, "One", "#");
        assert!(!fields(&types, "One")[0].required);
    }

    #[test]
    fn arrays_merge_their_items_and_empty_arrays_hold_values() {
        let (shape, _) = shape_of(&[json!({"list": [{"a": 1}, {"a": 2, "b": "x"}], "none": []})]);
        let mut types = Types::default();
        types.lower(&shape, "Page", "#");
        let page = fields(&types, "Page");
        assert_eq!(page[0].ty, TypeRef::Array(Box::new(TypeRef::Named("PageListItem".into()))));
        assert_eq!(page[1].ty, TypeRef::Array(Box::new(TypeRef::Any)));
        let item = fields(&types, "PageListItem");
        assert!(item[0].required && !item[1].required);
    }

    #[test]
    fn placeholders_are_types_and_conflicts_are_unions() {
        let (shape, notes) = shape_of(&[json!({"n": "<integer>", "when": "<dateTime>", "kind": "integer"})]);
        let mut types = Types::default();
        types.lower(&shape, "P", "#");
        let p = fields(&types, "P");
        assert_eq!(p[0].ty, TypeRef::Integer(64));
        assert_eq!((p[1].ty.clone(), p[1].format.as_deref()), (TypeRef::DateTime, Some("date-time")));
        assert_eq!(p[2].ty, TypeRef::Named("PKind".into()));
        let TypeKind::OneOf(union) = &types.defs["PKind"].kind else { panic!("a union") };
        let labels: Vec<_> = union.variants.iter().map(|v| (v.rust_name.as_str(), v.ty.clone())).collect();
        assert_eq!(labels, [("Integer", TypeRef::Integer(64)), ("String", TypeRef::String)]);
        assert_eq!(notes, [("kind".to_owned(), "integer".to_owned())]);
    }

    #[test]
    fn listed_values_make_integer_or_string_enums() {
        let mut types = Types::default();
        types.enumeration(&["0".into(), "1".into(), "1".into()], "Login", "#");
        types.enumeration(&["create".into(), "autoCreate".into()], "Action", "#");
        assert!(matches!(&types.defs["Login"].kind, TypeKind::IntEnum(v) if v.len() == 2));
        let TypeKind::StringEnum(values) = &types.defs["Action"].kind else { panic!("a string enum") };
        assert_eq!(values[1].rust_name, "AutoCreate");
    }
}
