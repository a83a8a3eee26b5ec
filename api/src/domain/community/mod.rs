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
