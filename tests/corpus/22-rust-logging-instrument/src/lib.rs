pub mod invites;
