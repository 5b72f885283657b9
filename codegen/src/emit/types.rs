//! Models: structs, open enums (an `Unknown` variant keeps values this SDK does not know yet),
//! unions, and aliases.

use super::{docs, rust_type, Piece};
use crate::ir::{Api, EnumValue, Field, OneOf, Struct, TypeDef, TypeKind, TypeRef};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

pub fn emit(api: &Api, target: &super::Target, piece: Piece) -> TokenStream {
    let runtime = &target.runtime;
    let ctx = Ctx { runtime, defaults: defaultable(&api.types), sent: crate::surface::sent_types(api) };
    let range = piece.range(api.types.len());
    let items = api.types.values().skip(range.start).take(range.len()).map(|def| ctx.type_def(def));
    let doc =
        piece.is_first().then(|| quote!(#![doc = " Models of the API's request and response bodies and parameters."]));
    let is_last = piece.index + 1 == piece.count;
    let webhooks = api.webhooks.as_ref().filter(|_| is_last).map(|w| super::webhooks::emit(w, runtime));
    quote! {
        #doc
        #(#items)*
        #webhooks
    }
}

struct Ctx<'a> {
    runtime: &'a TokenStream,
    /// Types that implement `Default`.
    defaults: BTreeSet<String>,
    /// Types that requests send, which get `with_` setters.
    sent: BTreeSet<String>,
}

impl Ctx<'_> {
    fn ty(&self, ty: &TypeRef) -> TokenStream {
        rust_type(ty, &TokenStream::new(), self.runtime)
    }

    fn type_def(&self, def: &TypeDef) -> TokenStream {
        let mut paragraphs: Vec<String> = def.description.iter().cloned().collect();
        if def.deprecated {
            paragraphs.push("**Deprecated** by the API description.".into());
        }
        let doc =
            docs::attrs(paragraphs.iter().chain([&format!("Schema: {}", docs::code(&docs::shorten(&def.pointer)))]));
        let name = format_ident!("{}", def.name);
        match &def.kind {
            TypeKind::Struct(s) => self.structure(def, &name, doc, s),
            TypeKind::StringEnum(values) => string_enum(&name, doc, values),
            TypeKind::IntEnum(values) => int_enum(&name, doc, values),
            TypeKind::OneOf(one_of) => self.union(&name, doc, one_of),
            TypeKind::Alias(target) => {
                let target = self.ty(target);
                quote! { #doc pub type #name = #target; }
            }
        }
    }

    fn field_type(&self, field: &Field) -> TokenStream {
        let mut ty = self.ty(&field.ty);
        if field.boxed {
            ty = quote!(Box<#ty>);
        }
        if field.required && !field.nullable {
            ty
        } else {
            quote!(Option<#ty>)
        }
    }

    fn structure(&self, def: &TypeDef, name: &syn::Ident, doc: TokenStream, s: &Struct) -> TokenStream {
        let without_extra;
        let s = if s.additional.is_some() && !keeps_additional(s) {
            without_extra = Struct { fields: s.fields.clone(), additional: None };
            &without_extra
        } else {
            s
        };
        // Files serialize too (the runtime's `FilePart`), so a type holding one is sent as JSON or
        // as multipart parts alike.
        let serde_derives = quote!(serde::Serialize, serde::Deserialize,);
        let default = self.defaults.contains(&def.name).then(|| quote!(Default,));
        let has_secret = s.fields.iter().any(|f| f.secret);
        let debug = (!has_secret).then(|| quote!(Debug,));

        let fields = s.fields.iter().map(|f| {
            let ident = format_ident!("{}", f.rust_name);
            let ty = self.field_type(f);
            let mut serde = Vec::new();
            if f.rust_name != f.name {
                let wire = &f.name;
                serde.push(quote!(rename = #wire));
            }
            if !f.required {
                serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
            } else if f.nullable {
                serde.push(quote!(default));
            }
            let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
            let doc = docs::attrs(field_doc(f));
            quote! { #doc #serde pub #ident: #ty, }
        });
        let additional = s.additional.as_ref().map(|value| {
            let map = if *value == TypeRef::Any {
                quote!(serde_json::Map<String, serde_json::Value>)
            } else {
                let value = self.ty(value);
                quote!(std::collections::BTreeMap<String, #value>)
            };
            quote! {
                /// Properties not listed above, kept as sent.
                #[serde(flatten)]
                pub additional_properties: #map,
            }
        });

        let constructor = self.constructor(name, s);
        let setters = self.sent.contains(&def.name).then(|| self.setters(name, s)).flatten();
        let debug_impl = has_secret.then(|| debug_redacting(name, s));
        quote! {
            #doc
            #[derive(Clone, PartialEq, #debug #default #serde_derives)]
            pub struct #name {
                #(#fields)*
                #additional
            }
            #constructor
            #setters
            #debug_impl
        }
    }

    /// `with_<field>(value)` for each optional field a request sends: sets it and hands the value
    /// back, so a body is one expression, `T::new(required).with_a(..).with_b(..)`, without
    /// `Some(..)` or `..Default::default()`. Text, lists, maps, named types and files are taken as
    /// `impl Into<..>`; numbers and booleans as themselves, so a literal keeps its type.
    fn setters(&self, name: &syn::Ident, s: &Struct) -> Option<TokenStream> {
        let mut scope = names::Scope::with_taken(["new"]);
        let setters: Vec<TokenStream> = s
            .fields
            .iter()
            .filter(|f| !f.required && !f.read_only)
            .map(|f| {
                let field = format_ident!("{}", f.rust_name);
                let setter = format_ident!("{}", scope.claim(&format!("with_{}", f.rust_name.trim_end_matches('_'))));
                let ty = self.ty(&f.ty);
                let by_into = !matches!(f.ty, TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean);
                let (arg, mut value) =
                    if by_into { (quote!(impl Into<#ty>), quote!(value.into())) } else { (ty, quote!(value)) };
                if f.boxed {
                    value = quote!(Box::new(#value));
                }
                let doc = match f.rust_name == f.name {
                    true => format!(" Sets `{}`.", f.rust_name),
                    false => format!(" Sets `{}` (`{}` on the wire).", f.rust_name, f.name),
                };
                let deprecated =
                    f.deprecated.then(|| quote!(#[doc = ""] #[doc = " **Deprecated** by the API description."]));
                quote! {
                    #[doc = #doc]
                    #deprecated
                    pub fn #setter(mut self, value: #arg) -> Self {
                        self.#field = Some(#value);
                        self
                    }
                }
            })
            .collect();
        (!setters.is_empty()).then(|| quote! { impl #name { #(#setters)* } })
    }

    /// `new(required...)` for structs with required fields; the rest start empty.
    fn constructor(&self, name: &syn::Ident, s: &Struct) -> Option<TokenStream> {
        let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
        if required.is_empty() {
            return None;
        }
        // Text is taken as `impl Into<String>`, like the request builders' setters.
        let text = |f: &Field| f.ty == TypeRef::String && !f.nullable;
        let args = required.iter().map(|f| {
            let ident = format_ident!("{}", f.rust_name);
            let ty = if text(f) { quote!(impl Into<String>) } else { self.field_type(f) };
            quote!(#ident: #ty)
        });
        let inits = s.fields.iter().map(|f| {
            let ident = format_ident!("{}", f.rust_name);
            match (f.required, text(f)) {
                (true, true) => quote!(#ident: #ident.into()),
                (true, false) => quote!(#ident),
                (false, _) => quote!(#ident: None),
            }
        });
        let additional = s.additional.as_ref().map(|_| quote!(additional_properties: Default::default(),));
        let doc = format!(" A `{name}` with its required fields; the optional ones start as `None`.");
        Some(quote! {
            impl #name {
                #[doc = #doc]
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #additional }
                }
            }
        })
    }

    fn union(&self, name: &syn::Ident, doc: TokenStream, one_of: &OneOf) -> TokenStream {
        let definition = self.union_definition(name, doc, one_of);
        let conversions = self.union_conversions(name, one_of);
        quote! { #definition #conversions }
    }

    /// `From<Shape>` for each variant whose type no other variant has, so a body is built from
    /// its shape: `Union::from(shape)` or `shape.into()`.
    fn union_conversions(&self, name: &syn::Ident, one_of: &OneOf) -> TokenStream {
        let distinct = one_of.variants.iter().filter(|v| one_of.variants.iter().filter(|o| o.ty == v.ty).count() == 1);
        let impls = distinct.filter(|v| v.ty != TypeRef::Any).map(|v| {
            let ident = format_ident!("{}", v.rust_name);
            let ty = self.ty(&v.ty);
            let value = if v.boxed { quote!(Box::new(value)) } else { quote!(value) };
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#ident(#value)
                    }
                }
            }
        });
        quote!(#(#impls)*)
    }

    fn union_definition(&self, name: &syn::Ident, doc: TokenStream, one_of: &OneOf) -> TokenStream {
        let variants = one_of.variants.iter().map(|v| {
            let ident = format_ident!("{}", v.rust_name);
            let mut ty = self.ty(&v.ty);
            if v.boxed {
                ty = quote!(Box<#ty>);
            }
            let doc = docs::attrs(v.description.iter());
            quote! { #doc #ident(#ty), }
        });
        let unknown = quote! {
            /// A value none of the known shapes describes, kept as sent.
            Unknown(serde_json::Value),
        };
        match &one_of.tag {
            None => quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                pub enum #name { #(#variants)* #unknown }
            },
            Some(tag) => {
                let arms = one_of.variants.iter().map(|v| {
                    let ident = format_ident!("{}", v.rust_name);
                    let value = v.tag_value.as_deref().unwrap_or_default();
                    let wrap = if v.boxed { quote!(|v| Self::#ident(Box::new(v))) } else { quote!(Self::#ident) };
                    quote! { Some(#value) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom), }
                });
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                    #[serde(untagged)]
                    pub enum #name { #(#variants)* #unknown }

                    impl<'de> serde::Deserialize<'de> for #name {
                        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                            let value = serde_json::Value::deserialize(deserializer)?;
                            match value.get(#tag).and_then(serde_json::Value::as_str) {
                                #(#arms)*
                                _ => Ok(Self::Unknown(value)),
                            }
                        }
                    }
                }
            }
        }
    }
}

fn field_doc(field: &Field) -> Vec<String> {
    let mut paragraphs: Vec<String> = field.description.iter().cloned().collect();
    let mut notes = Vec::new();
    if let Some(format) = &field.format {
        notes.push(format!("Format: {}.", docs::code(format)));
    }
    if let Some(default) = &field.default {
        notes.push(format!("Default: {}.", docs::code(default)));
    }
    if field.read_only {
        notes.push("Read-only: sent by the server, ignored in requests.".into());
    }
    if field.write_only {
        notes.push("Write-only: sent in requests, never returned.".into());
    }
    if field.deprecated {
        notes.push("**Deprecated** by the API description.".into());
    }
    if !notes.is_empty() {
        paragraphs.push(notes.join(" "));
    }
    paragraphs
}

/// `Debug` that prints secret fields as `<redacted>`.
fn debug_redacting(name: &syn::Ident, s: &Struct) -> TokenStream {
    let label = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let field = &f.rust_name;
        let value = match (f.secret, f.required && !f.nullable) {
            (false, _) => quote!(&self.#ident),
            (true, true) => quote!(&"<redacted>"),
            (true, false) => quote!(&self.#ident.as_ref().map(|_| "<redacted>")),
        };
        quote! { .field(#field, #value) }
    });
    let additional =
        s.additional.as_ref().map(|_| quote! { .field("additional_properties", &self.additional_properties) });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#fields)* #additional .finish()
            }
        }
    }
}

fn string_enum(name: &syn::Ident, doc: TokenStream, values: &[EnumValue<String>]) -> TokenStream {
    let idents: Vec<_> = values.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    let docs = values.iter().map(|v| docs::attrs([v.description.clone().unwrap_or_else(|| docs::code(&v.value))]));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #docs #idents, )*
            /// A value this SDK does not know yet, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #wires => Self::#idents, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn int_enum(name: &syn::Ident, doc: TokenStream, values: &[EnumValue<i64>]) -> TokenStream {
    let idents: Vec<_> = values.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let wires: Vec<i64> = values.iter().map(|v| v.value).collect();
    let docs =
        values.iter().map(|v| docs::attrs([v.description.clone().unwrap_or_else(|| docs::code(&v.value.to_string()))]));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #docs #idents, )*
            /// A value this SDK does not know yet, kept as sent.
            Unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                i64::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// Whether the struct has a field for properties it does not list. A multipart body is sent part by
/// part: unlisted properties have no part to go in.
pub(crate) fn keeps_additional(s: &Struct) -> bool {
    s.additional.is_some() && !s.fields.iter().any(|f| contains_binary(&f.ty))
}

fn contains_binary(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::Array(item) | TypeRef::Map(item) => contains_binary(item),
        _ => false,
    }
}

/// Types that can derive `Default`: structs whose required fields all have a default.
/// Computed to a fixed point, so recursive types are settled without recursion.
pub(super) fn defaultable(types: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    let mut yes: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = yes.len();
        for (name, def) in types {
            let ok = match &def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().all(|f| !f.required || f.nullable || ty_default(&f.ty, &yes))
                        && !s.fields.iter().any(|f| contains_binary(&f.ty))
                }
                TypeKind::Alias(target) => ty_default(target, &yes),
                _ => false,
            };
            if ok {
                yes.insert(name.clone());
            }
        }
        if yes.len() == before {
            return yes;
        }
    }
}

fn ty_default(ty: &TypeRef, yes: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => yes.contains(name),
        TypeRef::Binary => false,
        _ => true,
    }
}
