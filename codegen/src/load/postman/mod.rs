//! Postman collection (v2.1, and v2.0) -> IR, or a single request item exported from one.
//!
//! A collection says what requests look like, not what types are, so types are inferred
//! (in `infer.rs`): parameters from their example values and the markers converters write into
//! descriptions (`(Required)`, `(This can only be one of a,b,c)`), bodies and answers from the
//! example bodies of the request and its saved responses. Folders group requests: they qualify
//! operation ids, and names that clash across folders. Errors are collected, not stopped at, so
//! one run reports every problem of a collection.

mod infer;
mod request;
mod text;
mod url;
mod variables;

use super::Format;
use crate::diagnostics::{join, Diagnostic, Error, Severity};
use crate::ir::Api;
use crate::names::{self, Scope};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use variables::Variables;

/// How deep folders may nest. Real collections stay within a handful of levels; a chain deeper
/// than this is a generated loop (a folder inside itself, unrolled), refused before it costs time.
const MAX_FOLDER_DEPTH: usize = 32;

/// Whether `object` is a Postman collection or item; an error for a Postman format this loader
/// does not read.
pub(super) fn detect(object: &Map<String, Value>) -> Result<Option<Format>, Diagnostic> {
    let schema = object.get("info").and_then(|info| info.get("schema")).and_then(Value::as_str);
    if let Some(schema) = schema.filter(|s| s.contains("getpostman.com") || s.contains("/collection/")) {
        if schema.contains("/v2.") {
            return Ok(Some(Format::Postman));
        }
        if schema.contains("/v1.") {
            return Err(v1_error("#/info/schema"));
        }
        return Err(Diagnostic::error(
            "#/info/schema",
            format!("`{schema}` is not a Postman collection version this generator reads (v2.1 or v2.0)"),
        ));
    }
    if object.get("requests").is_some_and(Value::is_array) && !object.contains_key("item") {
        return Err(v1_error("#/requests"));
    }
    let has_items = object.get("item").is_some_and(Value::is_array);
    let is_item = object.contains_key("request") && !object.contains_key("openapi");
    Ok((has_items || is_item).then_some(Format::Postman))
}

fn v1_error(pointer: &str) -> Diagnostic {
    Diagnostic::error(
        pointer,
        "this is a Postman collection v1 (`requests` and `order`), which is not supported; export the \
         collection again from Postman as \"Collection v2.1\" and generate from that file",
    )
}

/// Lowers a parsed Postman collection (or one exported item) into the IR.
pub fn load(document: Value) -> Result<Api, Error> {
    Loader::new(&document).run()
}

/// Auth as declared at one level (collection, folder, request), with where.
#[derive(Debug, Clone)]
pub(super) struct Auth<'a> {
    value: &'a Value,
    at: String,
}

/// A request item found in the tree.
struct Found<'a> {
    item: &'a Value,
    at: String,
    /// Names of the folders it sits in, outermost first.
    folders: Vec<String>,
    /// The auth in force: the nearest declared on the way down.
    auth: Option<Auth<'a>>,
}

/// The names an operation takes.
pub(super) struct Naming {
    pub id: String,
    pub fn_name: String,
    pub builder_name: String,
    /// Prefix of the operation's type names (`GetUser` -> `GetUserResponse`).
    pub owner: String,
}

pub(super) struct Loader<'a> {
    doc: &'a Value,
    variables: Variables,
    types: infer::Types,
    diagnostics: Vec<Diagnostic>,
    /// The client's base URL: the first request's.
    base_url: Option<String>,
    /// Whether the missing value of the host variable was reported.
    host_reported: bool,
    /// Auth declarations already reported as unsupported, by pointer.
    auth_reported: Vec<String>,
}

impl<'a> Loader<'a> {
    fn new(doc: &'a Value) -> Self {
        Self {
            doc,
            variables: Variables::from_collection(doc),
            types: infer::Types::default(),
            diagnostics: Vec::new(),
            base_url: None,
            host_reported: false,
            auth_reported: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Api, Error> {
        let found = self.collect();
        let namings = self.name(&found);
        let mut operations = Vec::new();
        for (found, naming) in found.iter().zip(namings) {
            match self.lower_request(found, naming) {
                Ok(operation) => operations.push(operation),
                Err(d) => self.diagnostics.push(d),
            }
        }
        if operations.is_empty() && self.diagnostics.iter().all(|d| d.severity != Severity::Error) {
            self.diagnostics
                .push(Diagnostic::error("#/item", "the collection has no requests, so there is nothing to generate"));
        }
        self.diagnostics.append(&mut self.types.warnings);
        let errors: Vec<_> = self.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect();
        if !errors.is_empty() {
            return Err(Error { diagnostics: errors });
        }

        let info = self.doc.get("info");
        let title = info
            .and_then(|i| i.get("name"))
            .or_else(|| self.doc.get("name"))
            .and_then(Value::as_str)
            .map_or_else(|| "API".to_owned(), str::to_owned);
        let version = match info.and_then(|i| i.get("version")) {
            Some(Value::String(version)) => version.clone(),
            Some(Value::Object(v)) => {
                let part = |key: &str| match v.get(key) {
                    Some(Value::String(part)) => part.clone(),
                    Some(part @ Value::Number(_)) => part.to_string(),
                    _ => "0".to_owned(),
                };
                format!("{}.{}.{}", part("major"), part("minor"), part("patch"))
            }
            _ => "unspecified".to_owned(),
        };
        Ok(Api {
            title,
            version,
            description: text::description(info.and_then(|i| i.get("description"))),
            base_url: self.base_url,
            operations,
            types: self.types.defs,
            warnings: self.diagnostics,
            webhooks: None,
            profile: Default::default(),
        })
    }

    /// Every request item, in document order, with its folders and auth.
    fn collect(&mut self) -> Vec<Found<'a>> {
        let doc = self.doc;
        let mut found = Vec::new();
        if doc.get("item").is_none() && doc.get("info").is_none() {
            // One item exported on its own: the document is the item.
            found.push(Found { item: doc, at: "#".into(), folders: Vec::new(), auth: None });
            return found;
        }
        let auth = own_auth(doc.get("auth"), "#/auth");
        self.walk(&doc["item"], "#/item", &[], auth, 0, &mut found);
        found
    }

    fn walk(
        &mut self,
        items: &'a Value,
        at: &str,
        folders: &[String],
        auth: Option<Auth<'a>>,
        depth: usize,
        found: &mut Vec<Found<'a>>,
    ) {
        if depth > MAX_FOLDER_DEPTH {
            self.diagnostics.push(Diagnostic::error(
                at,
                format!(
                    "folders nest more than {MAX_FOLDER_DEPTH} levels deep here; a tree this deep is taken for a \
                     folder that contains itself, and is refused"
                ),
            ));
            return;
        }
        let Some(list) = items.as_array() else {
            self.diagnostics.push(Diagnostic::error(at, "`item` must be a list of requests and folders"));
            return;
        };
        for (i, item) in list.iter().enumerate() {
            let item_at = join(at, &[&i.to_string()]);
            let Some(object) = item.as_object() else {
                self.diagnostics.push(Diagnostic::error(item_at, "an item must be an object (a request or a folder)"));
                continue;
            };
            if let Some(children) = object.get("item") {
                let name = object.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                let auth = own_auth(object.get("auth"), &join(&item_at, &["auth"])).or_else(|| auth.clone());
                let mut inner = folders.to_vec();
                inner.push(name);
                self.walk(children, &join(&item_at, &["item"]), &inner, auth, depth + 1, found);
            } else if object.contains_key("request") {
                found.push(Found { item, at: item_at, folders: folders.to_vec(), auth: auth.clone() });
            } else {
                self.diagnostics.push(Diagnostic::error(
                    item_at,
                    "this item is neither a request (no `request`) nor a folder (no `item`)",
                ));
            }
        }
    }

    /// Function, builder and type-name prefixes for every request. A name several requests share
    /// is qualified by each one's folder first (`users_list`, `groups_list`), a numeric suffix last.
    fn name(&mut self, found: &[Found<'a>]) -> Vec<Naming> {
        let wanted: Vec<(String, String)> = found.iter().map(|f| self.wanted_name(f)).collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, name) in &wanted {
            *counts.entry(name.as_str()).or_default() += 1;
        }
        let mut fn_scope = Scope::default();
        let mut builder_scope = Scope::with_taken(["Client"]);
        let mut namings = Vec::with_capacity(found.len());
        for (f, (label, wanted)) in found.iter().zip(&wanted) {
            let mut wanted = wanted.clone();
            if counts[wanted.as_str()] > 1 {
                if let Some(folder) = f.folders.last().and_then(|name| readable(name)) {
                    wanted = format!("{folder}_{wanted}");
                }
            }
            let fn_name = fn_scope.claim(&wanted);
            if fn_name != wanted {
                self.diagnostics.push(Diagnostic::warning(
                    &f.at,
                    format!("the function name `{wanted}` is taken by another request; this one is `{fn_name}`"),
                ));
            }
            let owner = names::type_name(&fn_name);
            let builder_name = builder_scope.claim(&format!("{owner}Builder"));
            let id = f.folders.iter().filter(|n| !n.is_empty()).chain([label]).cloned().collect::<Vec<_>>().join(" / ");
            namings.push(Naming { id, fn_name, builder_name, owner });
        }
        namings
    }

    /// The request's label (its name, or method and path) and the function name it asks for.
    fn wanted_name(&self, found: &Found<'a>) -> (String, String) {
        let request = &found.item["request"];
        let name = found.item.get("name").or_else(|| request.get("name")).and_then(Value::as_str).unwrap_or_default();
        if let Some(fn_name) = readable(name) {
            return (name.trim().to_owned(), fn_name);
        }
        let (method, url) = method_and_url(request);
        let path = url::parse(url, &self.variables, "#").map(|u| u.path).unwrap_or_default();
        (format!("{} {path}", method.to_ascii_uppercase()), derived_name(method, &path))
    }
}

/// A request's method (GET when not given) and URL; a request may be just its URL.
pub(super) fn method_and_url(request: &Value) -> (&str, Option<&Value>) {
    match request {
        Value::String(_) => ("GET", Some(request)),
        _ => (request.get("method").and_then(Value::as_str).unwrap_or("GET"), request.get("url")),
    }
}

/// Auth declared at one level: `null`, missing or `inherit` defer to the level above.
fn own_auth<'a>(value: Option<&'a Value>, at: &str) -> Option<Auth<'a>> {
    let value = value?;
    match value.get("type").and_then(Value::as_str) {
        None | Some("inherit") => None,
        Some(_) => Some(Auth { value, at: at.to_owned() }),
    }
}

/// A request's name as a Rust function name: `List a user's PAC accounts` ->
/// `list_user_pac_accounts` (possessives and articles dropped, other apostrophes closed up).
/// `None` when the name is empty or only repeats the URL, as Postman names unnamed requests.
pub(super) fn readable(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() || name.contains("{{") || name.contains("://") || name.starts_with('/') {
        return None;
    }
    let name = name.replace('\u{2019}', "'");
    let words: Vec<String> = name
        .split_whitespace()
        .map(|word| word.strip_suffix("'s").or_else(|| word.strip_suffix("'S")).unwrap_or(word).replace('\'', ""))
        .collect();
    let words: Vec<&str> =
        words.iter().flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric())).filter(|w| !w.is_empty()).collect();
    let kept: Vec<&str> =
        words.iter().copied().filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "a" | "an" | "the")).collect();
    let words = if kept.is_empty() { words } else { kept };
    (!words.is_empty()).then(|| names::field_name(&words.join(" ")))
}

/// `GET /users/{userId}/pac` -> `get_users_user_id_pac`, for requests without a usable name.
fn derived_name(method: &str, path: &str) -> String {
    let words: Vec<String> = path.split(['/', '{', '}']).filter(|s| !s.is_empty()).map(names::field_name).collect();
    let method = method.to_ascii_lowercase();
    if words.is_empty() {
        names::field_name(&method)
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detected(document: Value) -> Result<Option<Format>, Diagnostic> {
        detect(document.as_object().expect("an object"))
    }

    #[test]
    fn detection_reads_the_schema_then_the_shape() {
        let v21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
        let v20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json";
        let v1 = "https://schema.getpostman.com/json/collection/v1.0.0/collection.json";
        assert_eq!(detected(json!({"info": {"schema": v21}, "item": []})), Ok(Some(Format::Postman)));
        assert_eq!(detected(json!({"info": {"schema": v20}})), Ok(Some(Format::Postman)));
        assert_eq!(detected(json!({"info": {"schema": v1}})).expect_err("v1").pointer, "#/info/schema");
        assert_eq!(detected(json!({"name": "x", "requests": [], "order": []})).expect_err("v1").pointer, "#/requests");
        assert_eq!(detected(json!({"name": "x", "request": {"url": "https://x"}})), Ok(Some(Format::Postman)));
        assert_eq!(detected(json!({"info": {"title": "not postman"}, "paths": {}})), Ok(None));
    }

    #[test]
    fn a_collection_without_items_is_refused_at_item() {
        let collection = json!({"info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}});
        assert_eq!(load(collection).expect_err("no items").diagnostics[0].pointer, "#/item");
        let empty = json!({"info": {"name": "x"}, "item": []});
        let error = load(empty).expect_err("no requests");
        assert!(error.diagnostics[0].message.contains("no requests"), "{error}");
    }

    #[test]
    fn request_names_read_as_function_names() {
        assert_eq!(readable("List a user's PAC accounts").as_deref(), Some("list_user_pac_accounts"));
        assert_eq!(readable("The user\u{2019}s avatar").as_deref(), Some("user_avatar"));
        assert_eq!(readable("Don't retry").as_deref(), Some("dont_retry"));
        assert_eq!(readable("A").as_deref(), Some("a"));
        assert_eq!(readable("{{baseUrl}}/users/:userId"), None);
        assert_eq!(readable("  "), None);
        assert_eq!(derived_name("GET", "/users/{userId}/pac"), "get_users_user_id_pac");
    }
}
