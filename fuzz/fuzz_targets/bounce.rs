#![no_main]
//! cargo-fuzz target: the bounce parser must never panic on any input.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hikyaku_bounce::parse(data);
});
