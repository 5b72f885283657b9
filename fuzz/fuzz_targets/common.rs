//! What both targets run: one loader on the input, then emit and render, whole and in pieces, on
//! a thread with the stack `codegen::generate` gives generation (deep inputs recurse).

use codegen::ir::Api;
use codegen::Error;

pub fn run(data: &[u8], load: fn(serde_json::Value) -> Result<Api, Error>) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = text.to_owned();
    let worker = std::thread::Builder::new().stack_size(1 << 30).spawn(move || {
        let Ok(value) = codegen::load::parse(&text) else { return };
        let Ok(api) = load(value) else { return };
        let options = codegen::Options { runtime_path: "crate::runtime".into(), source_name: "fuzz".into(), doc_path: None };
        // A render error here is the generator emitting invalid Rust: a bug, like a panic.
        let whole = codegen::render::files(&api, &options, 1).expect("generated code is valid Rust");
        // Generation prints files in pieces, one per core: joined, they must be the whole files.
        let pieces = codegen::render::files(&api, &options, 3).expect("each piece is valid Rust");
        assert_eq!(pieces, whole, "files printed in pieces differ from the whole files");
    });
    // A panic in the worker has already aborted the process (libFuzzer's hook); nothing to join.
    let _ = worker.expect("a thread").join();
}
