//! `cargo xtask spec-diff OTHER [--spec PATH] [--deviations PATH] [--json]`: the drift report.
//!
//! Compares our description with another one (Zoom's own, when Zoom publishes a new version):
//! operations, parameters and every property path of request bodies and success answers. Each
//! difference is either covered by a location of an entry in `spec/deviations.yaml` (see
//! [`deviations`]) or unexplained; the task fails when any is unexplained.

mod compare;
mod deviations;
mod walk;

use compare::{Comparison, Difference};
use deviations::Location;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The description to compare with (OpenAPI 3, YAML or JSON), e.g. Zoom's own.
    other: PathBuf,
    /// Our description [default: spec/zoom-users.yaml in the workspace].
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The list of intended deviations (YAML) that explains known differences
    /// [default: spec/deviations.yaml in the workspace].
    #[arg(long)]
    deviations: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// One difference and the deviation location that explains it, if any.
struct Judged<'a> {
    difference: &'a Difference,
    reason: Option<&'a Location>,
}

pub fn run(args: Args) -> Result<(), String> {
    let root = crate::root();
    // Paths the user types are relative to where they stand; the defaults belong to the workspace.
    let (spec, spec_name) = chosen(args.spec, &root, "spec/zoom-users.yaml");
    let (deviations, deviations_name) = chosen(args.deviations, &root, "spec/deviations.yaml");
    let other_name = args.other.to_string_lossy().into_owned();

    let ours = load(&spec, &spec_name)?;
    let theirs = load(&args.other, &other_name)?;
    let deviations_text = read(&deviations, &deviations_name)?;
    let locations = deviations::parse(&deviations_text).map_err(|e| format!("error: {deviations_name}: {e}"))?;

    let comparison = compare::compare(&ours, &theirs);
    let judged = judge(&comparison, &locations);
    let unexplained = judged.iter().filter(|j| j.reason.is_none()).count();
    let unused = unused(&locations, &judged);

    if args.json {
        let report = json_report(&comparison, &judged, &unused, [&spec_name, &other_name, &deviations_name]);
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        print!("{}", text_report(&comparison, &judged, &unused, [&spec_name, &other_name, &deviations_name]));
    }
    if unexplained > 0 {
        return Err(format!("error: {unexplained} differences are not listed as intended in {deviations_name}"));
    }
    Ok(())
}

fn chosen(given: Option<PathBuf>, root: &Path, default: &str) -> (PathBuf, String) {
    match given {
        Some(path) => {
            let name = path.to_string_lossy().into_owned();
            (path, name)
        }
        None => (root.join(default), default.to_owned()),
    }
}

fn read(path: &Path, name: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("error: cannot read {name}: {e}"))
}

fn load(path: &Path, name: &str) -> Result<walk::Document, String> {
    let value = walk::parse(&read(path, name)?).map_err(|e| format!("error: {name}: {e}"))?;
    walk::flatten(&value).map_err(|e| format!("error: {name}: {e}"))
}

/// Each difference with the first location that covers it.
fn judge<'a>(comparison: &'a Comparison, locations: &'a [Location]) -> Vec<Judged<'a>> {
    comparison
        .differences
        .iter()
        .map(|difference| Judged { difference, reason: locations.iter().find(|l| l.covers(difference)) })
        .collect()
}

/// Locations that cover no difference: the entry may be stale. Those naming only kinds the report
/// never compares cannot match and are left out.
fn unused<'a>(locations: &'a [Location], judged: &[Judged]) -> Vec<&'a Location> {
    locations.iter().filter(|l| l.checkable() && !judged.iter().any(|j| l.covers(j.difference))).collect()
}

fn totals(judged: &[Judged]) -> String {
    let unexplained = judged.iter().filter(|j| j.reason.is_none()).count();
    format!("{} differences, {} intended, {unexplained} unexplained", judged.len(), judged.len() - unexplained)
}

fn text_report(comparison: &Comparison, judged: &[Judged], unused: &[&Location], names: [&str; 3]) -> String {
    let [spec, other, deviations] = names;
    let mut out = format!("spec-diff: ours {spec}, theirs {other}, intended deviations from {deviations}\n");
    let mut operation = None;
    for judged in judged {
        let difference = judged.difference;
        if operation != Some(&difference.operation) {
            out.push_str(&format!("\n{}\n", difference.operation));
            operation = Some(&difference.operation);
        }
        match judged.reason {
            Some(location) => {
                out.push_str(&format!("  intended     {difference}  [{deviations} entry {}]\n", location.entry))
            }
            None => out.push_str(&format!("  UNEXPLAINED  {difference}\n")),
        }
    }
    if !unused.is_empty() {
        out.push_str(&format!("\ndeviation locations in {deviations} that matched no difference:\n"));
        for location in unused {
            out.push_str(&format!("  {location}\n"));
        }
    }
    out.push_str(&format!("\n{}\n{}\n", comparison.coverage, totals(judged)));
    out
}

fn json_report(comparison: &Comparison, judged: &[Judged], unused: &[&Location], names: [&str; 3]) -> Value {
    let [spec, other, deviations] = names;
    let count = |c: compare::Count| json!({"found": c.found, "total": c.total});
    let coverage = comparison.coverage;
    let differences: Vec<Value> = judged
        .iter()
        .map(|j| {
            let d = j.difference;
            json!({
                "operation": d.operation,
                "place": place(&d.place),
                "kind": d.kind.name(),
                "ours": d.ours,
                "theirs": d.theirs,
                "note": d.note,
                "intended": j.reason.map(|l| json!({"entry": l.entry, "location": l.text})),
            })
        })
        .collect();
    let unexplained = judged.iter().filter(|j| j.reason.is_none()).count();
    json!({
        "ours": spec,
        "theirs": other,
        "deviations": deviations,
        "coverage": {
            "operations": count(coverage.operations),
            "parameters": count(coverage.parameters),
            "properties": count(coverage.properties),
        },
        "differences": differences,
        "intended": judged.len() - unexplained,
        "unexplained": unexplained,
        "unused_locations": unused.iter().map(|l| json!({"entry": l.entry, "location": l.text})).collect::<Vec<_>>(),
    })
}

fn place(place: &compare::Place) -> Value {
    use compare::Place;
    match place {
        Place::Operation => json!({"at": "operation"}),
        Place::Parameter { name, location } => json!({"at": "parameter", "name": name, "in": location}),
        Place::Body(side) => json!({"at": side.name()}),
        Place::Property { side, path } => json!({"at": side.name(), "path": path}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = r#"
paths:
  /users/{userId}:
    get:
      operationId: user
      parameters:
      - {name: userId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    User:
      type: object
      properties:
        pmi: {type: integer, format: int64}
        host_key: {type: string}
"#;

    const THEIRS: &str = r#"{"paths": {"/users/{userId}": {"get": {
        "operationId": "user",
        "parameters": [
            {"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "login_type", "in": "query", "schema": {"type": "integer"}}
        ],
        "responses": {"200": {"content": {"application/json": {"schema": {"allOf": [
            {"type": "object", "properties": {"pmi": {"type": "integer"}}}
        ]}}}}}
    }}}}"#;

    const DEVIATIONS: &str = r#"
- locations: [{operation: "GET /users/{userId}", response: pmi, kinds: [format]}]
  zoom: No format.
  ours: int64.
  why: Ten digits need 64 bits.
- locations: [{operation: "GET /users/{userId}", response: host_key}]
  zoom: Not described.
  ours: Described, because it is sent.
- locations: [{operation: "GET /users/{userId}", response: email}]
  zoom: Explains nothing any more.
  ours: Anything.
"#;

    const NAMES: [&str; 3] = ["ours.yaml", "theirs.json", "deviations.yaml"];

    fn example(deviations: &str) -> (Comparison, Vec<Location>) {
        let ours = walk::flatten(&walk::parse(OURS).unwrap()).unwrap();
        let theirs = walk::flatten(&walk::parse(THEIRS).unwrap()).unwrap();
        (compare::compare(&ours, &theirs), deviations::parse(deviations).unwrap())
    }

    fn report(deviations: &str) -> (String, usize) {
        let (comparison, locations) = example(deviations);
        let judged = judge(&comparison, &locations);
        let unexplained = judged.iter().filter(|j| j.reason.is_none()).count();
        (text_report(&comparison, &judged, &unused(&locations, &judged), NAMES), unexplained)
    }

    #[test]
    fn intended_deviations_are_accepted_and_the_rest_fail() {
        let (text, unexplained) = report(DEVIATIONS);
        assert_eq!(unexplained, 1);
        assert_eq!(
            text,
            "\
spec-diff: ours ours.yaml, theirs theirs.json, intended deviations from deviations.yaml

GET /users/{userId}
  UNEXPLAINED  parameter login_type (query): missing from ours (theirs: integer)
  intended     response host_key: only in ours (string)  [deviations.yaml entry 2]
  intended     response pmi: format: ours int64, theirs none  [deviations.yaml entry 1]

deviation locations in deviations.yaml that matched no difference:
  `GET /users/{userId} response email` (entry 3)

operations 1/1; parameters 1/2; properties 1/1
3 differences, 2 intended, 1 unexplained
"
        );
    }

    /// The reference description may be absent, but our own files are always here: they must stay
    /// readable by the report, so a broken entry format fails `cargo test`, not only CI's drift step.
    #[test]
    fn the_project_spec_and_deviation_list_are_readable() {
        let root = crate::root();
        let spec = load(&root.join("spec/zoom-users.yaml"), "spec/zoom-users.yaml").unwrap();
        assert_eq!(spec.operations.len(), 29);
        let itself = compare::compare(&spec, &spec);
        assert!(itself.differences.is_empty(), "{:?}", itself.differences);
        assert_eq!(itself.coverage.operations, compare::Count { found: 29, total: 29 });
        let deviations = read(&root.join("spec/deviations.yaml"), "spec/deviations.yaml").unwrap();
        let locations = deviations::parse(&deviations).unwrap();
        assert!(locations.iter().all(|l| spec.operations.iter().any(|o| o.key() == l.operation)), "{locations:?}");
    }

    #[test]
    fn the_json_report_carries_the_same_verdicts() {
        let (comparison, locations) = example(DEVIATIONS);
        let judged = judge(&comparison, &locations);
        let report = json_report(&comparison, &judged, &unused(&locations, &judged), NAMES);
        assert_eq!(report["coverage"]["parameters"], json!({"found": 1, "total": 2}));
        assert_eq!((report["intended"].clone(), report["unexplained"].clone()), (json!(2), json!(1)));
        assert_eq!(
            report["differences"][0],
            json!({
                "operation": "GET /users/{userId}",
                "place": {"at": "parameter", "name": "login_type", "in": "query"},
                "kind": "missing",
                "ours": "",
                "theirs": "integer",
                "note": null,
                "intended": null,
            })
        );
        assert_eq!(
            report["differences"][2]["intended"],
            json!({"entry": 1, "location": "GET /users/{userId} response pmi (format)"})
        );
        assert_eq!(report["unused_locations"], json!([{"entry": 3, "location": "GET /users/{userId} response email"}]));
    }

    #[test]
    fn a_kind_filter_leaves_other_kinds_unexplained() {
        let deviations =
            r#"- {locations: [{operation: "GET /users/{userId}", response: pmi, kinds: [enum]}], zoom: z, ours: o}"#;
        let (text, unexplained) = report(deviations);
        assert_eq!(unexplained, 3);
        assert!(text.contains("  UNEXPLAINED  response pmi: format: ours int64, theirs none\n"));
    }
}
