//! The client and its operations: one method per operation taking the required parameters, returning
//! a request builder with a setter per optional parameter and an async `send`.

use super::{docs, rust_type, Piece};
use crate::ir::{Api, Body, BodyKind, Operation, Param, ParamLocation, Selector, Success, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn emit(api: &Api, target: &super::Target, piece: Piece) -> TokenStream {
    let ctx = Ctx {
        api,
        runtime: &target.runtime,
        doc_path: target.doc_path.as_deref(),
        doc_runtime: target.doc_runtime.as_deref(),
    };
    let range = piece.range(api.operations.len());
    let builders = api.operations[range].iter().map(|op| ctx.builder(op));
    let client = piece.is_first().then(|| ctx.client());
    quote! {
        #client
        #(#builders)*
    }
}

struct Ctx<'a> {
    api: &'a Api,
    runtime: &'a TokenStream,
    /// How code outside the crate names the generated module, for doc examples.
    doc_path: Option<&'a str>,
    /// How code outside the crate names the runtime, for doc examples.
    doc_runtime: Option<&'a str>,
}

/// What a builder holds: parameters, then the body.
struct Slot<'a> {
    ident: syn::Ident,
    ty: TokenStream,
    required: bool,
    /// Taken as `impl Into<..>` of this type (`String`, `Vec<u8>`).
    into: Option<TokenStream>,
    param: Option<&'a Param>,
}

impl Ctx<'_> {
    /// What comes before the builders: the module's docs and `use`s, and the client with one
    /// method per operation.
    fn client(&self) -> TokenStream {
        let (api, runtime) = (self.api, self.runtime);
        let base_url = api.base_url.clone().unwrap_or_default();
        let client_doc = docs::attrs(
            [
                format!("Client for {}. Build one with [`Client::builder`].", api.title),
                api.description.clone().unwrap_or_default(),
            ]
            .into_iter()
            .chain(self.group_examples()),
        );
        let methods = api.operations.iter().map(|op| self.method(op));
        let uses_types = api.operations.iter().any(mentions_named).then(|| {
            quote!(
                use super::types;
            )
        });
        let use_runtime = super::use_runtime(runtime);
        let profile = super::profile::constant(&api.profile);
        let plans = super::profile::plans(&api.profile);
        quote! {
            //! The client and one request builder per operation.

            #uses_types
            #use_runtime

            #client_doc
            #[derive(Debug, Clone)]
            pub struct Client {
                runtime: runtime::Runtime,
            }

            impl Client {
                /// Base URL of the API, from the description's first server.
                pub const DEFAULT_BASE_URL: &'static str = #base_url;

                #profile

                /// Starts configuring a client: base URL, credentials, timeouts, retries.
                pub fn builder() -> runtime::ClientBuilder<Self> {
                    runtime::ClientBuilder::new(Self::DEFAULT_BASE_URL, &Self::PROFILE)
                }

                /// The runtime that sends this client's requests.
                pub fn runtime(&self) -> &runtime::Runtime {
                    &self.runtime
                }

                #(#methods)*
            }

            impl runtime::FromRuntime for Client {
                fn from_runtime(runtime: runtime::Runtime) -> Self {
                    Self { runtime }
                }
            }

            #plans
        }
    }

    fn ty(&self, ty: &TypeRef) -> TokenStream {
        rust_type(ty, &quote!(types::), self.runtime)
    }

    /// Doc paragraphs for the client: per operation group (tag), in the order groups first
    /// appear, a heading, the group's methods and a `no_run` example calling one of them, the
    /// simplest to write. Nothing without a [`doc_path`](super::Options::doc_path).
    fn group_examples(&self) -> Vec<String> {
        let Some(path) = self.doc_path else { return Vec::new() };
        let ops = &self.api.operations;
        let tagged = ops.iter().any(|op| !op.tags.is_empty());
        let mut groups: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
        for op in ops {
            let tags: Vec<Option<&str>> = match tagged {
                true if op.tags.is_empty() => vec![None],
                true => op.tags.iter().map(|t| Some(t.as_str())).collect(),
                false => vec![None],
            };
            for tag in tags {
                match groups.iter_mut().find(|(t, _)| *t == tag) {
                    Some((_, members)) => members.push(op),
                    None => groups.push((tag, vec![op])),
                }
            }
        }
        let defaults = super::types::defaultable(&self.api.types);
        let mut paragraphs = Vec::new();
        for (tag, members) in groups {
            let heading = match (tag, tagged) {
                (Some(tag), _) => format!("# Group {}", docs::code(tag)),
                (None, true) => "# Operations in no group".to_owned(),
                (None, false) => "# Example".to_owned(),
            };
            let links: Vec<String> = members.iter().map(|op| format!("[`{0}`](Self::{0})", op.fn_name)).collect();
            let count = match members.len() {
                1 => "1 operation".to_owned(),
                n => format!("{n} operations"),
            };
            // The call whose arguments are simplest: all writable, fewest, a read, not deprecated.
            let calls = members.iter().enumerate().map(|(i, op)| {
                let args = self.example_args(op, &defaults);
                let rank =
                    (args.is_none(), op.deprecated, args.as_ref().map_or(0, Vec::len), op.method.as_str() != "GET", i);
                (rank, op, args)
            });
            let (_, op, args) = calls.min_by_key(|(rank, _, _)| *rank).expect("a group has an operation");
            paragraphs.push(heading);
            paragraphs.push(format!("{count}: {}.", links.join(", ")));
            // No call the example could write every argument of: no example, rather than a stub.
            let Some(args) = args else { continue };
            let call = format!("client.{}({}).await?", op.fn_name, args.join(", "));
            let uses_types = args.iter().any(|a| a.contains("types::"));
            let mut lines = vec!["```no_run".to_owned()];
            lines.push(match uses_types {
                true => format!("use {path}::{{types, Client}};"),
                false => format!("use {path}::Client;"),
            });
            lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
            lines.push("let client = Client::builder().bearer_token(\"token\").build()?;".to_owned());
            match &op.success {
                Success::Nothing => lines.push(format!("{call};")),
                _ => {
                    lines.push(format!("let answer = {call};"));
                    lines.push("println!(\"{answer:?}\");".to_owned());
                }
            }
            lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
            paragraphs.push(lines.join("\n"));
        }
        paragraphs
    }

    /// The arguments of `op`'s client method as Rust text, when each is simple to write.
    fn example_args(&self, op: &Operation, defaults: &BTreeSet<String>) -> Option<Vec<String>> {
        let params = op.params.iter().filter(|p| p.required).map(|p| self.example_value(&p.ty, &p.name, defaults, 0));
        let body = op.body.iter().filter(|b| b.required).map(|b| match b.kind {
            BodyKind::Raw => Some("Vec::new()".to_owned()),
            _ => self.example_value(&b.ty, "body", defaults, 0),
        });
        params.chain(body).collect()
    }

    /// A value of `ty` as Rust text for a doc example (`"userId"` for a text named so, an enum's
    /// first variant, `default()` or `new(..)` of a struct), when one is simple to write.
    fn example_value(&self, ty: &TypeRef, name: &str, defaults: &BTreeSet<String>, depth: usize) -> Option<String> {
        match ty {
            TypeRef::String => Some(format!("{name:?}")),
            TypeRef::Integer(_) => Some("1".into()),
            TypeRef::Number => Some("1.0".into()),
            TypeRef::Boolean => Some("true".into()),
            TypeRef::Array(_) => Some("Vec::new()".into()),
            TypeRef::Named(type_name) => match &self.api.types.get(type_name)?.kind {
                TypeKind::StringEnum(values) => Some(format!("types::{type_name}::{}", values.first()?.rust_name)),
                TypeKind::IntEnum(values) => Some(format!("types::{type_name}::{}", values.first()?.rust_name)),
                // `new` shows what a body needs; `default()` is for bodies that need nothing.
                TypeKind::Struct(s) if depth < 3 && s.fields.iter().any(|f| f.required) => {
                    let args: Option<Vec<String>> = s
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| match f.nullable {
                            true => Some("None".to_owned()),
                            false => {
                                let value = self.example_value(&f.ty, &f.name, defaults, depth + 1)?;
                                Some(if f.boxed { format!("Box::new({value})") } else { value })
                            }
                        })
                        .collect();
                    Some(format!("types::{type_name}::new({})", args?.join(", ")))
                }
                TypeKind::Struct(_) if defaults.contains(type_name) => Some(format!("types::{type_name}::default()")),
                TypeKind::Alias(target) => self.example_value(target, name, defaults, depth + 1),
                // The first shape that is simple to write.
                TypeKind::OneOf(one_of) if depth < 3 => one_of.variants.iter().find_map(|v| {
                    let value = self.example_value(&v.ty, name, defaults, depth + 1)?;
                    let value = if v.boxed { format!("Box::new({value})") } else { value };
                    Some(format!("types::{type_name}::{}({value})", v.rust_name))
                }),
                _ => None,
            },
            TypeRef::DateTime => Some(format!("{}::DateTime::parse(\"2024-01-01T00:00:00Z\")", self.doc_runtime?)),
            TypeRef::Binary => Some(format!(
                "{}::FilePart::new(\"file.bin\", \"application/octet-stream\", Vec::new())",
                self.doc_runtime?
            )),
            TypeRef::Any => Some("serde_json::Value::Null".into()),
            TypeRef::Map(_) => Some("Default::default()".into()),
        }
    }

    fn slots<'o>(&self, op: &'o Operation) -> Vec<Slot<'o>> {
        let mut slots: Vec<Slot<'o>> = op
            .params
            .iter()
            .map(|p| Slot {
                ident: format_ident!("{}", p.rust_name),
                ty: self.ty(&p.ty),
                required: p.required,
                into: (p.ty == TypeRef::String).then(|| quote!(String)),
                param: Some(p),
            })
            .collect();
        if let Some(body) = &op.body {
            let ty = body_type(body, &quote!(types::), self.runtime);
            slots.push(Slot {
                ident: format_ident!("body"),
                into: matches!(body.kind, BodyKind::Raw | BodyKind::Text).then(|| ty.clone()),
                ty,
                required: body.required,
                param: None,
            });
        }
        slots
    }

    fn method(&self, op: &Operation) -> TokenStream {
        let doc = operation_doc(op);
        let name = format_ident!("{}", op.fn_name);
        let builder = format_ident!("{}", op.builder_name);
        let slots = self.slots(op);
        let args = slots.iter().filter(|s| s.required).map(|s| {
            let (ident, ty) = (&s.ident, &s.ty);
            match &s.into {
                Some(into) => quote!(#ident: impl Into<#into>),
                None => quote!(#ident: #ty),
            }
        });
        let inits = slots.iter().map(|s| {
            let ident = &s.ident;
            match (s.required, &s.into) {
                (true, Some(_)) => quote!(#ident: #ident.into()),
                (true, None) => quote!(#ident),
                (false, _) => quote!(#ident: None),
            }
        });
        let deprecated = op.deprecated.then(|| quote!(#[deprecated = "deprecated by the API description"]));
        // The description's own name stays searchable in the docs (rustdoc takes identifier-like
        // aliases only; Postman ids are request names, which the docs show anyway).
        let id = &op.id;
        let searchable = id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let alias = (searchable && *id != op.fn_name).then(|| quote!(#[doc(alias = #id)]));
        quote! {
            #doc
            #alias
            #deprecated
            pub fn #name(&self, #(#args),*) -> #builder {
                #builder { client: self.clone(), #(#inits,)* options: Default::default() }
            }
        }
    }

    fn builder(&self, op: &Operation) -> TokenStream {
        let builder = format_ident!("{}", op.builder_name);
        let doc = format!(
            " Request builder for [`Client::{}`]: `{} {}`. Set optional parameters, then `.await` it or call [`send`](Self::send).",
            op.fn_name,
            op.method.as_str(),
            op.path
        );
        let slots = self.slots(op);
        let fields = slots.iter().map(|s| {
            let (ident, ty) = (&s.ident, &s.ty);
            if s.required {
                quote!(#ident: #ty,)
            } else {
                quote!(#ident: Option<#ty>,)
            }
        });
        let setters = slots.iter().filter(|s| !s.required).map(|s| {
            let (ident, ty) = (&s.ident, &s.ty);
            let doc = match s.param {
                Some(p) => docs::attrs(param_doc(p)),
                None => docs::attrs(
                    op.body.as_ref().and_then(|b| b.description.clone()).or(Some("The request body.".into())),
                ),
            };
            let deprecated = s
                .param
                .is_some_and(|p| p.deprecated)
                .then(|| quote!(#[deprecated = "deprecated by the API description"]));
            let (arg, value) = match &s.into {
                Some(into) => (quote!(impl Into<#into>), quote!(value.into())),
                None => (ty.clone(), quote!(value)),
            };
            quote! {
                #doc
                #deprecated
                pub fn #ident(mut self, value: #arg) -> Self {
                    self.#ident = Some(#value);
                    self
                }
            }
        });
        let send = self.send(op, &slots);
        let pagination = self.pagination(op);
        let output = output_type(op, &quote!(types::), self.runtime);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[must_use = "a request builder does nothing until it is awaited or `send` is called"]
            pub struct #builder {
                client: Client,
                #(#fields)*
                options: runtime::RequestOptions,
            }

            impl #builder {
                #(#setters)*

                /// Sends this header too, on this call only.
                pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                    self.options = self.options.header(name, value);
                    self
                }

                /// Gives up on each attempt of this call after `timeout`, instead of the client's timeout.
                pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                    self.options = self.options.timeout(timeout);
                    self
                }

                /// Retries this call by `policy` instead of the client's retry policy.
                pub fn retry_policy(mut self, policy: runtime::RetryPolicy) -> Self {
                    self.options = self.options.retry_policy(policy);
                    self
                }

                #send
            }

            impl std::future::IntoFuture for #builder {
                type Output = Result<#output, runtime::Error>;
                type IntoFuture = runtime::BoxFuture<'static, Self::Output>;

                /// Awaiting the builder sends it: `client.op(..).await` is `client.op(..).send().await`.
                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(self.send())
                }
            }

            #pagination
        }
    }

    fn send(&self, op: &Operation, slots: &[Slot<'_>]) -> TokenStream {
        let id = &op.id;
        let method = format_ident!("{}", op.method.as_str());
        let path = &op.path;
        let rate_limit = match &op.rate_limit {
            Some(label) => quote!(Some(#label)),
            None => quote!(None),
        };
        let sensitive = op.sensitive;
        let body_selector = op.body.as_ref().and_then(|b| Some((b, b.selector.as_ref()?)));
        let params = slots.iter().filter_map(|s| s.param.map(|p| (s, p))).map(|(s, p)| {
            let (ident, wire) = (&s.ident, &p.name);
            if let Some((body, selector)) = body_selector.filter(|(_, selector)| selector.param.name == p.name) {
                return self.selecting_query(p, ident, body, selector);
            }
            let (call, styled) = match p.location {
                ParamLocation::Path => (quote!(path_param), quote!(path_styled)),
                ParamLocation::Query => (quote!(query), quote!(query_styled)),
                ParamLocation::Header => (quote!(header), quote!(header_styled)),
            };
            if p.has_default_style() {
                return quote!(.#call(#wire, &self.#ident));
            }
            let (style, explode) = (format_ident!("{}", p.style.name()), p.explode);
            quote!(.#styled(#wire, &self.#ident, runtime::Style::#style, #explode))
        });
        let server = op.server.as_ref().map(|url| quote!(.server(#url)));
        let body = op.body.as_ref().map(|b| self.body(b));
        let output = output_type(op, &quote!(types::), self.runtime);
        let decode = self.decode(op);
        // A selected answer keeps the selecting value for decoding, and gets a typed call per value.
        let (selected, typed_sends) = match &op.success {
            Success::Selected(ty, selector) => {
                let ident = format_ident!("{}", selector.param.rust_name);
                (Some(quote!(let selected = self.#ident.clone();)), self.typed_sends(op, ty, selector))
            }
            _ => (None, Vec::new()),
        };
        quote! {
            const OPERATION: runtime::Operation = runtime::Operation {
                id: #id,
                method: runtime::Method::#method,
                path: #path,
                rate_limit: #rate_limit,
                sensitive: #sensitive,
            };

            /// Sends the request and decodes the answer; any non-success status is an
            /// [`Error`](runtime::Error).
            pub async fn send(self) -> Result<#output, runtime::Error> {
                #selected
                let response = self.send_raw().await?.error_for_status()?;
                #decode
            }

            #(#typed_sends)*

            /// Sends the request and returns the answer undecoded, whatever its status (an error
            /// answer too, once retries are used up): status, headers (such as the API's request
            /// id and rate-limit headers) and the whole body.
            pub async fn send_raw(self) -> Result<runtime::Response, runtime::Error> {
                let request = runtime::Request::new(Self::OPERATION) #server #(#params)* #body .options(self.options);
                self.client.runtime.execute_raw(request).await
            }
        }
    }

    /// The query parameter that names the body's shape (`x-select-by`): the runtime sends the
    /// value the body's variant needs when the caller set none, and refuses one naming another shape.
    fn selecting_query(&self, param: &Param, ident: &syn::Ident, body: &Body, selector: &Selector) -> TokenStream {
        let wire = &param.name;
        let sent = param_text(param, quote!(self.#ident));
        let enum_ty = self.ty(&body.ty);
        let variants = match &body.ty {
            TypeRef::Named(name) => match self.api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::OneOf(one_of)) => one_of.variants.iter().map(|v| v.rust_name.as_str()).collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let arms = variants.iter().map(|variant| {
            let ident = format_ident!("{}", variant);
            match body.required {
                true => quote!(#enum_ty::#ident(_) => Some(#variant),),
                false => quote!(Some(#enum_ty::#ident(_)) => Some(#variant),),
            }
        });
        let scrutinee = if body.required { quote!(&self.body) } else { quote!(self.body.as_ref()) };
        // Every union has an `Unknown` variant, so the last arm is reachable.
        let shape = quote!(match #scrutinee { #(#arms)* _ => None });
        let mapping = selector.mapping.iter().map(|(value, variant)| quote!((#value, #variant)));
        let default = &selector.default;
        quote! {
            .selecting_query(#wire, #sent, runtime::Shapes { body: #shape, by_value: &[#(#mapping),*], default: #default })
        }
    }

    fn body(&self, body: &Body) -> TokenStream {
        let media = &body.media_type;
        match body.kind {
            BodyKind::Raw | BodyKind::Text if body.required => quote!(.raw(self.body, #media)),
            BodyKind::Raw | BodyKind::Text => quote!(.raw_opt(self.body, #media)),
            BodyKind::Json => quote!(.json(&self.body)),
            BodyKind::FormUrlEncoded => quote!(.form(&self.body)),
            BodyKind::Multipart => {
                let parts = self.multipart_parts(body);
                if body.required {
                    quote!(.multipart({ let body = self.body; runtime::Multipart::new() #(#parts)* }))
                } else {
                    quote!(.multipart(match self.body { Some(body) => runtime::Multipart::new() #(#parts)*, None => runtime::Multipart::new() }))
                }
            }
        }
    }

    /// One part per property of a multipart body: files as file parts (checked against the
    /// description's limits), the rest as text.
    fn multipart_parts(&self, body: &Body) -> Vec<TokenStream> {
        let fields = match &body.ty {
            TypeRef::Named(name) => match self.api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => s.fields.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        fields
            .iter()
            .map(|f| {
                let (ident, wire) = (format_ident!("{}", f.rust_name), &f.name);
                let rule = body.file_rules.iter().find(|r| &r.part == wire);
                match (&f.ty, rule) {
                    (TypeRef::Binary, Some(rule)) => {
                        let types = &rule.media_types;
                        let max = match rule.max_bytes {
                            Some(n) => quote!(Some(#n)),
                            None => quote!(None),
                        };
                        quote!(.checked_file(#wire, body.#ident, &[#(#types),*], #max))
                    }
                    (TypeRef::Binary, None) => quote!(.file(#wire, body.#ident)),
                    (TypeRef::Array(item), _) if **item == TypeRef::Binary && f.required && !f.nullable => {
                        quote!(.files(#wire, body.#ident))
                    }
                    (TypeRef::Array(item), _) if **item == TypeRef::Binary => {
                        quote!(.files(#wire, body.#ident.into_iter().flatten()))
                    }
                    (ty, _) if self.is_text(ty, 0) => quote!(.text(#wire, &body.#ident)),
                    // Objects, unions and lists of them: JSON text, files inside as parts of their own.
                    _ => quote!(.value(#wire, &body.#ident)),
                }
            })
            .collect()
    }

    /// Whether a multipart property is sent as text: a string, number, boolean or enum, or a list
    /// of them.
    fn is_text(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::String | TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean | TypeRef::DateTime => true,
            TypeRef::Array(item) => depth == 0 && self.is_text(item, depth + 1),
            TypeRef::Named(name) => match self.api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_)) => true,
                // An alias chain is finite (the loader refuses loops); the depth bounds it anyway.
                Some(TypeKind::Alias(target)) => depth < 16 && self.is_text(target, depth + 1),
                _ => false,
            },
            TypeRef::Binary | TypeRef::Any | TypeRef::Map(_) => false,
        }
    }

    /// `into_stream`/`into_pages` for list operations, through the runtime's page walker.
    fn pagination(&self, op: &Operation) -> Option<TokenStream> {
        let pagination = op.pagination.as_ref()?;
        let (token, items, param) = (&pagination.response_token, &pagination.items, &pagination.request_token);

        let builder = format_ident!("{}", op.builder_name);
        let page_ty = self.ty(&pagination.page_ty);
        let item_ty = self.ty(&pagination.item_ty);
        let (token_ident, items_ident, param_ident) = (
            format_ident!("{}", token.rust_name),
            format_ident!("{}", items.rust_name),
            format_ident!("{}", param.rust_name),
        );
        let next_token = if token.required && !token.nullable {
            quote!(Some(page.#token_ident.as_str()))
        } else {
            quote!(page.#token_ident.as_deref())
        };
        let into_items = if items.required && !items.nullable {
            quote!(page.#items_ident)
        } else {
            quote!(page.#items_ident.unwrap_or_default())
        };
        Some(quote! {
            impl #builder {
                /// Every item of every page, fetched lazily: a page is requested when the stream
                /// needs its first item.
                pub fn into_stream(self) -> runtime::BoxStream<'static, Result<#item_ty, runtime::Error>> {
                    runtime::items(self)
                }

                /// Every page, fetched lazily, for callers who want page-level data.
                pub fn into_pages(self) -> runtime::BoxStream<'static, Result<#page_ty, runtime::Error>> {
                    runtime::pages(self)
                }
            }

            impl runtime::Paginated for #builder {
                type Page = #page_ty;
                type Item = #item_ty;

                fn with_token(mut self, token: String) -> Self {
                    self.#param_ident = Some(token);
                    self
                }

                fn page(self) -> impl std::future::Future<Output = Result<Self::Page, runtime::Error>> + Send {
                    self.send()
                }

                fn next_token(page: &Self::Page) -> Option<&str> {
                    #next_token
                }

                fn into_items(page: Self::Page) -> Vec<Self::Item> {
                    #into_items
                }
            }
        })
    }

    /// One `runtime::AnswerShape` per variant of the union `ty`: its name, the properties its
    /// schema declares (when it is an object) and how to decode it.
    fn answer_shapes(&self, ty: &TypeRef, enum_ty: &TokenStream) -> Vec<TokenStream> {
        let variants = match ty {
            TypeRef::Named(name) => match self.api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::OneOf(one_of)) => one_of.variants.as_slice(),
                _ => &[],
            },
            _ => &[],
        };
        variants
            .iter()
            .map(|variant| {
                let properties: Vec<&str> = match &variant.ty {
                    TypeRef::Named(name) => match self.api.types.get(name).map(|t| &t.kind) {
                        Some(TypeKind::Struct(s)) => s.fields.iter().map(|f| f.name.as_str()).collect(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let name = &variant.rust_name;
                let ident = format_ident!("{}", name);
                let wrap =
                    if variant.boxed { quote!(|v| #enum_ty::#ident(Box::new(v))) } else { quote!(#enum_ty::#ident) };
                quote! {
                    runtime::AnswerShape {
                        variant: #name,
                        properties: &[#(#properties),*],
                        decode: |body| runtime::try_json(body).map(#wrap),
                    }
                }
            })
            .collect()
    }

    /// `send_<value>()` per value of a selector parameter: the parameter set to that value, and
    /// the answer as the one shape it selects, so the caller matches no other.
    fn typed_sends(&self, op: &Operation, ty: &TypeRef, selector: &Selector) -> Vec<TokenStream> {
        let TypeRef::Named(union) = ty else { return Vec::new() };
        let Some(TypeKind::OneOf(one_of)) = self.api.types.get(union).map(|t| &t.kind) else { return Vec::new() };
        let param = &selector.param;
        let ident = format_ident!("{}", param.rust_name);
        let enum_values = match &param.ty {
            TypeRef::Named(name) => match self.api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::StringEnum(values)) => Some((name, values)),
                _ => None,
            },
            _ => None,
        };
        let union_ty = self.ty(ty);
        let fn_name = &op.fn_name;
        selector
            .mapping
            .iter()
            .filter_map(|(wire, variant)| {
                let shape = one_of.variants.iter().find(|v| &v.rust_name == variant)?;
                let value = match enum_values {
                    Some((name, values)) => {
                        let (name, value) = (format_ident!("{}", name), values.iter().find(|v| &v.value == wire)?);
                        let value = format_ident!("{}", value.rust_name);
                        quote!(types::#name::#value)
                    }
                    None => quote!(#wire.to_owned()),
                };
                let value = if param.required { value } else { quote!(Some(#value)) };
                let method = format_ident!("send_{}", crate::names::field_name(wire));
                let shape_ty = self.ty(&shape.ty);
                let variant = format_ident!("{}", variant);
                let unboxed = if shape.boxed { quote!(*value) } else { quote!(value) };
                let doc = docs::attrs([
                    format!(
                        "Sends with {} set to {}; answers with the shape that selects.",
                        docs::code(&param.name),
                        docs::code(wire)
                    ),
                    "An answer in another shape is [`Error::Protocol`](runtime::Error::Protocol).".to_owned(),
                ]);
                let message = format!("`{fn_name}` asked for the `{wire}` shape and was answered in another");
                Some(quote! {
                    #doc
                    pub async fn #method(mut self) -> Result<#shape_ty, runtime::Error> {
                        self.#ident = #value;
                        match self.send().await? {
                            #union_ty::#variant(value) => Ok(#unboxed),
                            _ => Err(runtime::Error::Protocol(#message.to_owned())),
                        }
                    }
                })
            })
            .collect()
    }

    /// How to get the success value from the response.
    fn decode(&self, op: &Operation) -> TokenStream {
        match &op.success {
            Success::Selected(ty, selector) => {
                let enum_ty = self.ty(ty);
                // `selected` is the parameter's value, taken before the request consumed the builder.
                let value = param_text(&selector.param, quote!(selected));
                let arms = selector.mapping.iter().map(|(wire, variant)| {
                    let ident = format_ident!("{}", variant);
                    quote!(Some(#wire) => response.json_selected(#enum_ty::#ident, #variant, SHAPES),)
                });
                let default = &selector.default;
                let default_ident = format_ident!("{}", default);
                let shapes = self.answer_shapes(ty, &enum_ty);
                quote! {
                    // Every shape the union documents, to fall back on when the answer does not
                    // have the one the caller asked for.
                    const SHAPES: &[runtime::AnswerShape<#enum_ty>] = &[#(#shapes),*];
                    // The answer's shape is the one the caller asked for, so decode that first.
                    match #value {
                        #(#arms)*
                        _ => response.json_selected(#enum_ty::#default_ident, #default, SHAPES),
                    }
                }
            }
            Success::Nothing => quote!(response.empty()),
            Success::Bytes => quote!(response.bytes()),
            Success::Text => quote!(response.text()),
            Success::One(_) | Success::AnyJson => quote!(response.json()),
            Success::Maybe(_) => quote!(response.json_if_any()),
        }
    }
}

/// The type `send` returns for `op`; `types` prefixes named types.
pub(crate) fn output_type(op: &Operation, types: &TokenStream, runtime: &TokenStream) -> TokenStream {
    match &op.success {
        Success::Selected(ty, _) | Success::One(ty) => rust_type(ty, types, runtime),
        Success::Nothing => quote!(()),
        Success::Bytes => quote!(Vec<u8>),
        Success::Text => quote!(String),
        Success::Maybe(ty) => {
            let ty = rust_type(ty, types, runtime);
            quote!(Option<#ty>)
        }
        Success::AnyJson => quote!(serde_json::Value),
    }
}

/// The type a body is taken as: bytes and text as `Vec<u8>` and `String`, others as their type.
pub(crate) fn body_type(body: &Body, types: &TokenStream, runtime: &TokenStream) -> TokenStream {
    match body.kind {
        BodyKind::Raw => quote!(Vec<u8>),
        BodyKind::Text => quote!(String),
        _ => rust_type(&body.ty, types, runtime),
    }
}

/// The wire text of a selector parameter held in `value` (a `String` or a string enum, in an
/// `Option` when the parameter is optional) as an `Option<&str>`.
fn param_text(param: &Param, value: TokenStream) -> TokenStream {
    match (param.required, param.ty == TypeRef::String) {
        (true, _) => quote!(Some(#value.as_str())),
        (false, true) => quote!(#value.as_deref()),
        (false, false) => quote!(#value.as_ref().map(|v| v.as_str())),
    }
}

/// Whether the operation's code names a model from `types`.
fn mentions_named(op: &Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner),
            _ => false,
        }
    }
    op.params.iter().any(|p| named(&p.ty))
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
        || match &op.success {
            Success::Selected(ty, _) | Success::One(ty) | Success::Maybe(ty) => named(ty),
            Success::Nothing | Success::Bytes | Success::Text | Success::AnyJson => false,
        }
}

fn operation_doc(op: &Operation) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(op.summary.clone());
    paragraphs.extend(op.description.clone());
    let mut facts = vec![format!("`{} {}`", op.method.as_str(), op.path), format!("operation `{}`", op.id)];
    if let Some(label) = &op.rate_limit {
        facts.push(format!("rate limit: {label}"));
    }
    if let Some(server) = &op.server {
        facts.push(format!("server: {}", docs::code(server)));
    }
    paragraphs.push(facts.join(" · "));
    if !op.scopes.is_empty() {
        let scopes: Vec<String> = op.scopes.iter().map(|s| docs::code(s)).collect();
        paragraphs.push(format!("Scopes: {}", scopes.join(", ")));
    }
    if op.deprecated {
        paragraphs.push("**Deprecated** by the API description.".into());
    }
    docs::attrs(paragraphs)
}

fn param_doc(param: &Param) -> Vec<String> {
    let mut paragraphs: Vec<String> = param.description.iter().cloned().collect();
    let place = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let mut facts = format!("Sent as {place} parameter {}.", docs::code(&param.name));
    if let Some(default) = &param.default {
        facts.push_str(&format!(" The server's default: {}.", docs::code(default)));
    }
    paragraphs.push(facts);
    paragraphs
}
