//! Differences between two flattened documents, and how much of theirs ours covers.
//!
//! "Ours" is the description we generate from; "theirs" the one we compare with (Zoom's). Types
//! are compatible when no value can break across the two: for what we decode (answers) every type
//! theirs allows must be one ours accepts; for what we send (request bodies and parameters) every
//! type ours allows must be one theirs accepts. An `integer` fits where `number` is expected, not
//! the other way round. A difference in type is reported even when compatible.

use super::walk::{Document, Operation, Parameter, Property, Shape};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What differs. The names are the ones deviation entries use to narrow a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Theirs has it; ours does not.
    Missing,
    /// Ours has it; theirs does not.
    Extra,
    OperationId,
    Status,
    Media,
    Type,
    Format,
    Enum,
    Required,
    Default,
    Deprecated,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Missing,
        Kind::Extra,
        Kind::OperationId,
        Kind::Status,
        Kind::Media,
        Kind::Type,
        Kind::Format,
        Kind::Enum,
        Kind::Required,
        Kind::Default,
        Kind::Deprecated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Extra => "extra",
            Kind::OperationId => "operationId",
            Kind::Status => "status",
            Kind::Media => "media",
            Kind::Type => "type",
            Kind::Format => "format",
            Kind::Enum => "enum",
            Kind::Required => "required",
            Kind::Default => "default",
            Kind::Deprecated => "deprecated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// Where in an operation a difference is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The operation itself (its presence, its `operationId`).
    Operation,
    Parameter {
        name: String,
        location: String,
    },
    /// A request body or the success answers as a whole (media types, status codes).
    Body(Side),
    Property {
        side: Side,
        path: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Operation => f.write_str("operation"),
            Place::Parameter { name, location } => write!(f, "parameter {name} ({location})"),
            Place::Body(side) => f.write_str(side.name()),
            Place::Property { side, path } => write!(f, "{} {path}", side.name()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// `GET /users/{userId}`.
    pub operation: String,
    pub place: Place,
    pub kind: Kind,
    /// What each side says, readable; empty when the side has nothing there.
    pub ours: String,
    pub theirs: String,
    /// Further words: "compatible", or how many paths below a missing one are missing too.
    pub note: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.place)?;
        match self.kind {
            Kind::Missing => write!(f, "missing from ours (theirs: {})", self.theirs)?,
            Kind::Extra => write!(f, "only in ours ({})", self.ours)?,
            kind => write!(f, "{}: ours {}, theirs {}", kind.name(), self.ours, self.theirs)?,
        }
        match &self.note {
            Some(note) => write!(f, "; {note}"),
            None => Ok(()),
        }
    }
}

/// Found / total, counted over theirs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub found: usize,
    pub total: usize,
}

impl Count {
    fn add(&mut self, found: bool) {
        self.total += 1;
        self.found += usize::from(found);
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub operations: Count,
    /// Present (same name and place) with a compatible type.
    pub parameters: Count,
    /// Property paths of request bodies and success answers present with a compatible type.
    pub properties: Count,
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Coverage { operations: o, parameters: p, properties: r } = self;
        write!(
            f,
            "operations {}/{}; parameters {}/{}; properties {}/{}",
            o.found, o.total, p.found, p.total, r.found, r.total
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    /// Grouped by operation: theirs in their order, then those only ours has.
    pub differences: Vec<Difference>,
    pub coverage: Coverage,
}

pub fn compare(ours: &Document, theirs: &Document) -> Comparison {
    let mut result = Comparison::default();
    fn find<'d>(doc: &'d Document, key: &str) -> Option<&'d Operation> {
        doc.operations.iter().find(|o| o.key() == key)
    }
    for their in &theirs.operations {
        let key = their.key();
        let mine = find(ours, &key);
        result.coverage.operations.add(mine.is_some());
        match mine {
            Some(mine) => operation(mine, their, &mut result),
            None => {
                let id = their.operation_id.as_deref().unwrap_or("no operationId");
                result.differences.push(difference(&key, Place::Operation, Kind::Missing, "", id));
                // What the missing operation holds is missing too; the totals stay theirs'.
                result.coverage.parameters.total += their.parameters.len();
                result.coverage.properties.total += their.request.len() + their.response.len();
            }
        }
    }
    for mine in &ours.operations {
        let key = mine.key();
        if find(theirs, &key).is_none() {
            let id = mine.operation_id.as_deref().unwrap_or("no operationId");
            result.differences.push(difference(&key, Place::Operation, Kind::Extra, id, ""));
        }
    }
    result
}

fn difference(operation: &str, place: Place, kind: Kind, ours: &str, theirs: &str) -> Difference {
    Difference {
        operation: operation.to_owned(),
        place,
        kind,
        ours: ours.to_owned(),
        theirs: theirs.to_owned(),
        note: None,
    }
}

fn operation(ours: &Operation, theirs: &Operation, result: &mut Comparison) {
    let key = theirs.key();
    let out = &mut result.differences;
    if ours.operation_id != theirs.operation_id {
        let id = |o: &Operation| o.operation_id.clone().unwrap_or_else(|| "none".into());
        out.push(difference(&key, Place::Operation, Kind::OperationId, &id(ours), &id(theirs)));
    }

    for their in &theirs.parameters {
        let place = Place::Parameter { name: their.name.clone(), location: their.location.clone() };
        match ours.parameters.iter().find(|p| (&p.name, &p.location) == (&their.name, &their.location)) {
            Some(mine) => {
                let compatible = accepts(&their.shape.types, &mine.shape.types);
                result.coverage.parameters.add(compatible);
                parameter(&key, place, mine, their, compatible, out);
            }
            None => {
                result.coverage.parameters.add(false);
                out.push(difference(&key, place, Kind::Missing, "", &describe_types(&their.shape.types)));
            }
        }
    }
    for mine in &ours.parameters {
        if !theirs.parameters.iter().any(|p| (&p.name, &p.location) == (&mine.name, &mine.location)) {
            let place = Place::Parameter { name: mine.name.clone(), location: mine.location.clone() };
            out.push(difference(&key, place, Kind::Extra, &describe_types(&mine.shape.types), ""));
        }
    }

    let sets = [
        (Side::Request, Kind::Media, &ours.request_media, &theirs.request_media),
        (Side::Response, Kind::Status, &ours.success_statuses, &theirs.success_statuses),
        (Side::Response, Kind::Media, &ours.response_media, &theirs.response_media),
    ];
    for (side, kind, mine, their) in sets {
        if mine != their {
            out.push(difference(&key, Place::Body(side), kind, &describe_set(mine), &describe_set(their)));
        }
    }

    for (side, mine, their) in
        [(Side::Request, &ours.request, &theirs.request), (Side::Response, &ours.response, &theirs.response)]
    {
        properties(&key, side, mine, their, &mut result.coverage.properties, out);
    }
}

fn parameter(
    key: &str,
    place: Place,
    ours: &Parameter,
    theirs: &Parameter,
    compatible: bool,
    out: &mut Vec<Difference>,
) {
    shape(key, &place, &ours.shape, &theirs.shape, compatible, out);
    if ours.required != theirs.required {
        out.push(difference(
            key,
            place.clone(),
            Kind::Required,
            &ours.required.to_string(),
            &theirs.required.to_string(),
        ));
    }
    if ours.default != theirs.default {
        let show = |v: &Option<Value>| v.as_ref().map_or_else(|| "none".to_owned(), Value::to_string);
        out.push(difference(key, place, Kind::Default, &show(&ours.default), &show(&theirs.default)));
    }
}

fn properties(
    key: &str,
    side: Side,
    ours: &BTreeMap<String, Property>,
    theirs: &BTreeMap<String, Property>,
    count: &mut Count,
    report: &mut Vec<Difference>,
) {
    let mut out = Vec::new();
    // A missing object brings its whole subtree with it; one line for the top says it all.
    let mut absent = |one: &BTreeMap<String, Property>, other: &BTreeMap<String, Property>, kind: Kind| {
        let paths: Vec<&String> = one.keys().filter(|p| !other.contains_key(*p)).collect();
        let tops: Vec<&String> =
            paths.iter().copied().filter(|p| parent(p).is_none_or(|up| !paths.iter().any(|q| *q == up))).collect();
        for top in tops {
            let below = paths.iter().filter(|p| is_below(p, top)).count();
            let shown = describe_types(&one[top].shape.types);
            let (ours, theirs) = if kind == Kind::Missing { ("", shown.as_str()) } else { (shown.as_str(), "") };
            let mut d = difference(key, Place::Property { side, path: top.clone() }, kind, ours, theirs);
            if below > 0 {
                d.note = Some(format!("with {below} path{} below", if below == 1 { "" } else { "s" }));
            }
            out.push(d);
        }
    };
    absent(theirs, ours, Kind::Missing);
    absent(ours, theirs, Kind::Extra);
    for (path, their) in theirs {
        let Some(mine) = ours.get(path) else {
            count.add(false);
            continue;
        };
        let compatible = match side {
            Side::Response => accepts(&mine.shape.types, &their.shape.types),
            Side::Request => accepts(&their.shape.types, &mine.shape.types),
        };
        count.add(compatible);
        let place = Place::Property { side, path: path.clone() };
        shape(key, &place, &mine.shape, &their.shape, compatible, &mut out);
        if mine.required != their.required {
            out.push(difference(key, place, Kind::Required, &mine.required.to_string(), &their.required.to_string()));
        }
    }
    // Path order reads best; the sort is stable, so the kinds of one path keep their order.
    out.sort_by(|a, b| match (&a.place, &b.place) {
        (Place::Property { path: a, .. }, Place::Property { path: b, .. }) => a.cmp(b),
        _ => std::cmp::Ordering::Equal,
    });
    report.extend(out);
}

fn shape(key: &str, place: &Place, ours: &Shape, theirs: &Shape, compatible: bool, out: &mut Vec<Difference>) {
    if ours.types != theirs.types {
        let mut d =
            difference(key, place.clone(), Kind::Type, &describe_types(&ours.types), &describe_types(&theirs.types));
        d.note = Some(if compatible { "compatible" } else { "incompatible" }.to_owned());
        out.push(d);
    }
    if ours.formats != theirs.formats {
        out.push(difference(
            key,
            place.clone(),
            Kind::Format,
            &describe_set(&ours.formats),
            &describe_set(&theirs.formats),
        ));
    }
    if let Some((mine, their, note)) = describe_enums(&ours.allowed, &theirs.allowed) {
        let mut d = difference(key, place.clone(), Kind::Enum, &mine, &their);
        d.note = note;
        out.push(d);
    }
    if ours.deprecated != theirs.deprecated {
        out.push(difference(
            key,
            place.clone(),
            Kind::Deprecated,
            &ours.deprecated.to_string(),
            &theirs.deprecated.to_string(),
        ));
    }
}

/// Whether every value of the `narrow` types is one the `wide` types take. Empty means any.
pub fn accepts(wide: &BTreeSet<String>, narrow: &BTreeSet<String>) -> bool {
    if wide.is_empty() {
        return true;
    }
    !narrow.is_empty() && narrow.iter().all(|t| wide.contains(t) || (t == "integer" && wide.contains("number")))
}

/// The property path one level up: `a.b[].c` -> `a.b`.
fn parent(path: &str) -> Option<&str> {
    let up = &path[..path.rfind('.')?];
    Some(up.trim_end_matches("[]").trim_end_matches("{}"))
}

fn is_below(path: &str, top: &str) -> bool {
    path.strip_prefix(top).is_some_and(|rest| rest.starts_with('.') || rest.starts_with("[]") || rest.starts_with("{}"))
}

fn describe_types(types: &BTreeSet<String>) -> String {
    if types.is_empty() {
        "any".into()
    } else {
        types.iter().cloned().collect::<Vec<_>>().join("|")
    }
}

fn describe_set(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "none".into()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// `None` when both sides allow the same values (in any order).
fn describe_enums(ours: &Option<Vec<Value>>, theirs: &Option<Vec<Value>>) -> Option<(String, String, Option<String>)> {
    let count = |v: &[Value]| format!("enum of {} value{}", v.len(), if v.len() == 1 { "" } else { "s" });
    match (ours, theirs) {
        (None, None) => None,
        (Some(mine), None) => Some((count(mine), "no enum".into(), None)),
        (None, Some(their)) => Some(("no enum".into(), count(their), None)),
        (Some(mine), Some(their)) => {
            let only = |a: &[Value], b: &[Value]| {
                a.iter().filter(|v| !b.contains(v)).map(Value::to_string).collect::<Vec<_>>()
            };
            let (mine_only, their_only) = (only(mine, their), only(their, mine));
            if mine_only.is_empty() && their_only.is_empty() {
                return None;
            }
            let mut parts = Vec::new();
            if !mine_only.is_empty() {
                parts.push(format!("only ours has {}", mine_only.join(", ")));
            }
            if !their_only.is_empty() {
                parts.push(format!("only theirs has {}", their_only.join(", ")));
            }
            Some((count(mine), count(their), Some(parts.join("; "))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_diff::walk::flatten;
    use serde_json::{json, Value};

    /// A one-operation document: `GET /users/{userId}` with the given parameters and answer schema.
    fn document(parameters: Value, answer: Value) -> Document {
        flatten(&json!({"paths": {"/users/{userId}": {"get": {
            "operationId": "user",
            "parameters": parameters,
            "responses": {"200": {"content": {"application/json": {"schema": answer}}}}
        }}}}))
        .unwrap()
    }

    fn user_id() -> Value {
        json!({"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}})
    }

    fn answer() -> Value {
        json!({"type": "object", "properties": {
            "id": {"type": "string"},
            "pmi": {"type": "integer"},
            "phones": {"type": "array", "items": {"type": "object", "properties": {
                "number": {"type": "string"}, "country": {"type": "string"}
            }}}
        }})
    }

    fn lines(comparison: &Comparison) -> Vec<String> {
        comparison.differences.iter().map(|d| format!("{} {d}", d.operation)).collect()
    }

    #[test]
    fn identical_documents_have_no_differences_and_full_coverage() {
        let ours = document(json!([user_id()]), answer());
        let comparison = compare(&ours, &ours.clone());
        assert_eq!(lines(&comparison), Vec::<String>::new());
        assert_eq!(comparison.coverage.to_string(), "operations 1/1; parameters 1/1; properties 5/5");
    }

    #[test]
    fn a_missing_parameter_is_reported_and_not_covered() {
        let login = json!({"name": "login_type", "in": "query", "schema": {"type": "integer", "enum": [0, 1]}});
        let ours = document(json!([user_id()]), answer());
        let theirs = document(json!([user_id(), login]), answer());
        let comparison = compare(&ours, &theirs);
        assert_eq!(
            lines(&comparison),
            ["GET /users/{userId} parameter login_type (query): missing from ours (theirs: integer)"]
        );
        assert_eq!(comparison.coverage.parameters, Count { found: 1, total: 2 });
    }

    #[test]
    fn a_type_change_is_reported_and_judged_by_direction() {
        let mut changed = answer();
        changed["properties"]["pmi"] = json!({"type": "number"});
        let ours = document(json!([user_id()]), answer());
        let theirs = document(json!([user_id()]), changed);
        // Ours decodes an answer that may hold 1.5 as an integer: that breaks.
        let comparison = compare(&ours, &theirs);
        assert_eq!(
            lines(&comparison),
            ["GET /users/{userId} response pmi: type: ours integer, theirs number; incompatible"]
        );
        assert_eq!(comparison.coverage.properties, Count { found: 4, total: 5 });
        // The other way round every integer they send is a number to us.
        let comparison = compare(&theirs, &ours);
        assert_eq!(
            lines(&comparison),
            ["GET /users/{userId} response pmi: type: ours number, theirs integer; compatible"]
        );
        assert_eq!(comparison.coverage.properties, Count { found: 5, total: 5 });
    }

    #[test]
    fn a_one_of_in_ours_that_includes_their_type_is_compatible() {
        let mut widened = answer();
        widened["properties"]["pmi"] = json!({"oneOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]});
        let comparison = compare(&document(json!([user_id()]), widened), &document(json!([user_id()]), answer()));
        assert_eq!(
            lines(&comparison),
            [
                "GET /users/{userId} response pmi: type: ours integer|string, theirs integer; compatible",
                "GET /users/{userId} response pmi: format: ours int64, theirs none",
            ]
        );
        assert_eq!(comparison.coverage.properties, Count { found: 5, total: 5 });
    }

    #[test]
    fn a_missing_subtree_is_one_difference_but_counts_every_path() {
        let mut smaller = answer();
        smaller["properties"].as_object_mut().unwrap().remove("phones");
        let comparison = compare(&document(json!([user_id()]), smaller), &document(json!([user_id()]), answer()));
        assert_eq!(
            lines(&comparison),
            ["GET /users/{userId} response phones: missing from ours (theirs: array); with 2 paths below"]
        );
        assert_eq!(comparison.coverage.properties, Count { found: 2, total: 5 });
    }

    #[test]
    fn a_missing_path_in_an_array_answer_is_reported() {
        let list = |item: Value| {
            flatten(&json!({"paths": {"/things": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "array", "items": {"type": "object", "properties": item}}
            }}}}}}}}))
            .unwrap()
        };
        let ours = list(json!({"id": {"type": "string"}}));
        let theirs = list(json!({"id": {"type": "string"}, "name": {"type": "string"}}));
        let comparison = compare(&ours, &theirs);
        assert_eq!(lines(&comparison), ["GET /things response [].name: missing from ours (theirs: string)"]);
        assert_eq!(comparison.coverage.properties, Count { found: 1, total: 2 });
    }

    #[test]
    fn enums_compare_as_sets() {
        let parameter =
            |values: Value| json!({"name": "status", "in": "query", "schema": {"type": "string", "enum": values}});
        let ours = document(json!([user_id(), parameter(json!(["b", "a", "c"]))]), answer());
        let reordered = document(json!([user_id(), parameter(json!(["a", "b", "c"]))]), answer());
        assert_eq!(lines(&compare(&ours, &reordered)), Vec::<String>::new());
        let other = document(json!([user_id(), parameter(json!(["a", "b", "d"]))]), answer());
        assert_eq!(
            lines(&compare(&ours, &other)),
            ["GET /users/{userId} parameter status (query): enum: ours enum of 3 values, theirs enum of 3 values; only ours has \"c\"; only theirs has \"d\""]
        );
    }

    #[test]
    fn missing_and_extra_operations_keep_their_totals() {
        let ours = document(json!([user_id()]), answer());
        let theirs = flatten(&json!({"paths": {"/users": {"get": {
            "operationId": "users",
            "parameters": [{"name": "page_size", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {"users": {"type": "array"}}}}}}}
        }}}}))
        .unwrap();
        let comparison = compare(&ours, &theirs);
        assert_eq!(
            lines(&comparison),
            [
                "GET /users operation: missing from ours (theirs: users)",
                "GET /users/{userId} operation: only in ours (user)",
            ]
        );
        assert_eq!(comparison.coverage.to_string(), "operations 0/1; parameters 0/1; properties 0/1");
    }
}
