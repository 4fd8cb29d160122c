#![no_main]
//! The Json front end on arbitrary UTF-8 text.

use leakguard::discover::FileKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    leakguard_fuzz::analyze_text(data, FileKind::Json, "search/contacts.json");
});
