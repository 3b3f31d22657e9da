//! Fuzz target: `docbind::checks::emit` must not panic, hang or run out of memory on any input.
#![no_main]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| docbind::checks::emit(data));
