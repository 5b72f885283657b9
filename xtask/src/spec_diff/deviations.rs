//! `spec/deviations.yaml`, the intended deviations from Zoom's description, read as locations that
//! excuse differences. `spec/README.md` ("Intended deviations") describes the file: each entry's
//! `locations` are an `operation` (`GET /users`) with at most one of `parameter: NAME`,
//! `request: PATH` or `response: PATH` (`""` the body as a whole, `"*"` or `PATH.*` everything
//! below), narrowed by `kinds` when given. An entry's `scope` says in words where it applies outside
//! the operations; it is not checked.

use super::compare::{Difference, Kind, Place, Side};
use serde::Deserialize;
use std::fmt;

/// Kinds a location may name that no comparison produces: constraints (lengths, ranges, item
/// counts), examples, headers, and how compositions are arranged. They let an entry say precisely
/// what it is about without ever matching.
pub const UNCOMPARED: [&str; 4] = ["constraint", "example", "header", "structure"];

const METHODS: [&str; 8] = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

/// One entry as written. The prose is for readers; declaring it makes a missing or misspelt field
/// an error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Entry {
    #[serde(default)]
    locations: Vec<Written>,
    scope: Option<String>,
    zoom: String,
    ours: String,
    why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    operation: String,
    parameter: Option<String>,
    request: Option<String>,
    response: Option<String>,
    #[serde(default)]
    kinds: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Operation,
    Parameter(String),
    Body(Side),
    Property(Side, String),
    /// `PATH.*`: the path and everything below it; an empty path is the whole body.
    Below(Side, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based number of the entry in the file.
    pub entry: usize,
    /// In one line: `GET /users response users[].email (format)`.
    pub text: String,
    /// `GET /users`.
    pub operation: String,
    pub target: Target,
    /// Kind names the location is narrowed to; empty covers every kind.
    pub kinds: Vec<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` (entry {})", self.text, self.entry)
    }
}

impl Location {
    pub fn covers(&self, difference: &Difference) -> bool {
        if self.operation != difference.operation
            || !(self.kinds.is_empty() || self.kinds.iter().any(|k| k == difference.kind.name()))
        {
            return false;
        }
        match (&self.target, &difference.place) {
            (Target::Operation, Place::Operation) => true,
            (Target::Parameter(name), Place::Parameter { name: found, .. }) => name == found,
            (Target::Body(side), Place::Body(found)) => side == found,
            (Target::Property(side, path), Place::Property { side: s, path: p }) => side == s && path == p,
            (Target::Below(side, path), Place::Property { side: s, path: p }) => {
                let whole_segments =
                    |rest: &str| rest.is_empty() || [".", "[]", "{}"].iter().any(|s| rest.starts_with(s));
                side == s && (path.is_empty() || p.strip_prefix(path.as_str()).is_some_and(whole_segments))
            }
            _ => false,
        }
    }

    /// Whether some difference could ever match: false when every kind named is one not compared.
    pub fn checkable(&self) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| !UNCOMPARED.contains(&k.as_str()))
    }
}

/// The locations of every entry of the deviations file. Errors name the entry.
pub fn parse(yaml: &str) -> Result<Vec<Location>, String> {
    let entries: Vec<Entry> = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    let mut locations = Vec::new();
    for (number, entry) in (1..).zip(entries) {
        if entry.locations.is_empty() && entry.scope.is_none() {
            return Err(format!("entry {number}: it needs `locations` or a `scope`"));
        }
        for written in entry.locations {
            locations.push(written.read(number)?);
        }
    }
    Ok(locations)
}

impl Written {
    fn read(self, entry: usize) -> Result<Location, String> {
        let text = self.text();
        let error = |message: &str| format!("entry {entry}: `{text}`: {message}");
        let method_path = self.operation.split_once(' ');
        if !method_path.is_some_and(|(m, p)| METHODS.contains(&m) && p.starts_with('/') && !p.contains(' ')) {
            return Err(error("`operation` is an HTTP method and a path: `GET /users/{userId}`"));
        }
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).chain(UNCOMPARED).collect();
        if let Some(kind) = self.kinds.iter().find(|k| !known.contains(&k.as_str())) {
            return Err(error(&format!("unknown kind `{kind}`; known: {}", known.join(", "))));
        }
        let target = self.target().map_err(error)?;
        Ok(Location { entry, text, operation: self.operation, target, kinds: self.kinds })
    }

    /// In one line, as the report shows it.
    fn text(&self) -> String {
        let mut text = self.operation.clone();
        for (word, value) in [("parameter", &self.parameter), ("request", &self.request), ("response", &self.response)]
        {
            if let Some(value) = value {
                text = format!("{text} {word} {value}").trim_end().to_owned();
            }
        }
        if !self.kinds.is_empty() {
            text = format!("{text} ({})", self.kinds.join(", "));
        }
        text
    }

    fn target(&self) -> Result<Target, &'static str> {
        let (side, path) = match (&self.parameter, &self.request, &self.response) {
            (None, None, None) => return Ok(Target::Operation),
            (Some(name), None, None) => return Ok(Target::Parameter(name.clone())),
            (None, Some(path), None) => (Side::Request, path.as_str()),
            (None, None, Some(path)) => (Side::Response, path.as_str()),
            _ => return Err("at most one of `parameter`, `request` and `response`"),
        };
        let below = if path == "*" { Some("") } else { path.strip_suffix(".*") };
        match below {
            _ if below.unwrap_or(path).contains('*') => Err("`*` stands alone or ends the path, after a `.`"),
            Some(below) => Ok(Target::Below(side, below.to_owned())),
            None if path.is_empty() => Ok(Target::Body(side)),
            None => Ok(Target::Property(side, path.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVIATIONS: &str = r#"
- {scope: components/securitySchemes, zoom: Outside the operations., ours: Not checked.}
- locations:
    - {operation: "GET /users/{userId}/pac", response: "pac_accounts[].conference_id"}
    - {operation: GET /users, parameter: status, kinds: [enum, default]}
  scope: schema `PacAccount`
  zoom: Two locations and a scope.
  ours: o
  why: w
- locations:
    - {operation: "PATCH /users/{userId}/settings", request: "*", kinds: [extra]}
    - {operation: "PUT /users/{userId}/status", response: "", kinds: [status]}
    - {operation: "GET /users/{userId}/token", parameter: type, kinds: [constraint]}
    - {operation: GET /a, response: phones.*}
  zoom: Every path, answers, never compared, below.
  ours: o
"#;

    fn difference(operation: &str, place: Place, kind: Kind) -> Difference {
        Difference { operation: operation.into(), place, kind, ours: String::new(), theirs: String::new(), note: None }
    }

    fn property(side: Side, path: &str) -> Place {
        Place::Property { side, path: path.into() }
    }

    #[test]
    fn reads_the_locations_of_every_entry() {
        let locations = parse(DEVIATIONS).unwrap();
        let found: Vec<String> = locations.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "`GET /users/{userId}/pac response pac_accounts[].conference_id` (entry 2)",
                "`GET /users parameter status (enum, default)` (entry 2)",
                "`PATCH /users/{userId}/settings request * (extra)` (entry 3)",
                "`PUT /users/{userId}/status response (status)` (entry 3)",
                "`GET /users/{userId}/token parameter type (constraint)` (entry 3)",
                "`GET /a response phones.*` (entry 3)",
            ]
        );
        assert_eq!(locations[1].kinds, ["enum", "default"]);
        assert_eq!(locations[2].target, Target::Below(Side::Request, String::new()));
        assert_eq!(locations[3].target, Target::Body(Side::Response));
        assert!(!locations[4].checkable());
        assert_eq!(locations[5].target, Target::Below(Side::Response, "phones".into()));
    }

    #[test]
    fn a_location_covers_its_place_and_kinds_only() {
        let locations = parse(DEVIATIONS).unwrap();
        let pac =
            difference("GET /users/{userId}/pac", property(Side::Response, "pac_accounts[].conference_id"), Kind::Type);
        assert!(locations[0].covers(&pac));
        let sibling = difference("GET /users/{userId}/pac", property(Side::Response, "pac_accounts[].id"), Kind::Type);
        assert!(!locations.iter().any(|l| l.covers(&sibling)));

        let status = Place::Parameter { name: "status".into(), location: "query".into() };
        assert!(locations[1].covers(&difference("GET /users", status.clone(), Kind::Enum)));
        assert!(!locations[1].covers(&difference("GET /users", status, Kind::Type)));

        let settings = "PATCH /users/{userId}/settings";
        assert!(locations[2].covers(&difference(settings, property(Side::Request, "whiteboard.enable"), Kind::Extra)));
        assert!(!locations[2].covers(&difference(settings, property(Side::Request, "whiteboard"), Kind::Missing)));
        assert!(!locations[2].covers(&difference(settings, property(Side::Response, "whiteboard"), Kind::Extra)));

        let answers = difference("PUT /users/{userId}/status", Place::Body(Side::Response), Kind::Status);
        assert!(locations[3].covers(&answers));
    }

    #[test]
    fn below_matches_whole_segments() {
        let location = &parse(DEVIATIONS).unwrap()[5];
        let at = |path: &str| difference("GET /a", property(Side::Response, path), Kind::Missing);
        assert!(location.covers(&at("phones")));
        assert!(location.covers(&at("phones[].number")));
        assert!(location.covers(&at("phones.count")));
        assert!(!location.covers(&at("phones_extra")));
    }

    #[test]
    fn malformed_entries_are_errors_naming_the_entry() {
        for (field, message) in [
            (
                "locations: [{operation: GET /users, request: x, response: x}]",
                "entry 1: `GET /users request x response x`: at most one of `parameter`, `request` and `response`",
            ),
            (
                "locations: [{operation: GET /users, response: x, kinds: [typo]}]",
                "entry 1: `GET /users response x (typo)`: unknown kind `typo`; known: missing, extra, operationId",
            ),
            (
                "locations: [{operation: users}]",
                "entry 1: `users`: `operation` is an HTTP method and a path: `GET /users/{userId}`",
            ),
            ("locations: [{operation: GET /a, response: a*}]", "entry 1: `GET /a response a*`: `*` stands alone"),
            ("why: no place", "entry 1: it needs `locations` or a `scope`"),
            ("locations: [{operation: GET /users, answer: x}]", "unknown field `answer`"),
            ("scope: x\n  reason: typo", "unknown field `reason`"),
        ] {
            let error = parse(&format!("- zoom: z\n  ours: o\n  {field}\n")).unwrap_err();
            assert!(error.contains(message), "{error}");
        }
        assert!(parse("- {scope: x, ours: o}").unwrap_err().contains("missing field `zoom`"));
    }
}
