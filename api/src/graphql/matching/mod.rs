//! SMEs, support organizations, consultation requests and matching in GraphQL.

pub mod loaders;
pub mod mutation;
pub mod query;
pub mod types;
