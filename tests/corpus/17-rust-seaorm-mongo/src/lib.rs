pub mod entities;
pub mod outreach;
