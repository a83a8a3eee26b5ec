//! Analytics for the 50,000-specialist target: aggregates only, never a person.
//!
//! Counts on a date are computed from the status history *as it was known on that date*:
//! a status change recorded later (even one effective earlier) never changes the figure
//! for a past date, so a published figure stays reproducible.

pub mod breakdown;
pub mod camp;
pub mod permissions;
pub mod registry;
pub mod renewal;
pub mod supply;
pub mod suppression;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &["published_breakdown"];

use crate::domain::{Caller, DomainResult, Role};

/// The roles that read analytics: analysts, registry staff and administrators.
pub const ANALYTICS_READERS: &[Role] = &[Role::Admin, Role::ProgramStaff, Role::Analyst];

/// Admits only [`ANALYTICS_READERS`].
pub fn require_reader(caller: &Caller) -> DomainResult<()> {
    caller.actor.allow(&permissions::READ_ANALYTICS)
}
