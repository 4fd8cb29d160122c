pub mod models;
pub mod notify;
pub mod repo;
