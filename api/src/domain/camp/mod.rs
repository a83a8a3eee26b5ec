//! Security Camp: people, programs and their eligibility rules, cohorts and tracks,
//! applications and selection. The alumni community is its own area beside it
//! (`domain::community`); the programme's figures are analytics (`domain::analytics::camp`).

pub mod applications;
pub mod cohorts;
pub mod people;
pub mod permissions;
pub mod programs;
pub mod seed;
pub mod types;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &[
    "person",
    "camp_program",
    "camp_track",
    "camp_cohort",
    "camp_cohort_move",
    "camp_application",
];
