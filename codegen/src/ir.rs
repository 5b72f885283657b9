//! The one model every loader produces and the emitter consumes.
//!
//! Names here are already Rust names (decided once, in `load`), so the emitter never has to resolve
//! collisions or keywords. Every item keeps the spec location it came from, for messages and docs.

use std::collections::BTreeMap;

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// First server URL of the description, the client's default base URL.
    pub base_url: Option<String>,
    pub operations: Vec<Operation>,
    /// Every named type, keyed by its Rust name (ordered, so output is deterministic).
    pub types: BTreeMap<String, TypeDef>,
    /// Warnings collected while loading: a construct understood only partly.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
    /// The event notifications the API sends, when the description lists any.
    pub webhooks: Option<Webhooks>,
    /// What the API does beyond its operations, which the runtime is told.
    pub profile: Profile,
}

/// An API's conventions beyond its operations (the runtime's `Profile`), from its security
/// schemes and vendor extensions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// The OAuth 2 client-credentials token endpoint.
    pub token_url: Option<String>,
    /// The `grant_type` token requests send, when not `client_credentials`.
    pub grant_type: Option<String>,
    /// Error codes of a 401 that mean the access token is invalid or expired.
    pub invalid_token_codes: Vec<i64>,
    /// The answer header carrying the server's id for a request.
    pub request_id_header: Option<String>,
    /// The fields of the API's JSON error body, by role: `code`, `message`, `errors`.
    pub error_fields: Vec<(String, String)>,
    /// The answer headers describing a rate limit, by role: `category`, `type`, `limit`,
    /// `remaining` (lower case).
    pub rate_limit_headers: Vec<(String, String)>,
    /// The account tiers whose rate limits the client can pace to, in document order.
    pub rate_plans: Vec<RatePlan>,
}

/// One account tier's rate limits.
#[derive(Debug, Clone, PartialEq)]
pub struct RatePlan {
    /// Rust name of its variant.
    pub variant: String,
    pub description: Option<String>,
    /// Rate-limit label -> shortest spacing between two requests, in nanoseconds.
    pub intervals: Vec<(String, u64)>,
}

/// The events an API sends to its subscribers, and how a body names its event.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// Rust name of the enum over every event.
    pub enum_name: String,
    /// Wire name of the body property whose value is the event's name (e.g. `event`).
    pub tag: String,
    /// In document order.
    pub events: Vec<Webhook>,
    /// How the API signs its notifications, when the description says.
    pub signature: Option<WebhookSignature>,
}

/// The runtime's `WebhookScheme`: an HMAC-SHA256 of `{version}:{timestamp}:{body}`.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookSignature {
    /// Lower case.
    pub signature_header: String,
    /// Lower case.
    pub timestamp_header: String,
    pub version: String,
    /// The event asking the endpoint to prove it holds the secret.
    pub validation_event: Option<String>,
}

/// One event notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// The event's name as its body carries it in the tag property, e.g. `user.created`.
    pub name: String,
    /// Rust name of its variant in the event enum.
    pub variant: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Type of the whole body.
    pub ty: TypeRef,
    /// Where the webhook is in its description, e.g. `#/x-webhooks/user.created/post`.
    pub pointer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Every method with its name, the one list both directions read.
    const NAMES: [(Method, &'static str); 8] = [
        (Method::Get, "GET"),
        (Method::Put, "PUT"),
        (Method::Post, "POST"),
        (Method::Delete, "DELETE"),
        (Method::Options, "OPTIONS"),
        (Method::Head, "HEAD"),
        (Method::Patch, "PATCH"),
        (Method::Trace, "TRACE"),
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES.iter().find(|(method, _)| *method == self).map_or("GET", |(_, name)| name)
    }

    /// The method named `name`, in any case; `None` for a name HTTP descriptions do not use.
    pub fn parse(name: &str) -> Option<Method> {
        Self::NAMES.iter().find(|(_, known)| known.eq_ignore_ascii_case(name)).map(|(method, _)| *method)
    }

    /// The names, for a message listing them.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::NAMES.iter().map(|(_, name)| *name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operation's id in the description (`operationId`, or one derived from method and path).
    pub id: String,
    /// Rust function name (snake case).
    pub fn_name: String,
    /// Rust name of the request builder type (upper camel case).
    pub builder_name: String,
    pub method: Method,
    /// Path template as written in the description, e.g. `/users/{userId}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The groups the description puts it in (OpenAPI `tags`, a Postman collection's top folder).
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// What a successful call returns, decided from `responses` when loading.
    pub success: Success,
    /// OAuth scopes that allow the call (docs only).
    pub scopes: Vec<String>,
    /// Rate-limit label, lower case (`light`, `medium`, `heavy`, `resource-intensive`).
    pub rate_limit: Option<String>,
    pub pagination: Option<Pagination>,
    /// The operation's own server (`servers` on the operation or its path item), its variables
    /// replaced by their defaults, when it differs from the API's: absolute, or relative to the
    /// client's base URL.
    pub server: Option<String>,
    /// Its request or answer bodies may hold a credential (a type with a secret field), so the
    /// runtime never shows them in errors, `Debug` output or logs. Set after loading, from the types.
    pub sensitive: bool,
    /// Where the operation is in its description, e.g. `#/paths/~1users/get`.
    pub pointer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub name: String,
    /// Rust identifier (snake case, keywords escaped).
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Default value as JSON text, for docs.
    pub default: Option<String>,
    /// How the value is written (OpenAPI `style`), decided by the loader for the location.
    pub style: ParamStyle,
    /// OpenAPI `explode`: a list or object as several values rather than one.
    pub explode: bool,
}

/// OpenAPI's parameter styles (the runtime's `Style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
    /// A `content: application/json` parameter: the value's JSON text.
    Json,
}

impl ParamStyle {
    /// The style OpenAPI gives a parameter in `location` without `style`.
    pub fn default_for(location: ParamLocation) -> Self {
        match location {
            ParamLocation::Query => ParamStyle::Form,
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ParamStyle::Form => "Form",
            ParamStyle::SpaceDelimited => "SpaceDelimited",
            ParamStyle::PipeDelimited => "PipeDelimited",
            ParamStyle::DeepObject => "DeepObject",
            ParamStyle::Simple => "Simple",
            ParamStyle::Label => "Label",
            ParamStyle::Matrix => "Matrix",
            ParamStyle::Json => "Json",
        }
    }
}

impl Param {
    /// Written as OpenAPI writes a parameter without `style` and `explode` (the runtime's plain
    /// `query`, `path_param` and `header`).
    pub fn has_default_style(&self) -> bool {
        self.style == ParamStyle::default_for(self.location) && self.explode == (self.style == ParamStyle::Form)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Multipart,
    FormUrlEncoded,
    /// Bytes sent as they are (`application/octet-stream`, `image/png`...): `Vec<u8>`.
    Raw,
    /// Text sent as it is (`text/plain`, `text/csv`...): `String`.
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub kind: BodyKind,
    /// The media type it is sent as (for `Raw` and `Text`, its `Content-Type`).
    pub media_type: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    /// What a multipart body's file parts accept, checked before sending.
    pub file_rules: Vec<FileRule>,
    /// When a query parameter names the body's shape: the parameter and, per value, the shape.
    pub selector: Option<Selector>,
}

/// Limits of one file part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRule {
    /// Wire name of the part.
    pub part: String,
    /// Accepted media types (empty: any).
    pub media_types: Vec<String>,
    /// Largest accepted size in bytes.
    pub max_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `2XX` or `default`.
    pub status: String,
    pub description: Option<String>,
    /// `None` when the response has no body.
    pub ty: Option<TypeRef>,
    /// An answer of bytes (`ty` is `Binary`) that is text (`text/*`), given as a `String`.
    pub text: bool,
    /// When the body's type depends on a request parameter: the parameter and, per value, the type.
    pub selector: Option<Selector>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// A union whose variant the named request parameter selects.
    Selected(TypeRef, Selector),
    /// No body.
    Nothing,
    Bytes,
    /// Bytes that are text (`text/*`).
    Text,
    One(TypeRef),
    /// A body on some success statuses, none on others.
    Maybe(TypeRef),
    /// Several success shapes: the JSON is handed back rather than one shape guessed.
    AnyJson,
}

/// Ties a union's variant to the value of a query parameter (`x-select-by`): a response is decoded
/// as the variant the caller's value selects, and a request body's variant sets the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// The query parameter that picks the shape (a string or a string enum), as the operation has it.
    pub param: Param,
    /// Parameter value -> Rust variant name of the response enum.
    pub mapping: Vec<(String, String)>,
    /// Variant used when the parameter is absent or has another value.
    pub default: String,
}

/// How to walk every page of a list operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The query parameter carrying the token (a string).
    pub request_token: Param,
    /// The type of one page: the operation's success answer.
    pub page_ty: TypeRef,
    /// The page's field carrying the next token (a string).
    pub response_token: Field,
    /// The page's field holding the items (an array).
    pub items: Field,
    /// Rust type of one item.
    pub item_ty: TypeRef,
}

/// A reference to a type: a primitive, a container, or a named [`TypeDef`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    /// Signed integer of the given width (32 or 64).
    Integer(u8),
    Number,
    Boolean,
    /// A `date-time` string: the runtime's date-time, which keeps text that is not one.
    DateTime,
    /// A file part of a multipart body.
    Binary,
    /// Any JSON value.
    Any,
    Array(Box<TypeRef>),
    /// A JSON object with free keys.
    Map(Box<TypeRef>),
    Named(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// Where the schema is in its description.
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    StringEnum(Vec<EnumValue<String>>),
    IntEnum(Vec<EnumValue<i64>>),
    /// One of several shapes, told apart by shape (untagged), by a tag field, or by a request value.
    OneOf(OneOf),
    /// A named alias of another type (`type X = Vec<Y>`).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Type of properties not listed, kept in a map, when the schema allows them.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Must be boxed to give a recursive type a finite size.
    pub boxed: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// Hidden from `Debug` output (passwords, tokens).
    pub secret: bool,
    pub default: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue<T> {
    pub value: T,
    pub rust_name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    pub variants: Vec<Variant>,
    /// Property whose value names the variant (`discriminator.propertyName`).
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Tag value for tagged unions.
    pub tag_value: Option<String>,
    pub description: Option<String>,
    /// Must be boxed to give a recursive type a finite size.
    pub boxed: bool,
}

impl Api {
    /// Counts for the summary line.
    pub fn counts(&self) -> (usize, usize) {
        (self.operations.len(), self.types.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Method;

    #[test]
    fn methods_parse_from_their_names_in_any_case_and_nothing_else() {
        for name in Method::names() {
            let method = Method::parse(name).expect("a name parses");
            assert_eq!(method.as_str(), name);
            assert_eq!(Method::parse(&name.to_ascii_lowercase()), Some(method));
        }
        for unknown in ["", "CONNECT", "PROPFIND", "GETS", "get "] {
            assert_eq!(Method::parse(unknown), None, "{unknown:?}");
        }
    }
}
