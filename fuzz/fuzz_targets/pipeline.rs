#![no_main]
//! The whole single-file pipeline on arbitrary bytes: the first byte picks
//! the file name and kind; reports must stay valid.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(((name, kind), rest)) = leakguard_fuzz::route(data, leakguard_fuzz::ALL_NAMES) {
        leakguard_fuzz::pipeline(rest, name, kind);
    }
});
