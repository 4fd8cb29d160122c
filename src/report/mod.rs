//! Every output is a view of the same sorted finding list.

pub mod explain;
pub mod human;
pub mod json;
