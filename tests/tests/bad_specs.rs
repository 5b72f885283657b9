//! The corpus of malformed and hostile descriptions under `tests/fixtures/bad/`, and a few made here
//! because they are big (a 50 MB document, depth 500, 10,000 enum values). Each one's outcome is a
//! snapshot: its errors (or, for those the generator accepts, its counts and warnings). None may
//! panic, and every error that points into the document carries a line and column.

use std::fs;

fn options(name: &str) -> codegen::Options {
    codegen::Options {
        runtime_path: codegen::DEFAULT_RUNTIME_PATH.into(),
        source_name: format!("tests/fixtures/bad/{name}"),
        doc_path: None,
    }
}

/// What the generator made of a description, as the snapshot shows it.
fn outcome(bytes: &[u8], name: &str) -> String {
    match codegen::generate_bytes(bytes, &options(name)) {
        Err(error) => {
            for d in &error.diagnostics {
                assert!(
                    d.pointer == "#" || d.line_col.is_some(),
                    "{name}: an error that points into the document has a line and column: {d}"
                );
            }
            format!("rejected\n{error}")
        }
        Ok(generated) => {
            let (operations, types) = generated.api.counts();
            let mut lines = vec![format!("generated: {operations} operations, {types} types")];
            lines.extend(generated.api.warnings.iter().map(ToString::to_string));
            lines.join("\n")
        }
    }
}

#[test]
fn every_corpus_entry_has_its_outcome() {
    let paths = sdk_tests::sorted_files("tests/fixtures/bad");
    assert!(paths.len() >= 60, "the corpus has {} entries", paths.len());
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_owned();
        let bytes = fs::read(&path).expect("readable");
        insta::assert_snapshot!(name.replace('.', "_"), outcome(&bytes, &name));
    }
}

/// `components/schemas/Level0` holds `Level1` inline, and so on, `depth` levels down.
fn nested_schema(depth: usize) -> String {
    let mut text = String::from("{\"type\": \"string\"}");
    for level in (0..depth).rev() {
        text =
            format!("{{\"type\": \"object\", \"required\": [\"l{level}\"], \"properties\": {{\"l{level}\": {text}}}}}");
    }
    format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"deep\", \"version\": \"1\"}}, \"paths\": {{\"/deep\": {{\"get\": \
         {{\"operationId\": \"getDeep\", \"responses\": {{\"200\": {{\"description\": \"ok\", \"content\": \
         {{\"application/json\": {{\"schema\": {{\"$ref\": \"#/components/schemas/Deep\"}}}}}}}}}}}}}}}}, \
         \"components\": {{\"schemas\": {{\"Deep\": {text}}}}}}}"
    )
}

#[test]
fn a_schema_nested_500_deep_generates_one_struct_per_level() {
    let generated = codegen::generate(&nested_schema(500), &options("depth_500.json")).expect("generates");
    assert_eq!(generated.api.types.len(), 500, "one struct per object level");
    let size: usize = generated.files.iter().map(|f| f.text.len()).sum();
    assert!(size < 500 * 2_000, "output grows with the input, not faster: {size} bytes");
}

#[test]
fn arrays_nested_500_deep_generate() {
    let mut items = String::from("{\"type\": \"integer\"}");
    for _ in 0..500 {
        items = format!("{{\"type\": \"array\", \"items\": {items}}}");
    }
    let spec = nested_schema(1).replace("{\"type\": \"string\"}", &items);
    let generated = codegen::generate(&spec, &options("arrays_500.json")).expect("generates");
    let Some(codegen::ir::TypeKind::Struct(deep)) = generated.api.types.get("Deep").map(|t| &t.kind) else {
        panic!("`Deep` is a struct");
    };
    let (mut ty, mut depth) = (&deep.fields[0].ty, 0);
    while let codegen::ir::TypeRef::Array(item) = ty {
        (ty, depth) = (item, depth + 1);
    }
    assert_eq!((depth, ty), (500, &codegen::ir::TypeRef::Integer(64)));
    assert!(generated.files.iter().any(|f| f.text.contains("pub struct Deep")));
}

#[test]
fn nesting_past_the_limit_is_refused_with_its_place() {
    let spec = nested_schema(1_500);
    insta::assert_snapshot!("generated__depth_1500", outcome(spec.as_bytes(), "depth_1500.json"));
}

#[test]
fn an_enum_of_10000_values_generates_one_variant_per_value() {
    let values: Vec<String> = (0..10_000).map(|i| format!("value-{i}")).collect();
    let spec = nested_schema(0).replace(
        "{\"type\": \"string\"}",
        &format!("{{\"type\": \"string\", \"enum\": {}}}", serde_json::to_string(&values).expect("JSON")),
    );
    let generated = codegen::generate(&spec, &options("enum_10000.json")).expect("generates");
    let types = &generated.files.iter().find(|f| f.name == "types.rs").expect("types.rs").text;
    assert!(types.contains("Value9999,") && types.contains("\"value-9999\" => Self::Value9999"));
    // Each value appears in the variant list, `as_str` and `from`: linear, a few hundred bytes each.
    assert!(types.len() < 10_000 * 300, "output grows with the input, not faster: {} bytes", types.len());
}

#[test]
fn a_50_megabyte_document_is_read_and_its_error_found_at_the_end() {
    // 50 MB of vendor-extension data, then one broken reference on the last lines.
    let mut spec = String::from(
        "{\n\"openapi\": \"3.0.3\",\n\"info\": {\"title\": \"big\", \"version\": \"1\"},\n\"x-padding\": [\n",
    );
    let line = format!("  \"{}\",\n", "x".repeat(96));
    while spec.len() < 50 * 1024 * 1024 {
        spec.push_str(&line);
    }
    spec.push_str("  \"end\"\n],\n\"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\", \"content\": {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/Nowhere\"}}}}}}}}\n}\n");
    insta::assert_snapshot!("generated__fifty_megabytes", outcome(spec.as_bytes(), "fifty_megabytes.json"));
}

#[test]
fn aliases_that_expand_wide_are_refused() {
    // Not deep like the billion laughs: one list of 1,000 anchored once, aliased 2,000 times.
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: wide, version: '1'}\npaths: {}\nx-one: &one [");
    spec.push_str(&vec!["0"; 1_000].join(", "));
    spec.push_str("]\nx-many: [");
    spec.push_str(&vec!["*one"; 2_000].join(", "));
    spec.push_str("]\n");
    insta::assert_snapshot!("generated__wide_aliases", outcome(spec.as_bytes(), "wide_aliases.yaml"));
}
