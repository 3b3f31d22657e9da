//! Fuzz target: `docbind::checks::page` must not panic, hang or run out of memory on any input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| docbind::checks::page(data));
