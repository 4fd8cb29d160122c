#![no_main]
//! The YAML front end, each kind: the first byte picks the file name
//! (compose, Kubernetes, CloudFormation, Helm values, Elasticsearch, mongod).

use leakguard::discover::FileKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((name, rest)) = leakguard_fuzz::route(data, leakguard_fuzz::YAML_NAMES) {
        leakguard_fuzz::analyze_text(rest, FileKind::Yaml, name);
    }
});
