//! Snapshots of generated code, one fixture per construct: a change to the generator shows up here
//! as a diff to review with `cargo insta review`. The real spec's code is committed under
//! `sdk/src/generated/` and its public API in `sdk/api.txt`, both checked against the spec below
//! and by `cargo xtask codegen --check`, so it has no snapshot of its own.

use std::fs;
use std::path::Path;

use sdk_tests::workspace_root as root;

fn generate(path: &Path, runtime_path: &str, source_name: &str) -> codegen::Generated {
    let text = fs::read_to_string(path).expect("description is readable");
    let options = codegen::Options { runtime_path: runtime_path.into(), source_name: source_name.into() };
    codegen::generate(&text, &options).unwrap_or_else(|e| panic!("{source_name}: {e}"))
}

fn zoom() -> codegen::Generated {
    generate(&root().join("spec/zoom-users.yaml"), "crate::runtime", "spec/zoom-users.yaml")
}

#[test]
fn fixtures() {
    let paths = sdk_tests::sorted_files("tests/fixtures/openapi");
    assert!(paths.len() >= 13, "a fixture per construct");
    for path in paths {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 name").to_owned();
        let generated = generate(&path, "zoom_users_sdk::runtime", &format!("tests/fixtures/openapi/{name}.yaml"));
        let warnings: Vec<String> = generated.api.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("{name}__warnings"), warnings.join("\n"));
        for file in generated.files.iter().filter(|f| f.name != "mod.rs") {
            insta::assert_snapshot!(format!("{name}__{}", file.name.trim_end_matches(".rs")), file.text);
        }
    }
}

#[test]
fn generation_is_deterministic() {
    let (first, second) = (zoom(), zoom());
    assert_eq!(first.files, second.files);
}

#[test]
fn committed_sdk_matches_the_spec() {
    for file in zoom().files {
        let committed =
            fs::read_to_string(root().join("sdk/src/generated").join(&file.name)).expect("generated file is committed");
        assert!(committed == file.text, "sdk/src/generated/{} is stale: run `cargo xtask codegen`", file.name);
    }
}

#[test]
fn a_new_property_changes_the_generated_code() {
    let spec = fs::read_to_string(root().join("spec/zoom-users.yaml")).expect("spec is readable");
    // Add a property to the `CreatedUser` schema, as a spec change would.
    let schema = spec.find("\n    CreatedUser:\n").expect("the spec still has the CreatedUser schema");
    let properties = schema + spec[schema..].find("\n      properties:\n").expect("CreatedUser has properties");
    let at = properties + "\n      properties:\n".len();
    let changed = format!("{}        nickname_for_test:\n          type: string\n{}", &spec[..at], &spec[at..]);
    let options =
        codegen::Options { runtime_path: "crate::runtime".into(), source_name: "spec/zoom-users.yaml".into() };
    let before = codegen::generate(&spec, &options).expect("spec generates");
    let after = codegen::generate(&changed, &options).expect("changed spec generates");
    let types = |g: &codegen::Generated| g.files.iter().find(|f| f.name == "types.rs").expect("types.rs").text.clone();
    assert_ne!(types(&before), types(&after));
    assert!(types(&after).contains("pub nickname_for_test: Option<String>"));
}
