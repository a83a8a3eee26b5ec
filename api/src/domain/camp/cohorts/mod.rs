//! Cohorts (one running of a program) and their tracks. Camp staff plan them and move them
//! through their states one step at a time, each not before its date (applications open on
//! their first day, selection after they close, the session from the first day of camp,
//! completion from the last); moving early takes a reason, which the audit trail keeps.
//! Anybody may read them.

use chrono::NaiveDate;
use entities::camp_cohort;
use serde::Deserialize;

use super::types::CohortStatus;
use crate::domain::versioned::Versioned;

mod commands;
mod queries;

pub use commands::{CohortInput, TrackInput, advance, create, update};

pub use queries::{
    CohortFilter, application_counts, by_ids, count, list, moves_of, tracks_by_ids, tracks_of,
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

/// The first day a cohort may enter `to`, and the date that sets it, in words.
pub fn enters_on(row: &camp_cohort::Model, to: CohortStatus) -> Option<(NaiveDate, String)> {
    match to {
        CohortStatus::Planned => None,
        CohortStatus::ApplicationsOpen => Some((
            row.applications_open_on,
            format!("applications open on {}", row.applications_open_on),
        )),
        CohortStatus::Selecting => Some((
            row.applications_close_on.succ_opt()?,
            format!("applications close on {}", row.applications_close_on),
        )),
        CohortStatus::InSession => Some((
            row.starts_on,
            format!("the camp starts on {}", row.starts_on),
        )),
        CohortStatus::Completed => Some((row.ends_on, format!("the camp ends on {}", row.ends_on))),
    }
}

/// The first day a cohort may move on to its next state; none once completed.
pub fn next_status_on(row: &camp_cohort::Model) -> Option<NaiveDate> {
    enters_on(row, status_of(row).next()?).map(|(on, _)| on)
}

/// The longest reason for moving a cohort on before its date.
pub const MAX_OVERRIDE_REASON_CHARS: usize = 500;

const VERSIONED: Versioned<camp_cohort::Entity> = Versioned {
    id: camp_cohort::Column::Id,
    version: camp_cohort::Column::Version,
    updated_at: camp_cohort::Column::UpdatedAt,
    field: "expected_version",
    what: "cohort",
};
