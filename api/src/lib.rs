//! Kakehashi: the GraphQL API of Japan's cybersecurity talent programs.
//!
//! Data flows one way: HTTP (`http`) → GraphQL resolvers (`graphql`) → business rules
//! (`domain`) → sea-orm entities (`entities`) → the database.

pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod startup;
pub mod telemetry;
