//! Mutations of the camps. Each takes one `input` and returns a payload
//! whose `userErrors` lists every problem with the input; when it is non-empty nothing was
//! written.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::{
    domain::{
        DomainResult,
        camp::{
            applications::{self, ApplicationInput, Decision},
            cohorts::{self, CohortInput, TrackInput},
            people::{self, PersonInput},
            programs::{self, ProgramChanges},
        },
    },
    graphql::{
        camp::types::{
            CampApplication, CampApplicationStatus, CampCohort, CampCohortStatus, CampProgram,
            Person,
        },
        context::{caller, db},
        error::{UserError, payload},
        node::{NodeKind, decode_input_id},
        scalars::Date,
    },
};

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

/// The result of `updateCampProgram`.
#[derive(SimpleObject)]
pub struct CampProgramPayload {
    /// The program after the change, or null when `userErrors` is not empty.
    pub program: Option<CampProgram>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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
    pub status: CampCohortStatus,
}

/// The result of the cohort mutations.
#[derive(SimpleObject)]
pub struct CampCohortPayload {
    /// The cohort after the change, or null when `userErrors` is not empty.
    pub cohort: Option<CampCohort>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of `saveMyPerson`.
#[derive(SimpleObject)]
pub struct PersonPayload {
    /// Your person record after the change, or null when `userErrors` is not empty.
    pub person: Option<Person>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of the application mutations.
#[derive(SimpleObject)]
pub struct CampApplicationPayload {
    /// The application after the change, or null when `userErrors` is not empty.
    pub application: Option<CampApplication>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of `decideCampApplications`.
#[derive(SimpleObject)]
pub struct DecideCampApplicationsPayload {
    /// The applications after the decisions, in the order given; empty when `userErrors`
    /// is not empty.
    pub applications: Vec<CampApplication>,
    /// Problems with the decisions, under `input.decisions.<i>`; empty on success.
    pub user_errors: Vec<UserError>,
}

fn maybe(value: MaybeUndefined<i32>) -> Option<Option<i32>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

fn cohort_payload(
    result: DomainResult<entities::camp_cohort::Model>,
) -> async_graphql::Result<CampCohortPayload> {
    let (cohort, user_errors) = payload(result)?;
    Ok(CampCohortPayload {
        cohort: cohort.map(CampCohort),
        user_errors,
    })
}

fn application_payload(
    result: DomainResult<entities::camp_application::Model>,
) -> async_graphql::Result<CampApplicationPayload> {
    let (application, user_errors) = payload(result)?;
    Ok(CampApplicationPayload {
        application: application.map(CampApplication),
        user_errors,
    })
}

fn cohort_input(input_tracks: Option<Vec<CampTrackInput>>, fields: CohortInput) -> CohortInput {
    CohortInput {
        tracks: input_tracks.map(|t| t.into_iter().map(Into::into).collect()),
        ..fields
    }
}

#[derive(Default)]
pub struct CampMutation;

#[Object]
impl CampMutation {
    /// Changes a program's name, description or eligibility rules. Camp staff only; new
    /// rules apply to applications made from then on.
    async fn update_camp_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCampProgramInput,
    ) -> async_graphql::Result<CampProgramPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let changes = ProgramChanges {
            name: input.name,
            description: input.description,
            min_age: maybe(input.min_age),
            max_age: maybe(input.max_age),
            attend_once: input.attend_once,
        };
        let result = async {
            let id = decode_input_id(&input.id, NodeKind::CAMP_PROGRAM, "id", "camp program")?;
            programs::update(db, caller, id, input.expected_version, changes).await
        }
        .await;
        let (program, user_errors) = payload(result)?;
        Ok(CampProgramPayload {
            program: program.map(CampProgram),
            user_errors,
        })
    }

    /// Plans a cohort with its tracks. Camp staff only.
    async fn create_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cohort.")] input: CreateCampCohortInput,
    ) -> async_graphql::Result<CampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let program = decode_input_id(
                &input.program_id,
                NodeKind::CAMP_PROGRAM,
                "program_id",
                "camp program",
            )?;
            let fields = CohortInput {
                program_id: Some(program),
                name: Some(input.name),
                starts_on: Some(input.starts_on.0),
                ends_on: Some(input.ends_on.0),
                online: input.online,
                venue: input.venue,
                prefecture: input.prefecture,
                capacity: Some(input.capacity),
                applications_open_on: Some(input.applications_open_on.0),
                applications_close_on: Some(input.applications_close_on.0),
                questions: Some(input.questions),
                tracks: None,
            };
            cohorts::create(db, caller, cohort_input(Some(input.tracks), fields)).await
        }
        .await;
        cohort_payload(result)
    }

    /// Changes a cohort. Camp staff only.
    async fn update_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCampCohortInput,
    ) -> async_graphql::Result<CampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(&input.id, NodeKind::CAMP_COHORT, "id", "cohort")?;
            let fields = CohortInput {
                program_id: None,
                name: input.name,
                starts_on: input.starts_on.map(|d| d.0),
                ends_on: input.ends_on.map(|d| d.0),
                online: input.online,
                venue: input.venue,
                prefecture: input.prefecture,
                capacity: input.capacity,
                applications_open_on: input.applications_open_on.map(|d| d.0),
                applications_close_on: input.applications_close_on.map(|d| d.0),
                questions: input.questions,
                tracks: None,
            };
            cohorts::update(
                db,
                caller,
                id,
                input.expected_version,
                cohort_input(input.tracks, fields),
            )
            .await
        }
        .await;
        cohort_payload(result)
    }

    /// Moves a cohort on to its next state. Camp staff only.
    async fn advance_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cohort and its next state.")] input: AdvanceCampCohortInput,
    ) -> async_graphql::Result<CampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.cohort_id,
                NodeKind::CAMP_COHORT,
                "cohort_id",
                "cohort",
            )?;
            cohorts::advance(db, caller, id, input.expected_version, input.status.into()).await
        }
        .await;
        cohort_payload(result)
    }

    /// Saves your personal details (`PERSON` or `SPECIALIST` token): needed to apply and
    /// to join the community. A specialist's record is linked to their registration.
    async fn save_my_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your details.")] input: SaveMyPersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let details = PersonInput {
            name: input.name,
            name_kana: input.name_kana,
            birth_date: input.birth_date.0,
            email: input.email,
            prefecture: input.prefecture,
        };
        let result =
            people::save_mine(db(ctx)?, caller(ctx)?, input.expected_version, details).await;
        let (person, user_errors) = payload(result)?;
        Ok(PersonPayload {
            person: person.map(Person),
            user_errors,
        })
    }

    /// Applies to a cohort (`PERSON` or `SPECIALIST` token, personal details saved). Refused
    /// with the reason outside its application window, or when the program's rules (age on
    /// the first day, attended once) exclude you.
    async fn apply_to_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: ApplyToCampCohortInput,
    ) -> async_graphql::Result<CampApplicationPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let cohort_id = decode_input_id(
                &input.cohort_id,
                NodeKind::CAMP_COHORT,
                "cohort_id",
                "cohort",
            )?;
            let preferred_track_ids = input
                .preferred_track_ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    decode_input_id(
                        id,
                        NodeKind::CAMP_TRACK,
                        &format!("preferred_track_ids.{i}"),
                        "track",
                    )
                })
                .collect::<DomainResult<Vec<_>>>()?;
            applications::apply(
                db,
                caller,
                ApplicationInput {
                    cohort_id,
                    preferred_track_ids,
                    answers: input.answers,
                    terms_version: input.terms_version,
                },
            )
            .await
        }
        .await;
        application_payload(result)
    }

    /// Withdraws an application: the applicant their own, camp staff any. A selected
    /// applicant's place is freed.
    async fn withdraw_camp_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: WithdrawCampApplicationInput,
    ) -> async_graphql::Result<CampApplicationPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.application_id,
                NodeKind::CAMP_APPLICATION,
                "application_id",
                "application",
            )?;
            applications::withdraw(db, caller, id, input.expected_version).await
        }
        .await;
        application_payload(result)
    }

    /// Records a guardian's consent to the application of a minor (under 18 on the
    /// cohort's first day), without which it cannot be selected or waitlisted: the
    /// applicant's own account (where the guardian gives it) or camp staff. Recording it
    /// again replaces the guardian's name and the time. Audited.
    async fn record_guardian_consent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consent.")] input: RecordGuardianConsentInput,
    ) -> async_graphql::Result<CampApplicationPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.application_id,
                NodeKind::CAMP_APPLICATION,
                "application_id",
                "application",
            )?;
            applications::record_guardian_consent(
                db,
                caller,
                id,
                &input.guardian_name,
                input.expected_version,
            )
            .await
        }
        .await;
        application_payload(result)
    }

    /// Records decisions on applications, all or none: selection (never beyond a track's
    /// or the cohort's capacity), waitlisting, rejection, attendance and completion. Camp
    /// staff only.
    async fn decide_camp_applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decisions.")] input: DecideCampApplicationsInput,
    ) -> async_graphql::Result<DecideCampApplicationsPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let decisions = input
                .decisions
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    Ok(Decision {
                        application_id: decode_input_id(
                            &d.application_id,
                            NodeKind::CAMP_APPLICATION,
                            &format!("decisions.{i}.application_id"),
                            "application",
                        )?,
                        status: d.status.into(),
                        track_id: match &d.track_id {
                            Some(id) => Some(decode_input_id(
                                id,
                                NodeKind::CAMP_TRACK,
                                &format!("decisions.{i}.track_id"),
                                "track",
                            )?),
                            None => None,
                        },
                    })
                })
                .collect::<DomainResult<Vec<_>>>()?;
            applications::decide(db, caller, decisions).await
        }
        .await;
        let (applications, user_errors) = payload(result)?;
        Ok(DecideCampApplicationsPayload {
            applications: applications
                .unwrap_or_default()
                .into_iter()
                .map(CampApplication)
                .collect(),
            user_errors,
        })
    }
}
