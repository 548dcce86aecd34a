#![no_main]
//! See `vmo_fuzz::markdown` for what this target feeds and checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| vmo_fuzz::markdown(data));
