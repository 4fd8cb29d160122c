//! leakguard: a data-policy compliance linter. The engine as a library, used
//! by the binary, the tests and the benchmark.

pub mod cache;
pub mod config;
pub mod diag;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod filter;
pub mod finding;
pub mod frontend;
pub mod link;
pub mod paths;
pub mod policies;
pub mod report;
pub mod rules;
pub mod span;
pub mod vocab;
