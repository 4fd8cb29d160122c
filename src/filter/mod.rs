//! What decides which findings count: inline suppressions, fingerprints, the
//! baseline of accepted findings, and the pre-commit/diff scope.

pub mod baseline;
pub mod fingerprint;
pub mod scope;
pub mod suppress;
