//! The client and its operations: one method per operation taking the required parameters, returning
//! a request builder with a setter per optional parameter and an async `send`.

use super::{docs, rust_type, Piece};
use crate::ir::{Api, Body, BodyKind, Operation, Param, ParamLocation, Response, Selector, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(api: &Api, runtime: &TokenStream, piece: Piece) -> TokenStream {
    let ctx = Ctx { api, runtime };
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
}

/// What a builder holds: parameters, then the body.
struct Slot<'a> {
    ident: syn::Ident,
    ty: TokenStream,
    required: bool,
    /// Taken as `impl Into<String>`.
    stringy: bool,
    param: Option<&'a Param>,
}

impl Ctx<'_> {
    /// What comes before the builders: the module's docs and `use`s, and the client with one
    /// method per operation.
    fn client(&self) -> TokenStream {
        let (api, runtime) = (self.api, self.runtime);
        let base_url = api.base_url.clone().unwrap_or_default();
        let client_doc = docs::attrs([
            format!("Client for {}. Build one with [`Client::builder`].", api.title),
            api.description.clone().unwrap_or_default(),
        ]);
        let methods = api.operations.iter().map(|op| self.method(op));
        let uses_types = api.operations.iter().any(mentions_named).then(|| {
            quote!(
                use super::types;
            )
        });
        quote! {
            //! The client and one request builder per operation.

            #uses_types
            use #runtime;

            #client_doc
            #[derive(Debug, Clone)]
            pub struct Client {
                runtime: runtime::Runtime,
            }

            impl Client {
                /// Base URL of the API, from the description's first server.
                pub const DEFAULT_BASE_URL: &'static str = #base_url;

                /// Starts configuring a client: base URL, credentials, timeouts, retries.
                pub fn builder() -> runtime::ClientBuilder<Self> {
                    runtime::ClientBuilder::new(Self::DEFAULT_BASE_URL)
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
        }
    }

    fn ty(&self, ty: &TypeRef) -> TokenStream {
        rust_type(ty, &quote!(types::), self.runtime)
    }

    fn slots<'o>(&self, op: &'o Operation) -> Vec<Slot<'o>> {
        let mut slots: Vec<Slot<'o>> = op
            .params
            .iter()
            .map(|p| Slot {
                ident: format_ident!("{}", p.rust_name),
                ty: self.ty(&p.ty),
                required: p.required,
                stringy: p.ty == TypeRef::String,
                param: Some(p),
            })
            .collect();
        if let Some(body) = &op.body {
            slots.push(Slot {
                ident: format_ident!("body"),
                ty: self.ty(&body.ty),
                required: body.required,
                stringy: false,
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
            if s.stringy {
                quote!(#ident: impl Into<String>)
            } else {
                quote!(#ident: #ty)
            }
        });
        let inits = slots.iter().map(|s| {
            let ident = &s.ident;
            match (s.required, s.stringy) {
                (true, true) => quote!(#ident: #ident.into()),
                (true, false) => quote!(#ident),
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
            let (arg, value) =
                if s.stringy { (quote!(impl Into<String>), quote!(value.into())) } else { (ty.clone(), quote!(value)) };
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
            if let Some((body, selector)) = body_selector.filter(|(_, selector)| selector.param == p.name) {
                return self.selecting_query(p, ident, body, selector);
            }
            let call = match p.location {
                ParamLocation::Path => quote!(path_param),
                ParamLocation::Query => quote!(query),
                ParamLocation::Header => quote!(header),
            };
            quote!(.#call(#wire, &self.#ident))
        });
        let body = op.body.as_ref().map(|b| self.body(b));
        let output = output_type(op, &quote!(types::), self.runtime);
        let decode = self.decode(op);
        let selected = match success_shape(op) {
            Success::Selected(_, selector) => {
                let param = op.params.iter().find(|p| p.name == selector.param).expect("checked while loading");
                let ident = format_ident!("{}", param.rust_name);
                Some(quote!(let selected = self.#ident.clone();))
            }
            _ => None,
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

            /// Sends the request and returns the answer undecoded, whatever its status (an error
            /// answer too, once retries are used up): status, headers (such as `x-zm-trackingid`
            /// and the rate-limit headers) and the whole body.
            pub async fn send_raw(self) -> Result<runtime::Response, runtime::Error> {
                let request = runtime::Request::new(Self::OPERATION) #(#params)* #body .options(self.options);
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
        match body.kind {
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
                    _ => quote!(.text(#wire, &body.#ident)),
                }
            })
            .collect()
    }

    /// `into_stream`/`into_pages` for list operations, through the runtime's page walker.
    fn pagination(&self, op: &Operation) -> Option<TokenStream> {
        let pagination = op.pagination.as_ref()?;
        let Success::One(page_ty) = success_shape(op) else { return None };
        let TypeRef::Named(page_name) = page_ty else { return None };
        let Some(TypeKind::Struct(page)) = self.api.types.get(page_name).map(|t| &t.kind) else { return None };
        let field = |name: &str| page.fields.iter().find(|f| f.rust_name == name);
        let (token, items) = (field(&pagination.response_token)?, field(&pagination.items)?);
        let param = op.params.iter().find(|p| p.name == pagination.request_token)?;

        let builder = format_ident!("{}", op.builder_name);
        let page_ty = self.ty(page_ty);
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

    /// How to get the success value from the response.
    fn decode(&self, op: &Operation) -> TokenStream {
        match success_shape(op) {
            Success::Selected(ty, selector) => {
                let enum_ty = self.ty(ty);
                let param = op.params.iter().find(|p| p.name == selector.param).expect("checked while loading");
                // `selected` is the parameter's value, taken before the request consumed the builder.
                let value = param_text(param, quote!(selected));
                let arms = selector.mapping.iter().map(|(wire, variant)| {
                    let variant = format_ident!("{}", variant);
                    quote!(Some(#wire) => response.json().map(#enum_ty::#variant),)
                });
                let default = format_ident!("{}", selector.default);
                quote! {
                    // The body's shape is the one the caller asked for, so decode exactly that.
                    match #value {
                        #(#arms)*
                        _ => response.json().map(#enum_ty::#default),
                    }
                }
            }
            Success::Nothing => quote!(response.empty()),
            Success::Bytes => quote!(response.bytes()),
            Success::One(_) | Success::AnyJson => quote!(response.json()),
            Success::Maybe(_) => quote!(response.json_if_any()),
        }
    }
}

/// The type `send` returns for `op`; `types` prefixes named types.
pub(crate) fn output_type(op: &Operation, types: &TokenStream, runtime: &TokenStream) -> TokenStream {
    match success_shape(op) {
        Success::Selected(ty, _) | Success::One(ty) => rust_type(ty, types, runtime),
        Success::Nothing => quote!(()),
        Success::Bytes => quote!(Vec<u8>),
        Success::Maybe(ty) => {
            let ty = rust_type(ty, types, runtime);
            quote!(Option<#ty>)
        }
        Success::AnyJson => quote!(serde_json::Value),
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

/// What a successful call returns.
enum Success<'a> {
    /// A union whose variant the named request parameter selects.
    Selected(&'a TypeRef, &'a Selector),
    Nothing,
    Bytes,
    One(&'a TypeRef),
    /// A body on some success statuses, none on others.
    Maybe(&'a TypeRef),
    /// Several success shapes: the JSON is handed back rather than one shape guessed.
    AnyJson,
}

fn success_shape(op: &Operation) -> Success<'_> {
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.is_success()).collect();
    if let Some((ty, selector)) = successes.iter().find_map(|r| Some((r.ty.as_ref()?, r.selector.as_ref()?))) {
        return Success::Selected(ty, selector);
    }
    let mut bodies: Vec<&TypeRef> = successes.iter().filter_map(|r| r.ty.as_ref()).collect();
    bodies.dedup();
    let empty_allowed = successes.iter().any(|r| r.ty.is_none());
    match (bodies.as_slice(), empty_allowed) {
        ([], _) => Success::Nothing,
        ([TypeRef::Binary], _) => Success::Bytes,
        ([ty], false) => Success::One(ty),
        ([ty], true) => Success::Maybe(ty),
        _ => Success::AnyJson,
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
        || match success_shape(op) {
            Success::Selected(ty, _) | Success::One(ty) | Success::Maybe(ty) => named(ty),
            Success::Nothing | Success::Bytes | Success::AnyJson => false,
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
