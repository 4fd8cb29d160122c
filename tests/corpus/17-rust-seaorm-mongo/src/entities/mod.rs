pub mod creator;
pub mod deal;
