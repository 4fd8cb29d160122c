//! Every output is a view of the same sorted finding list.

pub mod audit;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
