#![no_main]
//! The Cargo manifest reader on arbitrary UTF-8 text.

use leakguard::discover::FileKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    leakguard_fuzz::analyze_text(data, FileKind::CargoManifest, "Cargo.toml");
});
