//! SMEs, support organizations, consultation requests and matching them with Active List
//! specialists.

pub mod candidates;
pub mod companies;
pub mod corporate_number;
pub mod guide;
pub mod matches;
pub mod organizations;
pub mod permissions;
pub mod requests;
pub mod scope;
pub mod seed;
pub mod types;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &[
    "support_organization",
    "organization_prefecture",
    "company",
    "consultation_request",
    "request_theme",
    "matching",
    "match_session",
    "match_session_correction",
];
