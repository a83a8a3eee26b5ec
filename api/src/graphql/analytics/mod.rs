//! Analytics in the schema: aggregates only, for analysts and registry staff.

pub mod query;
