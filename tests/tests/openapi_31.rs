//! OpenAPI 3.1 read into the same types as 3.0: Zoom's own 3.1 description of its Users events,
//! read where the workspace keeps its reference material (never copied into the repository).
//! The 3.1 constructs one by one are in `tests/fixtures/openapi/openapi_3_1.yaml`, snapshotted and
//! compiled with the other fixtures.

use codegen::ir::TypeKind;
use serde_json::Value;

fn zoom_events() -> Option<String> {
    let path = sdk_tests::workspace_root().join("../shared/reference/zoom-users-webhooks.openapi.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            println!("skipped: Zoom's 3.1 description of its events is not at {} ({e})", path.display());
            None
        }
    }
}

#[test]
fn zooms_3_1_description_of_its_events_generates_one_type_per_event() {
    let Some(text) = zoom_events() else { return };
    let document: Value = serde_json::from_str(&text).expect("JSON");
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "still a 3.1 document");
    let options = codegen::Options {
        runtime_path: codegen::DEFAULT_RUNTIME_PATH.into(),
        source_name: "zoom-users-webhooks.openapi.json".into(),
        doc_path: None,
    };
    let generated = codegen::generate(&text, &options).unwrap_or_else(|e| panic!("generates:\n{e}"));
    for warning in &generated.api.warnings {
        println!("{warning}");
        assert!(warning.line_col.is_some(), "located: {warning}");
        assert!(!warning.repaired, "Zoom's 3.1 description breaks no rule the loader repairs: {warning}");
    }
    let webhooks = generated.api.webhooks.as_ref().expect("its events");
    let mut names: Vec<&str> = webhooks.events.iter().map(|e| e.name.as_str()).collect();
    let mut published: Vec<&str> =
        document["webhooks"].as_object().expect("webhooks").keys().map(String::as_str).collect();
    names.sort_unstable();
    published.sort_unstable();
    assert_eq!(names, published, "one event per published webhook, named by its key");
    assert_eq!(webhooks.tag, "event");
    for event in &webhooks.events {
        let codegen::ir::TypeRef::Named(name) = &event.ty else { panic!("{}: a named type", event.name) };
        let Some(TypeKind::Struct(body)) = generated.api.types.get(name).map(|t| &t.kind) else {
            panic!("{}: a struct", event.name)
        };
        let event_field = body.fields.iter().find(|f| f.name == "event").expect("the event property");
        assert_eq!(event_field.ty, codegen::ir::TypeRef::String, "{}: the event's name stays a string", event.name);
        assert!(body.fields.iter().any(|f| f.name == "payload" && f.required), "{}: its payload", event.name);
    }
    let types = &generated.files.iter().find(|f| f.name == "types.rs").expect("types.rs").text;
    assert!(types.contains("\"user.created\" => "), "the event enum decodes by name");
}
