//! The OpenAPI loader on arbitrary bytes. Seeds: `spec/`, `tests/fixtures/openapi/`, `tests/fixtures/bad/`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data, codegen::load::openapi::load));
