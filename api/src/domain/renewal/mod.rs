//! Renewal of registrations: three-year cycles and their deadlines, the training each
//! cycle requires (as versioned policies), training completions, deemed attendance,
//! the lapse sweep and renewal reminders.

pub mod claims;
pub mod completions;
pub mod courses;
pub mod cycle;
pub mod cycles;
pub mod permissions;
pub mod policy;
pub mod seed;
pub mod sweep;
pub mod types;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &[
    "renewal_cycle",
    "renewal_reminder",
    "course",
    "training_completion",
    "requirement_policy",
    "policy_requirement",
    "deemed_attendance_claim",
    "claim_match",
];
