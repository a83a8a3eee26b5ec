//! The registry of Registered Information Security Specialists (登録セキスペ).

pub mod commands;
pub mod query;
pub mod seed;
pub mod types;
pub mod view;
