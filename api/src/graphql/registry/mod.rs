//! The specialist registry in GraphQL.

pub mod loaders;
pub mod mutation;
pub mod query;
pub mod types;
