//! The Postman loader on arbitrary bytes. Seeds: `spec/zoom-users.postman.json`,
//! `tests/fixtures/postman/`, `tests/fixtures/postman-bad/`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data, codegen::load::postman::load));
