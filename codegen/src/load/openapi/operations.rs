//! Paths and operations -> IR operations: names, parameters, bodies, responses, extensions.

use super::schemas::SchemaRef;
use super::Lowerer;
use crate::diagnostics::{join, Diagnostic};
use crate::ir::{
    Body, BodyKind, FileRule, Method, Operation, Pagination, Param, ParamLocation, ParamStyle, Response, Selector,
    TypeKind, TypeRef,
};
use crate::names::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{
    HeaderStyle, MediaType, Parameter, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle, ReferenceOr,
};
use serde_json::Value;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let mut operations = Vec::new();
        let mut fn_scope = Scope::default();
        let mut builder_scope = Scope::with_taken(["Client"]);
        for (path, item) in &self.doc.paths.paths {
            let path_at = join("#/paths", &[path]);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.diagnostics.push(Diagnostic::error(
                        &path_at,
                        "a `$ref` path item is not supported; write the operations inline",
                    ));
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let at = join(&path_at, &[method]);
                // openapiv3 yields only the eight methods a path item can hold, each of which `Method` names.
                let Some(method) = Method::parse(method) else {
                    self.diagnostics.push(Diagnostic::error(&at, format!("`{method}` is not an HTTP method")));
                    continue;
                };
                match self.lower_operation(path, item, method, op, &at, &mut fn_scope, &mut builder_scope) {
                    Ok(operation) => operations.push(operation),
                    Err(d) => self.diagnostics.push(d),
                }
            }
        }
        operations
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        path: &str,
        item: &'a PathItem,
        method: Method,
        op: &'a openapiv3::Operation,
        at: &str,
        fn_scope: &mut Scope,
        builder_scope: &mut Scope,
    ) -> Result<Operation, Diagnostic> {
        let id = op.operation_id.clone().unwrap_or_else(|| derived_id(&method.as_str().to_ascii_lowercase(), path));
        let wanted = match op.extensions.get("x-rust-name") {
            Some(Value::String(name)) => names::field_name(name),
            Some(_) => return Err(Diagnostic::error(join(at, &["x-rust-name"]), "`x-rust-name` must be a string")),
            None => names::field_name(&id),
        };
        let fn_name = fn_scope.claim(&wanted);
        if fn_name != wanted {
            let source = match &op.operation_id {
                Some(id) => format!(
                    "operationId `{id}` gives the function name `{wanted}`, which another operation already has \
                     (operationIds must be unique, also after case conversion)"
                ),
                None => format!("the function name `{wanted}` is taken by another operation"),
            };
            self.warn(at, format!("{source}; this one is `{fn_name}`"));
        }
        let builder_name = builder_scope.claim(&format!("{}Builder", names::type_name(&fn_name)));

        // Inline types are named after the operation: `UserDeleteAction`, `UserCreateRequest`.
        let owner = names::type_name(&fn_name);
        let params = self.lower_params(item, op, path, &owner, at)?;
        let body = match &op.request_body {
            Some(body) => self.lower_body(body, &owner, &params, &join(at, &["requestBody"]))?,
            None => None,
        };
        let responses = self.lower_responses(op, &owner, &params, at)?;
        let pagination = self.lower_pagination(op, &params, &responses, at);
        let server = self.operation_server(item, op);
        Ok(Operation {
            id,
            fn_name,
            builder_name,
            method,
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            params,
            body,
            success: crate::load::success(&responses),
            responses,
            scopes: string_list(extension_ending(&op.extensions, "-scopes")),
            rate_limit: extension_ending(&op.extensions, "-rate-limit")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            pagination,
            server,
            sensitive: false,
            pointer: at.to_owned(),
        })
    }

    /// The first of the operation's `servers`, else of its path item's, when it is not the API's
    /// base URL; variables take their defaults.
    fn operation_server(&self, item: &PathItem, op: &openapiv3::Operation) -> Option<String> {
        let server = op.servers.first().or(item.servers.first())?;
        let mut url = server.url.clone();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        let url = url.trim_end_matches('/').to_owned();
        let base = self.doc.servers.first().map(|s| s.url.trim_end_matches('/'));
        (base != Some(url.as_str())).then_some(url)
    }

    /// How a parameter is written: its `style` (its location's default without one) and
    /// `explode` (true for `form`, false otherwise, without one); `content` parameters are
    /// sent as their JSON text. A combination OpenAPI leaves undefined is warned about and sent
    /// in the location's default style.
    fn param_style(&mut self, param: &Parameter, ty: &TypeRef, at: &str) -> (ParamStyle, bool) {
        let data = param.parameter_data_ref();
        if let ParameterSchemaOrContent::Content(content) = &data.format {
            if content.keys().next().is_some_and(|media| media_kind(media) == Some(BodyKind::Json)) {
                return (ParamStyle::Json, false);
            }
        }
        let style = match param {
            Parameter::Query { style, .. } => match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            Parameter::Path { style, .. } => match style {
                PathStyle::Simple => ParamStyle::Simple,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Matrix => ParamStyle::Matrix,
            },
            Parameter::Header { style: HeaderStyle::Simple, .. } | Parameter::Cookie { .. } => ParamStyle::Simple,
        };
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        let list = match ty {
            TypeRef::Array(_) => true,
            TypeRef::Named(name) => {
                matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Alias(TypeRef::Array(_))))
            }
            _ => false,
        };
        let name = &data.name;
        if style == ParamStyle::DeepObject && list {
            self.warn(
                join(at, &["style"]),
                format!(
                    "`style: deepObject` is defined for objects, not lists; `{name}` is sent in `form` style, one \
                     `{name}=item` pair per item"
                ),
            );
            return (ParamStyle::Form, true);
        }
        if style == ParamStyle::DeepObject && !explode {
            self.warn(
                join(at, &["explode"]),
                format!("`style: deepObject` is defined with `explode: true` only; `{name}` is sent exploded"),
            );
            return (ParamStyle::DeepObject, true);
        }
        (style, explode)
    }

    /// Path-level and operation-level parameters (the operation's win), path ones first.
    fn lower_params(
        &mut self,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        path: &str,
        owner: &str,
        at: &str,
    ) -> Result<Vec<Param>, Diagnostic> {
        let mut resolved: IndexMap<(String, &'static str), (&'a Parameter, String, Option<String>)> = IndexMap::new();
        let path_at = at.rsplit_once('/').map_or(at, |(path_at, _)| path_at);
        let declared =
            item.parameters.iter().enumerate().map(|(i, p)| (p, join(path_at, &["parameters", &i.to_string()])));
        let own = op.parameters.iter().enumerate().map(|(i, p)| (p, join(at, &["parameters", &i.to_string()])));
        for (item, param_at) in declared.chain(own) {
            let param = self.resolve_parameter(item, &param_at)?;
            let kind = match param {
                Parameter::Query { .. } => "query",
                Parameter::Path { .. } => "path",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            // A shared parameter's inline schema is one type, named after the component: `SettingsOption`.
            let component = match item {
                ReferenceOr::Reference { reference } => {
                    super::refs::component_key(reference, "parameters", &param_at).ok()
                }
                ReferenceOr::Item(_) => None,
            };
            resolved.insert((param.parameter_data_ref().name.clone(), kind), (param, param_at, component));
        }

        let mut scope = Scope::with_taken(names::BUILDER_NAMES.iter().copied());
        let mut params = Vec::new();
        for ((name, _), (param, param_at, component)) in resolved {
            let location = match param {
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.warn(
                        &param_at,
                        format!("cookie parameter `{name}` is not supported; the operation is generated without it"),
                    );
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let cached = component.as_ref().and_then(|key| self.component_params.get(key)).cloned();
            let ty = match cached {
                Some(ty) => ty,
                None => {
                    let (hint, schema_at) = match &component {
                        Some(key) => (key.clone(), join("#/components/parameters", &[key])),
                        None => (format!("{owner}_{name}"), param_at.clone()),
                    };
                    let ty = match &data.format {
                        ParameterSchemaOrContent::Schema(schema) => {
                            self.lower(schema.into(), &hint, &join(&schema_at, &["schema"]))?
                        }
                        ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                            Some((media, MediaType { schema: Some(schema), .. })) => {
                                self.lower(schema.into(), &hint, &join(&schema_at, &["content", media, "schema"]))?
                            }
                            _ => TypeRef::String,
                        },
                    };
                    if let Some(key) = component {
                        self.component_params.insert(key, ty.clone());
                    }
                    ty
                }
            };
            let default = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                    s.schema_data.default.as_ref().map(Value::to_string)
                }
                _ => None,
            };
            let (style, explode) = self.param_style(param, &ty, &param_at);
            params.push(Param {
                style,
                explode,
                rust_name: scope.claim(&names::field_name(&name)),
                name,
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                default,
            });
        }

        // Every `{name}` in the template needs a path parameter, and every path parameter a place.
        let in_template: Vec<&str> =
            path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n)).collect();
        for name in &in_template {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.name == *name) {
                return Err(Diagnostic::error(
                    at,
                    format!("the path names `{{{name}}}` but no path parameter `{name}` is declared"),
                ));
            }
        }
        if let Some(p) =
            params.iter().find(|p| p.location == ParamLocation::Path && !in_template.contains(&p.name.as_str()))
        {
            return Err(Diagnostic::error(
                at,
                format!("path parameter `{}` does not appear in the path `{path}`", p.name),
            ));
        }
        // Path parameters first, in template order: they become the method's arguments.
        params.sort_by_key(|p| (p.location != ParamLocation::Path, in_template.iter().position(|n| *n == p.name)));
        Ok(params)
    }

    fn lower_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        owner: &str,
        params: &[Param],
        at: &str,
    ) -> Result<Option<Body>, Diagnostic> {
        let body = self.resolve_body(body, at)?;
        let Some((media, kind, content)) = pick_content(&body.content) else {
            return Ok(None);
        };
        if matches!(kind, BodyKind::Raw | BodyKind::Text) {
            // Sent as it is: its schema (a string, maybe `format: binary`) says nothing more.
            let ty = if kind == BodyKind::Text { TypeRef::String } else { TypeRef::Binary };
            return Ok(Some(Body {
                kind,
                media_type: media.to_owned(),
                ty,
                required: body.required,
                description: body.description.clone(),
                file_rules: Vec::new(),
                selector: None,
            }));
        }
        let at = join(at, &["content", media, "schema"]);
        let (ty, selector) = match &content.schema {
            Some(schema) => {
                let ty = self.lower(schema.into(), &format!("{owner}Request"), &at)?;
                let selector = self.lower_selector(schema.into(), Some(&ty), params, &at)?;
                (ty, selector)
            }
            None => (TypeRef::Any, None),
        };
        let has_required_fields = match &ty {
            TypeRef::Named(name) => {
                matches!(&self.types.get(name).map(|t| &t.kind), Some(TypeKind::Struct(s)) if s.fields.iter().any(|f| f.required))
            }
            _ => false,
        };
        let file_rules = match (kind, &content.schema) {
            (BodyKind::Multipart, Some(schema)) => self.file_rules(schema.into(), content, &at)?,
            _ => Vec::new(),
        };
        Ok(Some(Body {
            kind,
            media_type: media.to_owned(),
            ty,
            required: body.required || has_required_fields,
            description: body.description.clone(),
            file_rules,
            selector,
        }))
    }

    /// Limits of each file part: media types from the part's `encoding.contentType`, size from
    /// `x-max-bytes` on its property.
    fn file_rules(&self, schema: SchemaRef<'a>, content: &'a MediaType, at: &str) -> Result<Vec<FileRule>, Diagnostic> {
        let schema = self.resolve_schema(schema, at)?;
        let properties = match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => &o.properties,
            openapiv3::SchemaKind::Any(any) => &any.properties,
            _ => return Ok(Vec::new()),
        };
        let mut rules = Vec::new();
        for (part, property) in properties {
            let property = self.resolve_schema(property.into(), at)?;
            let binary = super::schemas::format_of(property).as_deref() == Some("binary");
            let media_types: Vec<String> = content
                .encoding
                .get(part)
                .and_then(|e| e.content_type.as_deref())
                .map(|types| types.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect())
                .unwrap_or_default();
            let max_bytes = property.schema_data.extensions.get("x-max-bytes").and_then(Value::as_u64);
            if binary && (!media_types.is_empty() || max_bytes.is_some()) {
                rules.push(FileRule { part: part.clone(), media_types, max_bytes });
            }
        }
        Ok(rules)
    }

    fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        owner: &str,
        params: &[Param],
        at: &str,
    ) -> Result<Vec<Response>, Diagnostic> {
        let entries: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (code.to_string(), r))
            .chain(op.responses.default.iter().map(|r| ("default".to_owned(), r)))
            .collect();
        let successes = entries.iter().filter(|(s, _)| s.starts_with('2')).count();
        let mut responses = Vec::new();
        for (status, response) in entries {
            let at = join(at, &["responses", &status]);
            let response = self.resolve_response(response, &at)?;
            let success = status.starts_with('2');
            let mut out = Response {
                status: status.clone(),
                description: Some(response.description.clone()).filter(|d| !d.is_empty()),
                ty: None,
                text: false,
                selector: None,
            };
            // Error bodies are decoded by the runtime's one error type; only success bodies get types.
            if success {
                let hint = if successes > 1 { format!("{owner}Response{status}") } else { format!("{owner}Response") };
                match pick_content(&response.content) {
                    Some((media, BodyKind::Raw | BodyKind::Text, _)) => {
                        out.ty = Some(TypeRef::Binary);
                        out.text = media_kind(media) == Some(BodyKind::Text);
                    }
                    Some((media, _, MediaType { schema: Some(schema), .. })) => {
                        let at = join(&at, &["content", media, "schema"]);
                        out.ty = Some(self.lower(schema.into(), &hint, &at)?);
                        out.selector = self.lower_selector(schema.into(), out.ty.as_ref(), params, &at)?;
                    }
                    Some(_) => out.ty = Some(TypeRef::Any),
                    None => {}
                }
            }
            responses.push(out);
        }
        Ok(responses)
    }

    /// `x-select-by` on a `oneOf` body or response: which variant the value of a query parameter selects.
    fn lower_selector(
        &mut self,
        schema: SchemaRef<'a>,
        ty: Option<&TypeRef>,
        params: &[Param],
        at: &str,
    ) -> Result<Option<Selector>, Diagnostic> {
        let resolved = self.resolve_schema(schema, at)?;
        let Some(spec) = resolved.schema_data.extensions.get("x-select-by") else {
            return Ok(None);
        };
        let at = join(at, &["x-select-by"]);
        let variants = match ty {
            Some(TypeRef::Named(name)) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::OneOf(one_of)) => one_of.variants.clone(),
                _ => return Err(Diagnostic::error(at, "`x-select-by` belongs on a `oneOf` schema")),
            },
            _ => return Err(Diagnostic::error(at, "`x-select-by` belongs on a `oneOf` schema")),
        };
        let param = spec.get("parameter").and_then(Value::as_str).unwrap_or_default();
        let Some(found) = params.iter().find(|p| p.name == param && p.location == ParamLocation::Query) else {
            return Err(Diagnostic::error(
                join(&at, &["parameter"]),
                format!("`{param}` is not a query parameter of this operation"),
            ));
        };
        // The generated code compares the parameter's wire text with the mapping's keys.
        let textual = match &found.ty {
            TypeRef::String => true,
            TypeRef::Named(name) => matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::StringEnum(_))),
            _ => false,
        };
        if !textual {
            return Err(Diagnostic::error(
                join(&at, &["parameter"]),
                format!("`{param}` must be a string or a string enum to select a shape"),
            ));
        }
        let variant_of = |reference: Option<&Value>, at: &str| -> Result<String, Diagnostic> {
            let reference = reference.and_then(Value::as_str).unwrap_or_default();
            let target = self.schema_ref_name(reference, at)?;
            variants
                .iter()
                .find(|v| v.ty == TypeRef::Named(target.clone()))
                .map(|v| v.rust_name.clone())
                .ok_or_else(|| Diagnostic::error(at, format!("`{reference}` is not one of the `oneOf` branches")))
        };
        let mut mapping = Vec::new();
        for (value, reference) in spec.get("mapping").and_then(Value::as_object).into_iter().flatten() {
            mapping.push((value.clone(), variant_of(Some(reference), &join(&at, &["mapping", value]))?));
        }
        let default = variant_of(spec.get("default"), &join(&at, &["default"]))?;
        Ok(Some(Selector { param: found.clone(), mapping, default }))
    }

    /// `x-pagination` on a list operation, checked against the response type it walks.
    fn lower_pagination(
        &mut self,
        op: &'a openapiv3::Operation,
        params: &[Param],
        responses: &[Response],
        at: &str,
    ) -> Option<Pagination> {
        let spec = op.extensions.get("x-pagination")?;
        let at = join(at, &["x-pagination"]);
        let get = |key: &str| spec.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let (request_token, response_token, items) = (get("request-token"), get("response-token"), get("items"));
        let successes: Vec<_> = responses.iter().filter(|r| r.is_success()).collect();
        // One success answer, the page: what the stream decodes every page as.
        let page = match successes[..] {
            [only] => only.ty.as_ref(),
            _ => None,
        };
        let fields = match page {
            Some(TypeRef::Named(name)) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => s.fields.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let token = fields.iter().find(|f| f.name == response_token && f.ty == TypeRef::String);
        let list = fields.iter().find(|f| f.name == items);
        let param = params.iter().find(|p| {
            p.name == request_token && p.location == ParamLocation::Query && !p.required && p.ty == TypeRef::String
        });
        match (token, list, param, page) {
            (Some(token), Some(list), Some(param), Some(page)) => {
                let TypeRef::Array(item) = &list.ty else {
                    self.warn(
                        at,
                        format!("`{items}` is not an array; the operation is generated without a page stream"),
                    );
                    return None;
                };
                Some(Pagination {
                    request_token: param.clone(),
                    page_ty: page.clone(),
                    response_token: token.clone(),
                    items: list.clone(),
                    item_ty: (**item).clone(),
                })
            }
            _ => {
                self.warn(
                    at,
                    "the request token (an optional string query parameter), response token (a string field of \
                     the one success answer) or items it names are not in the operation; generated without a page stream",
                );
                None
            }
        }
    }
}

/// How a body of media type `media` is sent or read: JSON (`application/json`, `*+json`, `*/*`),
/// multipart, form, text (`text/*`) or bytes (anything else).
fn media_kind(media: &str) -> Option<BodyKind> {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    Some(if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        BodyKind::Json
    } else if essence == "multipart/form-data" {
        BodyKind::Multipart
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::FormUrlEncoded
    } else if essence.starts_with("text/") {
        BodyKind::Text
    } else if essence.is_empty() {
        return None;
    } else {
        BodyKind::Raw
    })
}

/// The body's media type this generator will use: JSON first, then multipart, form, text, bytes.
fn pick_content(content: &IndexMap<String, MediaType>) -> Option<(&str, BodyKind, &MediaType)> {
    let rank = |kind: BodyKind| match kind {
        BodyKind::Json => 0,
        BodyKind::Multipart => 1,
        BodyKind::FormUrlEncoded => 2,
        BodyKind::Text => 3,
        BodyKind::Raw => 4,
    };
    content
        .iter()
        .filter_map(|(media, m)| media_kind(media).map(|kind| (rank(kind), media.as_str(), kind, m)))
        .min_by_key(|(rank, ..)| *rank)
        .map(|(_, media, kind, m)| (media, kind, m))
}

/// `GET /users/{userId}/pac` -> `get_users_user_id_pac`, for operations without `operationId`.
fn derived_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path.split(['/', '{', '}']).filter(|s| !s.is_empty()).map(names::field_name).collect();
    if words.is_empty() {
        method.to_owned()
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

/// A vendor extension found by its suffix (`x-acme-scopes`, `x-other-scopes`), so the generator
/// reads any vendor's labels without knowing the vendor.
fn extension_ending<'v>(extensions: &'v IndexMap<String, Value>, suffix: &str) -> Option<&'v Value> {
    extensions.iter().find(|(k, _)| k.starts_with("x-") && k.ends_with(suffix)).map(|(_, v)| v)
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    value.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}
