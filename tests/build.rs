//! Generates code from every fixture description so the library compiles it: a fixture whose
//! generated code does not compile fails the build, and so the tests.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let fixtures = Path::new("fixtures/openapi");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("fixtures");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");

    let mut entries: Vec<_> =
        fs::read_dir(fixtures).expect("fixtures/openapi exists").filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    let mut modules = String::new();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_stem().and_then(|s| s.to_str()).expect("fixture names are UTF-8").to_owned();
        let text = fs::read_to_string(&path).expect("fixture is readable");
        let options = codegen::Options {
            runtime_path: "zoom_users_sdk::runtime".into(),
            source_name: format!("tests/fixtures/openapi/{name}.yaml"),
        };
        let generated = codegen::generate(&text, &options).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
        let dir = out.join(&name);
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
                 pub use operations::Client;\n\
             }}"
        )
        .expect("writing to a String cannot fail");
    }
    fs::write(out.join("mod.rs"), modules).expect("OUT_DIR is writable");
}
