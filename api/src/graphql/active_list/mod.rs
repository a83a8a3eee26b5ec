//! The Active List in GraphQL: guidance themes, entries, search and review.

pub mod loaders;
pub mod mutation;
pub mod query;
pub mod types;
