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
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
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
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// OAuth scopes that allow the call (docs only).
    pub scopes: Vec<String>,
    /// Rate-limit label, lower case (`light`, `medium`, `heavy`, `resource-intensive`).
    pub rate_limit: Option<String>,
    pub pagination: Option<Pagination>,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Multipart,
    FormUrlEncoded,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub kind: BodyKind,
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
    /// When the body's type depends on a request parameter: the parameter and, per value, the type.
    pub selector: Option<Selector>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }
}

/// Ties a union's variant to the value of a query parameter (`x-select-by`): a response is decoded
/// as the variant the caller's value selects, and a request body's variant sets the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// Wire name of the query parameter that picks the shape.
    pub param: String,
    /// Parameter value -> Rust variant name of the response enum.
    pub mapping: Vec<(String, String)>,
    /// Variant used when the parameter is absent or has another value.
    pub default: String,
}

/// How to walk every page of a list operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Wire name of the query parameter carrying the token.
    pub request_token: String,
    /// Rust field name of the token in the response.
    pub response_token: String,
    /// Rust field name of the items in the response.
    pub items: String,
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
