//! Cohorts (one running of a program) and their tracks. Camp staff plan them and move them
//! through their states one step at a time; anybody may read them.

use entities::camp_cohort;
use serde::Deserialize;

use super::types::CohortStatus;
use crate::domain::versioned::Versioned;

mod commands;
mod queries;

pub use commands::{CohortInput, TrackInput, advance, create, update};
pub use queries::{
    CohortFilter, application_counts, by_ids, count, list, tracks_by_ids, tracks_of,
};

/// The most tracks a cohort has, and questions its assignment asks.
pub const MAX_TRACKS: usize = 20;
pub const MAX_QUESTIONS: usize = 20;

/// The questions of a cohort's application assignment.
pub fn questions_of(row: &camp_cohort::Model) -> Vec<String> {
    Vec::<String>::deserialize(&row.questions).unwrap_or_default()
}

pub fn status_of(row: &camp_cohort::Model) -> CohortStatus {
    row.status
}

const VERSIONED: Versioned<camp_cohort::Entity> = Versioned {
    id: camp_cohort::Column::Id,
    version: camp_cohort::Column::Version,
    updated_at: camp_cohort::Column::UpdatedAt,
    field: "expected_version",
    what: "cohort",
};
