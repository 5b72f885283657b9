//! What both targets run: one loader on the input, then emit and render, whole and in pieces, on
//! a thread with the stack `codegen::generate` gives generation (deep inputs recurse).

use codegen::emit::Piece;
use codegen::ir::Api;
use codegen::Error;

pub fn run(data: &[u8], load: fn(serde_json::Value) -> Result<Api, Error>) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = text.to_owned();
    let worker = std::thread::Builder::new().stack_size(1 << 30).spawn(move || {
        let Ok(value) = codegen::load::parse(&text) else { return };
        let Ok(api) = load(value) else { return };
        let options = codegen::Options { runtime_path: "crate::runtime".into(), source_name: "fuzz".into(), doc_path: None };
        let target = codegen::emit::target(&options).expect("fixed, valid paths");
        for (name, emitter, splits) in codegen::emit::FILES {
            // A print error here is the generator emitting invalid Rust: a bug, like a panic.
            let print = |piece| codegen::render::print(name, emitter(&api, &target, piece));
            let whole = print(Piece::WHOLE).expect("generated code is valid Rust");
            if splits {
                // Generation prints a file in pieces, one per core: joined, they must be the whole file.
                let joined: String =
                    (0..3).map(|index| print(Piece { index, count: 3 }).expect("each piece is valid Rust")).collect();
                assert_eq!(joined, whole, "{name}: pieces joined differ from the whole file");
            }
        }
    });
    // A panic in the worker has already aborted the process (libFuzzer's hook); nothing to join.
    let _ = worker.expect("a thread").join();
}
