pub mod agency;
pub mod brand;
pub mod campaign;
pub mod compliance;
pub mod creator;
pub mod finance;
pub mod messaging;
pub mod staff;
