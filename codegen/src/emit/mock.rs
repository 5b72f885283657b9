//! Typed mocks for the tests of code that calls the API: a loopback server (on `wiremock`) and, per
//! operation, a function making the call an expectation matches (its path, query, header
//! parameters and body, each optional) and the typed answer the expectation gives.
//!
//! The generated module is compiled only with the SDK's `mock` feature, which needs the runtime's
//! `mock` feature: the server, the expectations and request matching are the runtime's
//! (`sdkgen_runtime::mock`), the same for every API. What is generated is only what comes from the
//! IR: the module's docs, the names it gives the runtime's types, and per operation a call type
//! with its matchers and typed answer, so any API gets its mocks.

use super::operations::output_type;
use super::{docs, rust_type, Piece, Target};
use crate::ir::{Api, BodyKind, Operation, Param, ParamLocation, Response, Success, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

pub fn emit(api: &Api, target: &Target, piece: Piece) -> TokenStream {
    let runtime = &target.runtime;
    let names = call_names(api);
    let range = piece.range(api.operations.len());
    let calls = api.operations[range].iter().map(|op| call(op, &names[&op.fn_name], runtime));
    let support = piece.is_first().then(|| support(api, runtime));
    quote! {
        #support
        #(#calls)*
    }
}

/// The Rust name of each operation's call type, by function name: the request builder's name with
/// `Call` for `Builder` (`UserBuilder` -> `UserCall`), or with `Call` added where that would clash.
fn call_names(api: &Api) -> BTreeMap<String, String> {
    let short = |op: &Operation| match op.builder_name.strip_suffix("Builder") {
        Some(stem) if !stem.is_empty() => format!("{stem}Call"),
        _ => format!("{}Call", op.builder_name),
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for op in &api.operations {
        *counts.entry(short(op)).or_default() += 1;
    }
    api.operations
        .iter()
        .map(|op| {
            let name = short(op);
            let name = if counts[&name] > 1 { format!("{}Call", op.builder_name) } else { name };
            (op.fn_name.clone(), name)
        })
        .collect()
}

/// What comes before the operations: the module's docs, the names of the runtime's mock support
/// (server, expectation, `Call` trait) as this module gives them, and what lets the server make
/// this API's client. Everything that is the same for every API is the runtime's (`mock` module).
fn support(api: &Api, runtime: &TokenStream) -> TokenStream {
    let module_doc = docs::inner_attrs([
        format!("Typed mocks of {}, for testing code that calls it without the real service.", api.title),
        "[`MockServer::start`] runs a loopback HTTP server and [`MockServer::client`] gives a\n\
         [`Client`] pointed at it (or give [`MockServer::uri`] to your own code as its base URL).\n\
         Each operation has a function here, named like its [`Client`] method, making the [`Call`]\n\
         an expectation matches: every call of the operation, narrowed by the methods of that call\n\
         type (one per parameter, and `body`). [`MockServer::expect`] turns it into an\n\
         [`Expectation`]: give it the typed answer ([`respond`](Expectation::respond)) or an error,\n\
         how many times it must be called, and `.await` it."
            .to_owned(),
        "The server verifies when it is dropped, or at [`MockServer::verify`]: it panics, failing\n\
         the test, when an expectation did not get the calls it expects or a call matched no\n\
         expectation."
            .to_owned(),
        "Built on [wiremock](https://docs.rs/wiremock); compiled with the crate feature `mock`. The\n\
         server and the expectations are the runtime's ([`runtime::mock`], its feature `mock`), the\n\
         same for every API; the operations' call types are generated here."
            .to_owned(),
    ]);
    let use_runtime = super::use_runtime(runtime);
    quote! {
        #module_doc

        use super::operations::Client;
        #use_runtime

        #[doc(inline)]
        pub use runtime::mock::{Call, Expectation, ExpectationGuard};
        #[doc(no_inline)]
        pub use runtime::mock::{Request, ResponseTemplate, Times};

        /// A loopback HTTP server that answers as the API, by the expectations mounted on it: the
        /// runtime's [`MockServer`](runtime::mock::MockServer) (its methods are documented there),
        /// whose [`client`](MockServer::client) is a [`Client`] pointed at it.
        pub type MockServer = runtime::mock::MockServer<Client>;

        impl runtime::mock::MockClient for Client {
            fn builder() -> runtime::ClientBuilder<Self> {
                Client::builder()
            }
        }
    }
}

/// One operation's call type, its function, and how its answer is sent.
fn call(op: &Operation, name: &str, runtime: &TokenStream) -> TokenStream {
    let types = quote!(super::types::);
    let call = format_ident!("{}", name);
    let function = format_ident!("{}", op.fn_name);
    let (fn_name, method, path) = (&op.fn_name, op.method.as_str(), &op.path);
    let shown = format!("`{method} {path}`");
    let fn_doc = docs::attrs([format!(
        "Every call of [`Client::{fn_name}`] ({shown}); narrow it with the methods of\n[`{name}`], then give it to [`MockServer::expect`]."
    )]);
    let call_doc = docs::attrs([format!(
        "Calls of [`Client::{fn_name}`] ({shown}) an expectation matches: each method\nnarrows them."
    )]);
    // A parameter in another style than its location's default has no matcher: it matches any value.
    let params = op.params.iter().filter(|p| p.has_default_style()).map(|p| param(p, &types, runtime));
    let body = op.body.as_ref().and_then(|body| {
        let (setter, doc) = match body.kind {
            BodyKind::Json => (quote!(json), " Only calls whose JSON body is `value`, every field of it."),
            BodyKind::FormUrlEncoded => (quote!(form), " Only calls whose form body is `value`, every field of it."),
            // Files are not compared; `Expectation::matching` takes a matcher of the caller's own.
            BodyKind::Multipart | BodyKind::Raw | BodyKind::Text => return None,
        };
        let ty = rust_type(&body.ty, &types, runtime);
        Some(quote! {
            #[doc = #doc]
            pub fn body(self, value: #ty) -> Self {
                Self { matcher: self.matcher.#setter(&value) }
            }
        })
    });
    let answer_ty = output_type(op, &types, runtime);
    let answer = answer(op);
    quote! {
        #call_doc
        #[derive(Debug, Clone)]
        pub struct #call {
            matcher: runtime::mock::Matcher,
        }

        #fn_doc
        pub fn #function() -> #call {
            #call { matcher: runtime::mock::Matcher::new(#fn_name, #method, #path) }
        }

        impl #call {
            #(#params)*
            #body
        }

        impl Call for #call {
            type Answer = #answer_ty;

            fn describe(&self) -> String {
                self.matcher.describe()
            }

            fn matches(&self, request: &Request) -> bool {
                self.matcher.matches(request)
            }

            fn answer(answer: Self::Answer) -> ResponseTemplate {
                #answer
            }
        }
    }
}

/// The matcher method of one parameter: same name and argument as the client's.
fn param(p: &Param, types: &TokenStream, runtime: &TokenStream) -> TokenStream {
    let ident = format_ident!("{}", p.rust_name);
    let wire = &p.name;
    let (arg, value) = if p.ty == TypeRef::String {
        (quote!(impl Into<String>), quote!(&value.into()))
    } else {
        (rust_type(&p.ty, types, runtime), quote!(&value))
    };
    let list = if matches!(p.ty, TypeRef::Array(_)) { ", its items in order" } else { "" };
    let (setter, doc) = match p.location {
        ParamLocation::Path => (quote!(path), format!(" Only calls whose path parameter `{wire}` is `value`.")),
        ParamLocation::Query => {
            (quote!(query), format!(" Only calls with query parameter `{wire}` set to `value`{list}."))
        }
        ParamLocation::Header => (quote!(header), format!(" Only calls with header `{wire}` set to `value`{list}.")),
    };
    quote! {
        #[doc = #doc]
        pub fn #ident(self, value: #arg) -> Self {
            Self { matcher: self.matcher.#setter(#wire, #value) }
        }
    }
}

/// The response from which the operation's `send` decodes its answer.
fn answer(op: &Operation) -> TokenStream {
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.is_success()).collect();
    let status = |fallback: u16, with_body: bool| {
        successes
            .iter()
            .find(|r| r.ty.is_some() == with_body)
            .and_then(|r| r.status.parse::<u16>().ok())
            .filter(|status| (200..300).contains(status))
            .unwrap_or(fallback)
    };
    let (body_status, empty_status) = (status(200, true), status(if successes.is_empty() { 200 } else { 204 }, false));
    let (body_status, empty_status) = (Literal::u16_unsuffixed(body_status), Literal::u16_unsuffixed(empty_status));
    match &op.success {
        Success::Selected(..) | Success::One(_) | Success::AnyJson => {
            quote!(runtime::mock::json_answer(#body_status, &answer))
        }
        Success::Nothing => quote!(runtime::mock::empty_answer(#empty_status, answer)),
        Success::Bytes => quote!(runtime::mock::bytes_answer(#body_status, answer)),
        Success::Text => quote!(runtime::mock::bytes_answer(#body_status, answer.into_bytes())),
        Success::Maybe(_) => quote!(runtime::mock::maybe_answer(#body_status, #empty_status, answer)),
    }
}
