//! Applications to cohorts and their selection.
//!
//! `APPLIED → SELECTED | WAITLISTED | REJECTED`, `WAITLISTED → SELECTED | REJECTED`,
//! `SELECTED → ATTENDED → COMPLETED`, and `WITHDRAWN` from any undecided or selected state.
//! Eligibility (age on the cohort's first day, programs completed once) is the program's
//! data. A selection takes a place in its track and in the cohort with one conditional
//! update each, so concurrent selections never overfill either.

use crate::domain::camp::permissions;

use chrono::NaiveDate;
use entities::{camp_application, camp_cohort, camp_track, person};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QuerySelect, Select, sea_query::Query};
use serde::Deserialize;

use super::{people::age_on, types::ApplicationStatus};
use crate::domain::{Caller, DomainResult, actor::Role, places::Places, versioned::Versioned};

mod commands;
mod queries;

pub use commands::{ApplicationInput, Decision, apply, decide, record_guardian_consent, withdraw};
pub use queries::{
    ApplicationFilter, by_ids, completed_cohorts_of, count, ineligibility, is_alumnus, list,
};

/// Camp staff, and applicants acting for themselves.
pub(crate) const STAFF_OR_APPLICANT: &[Role] =
    &[Role::Admin, Role::CampStaff, Role::Person, Role::Specialist];

/// The most tracks an application may name, and the longest answer.
pub const MAX_PREFERENCES: usize = 3;
pub const MAX_ANSWER_CHARS: usize = 10_000;

pub fn status_of_application(row: &camp_application::Model) -> ApplicationStatus {
    row.status
}

/// The tracks an application names, most wanted first.
pub fn preferences_of(row: &camp_application::Model) -> Vec<i64> {
    Vec::<i64>::deserialize(&row.preferred_track_ids).unwrap_or_default()
}

pub fn answers_of(row: &camp_application::Model) -> Vec<String> {
    Vec::<String>::deserialize(&row.answers).unwrap_or_default()
}

/// Joins an application's cohort into a select of applications.
pub fn with_cohort<E: EntityTrait>(select: Select<E>) -> Select<E> {
    select.join(
        sea_orm::JoinType::InnerJoin,
        camp_application::Entity::belongs_to(camp_cohort::Entity)
            .from(camp_application::Column::CohortId)
            .to(camp_cohort::Column::Id)
            .into(),
    )
}

/// The consent ledger's item for the terms of an application to `cohort_id`.
pub fn terms_item(cohort_id: i64) -> String {
    format!("COHORT_{cohort_id}")
}

const VERSIONED: Versioned<camp_application::Entity> = Versioned {
    id: camp_application::Column::Id,
    version: camp_application::Column::Version,
    updated_at: camp_application::Column::UpdatedAt,
    field: "expected_version",
    what: "application",
};

/// The places of a track and of a cohort held by selected applicants.
const TRACK_PLACES: Places<camp_track::Entity> = Places {
    id: camp_track::Column::Id,
    held: camp_track::Column::SelectedCount,
    capacity: camp_track::Column::Capacity,
    updated_at: None,
};
const COHORT_PLACES: Places<camp_cohort::Entity> = Places {
    id: camp_cohort::Column::Id,
    held: camp_cohort::Column::SelectedCount,
    capacity: camp_cohort::Column::Capacity,
    updated_at: Some(camp_cohort::Column::UpdatedAt),
};

/// The age below which an applicant needs a guardian's consent (the age of majority).
pub const MAJORITY_AGE: i32 = 18;

/// Whether an applicant born on `birth_date` is a minor on a camp's first day, and so
/// needs a guardian's consent.
pub fn is_minor_on(birth_date: NaiveDate, starts_on: NaiveDate) -> bool {
    age_on(birth_date, starts_on) < MAJORITY_AGE
}

/// Whether `row` still waits for a guardian's consent: it is not decided yet (applied or
/// waitlisted), its applicant is a minor on the cohort's first day and none is recorded.
pub fn awaits_guardian(
    row: &camp_application::Model,
    applicant: &person::Model,
    cohort: &camp_cohort::Model,
) -> bool {
    matches!(
        status_of_application(row),
        ApplicationStatus::Applied | ApplicationStatus::Waitlisted
    ) && row.guardian_consented_at.is_none()
        && is_minor_on(applicant.birth_date, cohort.starts_on)
}

/// The most decisions one call takes.
pub const MAX_DECISIONS: usize = 500;

/// What of the applications a caller sees: camp staff all, an individual their own,
/// nobody else anything (anonymous callers must sign in, other roles are refused).
fn visible(caller: &Caller) -> DomainResult<Condition> {
    if caller.actor.is_camp_staff() {
        return Ok(Condition::all());
    }
    caller.actor.allow(&permissions::READ_APPLICATIONS)?;
    let subject = caller.actor.individual_subject().unwrap_or_default();
    Ok(Condition::all().add(
        camp_application::Column::PersonId.in_subquery(
            Query::select()
                .column(person::Column::Id)
                .from(person::Entity)
                .and_where(person::Column::Subject.eq(subject))
                .to_owned(),
        ),
    ))
}
