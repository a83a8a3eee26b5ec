//! Integration tests of Kakehashi: the real service on a real, migrated database (SQLite by
//! default, PostgreSQL when TEST_DATABASE_URL is set), one database per test.

// Test code may panic on a broken fixture: that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod active_list;
mod analytics;
mod architecture;
mod audit;
mod auth;
mod bulk;
mod camps;
mod community;
mod consent;
mod cors;
mod cost;
mod disclosure;
mod documents;
mod erasure;
mod explorer;
mod hardening;
mod http_contract;
mod idempotency;
mod journeys;
mod lists;
mod matches;
mod matching;
mod permissions;
mod personal_data;
mod privacy;
mod registry_access;
mod registry_mutations;
mod registry_queries;
mod renewal;
mod schema;
mod scoping;
mod seed;
mod service_accounts;
mod sessions;
mod shutdown;
mod stored_states;
mod sync;
mod user_errors;
