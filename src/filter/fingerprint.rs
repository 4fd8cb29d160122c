//! Fingerprints stable across line shifts, re-indentation and unrelated
//! edits: built from the rule id, the path, the normalised flagged text and
//! its occurrence index among identical texts in the file.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::finding::Finding;

pub fn assign(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for f in findings.iter_mut() {
        let key = (f.rule_id.clone(), f.path.clone(), f.anchor.clone());
        let n = seen.entry(key).or_insert(0);
        let mut h = Sha256::new();
        h.update(f.rule_id.as_bytes());
        h.update([0]);
        h.update(f.path.as_bytes());
        h.update([0]);
        h.update(f.anchor.as_bytes());
        h.update([0]);
        h.update(n.to_string().as_bytes());
        *n += 1;
        f.fingerprint = crate::rules::hex(&h.finalize()[..16]);
    }
}
