//! Generates code from every fixture description so the library compiles it: a fixture whose
//! generated code does not compile fails the build, and so the tests.
//!
//! Each gets its `types`, `operations` and `mock` modules (the mocks compiled always here, where
//! the SDK compiles them only with its `mock` feature).
//!
//! OpenAPI fixtures become `fixtures::<name>`, Postman fixtures `fixtures::postman_<name>`, and
//! `spec/zoom-users.postman.json` `fixtures::postman_zoom_users`. When `POSTMAN_FROM_OPENAPI`
//! names a collection (CI converts `spec/zoom-users.yaml` with openapi-to-postmanv2), it becomes
//! `fixtures::postman_from_openapi`, and `fixtures::POSTMAN_FROM_OPENAPI` names the file compiled.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// The fixture whose doc examples are compiled.
const DOC_EXAMPLES: &str = "doc_examples";

/// The variable naming the converted collection to compile.
const FROM_OPENAPI: &str = "POSTMAN_FROM_OPENAPI";

fn main() {
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("fixtures");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");
    let mut modules = String::new();

    for (dir, prefix) in [("fixtures/openapi", ""), ("fixtures/postman", "postman_")] {
        println!("cargo:rerun-if-changed={dir}");
        for path in fixtures(Path::new(dir)) {
            let stem = path.file_stem().and_then(|s| s.to_str()).expect("fixture names are UTF-8");
            let file = path.file_name().and_then(|s| s.to_str()).expect("fixture names are UTF-8");
            let source = format!("tests/{dir}/{file}");
            let name = format!("{prefix}{stem}");
            // One fixture's client docs hold doc examples, compiled by `cargo test --doc`: one
            // per kind of argument an example writes (the others' would only repeat them).
            let doc_path = (name == DOC_EXAMPLES).then(|| format!("sdk_tests::fixtures::{name}"));
            generate(&path, &name, &source, doc_path, &out, &mut modules);
        }
    }
    let spec = Path::new("../spec/zoom-users.postman.json");
    generate(spec, "postman_zoom_users", "spec/zoom-users.postman.json", None, &out, &mut modules);

    println!("cargo:rerun-if-env-changed={FROM_OPENAPI}");
    match env::var_os(FROM_OPENAPI).filter(|p| !p.is_empty()) {
        Some(path) => {
            let path = PathBuf::from(path);
            generate(
                &path,
                "postman_from_openapi",
                "a collection converted by openapi-to-postmanv2",
                None,
                &out,
                &mut modules,
            );
            let shown = path.to_str().expect("the collection's path is UTF-8");
            writeln!(modules, "pub const POSTMAN_FROM_OPENAPI: Option<&str> = Some({shown:?});").expect("to a String");
        }
        None => writeln!(modules, "pub const POSTMAN_FROM_OPENAPI: Option<&str> = None;").expect("to a String"),
    }
    fs::write(out.join("mod.rs"), modules).expect("OUT_DIR is writable");
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} exists: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

/// Generates the description at `path` into `out/<name>/` and declares the module.
fn generate(path: &Path, name: &str, source_name: &str, doc_path: Option<String>, out: &Path, modules: &mut String) {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = codegen::Options {
        runtime_path: codegen::DEFAULT_RUNTIME_PATH.into(),
        source_name: source_name.to_owned(),
        doc_path,
    };
    let generated = codegen::generate(&text, &options).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    let dir = out.join(name);
    fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    for file in generated.files.iter().filter(|f| f.name != "mod.rs") {
        // `include!` takes items only: the inner module docs stay in the snapshots.
        let items: String = file.text.lines().filter(|l| !l.starts_with("//!")).map(|l| format!("{l}\n")).collect();
        fs::write(dir.join(&file.name), items).expect("OUT_DIR is writable");
    }
    let dir = dir.display();
    writeln!(
        modules,
        "#[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation)]\n\
         pub mod {name} {{\n\
             pub mod types {{ include!(\"{dir}/types.rs\"); }}\n\
             pub mod operations {{ include!(\"{dir}/operations.rs\"); }}\n\
             pub mod mock {{ include!(\"{dir}/mock.rs\"); }}\n\
             pub use operations::Client;\n\
         }}"
    )
    .expect("writing to a String cannot fail");
}
