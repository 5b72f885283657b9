//! Typed mocks for the tests of code that calls the API: a loopback server (on `wiremock`) and, per
//! operation, a function making the call an expectation matches (its path, query, header
//! parameters and body, each optional) and the typed answer the expectation gives.
//!
//! The generated module is compiled only with the SDK's `mock` feature; everything in it comes
//! from the IR, so any API gets its mocks.

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

/// What comes before the operations: the module's docs, the server, the expectation, the `Call`
/// trait, and the private matching code every call shares.
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
        "Built on [wiremock](https://docs.rs/wiremock); compiled with the crate feature `mock`.".to_owned(),
    ]);
    let use_runtime = super::use_runtime(runtime);
    quote! {
        #module_doc

        use super::operations::Client;
        #use_runtime
        use std::sync::{Arc, Mutex};

        #[doc(no_inline)]
        pub use wiremock::{Request, ResponseTemplate, Times};

        /// A loopback HTTP server that answers as the API, by the expectations mounted on it.
        ///
        /// A call no expectation matches gets a 404 whose message says so, and fails verification.
        /// Verification runs when the server is dropped, or at [`verify`](Self::verify): it panics,
        /// naming each expectation not met and listing every request received.
        pub struct MockServer {
            server: wiremock::MockServer,
            expected: support::Expected,
            unexpected: Arc<Mutex<Vec<String>>>,
        }

        impl std::fmt::Debug for MockServer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("MockServer").field("uri", &self.server.uri()).finish_non_exhaustive()
            }
        }

        impl MockServer {
            /// Starts a server on a free loopback port.
            pub async fn start() -> Self {
                let server = Self {
                    server: wiremock::MockServer::start().await,
                    expected: Arc::default(),
                    unexpected: Arc::default(),
                };
                server.catch_unexpected().await;
                server
            }

            /// The server's base URL, such as `http://127.0.0.1:4372`: the base URL to give the code under test.
            pub fn uri(&self) -> String {
                self.server.uri()
            }

            /// A client builder pointed at this server, with a bearer token and no retries (each call
            /// is one request, so an expectation's count is the number of calls); change anything
            /// before `build`.
            pub fn client_builder(&self) -> runtime::ClientBuilder<Client> {
                Client::builder()
                    .base_url(self.uri())
                    .bearer_token("mock-token")
                    .retry_policy(runtime::RetryPolicy::none())
            }

            /// A client pointed at this server (see [`client_builder`](Self::client_builder)).
            pub fn client(&self) -> Client {
                self.client_builder().build().expect("a client for a loopback URL builds")
            }

            /// An expectation of the calls `call` matches. Give it an answer (`respond`,
            /// `respond_error`, `respond_status` or `respond_with`), optionally how many times it
            /// must be called (at least once otherwise), and `.await` it to mount it.
            pub fn expect<C: Call>(&self, call: C) -> Expectation<'_, C> {
                Expectation { server: self, call, also: Vec::new(), response: None, times: None, name: None }
            }

            /// Panics unless every expectation got the calls it expects and every call matched an
            /// expectation; the message names what failed and lists every request received.
            pub async fn verify(&self) {
                self.server.verify().await
            }

            /// The calls no expectation matched, as `METHOD /path?query`, in the order received.
            pub fn unexpected_calls(&self) -> Vec<String> {
                support::lock(&self.unexpected).clone()
            }

            /// Every request received, matched or not, in the order received.
            pub async fn received_requests(&self) -> Vec<Request> {
                self.server.received_requests().await.unwrap_or_default()
            }

            /// Forgets every expectation and every request received, without verifying them.
            /// Drop the guards of scoped expectations before.
            pub async fn reset(&self) {
                self.server.reset().await;
                support::lock(&self.expected).clear();
                support::lock(&self.unexpected).clear();
                self.catch_unexpected().await;
            }

            /// Answers a call no expectation matches with a 404 saying so, and records it; the
            /// server's verification fails if any came.
            async fn catch_unexpected(&self) {
                let mock = wiremock::Mock::given(support::Unmatched(self.expected.clone()))
                    .respond_with(support::Unexpected(self.unexpected.clone()))
                    .expect(0)
                    .named("calls no expectation matched");
                self.server.register(mock).await
            }
        }

        /// The calls of one operation that an [`Expectation`] matches, and how the operation's
        /// answer is sent. Each operation's function in this module makes one.
        pub trait Call: std::fmt::Debug + Send + Sync + 'static {
            /// What the operation's `send` returns: the answer [`Expectation::respond`] takes.
            type Answer;

            /// The operation and the values matched, for verification messages.
            fn describe(&self) -> String;

            /// Whether `request` is a call of the operation with every value this call was given.
            fn matches(&self, request: &Request) -> bool;

            /// The response from which the operation's `send` decodes `answer`: the success status
            /// the description gives, and the body.
            fn answer(answer: Self::Answer) -> ResponseTemplate;
        }

        /// An expectation being set up: which calls, what to answer, how many times. Mounted on
        /// its server when awaited.
        #[must_use = "an expectation does nothing until it is mounted: `.await` it"]
        pub struct Expectation<'a, C: Call> {
            server: &'a MockServer,
            call: C,
            also: Vec<Box<dyn wiremock::Match>>,
            response: Option<ResponseTemplate>,
            times: Option<Times>,
            name: Option<String>,
        }

        impl<C: Call> std::fmt::Debug for Expectation<'_, C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Expectation")
                    .field("call", &self.call)
                    .field("matchers", &self.also.len())
                    .field("response", &self.response)
                    .field("name", &self.name)
                    .finish_non_exhaustive()
            }
        }

        impl<'a, C: Call> Expectation<'a, C> {
            /// Only calls whose JSON body has these fields with these values, and maybe others:
            /// `serde_json::json!({"type": 1})`, or a typed body whose unset optional fields are
            /// left out.
            pub fn body_includes(self, fields: impl serde::Serialize) -> Self {
                self.matching(wiremock::matchers::body_partial_json(fields))
            }

            /// Only calls `matcher` matches too (any `wiremock` matcher, such as
            /// `wiremock::matchers::header("x-request-id", "42")`).
            pub fn matching(mut self, matcher: impl wiremock::Match + 'static) -> Self {
                self.also.push(Box::new(matcher));
                self
            }

            /// Answers with `answer`, as the API would: the call returns it.
            pub fn respond(mut self, answer: C::Answer) -> Self {
                self.response = Some(C::answer(answer));
                self
            }

            /// Answers `status` with `body` as JSON: the call fails with the API's error of that
            /// status, whose code, message and field errors the client reads from the body's
            /// `code`, `message` and `errors`.
            pub fn respond_error(mut self, status: u16, body: impl serde::Serialize) -> Self {
                self.response = Some(ResponseTemplate::new(status).set_body_json(body));
                self
            }

            /// Answers `status` without a body.
            pub fn respond_status(mut self, status: u16) -> Self {
                self.response = Some(ResponseTemplate::new(status));
                self
            }

            /// Answers with `response` as it is: any status, headers (such as `Retry-After`),
            /// body or delay.
            pub fn respond_with(mut self, response: ResponseTemplate) -> Self {
                self.response = Some(response);
                self
            }

            /// How many calls the expectation must get: `1`, `0` (never called), `2..=3`, `1..`...
            /// Without it, at least one.
            pub fn times(mut self, times: impl Into<Times>) -> Self {
                self.times = Some(times.into());
                self
            }

            /// Names the expectation in verification messages, instead of its operation and values.
            pub fn named(mut self, name: impl Into<String>) -> Self {
                self.name = Some(name.into());
                self
            }

            /// Mounts the expectation for as long as the server runs (awaiting it does the same).
            ///
            /// Panics when no answer was given.
            pub async fn mount(self) {
                let (server, (mock, _)) = (self.server, self.into_mock());
                server.server.register(mock).await
            }

            /// Mounts the expectation until the guard is dropped, which verifies it (panicking when
            /// it was not met) and removes it.
            ///
            /// Panics when no answer was given.
            pub async fn mount_as_scoped(self) -> ExpectationGuard {
                let (server, (mock, matcher)) = (self.server, self.into_mock());
                let guard = server.server.register_as_scoped(mock).await;
                ExpectationGuard { guard: Some(guard), expected: server.expected.clone(), matcher }
            }

            fn into_mock(self) -> (wiremock::Mock, Arc<dyn wiremock::Match>) {
                let name = self.name.unwrap_or_else(|| self.call.describe());
                let Some(response) = self.response else {
                    panic!("the expectation `{name}` has no answer: give it one with `respond`, `respond_error`, `respond_status` or `respond_with`")
                };
                let matcher: Arc<dyn wiremock::Match> = Arc::new(support::Matching { call: self.call, also: self.also });
                support::lock(&self.server.expected).push(matcher.clone());
                let mock = wiremock::Mock::given(support::Shared(matcher.clone()))
                    .respond_with(response)
                    .expect(self.times.unwrap_or_else(|| Times::from(1..)))
                    .named(name);
                (mock, matcher)
            }
        }

        /// An expectation mounted until this guard is dropped; dropping it verifies the expectation
        /// (panicking when it was not met) and removes it.
        #[must_use = "the expectation is removed when its guard is dropped"]
        pub struct ExpectationGuard {
            guard: Option<wiremock::MockGuard>,
            expected: support::Expected,
            matcher: Arc<dyn wiremock::Match>,
        }

        impl std::fmt::Debug for ExpectationGuard {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("ExpectationGuard").finish_non_exhaustive()
            }
        }

        impl ExpectationGuard {
            /// The requests this expectation matched, in the order received.
            pub async fn received_requests(&self) -> Vec<Request> {
                match &self.guard {
                    Some(guard) => guard.received_requests().await,
                    None => Vec::new(),
                }
            }
        }

        impl Drop for ExpectationGuard {
            fn drop(&mut self) {
                let guard = self.guard.take();
                support::lock(&self.expected).retain(|matcher| !Arc::ptr_eq(matcher, &self.matcher));
                drop(guard);
            }
        }

        impl<'a, C: Call> std::future::IntoFuture for Expectation<'a, C> {
            type Output = ();
            type IntoFuture = runtime::BoxFuture<'a, ()>;

            /// Awaiting an expectation mounts it.
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.mount())
            }
        }

        /// How requests are matched and answers made, shared by every operation's call. Not every
        /// API uses every part (header parameters, form bodies...).
        #[allow(dead_code)]
        mod support {
            use super::{Call, Request, ResponseTemplate};
            use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

            /// What a call was given to match: the operation, then each value set.
            #[derive(Debug, Clone)]
            pub struct Matcher {
                operation: &'static str,
                method: &'static str,
                path: &'static str,
                path_params: Vec<(&'static str, String)>,
                query: Vec<(&'static str, Vec<String>)>,
                headers: Vec<(&'static str, Vec<String>)>,
                body: Option<Body>,
            }

            #[derive(Debug, Clone)]
            enum Body {
                Json(serde_json::Value),
                /// Name-value pairs, sorted.
                Form(Vec<(String, String)>),
            }

            impl Matcher {
                pub fn new(operation: &'static str, method: &'static str, path: &'static str) -> Self {
                    Self { operation, method, path, path_params: Vec::new(), query: Vec::new(), headers: Vec::new(), body: None }
                }

                pub fn path(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
                    let text = texts(value).into_iter().next().unwrap_or_default();
                    self.path_params.retain(|(n, _)| *n != name);
                    self.path_params.push((name, text));
                    self
                }

                pub fn query(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
                    self.query.retain(|(n, _)| *n != name);
                    self.query.push((name, texts(value)));
                    self
                }

                pub fn header(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
                    self.headers.retain(|(n, _)| *n != name);
                    self.headers.push((name, texts(value)));
                    self
                }

                pub fn json(mut self, body: &impl serde::Serialize) -> Self {
                    self.body = Some(Body::Json(serde_json::to_value(body).expect("a request body is JSON")));
                    self
                }

                pub fn form(mut self, body: &impl serde::Serialize) -> Self {
                    let mut pairs = Vec::new();
                    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(body) {
                        for (name, value) in &fields {
                            pairs.extend(texts(value).into_iter().map(|text| (name.clone(), text)));
                        }
                    }
                    pairs.sort();
                    self.body = Some(Body::Form(pairs));
                    self
                }

                pub fn describe(&self) -> String {
                    let mut text = format!("{} ({} {})", self.operation, self.method, self.path);
                    let values: Vec<String> = self
                        .path_params
                        .iter()
                        .map(|(name, value)| format!("{name} = {value:?}"))
                        .chain(self.query.iter().chain(&self.headers).map(|(name, values)| format!("{name} = {values:?}")))
                        .chain(self.body.as_ref().map(|_| "body".to_owned()))
                        .collect();
                    if !values.is_empty() {
                        text.push_str(" with ");
                        text.push_str(&values.join(", "));
                    }
                    text
                }

                pub fn matches(&self, request: &Request) -> bool {
                    request.method.as_str() == self.method
                        && path_matches(self.path, request.url.path(), &self.path_params)
                        && self.query.iter().all(|(name, values)| {
                            let sent: Vec<String> =
                                request.url.query_pairs().filter(|(n, _)| n == name).map(|(_, v)| v.into_owned()).collect();
                            sent == *values
                        })
                        && self.headers.iter().all(|(name, values)| {
                            let sent: Vec<String> = request
                                .headers
                                .get_all(*name)
                                .iter()
                                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                                .collect();
                            sent == *values
                        })
                        && match &self.body {
                            None => true,
                            Some(Body::Json(expected)) => {
                                serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|sent| sent == *expected)
                            }
                            Some(Body::Form(expected)) => form_pairs(&request.body).as_ref() == Some(expected),
                        }
                }
            }

            /// A value as the client sends it in a parameter: text, one per item of a list.
            fn texts(value: &impl serde::Serialize) -> Vec<String> {
                fn one(value: serde_json::Value) -> Option<String> {
                    match value {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(text) => Some(text),
                        other => Some(other.to_string()),
                    }
                }
                match serde_json::to_value(value) {
                    Ok(serde_json::Value::Array(items)) => items.into_iter().filter_map(one).collect(),
                    Ok(other) => one(other).into_iter().collect(),
                    Err(_) => Vec::new(),
                }
            }

            /// Whether `path` fills `template` (each `{name}` a non-empty part of one segment) with
            /// the values `expected` gives, compared decoded, as the client encodes each one.
            fn path_matches(template: &str, path: &str, expected: &[(&str, String)]) -> bool {
                let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
                let mut found = Vec::new();
                template.len() == path.len()
                    && template.iter().zip(&path).all(|(template, part)| segment(template, part, &mut found))
                    && expected.iter().all(|(name, value)| {
                        found.iter().filter(|(n, _)| n == name).all(|(_, raw)| decode(raw).as_deref() == Some(value.as_str()))
                    })
            }

            fn segment<'t, 'p>(template: &'t str, part: &'p str, found: &mut Vec<(&'t str, &'p str)>) -> bool {
                let Some(open) = template.find('{') else { return template == part };
                let Some(close) = template[open..].find('}').map(|at| open + at) else { return template == part };
                let Some(rest) = part.strip_prefix(&template[..open]) else { return false };
                let (name, after) = (&template[open + 1..close], &template[close + 1..]);
                let kept = found.len();
                for end in (1..=rest.len()).rev().filter(|&end| rest.is_char_boundary(end)) {
                    found.push((name, &rest[..end]));
                    if segment(after, &rest[end..], found) {
                        return true;
                    }
                    found.truncate(kept);
                }
                false
            }

            /// Percent-decoded text; `None` when the bytes are not UTF-8.
            fn decode(text: &str) -> Option<String> {
                let bytes = text.as_bytes();
                let mut out = Vec::with_capacity(bytes.len());
                let mut at = 0;
                while at < bytes.len() {
                    let escaped = (bytes[at] == b'%')
                        .then(|| text.get(at + 1..at + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()))
                        .flatten();
                    match escaped {
                        Some(byte) => {
                            out.push(byte);
                            at += 3;
                        }
                        None => {
                            out.push(bytes[at]);
                            at += 1;
                        }
                    }
                }
                String::from_utf8(out).ok()
            }

            /// A form body's name-value pairs, sorted.
            fn form_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
                let text = std::str::from_utf8(body).ok()?;
                let mut pairs = Vec::new();
                for pair in text.split('&').filter(|pair| !pair.is_empty()) {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    pairs.push((decode(&name.replace('+', " "))?, decode(&value.replace('+', " "))?));
                }
                pairs.sort();
                Some(pairs)
            }

            /// What the mounted expectations match, for telling the calls none matches.
            pub type Expected = Arc<Mutex<Vec<Arc<dyn wiremock::Match>>>>;

            /// What one expectation matches: its operation's call and the caller's own matchers.
            pub struct Matching<C> {
                pub call: C,
                pub also: Vec<Box<dyn wiremock::Match>>,
            }

            impl<C: Call> wiremock::Match for Matching<C> {
                fn matches(&self, request: &Request) -> bool {
                    self.call.matches(request) && self.also.iter().all(|matcher| matcher.matches(request))
                }
            }

            pub struct Shared(pub Arc<dyn wiremock::Match>);

            impl wiremock::Match for Shared {
                fn matches(&self, request: &Request) -> bool {
                    self.0.matches(request)
                }
            }

            /// Calls no mounted expectation matches. (All mocks have one priority: `wiremock`
            /// finds a scoped mock by its place, which a mock of another priority would change.)
            pub struct Unmatched(pub Expected);

            impl wiremock::Match for Unmatched {
                fn matches(&self, request: &Request) -> bool {
                    let expected = lock(&self.0).clone();
                    !expected.iter().any(|matcher| matcher.matches(request))
                }
            }

            pub fn json_answer(status: u16, answer: &impl serde::Serialize) -> ResponseTemplate {
                ResponseTemplate::new(status).set_body_json(answer)
            }

            pub fn empty_answer(status: u16, (): ()) -> ResponseTemplate {
                ResponseTemplate::new(status)
            }

            pub fn bytes_answer(status: u16, answer: Vec<u8>) -> ResponseTemplate {
                ResponseTemplate::new(status).set_body_raw(answer, "application/octet-stream")
            }

            pub fn maybe_answer<T: serde::Serialize>(status: u16, empty: u16, answer: Option<T>) -> ResponseTemplate {
                match answer {
                    Some(answer) => json_answer(status, &answer),
                    None => ResponseTemplate::new(empty),
                }
            }

            pub fn lock<T>(value: &Mutex<T>) -> MutexGuard<'_, T> {
                value.lock().unwrap_or_else(PoisonError::into_inner)
            }

            /// Answers a call with a 404 saying no expectation matches it, and records it.
            pub struct Unexpected(pub Arc<Mutex<Vec<String>>>);

            impl wiremock::Respond for Unexpected {
                fn respond(&self, request: &Request) -> ResponseTemplate {
                    let call = match request.url.query() {
                        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
                        None => format!("{} {}", request.method, request.url.path()),
                    };
                    let message = format!("no expectation of the mock server matches {call}");
                    lock(&self.0).push(call);
                    ResponseTemplate::new(404).set_body_json(serde_json::json!({ "message": message }))
                }
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
            matcher: support::Matcher,
        }

        #fn_doc
        pub fn #function() -> #call {
            #call { matcher: support::Matcher::new(#fn_name, #method, #path) }
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
            quote!(support::json_answer(#body_status, &answer))
        }
        Success::Nothing => quote!(support::empty_answer(#empty_status, answer)),
        Success::Bytes => quote!(support::bytes_answer(#body_status, answer)),
        Success::Text => quote!(support::bytes_answer(#body_status, answer.into_bytes())),
        Success::Maybe(_) => quote!(support::maybe_answer(#body_status, #empty_status, answer)),
    }
}
