pub mod cache;
pub mod search;
