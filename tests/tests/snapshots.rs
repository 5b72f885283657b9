//! Snapshots of generated code, one fixture per construct: a change to the generator shows up here
//! as a diff to review with `cargo insta review`. The real spec's code is committed under
//! `sdk/src/generated/` and its public API in `sdk/api.txt`, both checked against the spec below
//! and by `cargo xtask codegen --check`, so it has no snapshot of its own.

use std::fs;
use std::path::Path;

use sdk_tests::workspace_root as root;

fn generate(path: &Path, runtime_path: &str, source_name: &str) -> codegen::Generated {
    let text = fs::read_to_string(path).expect("description is readable");
    let options =
        codegen::Options { runtime_path: runtime_path.into(), source_name: source_name.into(), doc_path: None };
    codegen::generate(&text, &options).unwrap_or_else(|e| panic!("{source_name}: {e}"))
}

fn zoom() -> codegen::Generated {
    let text = fs::read_to_string(root().join("spec/zoom-users.yaml")).expect("the spec is readable");
    // As `cargo xtask codegen` makes it: doc examples name the crate.
    let options = codegen::Options {
        runtime_path: "crate::runtime".into(),
        source_name: "spec/zoom-users.yaml".into(),
        doc_path: Some("zoom_users_sdk".into()),
    };
    codegen::generate(&text, &options).unwrap_or_else(|e| panic!("spec/zoom-users.yaml: {e}"))
}

#[test]
fn fixtures() {
    let paths = sdk_tests::sorted_files("tests/fixtures/openapi");
    assert!(paths.len() >= 13, "a fixture per construct");
    for path in paths {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 name").to_owned();
        let generated = generate(&path, codegen::DEFAULT_RUNTIME_PATH, &format!("tests/fixtures/openapi/{name}.yaml"));
        let warnings: Vec<String> = generated.api.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("{name}__warnings"), warnings.join("\n"));
        // The mocks' shared part is the same for every description: `mocks` below snapshots a few.
        for file in generated.files.iter().filter(|f| f.name != "mod.rs" && f.name != "mock.rs") {
            insta::assert_snapshot!(format!("{name}__{}", file.name.trim_end_matches(".rs")), file.text);
        }
    }
}

/// The typed mocks (`mock.rs`) of the fixtures that have each kind of parameter, a form body, and
/// answers with and without a body.
#[test]
fn mocks() {
    for name in ["params", "form_body", "empty_2xx"] {
        let path = root().join(format!("tests/fixtures/openapi/{name}.yaml"));
        let generated = generate(&path, codegen::DEFAULT_RUNTIME_PATH, &format!("tests/fixtures/openapi/{name}.yaml"));
        let mock = generated.files.iter().find(|f| f.name == "mock.rs").expect("a mock file");
        insta::assert_snapshot!(format!("{name}__mock"), mock.text);
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
    let options = codegen::Options {
        runtime_path: "crate::runtime".into(),
        source_name: "spec/zoom-users.yaml".into(),
        doc_path: None,
    };
    let before = codegen::generate(&spec, &options).expect("spec generates");
    let after = codegen::generate(&changed, &options).expect("changed spec generates");
    let types = |g: &codegen::Generated| g.files.iter().find(|f| f.name == "types.rs").expect("types.rs").text.clone();
    assert_ne!(types(&before), types(&after));
    assert!(types(&after).contains("pub nickname_for_test: Option<String>"));
}

#[test]
fn the_client_docs_show_a_call_per_operation_group() {
    let spec = r#"
openapi: 3.0.3
info: {title: groups, version: '1'}
paths:
  /teams/{team}:
    get:
      operationId: getTeam
      tags: [Teams]
      parameters:
        - {name: team, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: Nothing.}}
    put:
      operationId: putTeam
      tags: [Teams]
      parameters:
        - {name: team, in: path, required: true, schema: {type: string}}
        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses: {'204': {description: Nothing.}}
  /teams:
    get:
      operationId: listTeams
      tags: [Teams]
      responses:
        '200':
          description: The teams.
          content: {application/json: {schema: {type: array, items: {type: string}}}}
  /files:
    post:
      operationId: uploadFile
      tags: [Files]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, required: [file], properties: {file: {type: string, format: binary}}}
      responses: {'204': {description: Nothing.}}
  /ping:
    get:
      operationId: ping
      responses: {'204': {description: Nothing.}}
  /trees:
    put:
      operationId: putTree
      tags: [Trees]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Tree'}}}
      responses: {'204': {description: Nothing.}}
components:
  schemas:
    Tree:
      type: object
      required: [root]
      properties: {root: {$ref: '#/components/schemas/Tree'}}
"#;
    let options = |doc_path: Option<&str>| codegen::Options {
        runtime_path: "my_sdk::runtime".into(),
        source_name: "groups.yaml".into(),
        doc_path: doc_path.map(Into::into),
    };
    let operations = |doc_path| {
        let generated = codegen::generate(spec, &options(doc_path)).expect("generates");
        generated.files.into_iter().find(|f| f.name == "operations.rs").expect("operations.rs").text
    };
    let docs = operations(Some("my_sdk"));
    // One section per tag, in the order the tags first appear, then the operations without one.
    let teams = docs.find("/// # Group `Teams`").expect("a Teams section");
    let files = docs.find("/// # Group `Files`").expect("a Files section");
    let rest = docs.find("/// # Operations in no group").expect("a section for untagged operations");
    assert!(teams < files && files < rest);
    assert!(docs.contains("/// 3 operations: [`get_team`](Self::get_team), [`put_team`](Self::put_team), [`list_teams`](Self::list_teams)."));
    // The simplest call of the group: a read without arguments, its answer printed.
    assert!(docs.contains("/// use my_sdk::Client;\n/// # async fn example()"));
    assert!(docs.contains("/// let answer = client.list_teams().await?;\n/// println!(\"{answer:?}\");"));
    assert!(docs.contains("/// client.ping().await?;"), "no answer, nothing printed");
    // A file is written through the runtime, named as code outside the crate names it.
    assert!(docs.contains(
        "/// client.upload_file(types::UploadFileRequest::new(my_sdk::runtime::FilePart::new(\"file.bin\", \"application/octet-stream\", Vec::new()))).await?;"
    ), "{docs}");
    assert_eq!(docs.matches("/// ```no_run").count(), 3);
    // A group whose every call needs a value no example can write gets its list, and no stub.
    let deep = docs.find("/// # Group `Trees`").expect("a Trees section");
    let section = &docs[deep..deep + docs[deep..].find("pub struct Client").expect("the client")];
    assert!(section.contains("/// 1 operation: [`put_tree`](Self::put_tree)."), "{section}");
    assert!(!section.contains("```"), "{section}");
    assert!(!docs.contains("todo!()"));
    // Without a doc path, no examples.
    assert!(!operations(None).contains("```no_run"));
}

#[test]
fn an_example_writes_the_arguments_a_call_needs() {
    let spec = r#"
openapi: 3.0.3
info: {title: args, version: '1'}
paths:
  /teams/{team}:
    put:
      operationId: putTeam
      parameters:
        - {name: team, in: path, required: true, schema: {type: string}}
        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name, size], properties: {name: {type: string}, size: {type: integer}}}
      responses: {'204': {description: Nothing.}}
"#;
    let options = codegen::Options {
        runtime_path: "my_sdk::runtime".into(),
        source_name: "args.yaml".into(),
        doc_path: Some("my_sdk::generated".into()),
    };
    let generated = codegen::generate(spec, &options).expect("generates");
    let docs = &generated.files.iter().find(|f| f.name == "operations.rs").expect("operations.rs").text;
    assert!(docs.contains("/// # Example"), "{docs}");
    assert!(docs.contains("/// use my_sdk::generated::{types, Client};"), "{docs}");
    assert!(
        docs.contains(
            "/// client.put_team(\"team\", types::PutTeamMode::Fast, types::PutTeamRequest::new(\"name\", 1)).await?;"
        ),
        "{docs}"
    );
}
