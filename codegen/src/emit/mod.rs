//! IR -> Rust tokens. Four modules per API: `types` (models), `operations` (the client and one
//! request builder per operation), `mock` (typed mocks of the operations, compiled with the
//! `mock` feature, on the runtime's `mock` module) and `mod.rs` tying them together.

mod docs;
mod mock;
mod operations;
mod profile;
mod types;
mod webhooks;

pub(crate) use operations::{body_type, output_type};
pub(crate) use types::keeps_additional;

use crate::ir::{Api, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Choices that depend on where the generated code lives, not on the description.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rust path of the runtime the generated code calls (`crate::runtime` inside the SDK crate).
    pub runtime_path: String,
    /// The description's name as shown in the generated files' header, e.g. `spec/petstore.yaml`.
    pub source_name: String,
    /// Rust path, as code outside the crate names it, of the module the generated files make
    /// (the one holding `Client` and `types`), e.g. `my_sdk::generated`. With it the client's docs
    /// get an example call per operation group, compiled by `cargo test --doc`; without, none.
    pub doc_path: Option<String>,
}

/// The files of one API, each emitted (and rendered) on its own: `(name, emitter, splits)`, where
/// `splits` tells whether the file can be made in several [`Piece`]s.
pub(crate) const FILES: [(&str, Emitter, bool); 4] = [
    ("mod.rs", module, false),
    ("types.rs", types::emit, true),
    ("operations.rs", operations::emit, true),
    ("mock.rs", mock::emit, true),
];

/// Emits one piece of a file's tokens for `target`, where the code lives.
pub(crate) type Emitter = fn(&Api, &Target, Piece) -> TokenStream;

/// Where the generated code lives, as the emitters need it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The path of the runtime the code calls.
    pub runtime: TokenStream,
    /// [`Options::doc_path`], checked to be a Rust path.
    pub doc_path: Option<String>,
    /// The runtime's path as doc examples (code outside the crate) name it, when they can:
    /// `crate::runtime` becomes the crate's own name, a path from elsewhere stays as it is.
    pub doc_runtime: Option<String>,
}

/// The [`Target`] of `options`.
pub fn target(options: &Options) -> Result<Target, String> {
    if let Some(path) = &options.doc_path {
        syn::parse_str::<syn::Path>(path).map_err(|e| format!("doc path `{path}` is not a Rust path: {e}"))?;
    }
    let doc_runtime = options.doc_path.as_deref().and_then(|doc_path| {
        let runtime = options.runtime_path.as_str();
        let krate = doc_path.split("::").next().unwrap_or(doc_path);
        match runtime.split_once("::").unwrap_or((runtime, "")) {
            ("crate", "") => Some(krate.to_owned()),
            ("crate", rest) => Some(format!("{krate}::{rest}")),
            ("self" | "super", _) => None,
            _ => Some(runtime.to_owned()),
        }
    });
    Ok(Target { runtime: runtime_path(options)?, doc_path: options.doc_path.clone(), doc_runtime })
}

/// A share of a file's items. The models, operations and mock files are made in several pieces,
/// each emitted and rendered on its own thread; their texts, joined in order, are the whole file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub index: usize,
    pub count: usize,
}

impl Piece {
    pub(crate) const WHOLE: Piece = Piece { index: 0, count: 1 };

    /// This piece's share of `len` items: contiguous, so the joined pieces keep the items' order.
    pub fn range(self, len: usize) -> std::ops::Range<usize> {
        (len * self.index / self.count)..(len * (self.index + 1) / self.count)
    }

    /// The first piece carries what comes before the items (module docs, `use`s).
    pub fn is_first(self) -> bool {
        self.index == 0
    }
}

/// Each file's name and tokens, whole. Generation makes them in pieces, see [`crate::render::files`].
pub fn files(api: &Api, target: &Target) -> Vec<(&'static str, TokenStream)> {
    FILES.iter().map(|&(name, emitter, _)| (name, emitter(api, target, Piece::WHOLE))).collect()
}

/// The runtime path of `options` as tokens.
pub fn runtime_path(options: &Options) -> Result<TokenStream, String> {
    let runtime: syn::Path = syn::parse_str(&options.runtime_path)
        .map_err(|e| format!("runtime path `{}` is not a Rust path: {e}", options.runtime_path))?;
    Ok(quote!(#runtime))
}

/// The `use` that lets the operations file name the runtime `runtime`, whatever its path ends in.
pub(crate) fn use_runtime(runtime: &TokenStream) -> TokenStream {
    let ends_in_runtime = runtime.clone().into_iter().last().is_some_and(|last| last.to_string() == "runtime");
    if ends_in_runtime {
        quote!(use #runtime;)
    } else {
        quote!(use #runtime as runtime;)
    }
}

fn module(api: &Api, _target: &Target, _piece: Piece) -> TokenStream {
    let title = format!(" Generated client for {} (version {}).", api.title, api.version);
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Models live in [`types`]; [`Client`] has one method per operation, each returning a request builder from [`operations`]."]
        #![doc = ""]
        #![doc = " With the crate feature `mock`, `mock` has typed mocks of every operation, for testing code that calls the API."]
        // Descriptions are prose from the API description: their markdown is not ours to fix, and
        // models mirror the description's shapes, whatever clippy thinks of them.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation)]

        pub mod operations;
        pub mod types;
        #[cfg(feature = "mock")]
        pub mod mock;

        pub use operations::Client;
    }
}

/// The Rust type for a type reference; `types` prefixes named types when emitting outside the
/// `types` module.
pub(crate) fn rust_type(ty: &TypeRef, types: &TokenStream, runtime: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(32) => quote!(i32),
        TypeRef::Integer(_) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::DateTime => quote!(#runtime::DateTime),
        TypeRef::Binary => quote!(#runtime::FilePart),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Array(item) => {
            let item = rust_type(item, types, runtime);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) if **value == TypeRef::Any => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Map(value) => {
            let value = rust_type(value, types, runtime);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote!(#types #ident)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_examples_name_the_runtime_as_code_outside_the_crate_does() {
        let doc_runtime = |runtime_path: &str, doc_path: Option<&str>| {
            let options = Options {
                runtime_path: runtime_path.into(),
                source_name: String::new(),
                doc_path: doc_path.map(Into::into),
            };
            target(&options).expect("valid paths").doc_runtime
        };
        assert_eq!(doc_runtime("crate::runtime", Some("my_sdk::generated")).as_deref(), Some("my_sdk::runtime"));
        assert_eq!(doc_runtime("crate", Some("my_sdk")).as_deref(), Some("my_sdk"));
        assert_eq!(doc_runtime("sdkgen_runtime", Some("my_sdk")).as_deref(), Some("sdkgen_runtime"));
        assert_eq!(doc_runtime("super::runtime", Some("my_sdk")), None);
        assert_eq!(doc_runtime("sdkgen_runtime", None), None);
    }

    #[test]
    fn pieces_are_contiguous_and_cover_every_item_once() {
        let ranges: Vec<_> = (0..3).map(|index| Piece { index, count: 3 }.range(10)).collect();
        assert_eq!(ranges, [0..3, 3..6, 6..10]);
        assert_eq!(Piece::WHOLE.range(10), 0..10);
    }
}
