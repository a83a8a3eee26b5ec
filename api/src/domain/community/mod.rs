//! The alumni community beside the camps: opt-in profiles of camp graduates with per-field
//! visibility, activity reports, and community events with RSVPs and attendance.
//!
//! It builds on the camps (who is an alumnus, the cohorts they completed, their person
//! record) and the registry; the camps know nothing of it.

pub mod activities;
pub mod events;
pub mod members;
pub mod permissions;
pub mod seed;
pub mod types;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &[
    "community_member",
    "member_interest",
    "alumni_activity",
    "community_event",
    "event_rsvp",
];
