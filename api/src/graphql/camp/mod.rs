//! Security Camp and the alumni community in the schema.

pub mod loaders;
pub mod mutation;
pub mod query;
pub mod types;
