//! The OpenAPI spec, converted to a Postman collection by openapi-to-postmanv2 (as `.ci/run`
//! does), goes through the Postman loader: it loads, its generated code compiles (`build.rs`
//! compiles the collection `POSTMAN_FROM_OPENAPI` names), and every operation keeps the method,
//! path and parameters of the SDK generated from the spec itself.
//!
//! Without `POSTMAN_FROM_OPENAPI` the test says why it skips and passes, so `cargo test` needs no
//! Node.js.

use codegen::compare::{self, DifferenceKind};
use std::fs;
use std::path::Path;

const COLLECTION: &str = "POSTMAN_FROM_OPENAPI";

/// Differences the conversion is expected to make, each with why it is not a loss.
const EXPECTED: &[(&str, &str)] = &[];

#[test]
fn openapi_to_postmanv2_collection_matches_the_openapi_sdk() {
    let Some(path) = std::env::var_os(COLLECTION).filter(|p| !p.is_empty()) else {
        println!(
            "skipped: {COLLECTION} is not set. `.ci/run` sets it to spec/zoom-users.yaml converted by \
             openapi-to-postmanv2 (`npx openapi2postmanv2 -s spec/zoom-users.yaml -o OUT.json -p -O \
             parametersResolution=Example`)"
        );
        return;
    };
    assert_eq!(
        sdk_tests::fixtures::POSTMAN_FROM_OPENAPI.map(Path::new),
        Some(Path::new(&path)),
        "build.rs compiled the generated code of this very collection"
    );
    let text = fs::read_to_string(&path).expect("the converted collection is readable");
    let options = codegen::Options {
        runtime_path: codegen::DEFAULT_RUNTIME_PATH.into(),
        source_name: "the converted collection".into(),
        doc_path: None,
    };
    let postman = codegen::generate(&text, &options).unwrap_or_else(|e| panic!("the converted collection: {e}")).api;
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/zoom-users.yaml");
    let openapi = codegen::load::load(&fs::read_to_string(spec).expect("readable")).expect("the spec loads");

    let differences = compare::operations(&openapi, &postman);
    let described: Vec<String> = differences.iter().map(|d| d.describe("openapi", "postman")).collect();
    println!(
        "{} of {} operations matched by method and path; {} differences",
        compare::matched(&openapi, &postman),
        openapi.operations.len(),
        described.len()
    );
    for (difference, why) in described.iter().map(|d| (d, EXPECTED.iter().find(|(e, _)| e == d).map(|(_, why)| *why))) {
        println!("  {difference}\n    {}", why.unwrap_or("NOT EXPECTED"));
    }
    assert_eq!(compare::matched(&openapi, &postman), openapi.operations.len(), "every operation is in the collection");
    assert!(
        !differences
            .iter()
            .any(|d| matches!(d.kind, DifferenceKind::OperationOnlyLeft | DifferenceKind::OperationOnlyRight)),
        "no operation is missing or extra"
    );
    let expected: Vec<&str> = EXPECTED.iter().map(|(d, _)| *d).collect();
    assert_eq!(described, expected, "the differences are exactly the justified ones");
}
