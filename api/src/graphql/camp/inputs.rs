//! Input objects of the camps: the filters, orders and mutation inputs its queries and
//! mutations take.

use crate::domain::camp::cohorts::TrackInput;
use crate::graphql::camp::objects::CampApplicationStatus;
use crate::graphql::camp::objects::CampCohortStatus;
use crate::graphql::camp::objects::CampProgramKind;
use crate::graphql::connection::order_input;
use crate::graphql::scalars::Date;
use crate::graphql::scalars::DateTime;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::MaybeUndefined;

/// Narrows the list of cohorts.
#[derive(InputObject, Default)]
pub struct CampCohortFilterInput {
    /// Cohorts of any of these programs.
    pub programs: Option<Vec<CampProgramKind>>,
    /// Cohorts of any of these fiscal years.
    pub fiscal_years: Option<Vec<i32>>,
    /// Cohorts in any of these states.
    pub statuses: Option<Vec<CampCohortStatus>>,
    /// Cohorts taking applications on this day (Japan).
    pub accepting_on: Option<Date>,
}

/// Narrows the list of applications.
#[derive(InputObject, Default)]
pub struct CampApplicationFilterInput {
    /// Applications to any of these cohorts (global IDs, at most 100).
    pub cohorts: Option<Vec<ID>>,
    /// Applications in any of these states.
    pub statuses: Option<Vec<CampApplicationStatus>>,
    /// Applications holding a place in any of these tracks (global IDs, at most 100).
    pub tracks: Option<Vec<ID>>,
    /// Only applications changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    pub updated_since: Option<DateTime>,
}

order_input!(CampCohortOrderInput, CampCohortOrderBy, "cohorts", {
        /// The first day of the camp (the default, latest first).
        StartsOn,
});

order_input!(CampApplicationOrderInput, CampApplicationOrderBy, "camp applications", {
        /// When the application came in (the default, oldest first).
        Received,
        /// When it last changed, ties broken by ID (ascending by default): the order a
        /// mirror syncs in with `updatedSince`.
        UpdatedAt,
});

/// Changes to a program's name, description or eligibility rules. Omitted fields stay as
/// they are.
#[derive(InputObject)]
pub struct UpdateCampProgramInput {
    /// The program's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The youngest eligible age on a cohort's first day (6–99); null removes the limit.
    pub min_age: MaybeUndefined<i32>,
    /// The oldest eligible age on a cohort's first day (6–99); null removes the limit.
    pub max_age: MaybeUndefined<i32>,
    /// Whether someone who completed a cohort of the program may not apply again.
    pub attend_once: Option<bool>,
}

/// A track or class of a cohort.
#[derive(InputObject)]
pub struct CampTrackInput {
    /// Name, unique within the cohort.
    pub name: String,
    /// What it teaches.
    #[graphql(default)]
    pub description: String,
    /// How many it takes: 1 to the cohort's capacity.
    pub capacity: i32,
}

impl From<CampTrackInput> for TrackInput {
    fn from(t: CampTrackInput) -> Self {
        Self {
            name: t.name,
            description: t.description,
            capacity: t.capacity,
        }
    }
}

/// A cohort to plan. Its fiscal year follows its first day; it starts `PLANNED`.
#[derive(InputObject)]
pub struct CreateCampCohortInput {
    /// Its program (global ID).
    pub program_id: ID,
    /// Name.
    pub name: String,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Whether it is held online; false by default.
    pub online: Option<bool>,
    /// Where it is held in person (required unless online).
    pub venue: Option<String>,
    /// The prefecture it is held in (JIS X 0401 code).
    pub prefecture: Option<String>,
    /// How many take part at most (1–10,000).
    pub capacity: i32,
    /// First day applications are taken.
    pub applications_open_on: Date,
    /// Last day applications are taken: before the first day.
    pub applications_close_on: Date,
    /// The application assignment's questions (up to 20).
    #[graphql(default)]
    pub questions: Vec<String>,
    /// Its tracks or classes (1–20).
    pub tracks: Vec<CampTrackInput>,
}

/// Changes to a cohort. Omitted fields stay as they are; tracks and questions change only
/// while it is `PLANNED`.
#[derive(InputObject)]
pub struct UpdateCampCohortInput {
    /// The cohort's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Name.
    pub name: Option<String>,
    /// First day.
    pub starts_on: Option<Date>,
    /// Last day.
    pub ends_on: Option<Date>,
    /// Whether it is held online.
    pub online: Option<bool>,
    /// Where it is held in person; an empty string removes it.
    pub venue: Option<String>,
    /// The prefecture it is held in; an empty string removes it.
    pub prefecture: Option<String>,
    /// How many take part at most; not below the places taken.
    pub capacity: Option<i32>,
    /// First day applications are taken.
    pub applications_open_on: Option<Date>,
    /// Last day applications are taken.
    pub applications_close_on: Option<Date>,
    /// The assignment's questions, replacing the current ones.
    pub questions: Option<Vec<String>>,
    /// Its tracks, replacing the current ones.
    pub tracks: Option<Vec<CampTrackInput>>,
}

/// Moves a cohort on to its next state.
#[derive(InputObject)]
pub struct AdvanceCampCohortInput {
    /// The cohort's global ID.
    pub cohort_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// The next state: `PLANNED → APPLICATIONS_OPEN → SELECTING → IN_SESSION → COMPLETED`.
    /// Each comes on its date (`nextStatusOn`): applications open on `applicationsOpenOn`,
    /// selection the day after `applicationsCloseOn`, the session on `startsOn`, completion
    /// on `endsOn`.
    pub status: CampCohortStatus,
    /// Why the cohort moves on before its date (at most 500 characters); needed only then.
    /// The audit trail keeps it with the move.
    pub override_reason: Option<String>,
}

/// Your personal details.
#[derive(InputObject)]
pub struct SaveMyPersonInput {
    /// The `version` you read; leave it out the first time, give it to change what you
    /// saved.
    pub expected_version: Option<i32>,
    /// Full name.
    pub name: String,
    /// Name reading in kana.
    pub name_kana: String,
    /// Date of birth.
    pub birth_date: Date,
    /// E-mail address.
    pub email: String,
    /// Where you live (JIS X 0401 code).
    pub prefecture: Option<String>,
}

/// An application to a cohort.
#[derive(InputObject)]
pub struct ApplyToCampCohortInput {
    /// The cohort (global ID).
    pub cohort_id: ID,
    /// 1 to 3 of its tracks (global IDs), most wanted first.
    pub preferred_track_ids: Vec<ID>,
    /// Answers to the cohort's questions, in order (each up to 10,000 characters).
    #[graphql(default)]
    pub answers: Vec<String>,
    /// The version of the camp's terms (`consentTerms`, purpose `CAMP_TERMS`) you showed
    /// the applicant. If given and not the version in force, nothing is written; left out,
    /// the version in force is recorded.
    pub terms_version: Option<String>,
}

/// Withdraws an application.
#[derive(InputObject)]
pub struct WithdrawCampApplicationInput {
    /// The application (global ID).
    pub application_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// A guardian's consent to the application of a minor.
#[derive(InputObject)]
pub struct RecordGuardianConsentInput {
    /// The application (global ID).
    pub application_id: ID,
    /// The guardian's name, as they gave it (at most 100 characters).
    pub guardian_name: String,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// One decision on an application.
#[derive(InputObject)]
pub struct CampDecisionInput {
    /// The application (global ID).
    pub application_id: ID,
    /// Its new state: from `APPLIED` to `SELECTED`, `WAITLISTED` or `REJECTED` (while the
    /// cohort is `SELECTING`); from `WAITLISTED` to `SELECTED` or `REJECTED` (also
    /// `IN_SESSION`); `SELECTED → ATTENDED → COMPLETED` (`IN_SESSION` or `COMPLETED`).
    pub status: CampApplicationStatus,
    /// For `SELECTED`: the track (global ID); the first preference by default.
    pub track_id: Option<ID>,
}

/// Decisions on applications, taken together or not at all.
#[derive(InputObject)]
pub struct DecideCampApplicationsInput {
    /// 1 to 500 decisions.
    pub decisions: Vec<CampDecisionInput>,
}
