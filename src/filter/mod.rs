//! What decides which findings count: inline suppressions, fingerprints, the
//! baseline of accepted findings.

pub mod baseline;
pub mod fingerprint;
pub mod suppress;
