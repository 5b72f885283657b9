//! Flattens an OpenAPI document into what `spec-diff` compares: operations, their parameters, and
//! every property path of the request bodies and success answers with its type.
//!
//! `$ref`s are followed, and `allOf` / `oneOf` / `anyOf` are merged into the node that holds them:
//! a composition adds no segment to a path, so `{allOf: [{properties: {a: …}}]}` yields `a`. Path
//! segments are property names joined by `.`; `[]` follows an array and `{}` a map
//! (`additionalProperties`), so `users[].license_info_list[].license_option` is one path.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Guards against documents whose composition nests without end.
const MAX_DEPTH: usize = 64;

/// What a schema node allows, folded over its compositions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// JSON types (`object`, `integer`, …); empty means any value.
    pub types: BTreeSet<String>,
    pub formats: BTreeSet<String>,
    /// The allowed values, when the node (or every alternative of it) lists them.
    pub allowed: Option<Vec<Value>>,
    pub deprecated: bool,
}

impl Shape {
    /// Folds in another place where the same path is described, e.g. a second `oneOf` branch:
    /// a value may take either form.
    fn either(&mut self, other: Shape) {
        if self.types.is_empty() || other.types.is_empty() {
            self.types.clear();
        } else {
            self.types.extend(other.types);
        }
        self.formats.extend(other.formats);
        self.allowed = match (self.allowed.take(), other.allowed) {
            (Some(mut mine), Some(theirs)) => {
                for value in theirs {
                    if !mine.contains(&value) {
                        mine.push(value);
                    }
                }
                Some(mine)
            }
            _ => None,
        };
        // A path flagged deprecated anywhere is worth flagging: Zoom often marks one copy only.
        self.deprecated |= other.deprecated;
    }

    /// Folds in an `allOf` member: a value must satisfy both.
    fn both(&mut self, other: Shape) {
        if self.types.is_empty() {
            self.types = other.types;
        } else if !other.types.is_empty() {
            let common: BTreeSet<String> = self.types.intersection(&other.types).cloned().collect();
            // Contradicting members describe nothing useful; keep ours rather than an empty "any".
            if !common.is_empty() {
                self.types = common;
            }
        }
        self.formats.extend(other.formats);
        self.allowed = match (self.allowed.take(), other.allowed) {
            (Some(mine), Some(theirs)) => Some(mine.into_iter().filter(|v| theirs.contains(v)).collect()),
            (mine, theirs) => mine.or(theirs),
        };
        self.deprecated |= other.deprecated;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub shape: Shape,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    /// `query`, `path`, `header` or `cookie`.
    pub location: String,
    pub shape: Shape,
    pub required: bool,
    pub default: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operation {
    /// Upper case, as people write it: `GET`.
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub parameters: Vec<Parameter>,
    pub request_media: BTreeSet<String>,
    /// Status codes starting with `2`.
    pub success_statuses: BTreeSet<String>,
    pub response_media: BTreeSet<String>,
    /// Property paths of the request body, over all its media types.
    pub request: BTreeMap<String, Property>,
    /// Property paths of the success answers, over all their statuses and media types.
    pub response: BTreeMap<String, Property>,
}

impl Operation {
    /// `GET /users/{userId}`: how reports and deviation entries name an operation.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// In document order.
    pub operations: Vec<Operation>,
}

/// Parses JSON or YAML with the generator's own reader (`codegen::load::parse`), so both tools
/// read a description the same way and report a broken one at its line and column.
pub fn parse(text: &str) -> Result<Value, String> {
    codegen::load::parse(text).map_err(|e| e.to_string())
}

/// Flattens a parsed document. Errors name the JSON pointer of the offending node.
pub fn flatten(document: &Value) -> Result<Document, String> {
    let walker = Walker { root: document };
    let paths = document.get("paths").and_then(Value::as_object).ok_or("the document has no `paths` object")?;
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item_pointer = format!("#/paths/{}", escape(path));
        let (item, _) = walker.resolve(item, &item_pointer)?;
        let shared = item.get("parameters");
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            operations.push(walker.operation(path, method, operation, shared, &item_pointer)?);
        }
    }
    Ok(Document { operations })
}

struct Walker<'a> {
    root: &'a Value,
}

impl<'a> Walker<'a> {
    /// Follows `$ref`s to the node they name. Returns it and the refs followed, which identify
    /// the node for cycle detection.
    fn resolve(&self, mut node: &'a Value, pointer: &str) -> Result<(&'a Value, Vec<&'a str>), String> {
        let mut followed = Vec::new();
        while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            if followed.contains(&reference) || followed.len() > MAX_DEPTH {
                return Err(format!("{pointer}: `$ref` chain loops at {reference}"));
            }
            let local = reference
                .strip_prefix('#')
                .ok_or_else(|| format!("{pointer}: only local `$ref`s are supported, found {reference}"))?;
            node = self.root.pointer(local).ok_or_else(|| format!("{pointer}: `$ref` {reference} names nothing"))?;
            followed.push(reference);
        }
        Ok((node, followed))
    }

    fn operation(
        &self,
        path: &str,
        method: &str,
        operation: &'a Value,
        shared: Option<&'a Value>,
        item_pointer: &str,
    ) -> Result<Operation, String> {
        let pointer = &format!("{item_pointer}/{method}");
        let mut result = Operation {
            method: method.to_uppercase(),
            path: path.to_owned(),
            operation_id: operation.get("operationId").and_then(Value::as_str).map(str::to_owned),
            ..Operation::default()
        };

        // Path-level parameters first; an operation-level one with the same name and place replaces it.
        let levels = [(shared, item_pointer), (operation.get("parameters"), pointer)];
        for (list, at) in levels {
            for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                let parameter = self.parameter(parameter, &format!("{at}/parameters/{index}"))?;
                result.parameters.retain(|p| (&p.name, &p.location) != (&parameter.name, &parameter.location));
                result.parameters.push(parameter);
            }
        }

        if let Some(body) = operation.get("requestBody") {
            let at = format!("{pointer}/requestBody");
            let (body, _) = self.resolve(body, &at)?;
            self.content(body, &at, &mut result.request_media, &mut result.request)?;
        }
        let responses = operation.get("responses").and_then(Value::as_object);
        for (status, response) in responses.into_iter().flatten() {
            if !status.starts_with('2') {
                continue;
            }
            result.success_statuses.insert(status.clone());
            let at = format!("{pointer}/responses/{status}");
            let (response, _) = self.resolve(response, &at)?;
            self.content(response, &at, &mut result.response_media, &mut result.response)?;
        }
        Ok(result)
    }

    fn parameter(&self, parameter: &'a Value, pointer: &str) -> Result<Parameter, String> {
        let (parameter, _) = self.resolve(parameter, pointer)?;
        let text = |key: &str| {
            parameter
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{pointer}: no `{key}`"))
        };
        // A parameter has either `schema` or `content` with one media type holding the schema.
        let schema = parameter.get("schema").map(|s| (s, format!("{pointer}/schema"))).or_else(|| {
            let (media, entry) = parameter.get("content")?.as_object()?.iter().next()?;
            Some((entry.get("schema")?, format!("{pointer}/content/{}/schema", escape(media))))
        });
        let (mut shape, default) = match schema {
            Some((schema, at)) => {
                let (resolved, _) = self.resolve(schema, &at)?;
                (self.shape(schema, &at, 0)?, resolved.get("default").cloned())
            }
            None => (Shape::default(), None),
        };
        shape.deprecated |= flag(parameter, "deprecated");
        Ok(Parameter {
            name: text("name")?,
            location: text("in")?,
            shape,
            required: flag(parameter, "required"),
            default,
        })
    }

    /// Collects the media types of a request body or response and the property paths of their schemas.
    fn content(
        &self,
        holder: &'a Value,
        pointer: &str,
        media: &mut BTreeSet<String>,
        paths: &mut BTreeMap<String, Property>,
    ) -> Result<(), String> {
        for (name, entry) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
            media.insert(name.clone());
            if let Some(schema) = entry.get("schema") {
                let at = format!("{pointer}/content/{}/schema", escape(name));
                self.properties(schema, "", &BTreeSet::new(), &at, &mut Vec::new(), paths)?;
            }
        }
        Ok(())
    }

    /// Records every property under `node` with its path below `prefix`.
    ///
    /// `required` holds names a surrounding object requires; it reaches the properties a
    /// composition member declares. `active` holds the refs on the way down, so a schema that
    /// contains itself is entered once.
    fn properties(
        &self,
        node: &'a Value,
        prefix: &str,
        required: &BTreeSet<String>,
        pointer: &str,
        active: &mut Vec<&'a str>,
        out: &mut BTreeMap<String, Property>,
    ) -> Result<(), String> {
        if active.len() > MAX_DEPTH {
            return Err(format!("{pointer}: schemas nest deeper than {MAX_DEPTH} levels"));
        }
        let (node, followed) = self.resolve(node, pointer)?;
        if followed.iter().any(|r| active.contains(r)) {
            return Ok(());
        }
        let entered = followed.len();
        active.extend(followed);

        let mut required = required.clone();
        self.required_names(node, pointer, &mut required, 0)?;
        for keyword in ["allOf", "oneOf", "anyOf"] {
            for (index, member) in node.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate() {
                self.properties(member, prefix, &required, &format!("{pointer}/{keyword}/{index}"), active, out)?;
            }
        }
        for (name, property) in node.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
            let at = format!("{pointer}/properties/{}", escape(name));
            let found = Property { shape: self.shape(property, &at, 0)?, required: required.contains(name) };
            match out.get_mut(&path) {
                Some(known) => {
                    known.shape.either(found.shape);
                    known.required |= found.required;
                }
                None => {
                    out.insert(path.clone(), found);
                }
            }
            self.properties(property, &path, &BTreeSet::new(), &at, active, out)?;
        }
        if let Some(items) = node.get("items") {
            self.properties(items, &format!("{prefix}[]"), &BTreeSet::new(), &format!("{pointer}/items"), active, out)?;
        }
        if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
            let at = format!("{pointer}/additionalProperties");
            self.properties(values, &format!("{prefix}{{}}"), &BTreeSet::new(), &at, active, out)?;
        }

        active.truncate(active.len() - entered);
        Ok(())
    }

    /// `required` of a node and of its `allOf` members, which all constrain the same object.
    fn required_names(
        &self,
        node: &'a Value,
        pointer: &str,
        names: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("{pointer}: `allOf` nests deeper than {MAX_DEPTH} levels"));
        }
        let (node, _) = self.resolve(node, pointer)?;
        if let Some(list) = node.get("required").and_then(Value::as_array) {
            names.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        for (index, member) in node.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
            self.required_names(member, &format!("{pointer}/allOf/{index}"), names, depth + 1)?;
        }
        Ok(())
    }

    /// The type, formats, allowed values and deprecation of one node, through its compositions.
    fn shape(&self, node: &'a Value, pointer: &str, depth: usize) -> Result<Shape, String> {
        if depth > MAX_DEPTH {
            return Err(format!("{pointer}: compositions nest deeper than {MAX_DEPTH} levels"));
        }
        let (node, _) = self.resolve(node, pointer)?;
        let mut shape = Shape::default();
        match node.get("type") {
            Some(Value::String(t)) => {
                shape.types.insert(t.clone());
            }
            // OpenAPI 3.1 writes a list of types.
            Some(Value::Array(list)) => shape.types.extend(list.iter().filter_map(Value::as_str).map(str::to_owned)),
            _ if node.get("properties").is_some() || node.get("additionalProperties").is_some() => {
                shape.types.insert("object".into());
            }
            _ if node.get("items").is_some() => {
                shape.types.insert("array".into());
            }
            _ => {}
        }
        if let Some(format) = node.get("format").and_then(Value::as_str) {
            shape.formats.insert(format.to_owned());
        }
        shape.allowed = node.get("enum").and_then(Value::as_array).cloned();
        shape.deprecated = flag(node, "deprecated");

        for (index, member) in node.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
            shape.both(self.shape(member, &format!("{pointer}/allOf/{index}"), depth + 1)?);
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(branches) = node.get(keyword).and_then(Value::as_array) else { continue };
            let mut shapes = Vec::new();
            for (index, branch) in branches.iter().enumerate() {
                shapes.push(self.shape(branch, &format!("{pointer}/{keyword}/{index}"), depth + 1)?);
            }
            // Only a deprecation of every alternative deprecates the node.
            let deprecated = shapes.iter().all(|s| s.deprecated);
            let mut shapes = shapes.into_iter();
            if let Some(mut alternatives) = shapes.next() {
                for other in shapes {
                    alternatives.either(other);
                }
                alternatives.deprecated = deprecated;
                shape.both(alternatives);
            }
        }
        Ok(shape)
    }
}

fn flag(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// JSON-pointer escaping of one reference token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn only_operation(document: Value) -> Operation {
        let mut flat = flatten(&document).unwrap();
        assert_eq!(flat.operations.len(), 1);
        flat.operations.remove(0)
    }

    fn types(shape: &Shape) -> Vec<&str> {
        shape.types.iter().map(String::as_str).collect()
    }

    #[test]
    fn refs_and_all_of_merge_into_one_path_set() {
        let operation = only_operation(json!({
            "paths": {"/things": {"get": {"responses": {"200": {"content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/Page"}}}}}}}},
            "components": {"schemas": {
                "Page": {"allOf": [
                    {"$ref": "#/components/schemas/Paging"},
                    {"type": "object", "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}
                ]},
                "Paging": {"type": "object", "required": ["next"], "properties": {"next": {"type": "string"}}},
                "Thing": {"type": "object", "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "kind": {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["a"]}]}
                }}
            }}
        }));
        let paths: Vec<&str> = operation.response.keys().map(String::as_str).collect();
        assert_eq!(paths, ["next", "things", "things[].id", "things[].kind"]);
        assert!(operation.response["next"].required);
        assert!(!operation.response["things"].required);
        assert_eq!(types(&operation.response["things"].shape), ["array"]);
        assert_eq!(operation.response["things[].id"].shape.formats, BTreeSet::from(["int64".to_owned()]));
        let kind = &operation.response["things[].kind"].shape;
        assert_eq!(types(kind), ["integer", "string"]);
        // One branch takes any integer, so the union is not restricted to the string branch's values.
        assert_eq!(kind.allowed, None);
        assert_eq!(operation.success_statuses, BTreeSet::from(["200".to_owned()]));
    }

    #[test]
    fn one_of_branches_union_their_properties_and_values() {
        let operation = only_operation(json!({
            "paths": {"/presence": {"put": {"requestBody": {"content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "properties": {"status": {"type": "string", "enum": ["Away", "Busy"]}}},
                {"type": "object", "required": ["duration"], "properties": {
                    "status": {"type": "string", "enum": ["Do_No_Disturb"]},
                    "duration": {"type": "integer"}
                }}
            ]}}}}, "responses": {"204": {"description": "done"}}}}}
        }));
        assert_eq!(
            operation.request["status"].shape.allowed,
            Some(vec![json!("Away"), json!("Busy"), json!("Do_No_Disturb")])
        );
        assert!(operation.request["duration"].required);
        assert_eq!(operation.request_media, BTreeSet::from(["application/json".to_owned()]));
        assert!(operation.response.is_empty());
    }

    #[test]
    fn a_schema_that_contains_itself_is_entered_once() {
        let operation = only_operation(json!({
            "paths": {"/tree": {"get": {"responses": {"200": {"content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/Node"}}}}}}}},
            "components": {"schemas": {"Node": {"type": "object", "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            }}}}
        }));
        let paths: Vec<&str> = operation.response.keys().map(String::as_str).collect();
        assert_eq!(paths, ["children", "name"]);
    }

    #[test]
    fn parameters_merge_path_and_operation_levels() {
        let operation = only_operation(json!({
            "paths": {"/users/{userId}": {
                "parameters": [{"$ref": "#/components/parameters/UserId"}, {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "get": {
                    "operationId": "user",
                    "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "integer", "default": 3}}],
                    "responses": {"204": {"description": "none"}}
                }
            }},
            "components": {"parameters": {"UserId": {"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}}}}
        }));
        assert_eq!(operation.key(), "GET /users/{userId}");
        assert_eq!(operation.operation_id.as_deref(), Some("user"));
        let names: Vec<(&str, &str)> =
            operation.parameters.iter().map(|p| (p.name.as_str(), p.location.as_str())).collect();
        assert_eq!(names, [("userId", "path"), ("q", "query")]);
        let q = &operation.parameters[1];
        assert!(q.required);
        assert_eq!(types(&q.shape), ["integer"]);
        assert_eq!(q.default, Some(json!(3)));
    }

    #[test]
    fn yaml_and_json_give_the_same_document() {
        let yaml = "paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let json = r#"{"paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
        assert_eq!(parse(yaml).unwrap(), parse(json).unwrap());
    }

    #[test]
    fn a_dangling_ref_is_an_error_naming_its_place() {
        let document = json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Nope"}]}}}});
        let error = flatten(&document).unwrap_err();
        assert_eq!(error, "#/paths/~1a/get/parameters/0: `$ref` #/components/parameters/Nope names nothing");
    }
}
