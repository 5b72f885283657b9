//! One request item -> one IR operation: method and URL, parameters (path variables, query,
//! headers, an API key), the body (raw JSON, form-data, urlencoded) and the saved responses.

use super::infer::{self, Notes, Shape};
use super::url::{self, Entry, Url};
use super::variables::{whole_variable, Resolved};
use super::{method_and_url, own_auth, text, Auth, Found, Loader, Naming};
use crate::diagnostics::{join, Diagnostic};
use crate::ir::{Body, BodyKind, Field, FileRule, Method, Operation, Param, ParamLocation, Response, TypeRef};
use crate::load::sensitive::is_secret_by_name;
use crate::names::{self, Scope};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// Headers the runtime sets itself (content negotiation, credentials, transport): a collection
/// lists them for Postman's sake, not as parameters of the API.
const MANAGED_HEADERS: &[&str] = &[
    "accept",
    "accept-encoding",
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "host",
    "user-agent",
];

/// Auth types the runtime covers by sending its bearer token.
const BEARER_AUTH: &[&str] = &["bearer", "oauth2", "jwt"];

impl<'a> Loader<'a> {
    pub(super) fn lower_request(&mut self, found: &Found<'a>, naming: Naming) -> Result<Operation, Diagnostic> {
        let at = &found.at;
        let request = &found.item["request"];
        let request_at = join(at, &["request"]);
        if !request.is_object() && !request.is_string() {
            return Err(Diagnostic::error(request_at, "`request` must be an object or a URL"));
        }
        let (method_text, url_value) = method_and_url(request);
        let method = Method::parse(method_text).ok_or_else(|| {
            let known: Vec<_> = Method::names().collect();
            Diagnostic::error(
                join(&request_at, &["method"]),
                format!("`{method_text}` is not an HTTP method the generator knows ({})", known.join(", ")),
            )
        })?;
        let url_at = join(&request_at, &["url"]);
        let url = url::parse(url_value, &self.variables, &url_at)?;
        self.note_base(&url, &url_at);

        let auth = own_auth(request.get("auth"), &join(&request_at, &["auth"])).or_else(|| found.auth.clone());
        let params = self.params(&naming.owner, &url, request.get("header"), auth.as_ref(), &request_at);
        let content_type = header_value(request.get("header"), "content-type");
        let body = self.body(&naming.owner, request.get("body"), found.item, at, content_type.as_deref())?;
        let responses = self.responses(&naming.owner, found.item, at)?;
        let description =
            text::description(request.get("description")).or_else(|| text::description(found.item.get("description")));
        // A name that only repeats the URL says nothing the docs do not say already.
        let name = found.item.get("name").and_then(Value::as_str).filter(|n| super::readable(n).is_some());
        Ok(Operation {
            id: naming.id,
            fn_name: naming.fn_name,
            builder_name: naming.builder_name,
            method,
            path: url.path,
            summary: name.map(|n| n.trim().to_owned()),
            description,
            tags: found.folders.first().map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).into_iter().collect(),
            deprecated: false,
            params,
            body,
            success: crate::load::success(&responses),
            responses,
            scopes: Vec::new(),
            rate_limit: None,
            pagination: None,
            server: None,
            sensitive: false,
            pointer: at.clone(),
        })
    }

    /// The first request's base URL is the client's; a request on another host is reported.
    fn note_base(&mut self, url: &Url, at: &str) {
        match (&url.base, &self.base_url) {
            (Some(base), None) => self.base_url = Some(base.clone()),
            (Some(base), Some(first)) if base != first => {
                let message = format!(
                    "this request's base URL `{base}` is not the client's (`{first}`, from the first request); \
                     the SDK sends it to the client's base URL"
                );
                self.diagnostics.push(Diagnostic::warning(at, message));
            }
            (None, _) if !self.host_reported => {
                self.host_reported = true;
                let message = match &url.unresolved_host {
                    Some(name) => format!(
                        "`{{{{{name}}}}}` has no value in the collection's variables, so the client has no default \
                         base URL; set one when building the client"
                    ),
                    None => format!("the host `{}` is not a URL, so the client has no default base URL", url.host),
                };
                self.diagnostics.push(Diagnostic::warning(at, message));
            }
            _ => {}
        }
    }

    fn params(
        &mut self,
        owner: &str,
        url: &Url,
        headers: Option<&'a Value>,
        auth: Option<&Auth<'a>>,
        request_at: &str,
    ) -> Vec<Param> {
        let mut scope = Scope::with_taken(names::BUILDER_NAMES.iter().copied());
        let mut params = Vec::new();
        for entry in &url.path_params {
            params.push(self.param(owner, ParamLocation::Path, &[entry], &mut scope));
        }
        for group in grouped(&url.query) {
            params.push(self.param(owner, ParamLocation::Query, &group, &mut scope));
        }
        let header_entries = header_entries(headers, &join(request_at, &["header"]));
        let api_key = self.api_key(auth);
        let managed = |name: &str| {
            MANAGED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
                || api_key.as_ref().is_some_and(|(key, _)| key.name.eq_ignore_ascii_case(name))
        };
        let header_entries: Vec<Entry> = header_entries.into_iter().filter(|e| !managed(&e.name)).collect();
        for group in grouped(&header_entries) {
            params.push(self.param(owner, ParamLocation::Header, &group, &mut scope));
        }
        if let Some((key, location)) = api_key {
            let mut param = self.param(owner, location, &[&key], &mut scope);
            param.required = true;
            params.push(param);
        }
        params
    }

    /// A parameter from its entries (one, or several for a repeated key): the type from the
    /// listed values or the example values, requiredness from `(Required)` (always, for a path).
    fn param(&mut self, owner: &str, location: ParamLocation, entries: &[&Entry], scope: &mut Scope) -> Param {
        let first = entries[0];
        let marked = text::marked(entries.iter().find_map(|e| e.description.clone()));
        let hint = format!("{owner}_{}", first.name);
        let ty = if marked.one_of.is_empty() {
            let mut shape = Shape::default();
            let mut notes = Notes::new();
            for entry in entries {
                match entry.value.as_deref().map(|v| self.value_text(v)) {
                    Some(Some(value)) => shape.observe_text(&value, &first.name, &mut notes),
                    // No example, or a variable defined elsewhere: nothing says more than text.
                    _ => shape.observe_text("", &first.name, &mut notes),
                }
            }
            self.report(notes, &first.at);
            self.types.lower(&shape, &hint, &first.at)
        } else {
            self.types.enumeration(&marked.one_of, &hint, &first.at)
        };
        let ty = if entries.len() > 1 { TypeRef::Array(Box::new(ty)) } else { ty };
        Param {
            name: first.name.clone(),
            rust_name: infer::claim_field(scope, &names::field_name(&first.name)),
            location,
            required: location == ParamLocation::Path || marked.required,
            ty,
            description: marked.text,
            deprecated: false,
            default: None,
            style: crate::ir::ParamStyle::default_for(location),
            explode: location == ParamLocation::Query,
        }
    }

    /// An example value with the collection's variables in place; `None` for a value that is a
    /// variable the collection does not define.
    fn value_text(&self, value: &str) -> Option<String> {
        match whole_variable(value).map(|name| self.variables.resolve(name)) {
            Some(Resolved::Value(value)) => Some(value.to_owned()),
            Some(Resolved::Dynamic(placeholder)) => Some(placeholder.to_owned()),
            Some(Resolved::Unknown) => None,
            None => Some(self.variables.substitute(value)),
        }
    }

    /// An `apikey` auth becomes the parameter it sends; bearer-style auth is the runtime's
    /// token; other kinds are reported once per declaration.
    fn api_key(&mut self, auth: Option<&Auth<'a>>) -> Option<(Entry, ParamLocation)> {
        let auth = auth?;
        let kind = auth.value.get("type").and_then(Value::as_str).unwrap_or_default();
        if kind == "noauth" || BEARER_AUTH.contains(&kind) {
            return None;
        }
        if kind == "apikey" {
            let location = match auth_attribute(auth.value, "apikey", "in").as_deref() {
                Some("query") => ParamLocation::Query,
                _ => ParamLocation::Header,
            };
            let entry = Entry {
                name: auth_attribute(auth.value, "apikey", "key").unwrap_or_else(|| "Authorization".to_owned()),
                value: auth_attribute(auth.value, "apikey", "value"),
                description: Some("API key, sent with every request (the collection's `apikey` auth).".to_owned()),
                disabled: false,
                at: auth.at.clone(),
            };
            return Some((entry, location));
        }
        if !self.auth_reported.contains(&auth.at) {
            self.auth_reported.push(auth.at.clone());
            self.diagnostics.push(Diagnostic::warning(
                &auth.at,
                format!(
                    "auth `{kind}` is not one the SDK runtime sends (it sends a bearer token); the requests under it \
                     are generated without it"
                ),
            ));
        }
        None
    }
}

impl<'a> Loader<'a> {
    fn body(
        &mut self,
        owner: &str,
        body: Option<&'a Value>,
        item: &'a Value,
        item_at: &str,
        content_type: Option<&str>,
    ) -> Result<Option<Body>, Diagnostic> {
        let at = join(item_at, &["request", "body"]);
        let body = match body {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(body)) => body,
            Some(_) => return Err(Diagnostic::error(at, "`body` must be an object with a `mode`")),
        };
        if body.get("disabled") == Some(&Value::Bool(true)) {
            return Ok(None);
        }
        let mode = match body.get("mode") {
            // `{}`: converters write an empty body object for requests without one.
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(mode)) => mode.as_str(),
            Some(_) => return Err(Diagnostic::error(join(&at, &["mode"]), "`mode` must be text")),
        };
        match mode {
            "raw" => Ok(self.raw_body(owner, body.get("raw"), body.get("options"), item, item_at, content_type)),
            "urlencoded" => {
                let at = join(&at, &["urlencoded"]);
                Ok(self.form_body(owner, BodyKind::FormUrlEncoded, body.get("urlencoded"), &at))
            }
            "formdata" => {
                Ok(self.form_body(owner, BodyKind::Multipart, body.get("formdata"), &join(&at, &["formdata"])))
            }
            "file" | "graphql" => {
                self.diagnostics.push(Diagnostic::warning(
                    join(&at, &["mode"]),
                    format!(
                        "a `{mode}` body is not supported (raw JSON, form-data and urlencoded are); the operation is \
                         generated without a body"
                    ),
                ));
                Ok(None)
            }
            other => Err(Diagnostic::error(
                join(&at, &["mode"]),
                format!("`{other}` is not a Postman body mode (raw, urlencoded, formdata, file or graphql)"),
            )),
        }
    }

    /// A raw body: JSON (by its language, the request's `Content-Type`, or its text), typed from
    /// its own example and those of the saved responses' original requests.
    fn raw_body(
        &mut self,
        owner: &str,
        raw: Option<&'a Value>,
        options: Option<&'a Value>,
        item: &'a Value,
        item_at: &str,
        content_type: Option<&str>,
    ) -> Option<Body> {
        let at = join(item_at, &["request", "body", "raw"]);
        let raw = raw.and_then(Value::as_str).unwrap_or_default();
        if raw.trim().is_empty() {
            return None;
        }
        let language = options.and_then(|o| o.get("raw")).and_then(|r| r.get("language")).and_then(Value::as_str);
        let declared_json = language == Some("json") || content_type.is_some_and(|t| t.contains("json"));
        let declared_other = matches!(language, Some(l) if l != "json" && l != "text")
            || content_type.is_some_and(|t| !t.contains("json") && !t.starts_with("text/plain"));
        let looks_json = raw.trim_start().starts_with(['{', '[']);
        if !declared_json && (declared_other || !looks_json) {
            let what = language.or(content_type).unwrap_or("text");
            self.diagnostics.push(Diagnostic::warning(
                at,
                format!(
                    "a raw `{what}` body is not supported (JSON, form-data and urlencoded are); the operation is \
                     generated without a body"
                ),
            ));
            return None;
        }
        let mut examples = vec![(raw.to_owned(), at.clone())];
        for (i, response) in item.get("response").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let original = response.get("originalRequest").and_then(|r| r.get("body"));
            if original.and_then(|b| b.get("mode")).and_then(Value::as_str) == Some("raw") {
                if let Some(raw) = original.and_then(|b| b.get("raw")).and_then(Value::as_str) {
                    let at = join(item_at, &["response", &i.to_string(), "originalRequest", "body", "raw"]);
                    if !raw.trim().is_empty() {
                        examples.push((raw.to_owned(), at));
                    }
                }
            }
        }
        let ty = match self.json_shape(&examples) {
            Some(shape) => self.types.lower(&shape, &format!("{owner}Request"), &at),
            None => TypeRef::Any,
        };
        Some(Body {
            kind: BodyKind::Json,
            media_type: "application/json".into(),
            ty,
            required: true,
            description: None,
            file_rules: Vec::new(),
            selector: None,
        })
    }

    /// The merged shape of JSON examples (each distinct example once, so a repeated example is no
    /// extra evidence); `None` when none of them is JSON.
    fn json_shape(&mut self, examples: &[(String, String)]) -> Option<Shape> {
        let mut values: Vec<(Value, &str)> = Vec::new();
        for (raw, at) in examples {
            let (text, unknown) = self.variables.json_text(raw);
            for name in unknown {
                self.diagnostics.push(Diagnostic::warning(
                    at,
                    format!(
                        "`{{{{{name}}}}}` has no value in the collection's variables; its place is typed as any JSON value"
                    ),
                ));
            }
            match serde_json::from_str::<Value>(&text) {
                Ok(value) if !values.iter().any(|(v, _)| *v == value) => values.push((value, at)),
                Ok(_) => {}
                Err(e) => self.diagnostics.push(Diagnostic::warning(
                    at,
                    format!("this example is not valid JSON ({e}); it is left out of the inferred type"),
                )),
            }
        }
        if values.is_empty() {
            return None;
        }
        let mut shape = Shape::default();
        for (value, at) in &values {
            let mut notes = Notes::new();
            shape.observe(value, "", &mut notes);
            self.report(notes, at);
        }
        Some(shape)
    }

    /// Warns of the bare type words an example used as values.
    fn report(&mut self, notes: Notes, at: &str) {
        for (path, word) in notes {
            self.diagnostics.push(Diagnostic::warning(
                at,
                format!(
                    "`{path}` is the word `{word}`: it may be a placeholder or the value itself, so the type takes \
                     both; write `<{word}>` for a placeholder"
                ),
            ));
        }
    }

    /// A form body (urlencoded or form-data): one field per key, a list for a repeated key, file
    /// parts as files; requiredness and enums from the descriptions' markers.
    fn form_body(&mut self, owner: &str, kind: BodyKind, list: Option<&'a Value>, at: &str) -> Option<Body> {
        let list = list.and_then(Value::as_array)?;
        // Each key with its entries (several for a repeated key), in order.
        let mut keys: IndexMap<&str, Vec<(&'a Value, String)>> = IndexMap::new();
        for (i, entry) in list.iter().enumerate() {
            let Some(key) = entry.get("key").and_then(Value::as_str) else {
                continue;
            };
            keys.entry(key).or_default().push((entry, join(at, &[&i.to_string()])));
        }
        if keys.is_empty() {
            return None;
        }
        let name = self.types.claim(&format!("{owner}Request"));
        let mut fields = Vec::with_capacity(keys.len());
        let mut file_rules = Vec::new();
        for (key, entries) in &keys {
            let (first, first_at) = &entries[0];
            let marked = text::marked(entries.iter().find_map(|(e, _)| text::description(e.get("description"))));
            let is_file = entries.iter().any(|(e, _)| e.get("type").and_then(Value::as_str) == Some("file"));
            let mut format = None;
            let ty = if is_file {
                let media_types: Vec<String> = first
                    .get("contentType")
                    .and_then(Value::as_str)
                    .map(|types| types.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect())
                    .unwrap_or_default();
                if !media_types.is_empty() {
                    file_rules.push(FileRule { part: (*key).to_owned(), media_types, max_bytes: None });
                }
                TypeRef::Binary
            } else if !marked.one_of.is_empty() {
                self.types.enumeration(&marked.one_of, &format!("{name}_{key}"), first_at)
            } else {
                let mut shape = Shape::default();
                let mut notes = Notes::new();
                for (entry, _) in entries {
                    let value = entry.get("value").and_then(Value::as_str).and_then(|v| self.value_text(v));
                    shape.observe_text(value.as_deref().unwrap_or_default(), key, &mut notes);
                }
                self.report(notes, first_at);
                format = shape.format().map(str::to_owned);
                self.types.lower(&shape, &format!("{name}_{key}"), first_at)
            };
            // A repeated key, or a file part that picks several files, is a list.
            let several_files =
                entries.iter().any(|(e, _)| e.get("src").and_then(Value::as_array).is_some_and(|s| s.len() > 1));
            let ty = if entries.len() > 1 || (is_file && several_files) { TypeRef::Array(Box::new(ty)) } else { ty };
            let secret = is_secret_by_name(key, &ty);
            fields.push(Field {
                name: (*key).to_owned(),
                rust_name: String::new(),
                ty,
                required: marked.required,
                nullable: false,
                boxed: false,
                description: marked.text,
                deprecated: false,
                read_only: false,
                write_only: false,
                secret,
                default: None,
                format,
            });
        }
        let ty = self.types.structure(name, fields, at);
        let media_type = match kind {
            BodyKind::Multipart => "multipart/form-data",
            _ => "application/x-www-form-urlencoded",
        };
        Some(Body {
            kind,
            media_type: media_type.into(),
            ty,
            required: true,
            description: None,
            file_rules,
            selector: None,
        })
    }

    /// Saved responses by status code: success bodies typed from their examples, error statuses
    /// listed (the runtime reads error bodies itself).
    fn responses(&mut self, owner: &str, item: &'a Value, at: &str) -> Result<Vec<Response>, Diagnostic> {
        let list = match item.get("response") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(list)) => list.as_slice(),
            Some(_) => {
                return Err(Diagnostic::error(join(at, &["response"]), "`response` must be a list of saved responses"))
            }
        };
        let mut by_code: BTreeMap<u16, Vec<(&'a Value, String)>> = BTreeMap::new();
        for (i, response) in list.iter().enumerate() {
            let response_at = join(at, &["response", &i.to_string()]);
            let code = match response.get("code") {
                Some(Value::String(code)) => code.trim().parse::<u16>().ok(),
                Some(code) => code.as_u64().and_then(|c| u16::try_from(c).ok()),
                None => None,
            };
            match code.filter(|c| (100..600).contains(c)) {
                Some(code) => by_code.entry(code).or_default().push((response, response_at)),
                None => self.diagnostics.push(Diagnostic::warning(
                    response_at,
                    "this saved response has no valid status `code`; it is left out",
                )),
            }
        }
        if by_code.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                at,
                "no saved response tells what this request answers; the call returns the body's bytes. Save an \
                 example response in Postman to get a typed result",
            ));
            let description = "The collection saves no response for this request.".to_owned();
            return Ok(vec![Response {
                status: "2XX".into(),
                description: Some(description),
                ty: Some(TypeRef::Binary),
                text: false,
                selector: None,
            }]);
        }
        let successes = by_code.keys().filter(|c| (200..300).contains(*c)).count();
        let mut responses = Vec::with_capacity(by_code.len());
        for (code, examples) in &by_code {
            let description = examples
                .iter()
                .find_map(|(r, _)| r.get("name").and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()))
                .map(str::to_owned);
            let (ty, also_empty) = if (200..300).contains(code) {
                let hint = if successes > 1 { format!("{owner}Response{code}") } else { format!("{owner}Response") };
                self.response_type(examples, &hint)
            } else {
                (None, false)
            };
            let typed = ty.is_some();
            responses.push(Response { status: code.to_string(), description, ty, text: false, selector: None });
            if typed && also_empty {
                // The same status without a body too: the call answers `None` for it.
                let empty = examples
                    .iter()
                    .find(|(r, _)| r.get("body").and_then(Value::as_str).unwrap_or_default().trim().is_empty());
                let description = empty.and_then(|(r, _)| r.get("name")).and_then(Value::as_str).map(str::trim);
                let description = description.filter(|n| !n.is_empty()).map(str::to_owned);
                responses.push(Response {
                    status: code.to_string(),
                    description,
                    ty: None,
                    text: false,
                    selector: None,
                });
            }
        }
        Ok(responses)
    }

    /// The type of a success status's bodies (JSON examples merged, other content as bytes, none
    /// when every example is empty), and whether some examples of a typed status are empty.
    fn response_type(&mut self, examples: &[(&'a Value, String)], hint: &str) -> (Option<TypeRef>, bool) {
        let mut json = Vec::new();
        let (mut empty, mut other) = (false, false);
        for (response, at) in examples {
            let body = response.get("body").and_then(Value::as_str).unwrap_or_default();
            if body.trim().is_empty() {
                empty = true;
                continue;
            }
            let content_type = header_value(response.get("header"), "content-type");
            let is_json = match content_type.as_deref() {
                Some(t) => t.contains("json"),
                None => {
                    response.get("_postman_previewlanguage").and_then(Value::as_str) == Some("json")
                        || body.trim_start().starts_with(['{', '['])
                }
            };
            if is_json {
                json.push((body.to_owned(), join(at, &["body"])));
            } else {
                other = true;
            }
        }
        if json.is_empty() {
            return (other.then_some(TypeRef::Binary), false);
        }
        let first_at = json[0].1.clone();
        if other {
            self.diagnostics.push(Diagnostic::warning(
                &first_at,
                "saved responses with this status differ: some have a JSON body, some another kind; the type is \
                 the JSON one's",
            ));
        }
        let ty = match self.json_shape(&json) {
            Some(shape) => self.types.lower(&shape, hint, &first_at),
            None => TypeRef::Any,
        };
        (Some(ty), empty)
    }
}

/// Entries with the same name together, in the order names first appear.
fn grouped(entries: &[Entry]) -> Vec<Vec<&Entry>> {
    let mut groups: IndexMap<&str, Vec<&Entry>> = IndexMap::new();
    for entry in entries {
        groups.entry(entry.name.as_str()).or_default().push(entry);
    }
    groups.into_values().collect()
}

/// Request headers: a list of entries, or `Key: value` lines.
fn header_entries(headers: Option<&Value>, at: &str) -> Vec<Entry> {
    match headers {
        Some(list @ Value::Array(_)) => url::entries_of(list, at),
        Some(Value::String(lines)) => lines
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(key, value)| Entry {
                name: key.trim().to_owned(),
                value: Some(value.trim().to_owned()),
                description: None,
                disabled: false,
                at: at.to_owned(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of a header in a list of `{key, value}` entries.
pub(super) fn header_value(headers: Option<&Value>, name: &str) -> Option<String> {
    headers?.as_array()?.iter().find_map(|h| {
        let key = h.get("key").and_then(Value::as_str)?;
        key.eq_ignore_ascii_case(name)
            .then(|| h.get("value").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase())
    })
}

/// One setting of an auth declaration: v2.1 writes `[{key, value}]`, v2.0 an object.
fn auth_attribute(auth: &Value, kind: &str, key: &str) -> Option<String> {
    match auth.get(kind)? {
        Value::Array(entries) => entries
            .iter()
            .find(|e| e.get("key").and_then(Value::as_str) == Some(key))
            .and_then(|e| e.get("value"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        Value::Object(settings) => settings.get(key).and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}
