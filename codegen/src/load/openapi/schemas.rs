//! Schemas -> IR types. Inline objects and enums get names from where they stand
//! (`UserCreateRequestUserInfo`), `allOf` is merged into one struct, `oneOf`/`anyOf` become enums
//! unless their branches cannot be told apart by shape.

use super::Lowerer;
use crate::diagnostics::{join, Diagnostic};
use crate::ir::{EnumValue, Field, OneOf, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::load::sensitive::is_secret_by_name;
use crate::names::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::BTreeSet;

/// A schema as it stands in the document: a reference or the schema itself.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Schema>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Box<Schema>>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// The name a schema gets if it becomes a named type.
pub(crate) enum Naming {
    /// A component: its name was claimed up front.
    Fixed(String),
    /// An inline schema: a name built from where it stands, claimed only if needed.
    Hint(String),
}

impl Naming {
    fn hint(&self) -> &str {
        match self {
            Naming::Fixed(name) | Naming::Hint(name) => name,
        }
    }
}

type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// How deep `allOf` may nest before it is called a loop.
const MAX_ALL_OF_DEPTH: usize = 64;

impl<'a> Lowerer<'a> {
    /// Lowers `#/components/schemas/<key>` under its claimed `name`, once.
    pub(super) fn lower_component(
        &mut self,
        name: &str,
        schema: &'a ReferenceOr<Schema>,
        at: &str,
    ) -> Result<(), Diagnostic> {
        if self.types.contains_key(name) {
            return Ok(());
        }
        let (ty, data) = match schema {
            ReferenceOr::Reference { reference } => {
                // A chain of `$ref`s that loops (`A: {$ref: A}`) names no type at all.
                self.resolve_schema(SchemaRef::Ref(reference), at)?;
                (TypeRef::Named(self.schema_ref_name(reference, at)?), None)
            }
            ReferenceOr::Item(s) => (self.lower_schema(s, Naming::Fixed(name.to_owned()), at)?, Some(&s.schema_data)),
        };
        if ty != TypeRef::Named(name.to_owned()) {
            // A primitive, a container or another type: an alias keeps the component's name usable.
            self.types.insert(
                name.to_owned(),
                TypeDef {
                    name: name.to_owned(),
                    description: data.and_then(|d| d.description.clone()),
                    deprecated: data.is_some_and(|d| d.deprecated),
                    kind: TypeKind::Alias(ty),
                    pointer: at.to_owned(),
                },
            );
        }
        Ok(())
    }

    pub(super) fn lower(&mut self, schema: SchemaRef<'a>, hint: &str, at: &str) -> Result<TypeRef, Diagnostic> {
        match schema {
            SchemaRef::Ref(reference) => Ok(TypeRef::Named(self.schema_ref_name(reference, at)?)),
            SchemaRef::Inline(schema) => self.lower_schema(schema, Naming::Hint(hint.to_owned()), at),
        }
    }

    pub(super) fn lower_schema(&mut self, schema: &'a Schema, naming: Naming, at: &str) -> Result<TypeRef, Diagnostic> {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                let values: Vec<String> = t.enumeration.iter().flatten().cloned().collect();
                if values.is_empty() {
                    Ok(match t.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                        _ => TypeRef::String,
                    })
                } else {
                    let kind = TypeKind::StringEnum(enum_values(values, data, |v| v.clone()));
                    Ok(self.define(naming, data, at, kind))
                }
            }
            SchemaKind::Type(Type::Integer(t)) => {
                let values: Vec<i64> = t.enumeration.iter().flatten().copied().collect();
                if values.is_empty() {
                    Ok(TypeRef::Integer(integer_width(format_name(&t.format).as_deref())))
                } else {
                    let kind = TypeKind::IntEnum(enum_values(values, data, |v| v.to_string()));
                    Ok(self.define(naming, data, at, kind))
                }
            }
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::Number),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Boolean),
            SchemaKind::Type(Type::Array(a)) => self.lower_items(a.items.as_ref(), &naming, at),
            SchemaKind::Type(Type::Object(o)) => {
                self.lower_object(naming, data, at, &o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::AllOf { all_of } => self.lower_all_of(naming, data, at, all_of, None),
            SchemaKind::OneOf { one_of } => self.lower_one_of(naming, data, at, "oneOf", one_of),
            SchemaKind::AnyOf { any_of } => self.lower_one_of(naming, data, at, "anyOf", any_of),
            SchemaKind::Not { .. } => Err(Diagnostic::error(
                join(at, &["not"]),
                "`not` cannot be expressed as a Rust type; describe the allowed shape instead",
            )),
            SchemaKind::Any(any) => self.lower_any(naming, data, at, any),
        }
    }

    /// A schema whose keywords do not fit one `type` (openapiv3's catch-all), read by what it has.
    fn lower_any(
        &mut self,
        naming: Naming,
        data: &'a SchemaData,
        at: &str,
        any: &'a AnySchema,
    ) -> Result<TypeRef, Diagnostic> {
        let is_object = !any.properties.is_empty() || any.additional_properties.is_some();
        match any.typ.as_deref() {
            Some("string") => {
                let values: Vec<String> =
                    any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                if !values.is_empty() {
                    let kind = TypeKind::StringEnum(enum_values(values, data, |v| v.clone()));
                    return Ok(self.define(naming, data, at, kind));
                }
                Ok(if any.format.as_deref() == Some("binary") { TypeRef::Binary } else { TypeRef::String })
            }
            Some("integer") => {
                let values: Vec<i64> = any.enumeration.iter().filter_map(Value::as_i64).collect();
                if !values.is_empty() {
                    let kind = TypeKind::IntEnum(enum_values(values, data, |v| v.to_string()));
                    return Ok(self.define(naming, data, at, kind));
                }
                Ok(TypeRef::Integer(integer_width(any.format.as_deref())))
            }
            Some("number") => Ok(TypeRef::Number),
            Some("boolean") => Ok(TypeRef::Boolean),
            // OpenAPI 3.1's null type, warned about by the shape check: a value that is always null.
            Some("null") => Ok(TypeRef::Any),
            Some("array") => self.lower_items(any.items.as_ref(), &naming, at),
            Some("object") | None if !any.all_of.is_empty() => {
                self.lower_all_of(naming, data, at, &any.all_of, Some((&any.properties, &any.required)))
            }
            None if !any.one_of.is_empty() => self.lower_one_of(naming, data, at, "oneOf", &any.one_of),
            None if !any.any_of.is_empty() => self.lower_one_of(naming, data, at, "anyOf", &any.any_of),
            Some("object") => {
                self.lower_object(naming, data, at, &any.properties, &any.required, any.additional_properties.as_ref())
            }
            None if is_object => {
                self.lower_object(naming, data, at, &any.properties, &any.required, any.additional_properties.as_ref())
            }
            None => Ok(TypeRef::Any),
            Some(other) => Err(Diagnostic::error(
                join(at, &["type"]),
                format!("`type: {other}` is not an OpenAPI 3.0 type (string, number, integer, boolean, array, object)"),
            )),
        }
    }

    fn lower_items(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        naming: &Naming,
        at: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let item = match items {
            Some(items) => self.lower(items.into(), &format!("{}Item", naming.hint()), &join(at, &["items"]))?,
            None => TypeRef::Any,
        };
        Ok(TypeRef::Array(Box::new(item)))
    }

    fn lower_object(
        &mut self,
        naming: Naming,
        data: &'a SchemaData,
        at: &str,
        properties: &'a Properties,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    ) -> Result<TypeRef, Diagnostic> {
        let additional = match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let hint = format!("{}Value", naming.hint());
                Some(self.lower(value.as_ref().into(), &hint, &join(at, &["additionalProperties"]))?)
            }
            // OpenAPI allows unlisted properties unless told otherwise: keep them, so values
            // from a newer server survive a read-modify-write.
            Some(AdditionalProperties::Any(true)) | None => Some(TypeRef::Any),
            Some(AdditionalProperties::Any(false)) => None,
        };
        if properties.is_empty() {
            // No named properties: a map, whatever the keys.
            return Ok(TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any))));
        }
        let name = self.claim(&naming);
        let fields = self.object_fields(&name, properties, required, at)?;
        Ok(self.define_struct(name, data, at, fields, additional))
    }

    /// Fields of an object's `properties`, with types named after `owner`.
    fn object_fields(
        &mut self,
        owner: &str,
        properties: &'a Properties,
        required: &[String],
        at: &str,
    ) -> Result<Vec<Field>, Diagnostic> {
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, schema) in properties {
            let at = join(at, &["properties", wire]);
            let hint = format!("{owner}_{wire}");
            let ty = self.lower(schema.into(), &hint, &at)?;
            let (data, format) = match schema {
                ReferenceOr::Item(s) => (Some(&s.schema_data), format_of(s)),
                ReferenceOr::Reference { .. } => (None, None),
            };
            let target = self.resolve_schema(schema.into(), &at)?;
            let target_nullable = target.schema_data.nullable || has_null_branch(target);
            let secret = format.as_deref() == Some("password")
                || data.is_some_and(|d| d.extensions.get("x-secret") == Some(&Value::Bool(true)))
                || is_secret_by_name(wire, &ty);
            fields.push(Field {
                name: wire.clone(),
                rust_name: names::field_name(wire),
                ty,
                required: required.contains(wire),
                nullable: target_nullable,
                boxed: false,
                description: data.and_then(|d| d.description.clone()),
                deprecated: data.is_some_and(|d| d.deprecated),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                secret,
                default: data.and_then(|d| d.default.as_ref()).map(Value::to_string),
                format,
            });
        }
        Ok(fields)
    }

    /// `allOf`: every branch's properties in one struct; a property named twice keeps its first
    /// place and its last schema, and is required if any branch requires it.
    fn lower_all_of(
        &mut self,
        naming: Naming,
        data: &'a SchemaData,
        at: &str,
        branches: &'a [ReferenceOr<Schema>],
        own: Option<(&'a Properties, &'a Vec<String>)>,
    ) -> Result<TypeRef, Diagnostic> {
        let has_own = own.is_some_and(|(p, _)| !p.is_empty());
        if let ([ReferenceOr::Reference { reference }], false) = (branches, has_own) {
            // `allOf: [$ref]` only adds a description to a reference.
            return Ok(TypeRef::Named(self.schema_ref_name(reference, at)?));
        }
        if !has_own {
            // `allOf` over one scalar or list (a string, an enum, an array), the other branches
            // only annotating it: the value is that scalar, not an object with no fields.
            let shaped: Vec<(usize, &'a ReferenceOr<Schema>)> =
                branches.iter().enumerate().filter(|(_, b)| !is_annotation_only(b)).collect();
            if let [(i, only)] = shaped.as_slice() {
                let branch_at = join(at, &["allOf", &i.to_string()]);
                let target = self.resolve_schema((*only).into(), &branch_at)?;
                if is_scalar_or_list(target) {
                    return match only {
                        ReferenceOr::Reference { reference } => {
                            Ok(TypeRef::Named(self.schema_ref_name(reference, &branch_at)?))
                        }
                        ReferenceOr::Item(schema) => self.lower_schema(schema, naming, &branch_at),
                    };
                }
            }
        }
        let name = self.claim(&naming);
        let mut fields = Vec::new();
        let mut required = BTreeSet::new();
        let mut additional = None;
        if let Some((properties, own_required)) = own {
            fields = self.object_fields(&name, properties, own_required, at)?;
            required.extend(own_required.iter().cloned());
        }
        for (i, branch) in branches.iter().enumerate() {
            let at = join(at, &["allOf", &i.to_string()]);
            self.collect_branch(&name, branch.into(), &at, &mut fields, &mut required, &mut additional, 0)?;
        }
        for field in &mut fields {
            field.required |= required.contains(&field.name);
        }
        // Merged shapes keep unlisted properties too (a branch's `false` would not hold for the others).
        Ok(self.define_struct(name, data, at, fields, additional.or(Some(TypeRef::Any))))
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_branch(
        &mut self,
        owner: &str,
        branch: SchemaRef<'a>,
        at: &str,
        fields: &mut Vec<Field>,
        required: &mut BTreeSet<String>,
        additional: &mut Option<TypeRef>,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        if depth > MAX_ALL_OF_DEPTH {
            return Err(Diagnostic::error(at, "`allOf` refers back to itself; the merged type would be infinite"));
        }
        let schema = match branch {
            SchemaRef::Ref(reference) => {
                // Reuse the component's own fields, so its inline types are not defined twice.
                let target = self.schema_ref_name(reference, at)?;
                let key = super::refs::component_key(reference, "schemas", at)?;
                if !self.types.contains_key(&target) {
                    let component =
                        &self.doc.components.as_ref().expect("a resolved reference has components").schemas[&key];
                    let component_at = join("#/components/schemas", &[&key]);
                    if self.lowering.contains(&target) {
                        return Err(Diagnostic::error(
                            at,
                            "`allOf` refers back to itself; the merged type would be infinite",
                        ));
                    }
                    self.lowering.insert(target.clone());
                    let lowered = self.lower_component(&target, component, &component_at);
                    self.lowering.remove(&target);
                    lowered?;
                }
                match self.types.get(&target).map(|t| &t.kind) {
                    Some(TypeKind::Struct(s)) => {
                        let s = s.clone();
                        merge_fields(fields, s.fields);
                        *additional = additional.take().or(s.additional);
                    }
                    Some(TypeKind::Alias(TypeRef::Named(_))) | Some(TypeKind::Alias(TypeRef::Map(_))) | None => {
                        let schema = self.resolve_schema(branch, at)?;
                        return self.collect_inline(owner, schema, at, fields, required, additional, depth);
                    }
                    Some(_) => {
                        self.warn(at, format!("`allOf` branch `{reference}` is not an object; its shape is not merged"))
                    }
                }
                return Ok(());
            }
            SchemaRef::Inline(schema) => schema,
        };
        self.collect_inline(owner, schema, at, fields, required, additional, depth)
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_inline(
        &mut self,
        owner: &str,
        schema: &'a Schema,
        at: &str,
        fields: &mut Vec<Field>,
        required: &mut BTreeSet<String>,
        additional: &mut Option<TypeRef>,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        let (properties, own_required, nested): (Option<&Properties>, &[String], &[ReferenceOr<Schema>]) =
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), &o.required, &[]),
                SchemaKind::Any(any) => (Some(&any.properties), &any.required, &any.all_of),
                SchemaKind::AllOf { all_of } => (None, &[], all_of),
                _ => {
                    self.warn(at, "an `allOf` branch that is not an object is not merged");
                    return Ok(());
                }
            };
        required.extend(own_required.iter().cloned());
        if let Some(properties) = properties {
            let own = self.object_fields(owner, properties, own_required, at)?;
            merge_fields(fields, own);
        }
        for (i, branch) in nested.iter().enumerate() {
            let at = join(at, &["allOf", &i.to_string()]);
            self.collect_branch(owner, branch.into(), &at, fields, required, additional, depth + 1)?;
        }
        Ok(())
    }

    /// `oneOf`/`anyOf`. Object branches that one value could satisfy together are merged into one
    /// struct (an untagged enum would always pick the first); others become an enum.
    fn lower_one_of(
        &mut self,
        naming: Naming,
        data: &'a SchemaData,
        schema_at: &str,
        keyword: &str,
        branches: &'a [ReferenceOr<Schema>],
    ) -> Result<TypeRef, Diagnostic> {
        let at = &join(schema_at, &[keyword]);
        // `{type: 'null'}` branches (an OpenAPI 3.1 idiom) make the value nullable, which the
        // field that holds it records (`has_null_branch`); they are no variant.
        let branches: Vec<(usize, &'a ReferenceOr<Schema>)> =
            branches.iter().enumerate().filter(|(_, b)| !is_null_schema(b)).collect();
        match branches.as_slice() {
            [] => return Ok(TypeRef::Any),
            [(i, only)] => {
                return match only {
                    ReferenceOr::Reference { reference } => Ok(TypeRef::Named(self.schema_ref_name(reference, at)?)),
                    ReferenceOr::Item(schema) => self.lower_schema(schema, naming, &join(at, &[&i.to_string()])),
                };
            }
            _ => {}
        }
        let branches = branches.as_slice();
        let selected = data.extensions.contains_key("x-select-by");
        if data.discriminator.is_none() && !selected && self.branches_overlap(branches, at)? {
            self.warn(
                at,
                "these branches cannot be told apart by shape (one value can match several); \
                 generated as one struct whose fields are optional unless every branch requires them",
            );
            return self.merge_one_of(naming, data, schema_at, keyword, branches);
        }
        let name = self.claim(&naming);
        let mut scope = Scope::default();
        let mut variants = Vec::with_capacity(branches.len());
        for &(i, branch) in branches {
            let at = join(at, &[&i.to_string()]);
            let (label, ty, description) = match branch {
                ReferenceOr::Reference { reference } => {
                    let target = self.schema_ref_name(reference, &at)?;
                    (target.clone(), TypeRef::Named(target), None)
                }
                ReferenceOr::Item(schema) => {
                    let label = branch_label(schema);
                    let ty = self.lower_schema(schema, Naming::Hint(format!("{name}{label}")), &at)?;
                    (label, ty, schema.schema_data.description.clone())
                }
            };
            variants.push(Variant { rust_name: scope.claim(&label), ty, tag_value: None, description, boxed: false });
        }
        let tag = match &data.discriminator {
            Some(discriminator) => {
                for (variant, (_, branch)) in variants.iter_mut().zip(branches) {
                    let ReferenceOr::Reference { reference } = branch else {
                        return Err(Diagnostic::error(at, "a `discriminator` needs every branch to be a `$ref`"));
                    };
                    let mapped = discriminator.mapping.iter().find(|(_, target)| *target == reference);
                    variant.tag_value = Some(match mapped {
                        Some((value, _)) => value.clone(),
                        None => super::refs::component_key(reference, "schemas", at)?,
                    });
                }
                Some(discriminator.property_name.clone())
            }
            None => None,
        };
        Ok(self.define(Naming::Fixed(name), data, schema_at, TypeKind::OneOf(OneOf { variants, tag })))
    }

    /// Whether two object branches could both accept one value: neither requires a property the
    /// other does not declare.
    fn branches_overlap(&self, branches: &[(usize, &'a ReferenceOr<Schema>)], at: &str) -> Result<bool, Diagnostic> {
        let mut shapes = Vec::new();
        for &(_, branch) in branches {
            let schema = self.resolve_schema(branch.into(), at)?;
            let (properties, required) = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
                SchemaKind::Any(any) if any.typ.is_none() && any.all_of.is_empty() && any.one_of.is_empty() => {
                    (&any.properties, &any.required)
                }
                _ => return Ok(false),
            };
            shapes.push((properties.keys().collect::<BTreeSet<_>>(), required));
        }
        let fits =
            |required: &Vec<String>, properties: &BTreeSet<&String>| required.iter().all(|r| properties.contains(r));
        Ok(shapes.iter().enumerate().any(|(i, (props_a, req_a))| {
            shapes[i + 1..].iter().any(|(props_b, req_b)| fits(req_a, props_b) && fits(req_b, props_a))
        }))
    }

    fn merge_one_of(
        &mut self,
        naming: Naming,
        data: &'a SchemaData,
        schema_at: &str,
        keyword: &str,
        branches: &[(usize, &'a ReferenceOr<Schema>)],
    ) -> Result<TypeRef, Diagnostic> {
        let name = self.claim(&naming);
        let mut fields: Vec<Field> = Vec::new();
        let mut required_in: Vec<BTreeSet<String>> = Vec::new();
        let mut additional = None;
        for &(i, branch) in branches {
            let at = join(schema_at, &[keyword, &i.to_string()]);
            let mut branch_fields = Vec::new();
            let mut branch_required = BTreeSet::new();
            self.collect_branch(
                &name,
                branch.into(),
                &at,
                &mut branch_fields,
                &mut branch_required,
                &mut additional,
                0,
            )?;
            branch_required.extend(branch_fields.iter().filter(|f| f.required).map(|f| f.name.clone()));
            required_in.push(branch_required);
            merge_fields(&mut fields, branch_fields);
        }
        for field in &mut fields {
            field.required = required_in.iter().all(|r| r.contains(&field.name));
        }
        Ok(self.define_struct(name, data, schema_at, fields, additional.or(Some(TypeRef::Any))))
    }

    fn claim(&mut self, naming: &Naming) -> String {
        match naming {
            Naming::Fixed(name) => name.clone(),
            Naming::Hint(hint) => self.type_scope.claim(&names::inline_type_name(hint)),
        }
    }

    fn define(&mut self, naming: Naming, data: &SchemaData, at: &str, kind: TypeKind) -> TypeRef {
        let name = self.claim(&naming);
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                description: data.description.clone(),
                deprecated: data.deprecated,
                kind,
                pointer: at.to_owned(),
            },
        );
        TypeRef::Named(name)
    }

    /// Gives each field a unique Rust name (in order) and defines the struct.
    fn define_struct(
        &mut self,
        name: String,
        data: &SchemaData,
        at: &str,
        mut fields: Vec<Field>,
        additional: Option<TypeRef>,
    ) -> TypeRef {
        let mut scope = Scope::with_taken(additional.iter().map(|_| "additional_properties"));
        for field in &mut fields {
            let wanted = names::field_name(&field.name);
            field.rust_name = scope.claim(&wanted);
            if field.rust_name != wanted {
                let message = format!(
                    "property `{}` would be `{wanted}` in Rust, which another property already is; it is `{}`",
                    field.name, field.rust_name
                );
                self.warn(join(at, &["properties", &field.name]), message);
            }
        }
        self.define(Naming::Fixed(name), data, at, TypeKind::Struct(Struct { fields, additional }))
    }
}

/// `{type: 'null'}`: OpenAPI 3.1's way, found in 3.0 documents too, of saying "or null".
/// An inline schema that only annotates (a description, `nullable`, a default): no type, no
/// properties, no branches, no values.
fn is_annotation_only(item: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = item else { return false };
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}

/// A schema whose value is not an object: a string, number, integer, boolean (enums included) or
/// an array.
fn is_scalar_or_list(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => false,
        SchemaKind::Type(_) => true,
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("string" | "integer" | "number" | "boolean" | "array") => true,
            None => {
                !any.enumeration.is_empty()
                    && any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
            }
            _ => false,
        },
        _ => false,
    }
}

fn is_null_schema(item: &ReferenceOr<Schema>) -> bool {
    matches!(item, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(any), .. }) if any.typ.as_deref() == Some("null"))
}

/// Whether a `oneOf`/`anyOf` allows null through a `{type: 'null'}` branch.
fn has_null_branch(schema: &Schema) -> bool {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.as_slice(),
        SchemaKind::Any(any) => any.all_of.as_slice(),
        _ => &[],
    };
    // `allOf: [X, {nullable: true}]`: a branch that only annotates may allow null.
    if all_of.iter().any(|b| is_annotation_only(b) && matches!(b, ReferenceOr::Item(s) if s.schema_data.nullable)) {
        return true;
    }
    let branches = match &schema.schema_kind {
        SchemaKind::OneOf { one_of: b } | SchemaKind::AnyOf { any_of: b } => b,
        SchemaKind::Any(any) if !any.one_of.is_empty() => &any.one_of,
        SchemaKind::Any(any) => &any.any_of,
        _ => return false,
    };
    branches.iter().any(is_null_schema)
}

fn merge_fields(fields: &mut Vec<Field>, more: Vec<Field>) {
    for field in more {
        match fields.iter_mut().find(|f| f.name == field.name) {
            Some(existing) => {
                let required = existing.required || field.required;
                *existing = Field { required, ..field };
            }
            None => fields.push(field),
        }
    }
}

/// A variant name for an inline `oneOf` branch: its title, or what it holds.
fn branch_label(schema: &Schema) -> String {
    if let Some(title) = &schema.schema_data.title {
        return names::type_name(title);
    }
    let by_property = |properties: &Properties, required: &[String]| {
        required.first().or_else(|| properties.keys().next()).map(|p| names::type_name(p))
    };
    let label = match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => {
            Some("File".to_owned())
        }
        SchemaKind::Type(Type::String(_)) => Some("String".to_owned()),
        SchemaKind::Type(Type::Integer(_)) => Some("Integer".to_owned()),
        SchemaKind::Type(Type::Number(_)) => Some("Number".to_owned()),
        SchemaKind::Type(Type::Boolean(_)) => Some("Boolean".to_owned()),
        SchemaKind::Type(Type::Array(_)) => Some("List".to_owned()),
        SchemaKind::Type(Type::Object(o)) => by_property(&o.properties, &o.required),
        SchemaKind::Any(any) => by_property(&any.properties, &any.required),
        _ => None,
    };
    label.unwrap_or_else(|| "Object".to_owned())
}

/// Enum values with their Rust names (from `x-enum-varnames` when given) and descriptions
/// (`x-enum-descriptions`); a value listed twice is kept once.
fn enum_values<T: PartialEq + Clone>(
    values: Vec<T>,
    data: &SchemaData,
    text: impl Fn(&T) -> String,
) -> Vec<EnumValue<T>> {
    let strings = |key: &str| -> Vec<Option<String>> {
        match data.extensions.get(key) {
            Some(Value::Array(items)) if items.len() == values.len() => {
                items.iter().map(|v| v.as_str().map(str::to_owned)).collect()
            }
            _ => vec![None; values.len()],
        }
    };
    let (var_names, descriptions) = (strings("x-enum-varnames"), strings("x-enum-descriptions"));
    let mut scope = Scope::with_taken(["Unknown"]);
    let mut out: Vec<EnumValue<T>> = Vec::with_capacity(values.len());
    for ((value, var_name), description) in values.into_iter().zip(var_names).zip(descriptions) {
        if out.iter().any(|v| v.value == value) {
            continue;
        }
        let wanted = names::variant_name(&var_name.unwrap_or_else(|| text(&value)));
        out.push(EnumValue {
            rust_name: scope.claim(&wanted),
            value,
            description: description.filter(|d| !d.is_empty()),
        });
    }
    out
}

fn format_name<T: serde::Serialize>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item).ok()?.as_str().map(str::to_owned),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn format_of(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => format_name(&t.format),
        SchemaKind::Type(Type::Integer(t)) => format_name(&t.format),
        SchemaKind::Type(Type::Number(t)) => format_name(&t.format),
        SchemaKind::Any(any) => any.format.clone(),
        _ => None,
    }
}

fn integer_width(format: Option<&str>) -> u8 {
    if format == Some("int32") {
        32
    } else {
        64
    }
}
