//! `cargo xtask compare LEFT RIGHT`: two descriptions of one API, each an OpenAPI document or a
//! Postman collection (told by content), compared operation by operation as the generator reads
//! them: operations only one side has, and for shared operations (same method and path) the
//! parameters (name, place, required) and the body's kind. Exits non-zero when they differ.

use codegen::compare;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// One description (OpenAPI 3.0 or Postman collection, YAML or JSON).
    left: PathBuf,
    /// The other description.
    right: PathBuf,
}

pub fn run(args: Args) -> Result<(), String> {
    let root = crate::root();
    let load = |path: &PathBuf| {
        crate::codegen_task::generate_file(
            &root,
            &crate::codegen_task::resolve(&root, path),
            "crate::runtime".into(),
            None,
        )
        .map_err(|(name, e)| format!("{e}\nerror: {name}: cannot compare it"))
    };
    let (left_name, left) = load(&args.left)?;
    let (right_name, right) = load(&args.right)?;
    let (left, right) = (&left.api, &right.api);
    let differences = compare::operations(left, right);
    for difference in &differences {
        println!("{}", difference.describe(&left_name, &right_name));
    }
    println!(
        "compare: {} operations shared; {left_name} has {}, {right_name} has {}; {} differences",
        compare::matched(left, right),
        left.operations.len(),
        right.operations.len(),
        differences.len()
    );
    match differences.len() {
        0 => Ok(()),
        n => Err(format!("compare: {left_name} and {right_name} differ in {n} places")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(left: &str, right: &str) -> Args {
        Args { left: left.into(), right: right.into() }
    }

    #[test]
    fn a_description_matches_itself() {
        run(args("spec/zoom-users.yaml", "spec/zoom-users.yaml")).expect("no differences");
    }

    #[test]
    fn the_collection_and_the_spec_differ_by_what_the_collection_leaves_out() {
        let error = run(args("spec/zoom-users.yaml", "spec/zoom-users.postman.json")).expect_err("they differ");
        assert!(error.contains("spec/zoom-users.yaml and spec/zoom-users.postman.json differ"), "{error}");
    }

    #[test]
    fn a_broken_side_is_a_located_error() {
        let error = run(args("spec/zoom-users.yaml", "tests/fixtures/bad/ref_unresolved.yaml")).expect_err("refused");
        assert!(error.starts_with("error: tests/fixtures/bad/ref_unresolved.yaml:9:40: "), "{error}");
        assert!(error.ends_with("cannot compare it"), "{error}");
    }
}
