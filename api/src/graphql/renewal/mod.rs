//! Renewal in GraphQL: policies, the course catalogue, cycles, training completions,
//! deemed-attendance claims and reminders.

pub mod loaders;
pub mod mutation;
pub mod query;
pub mod types;
