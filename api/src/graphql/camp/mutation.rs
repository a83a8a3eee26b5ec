//! Mutations of the camps. Each takes one `input` and returns a payload
//! whose `userErrors` lists every problem with the input; when it is non-empty nothing was
//! written.

use super::inputs::{
    AdvanceCampCohortInput, ApplyToCampCohortInput, CampTrackInput, CreateCampCohortInput,
    DecideCampApplicationsInput, RecordGuardianConsentInput, SaveMyPersonInput,
    UpdateCampCohortInput, UpdateCampProgramInput, WithdrawCampApplicationInput,
};
use async_graphql::{Context, MaybeUndefined, Object, SimpleObject};

use crate::{
    domain::{
        DomainResult,
        camp::{
            applications::{self, ApplicationInput, Decision},
            cohorts::{self, CohortInput},
            people::{self, PersonInput},
            programs::{self, ProgramChanges},
        },
    },
    graphql::{
        camp::objects::{CampApplication, CampCohort, CampProgram, Person},
        context::{caller, db},
        error::{UserError, payload},
        node::{NodeKind, decode_input_id},
        payload::record_payloads,
    },
};

record_payloads! {
    "The program after the change, or null when `userErrors` is not empty."
    program as "program": CampProgram from entities::camp_program::Model;
    /// The result of `updateCampProgram`.
    CampProgramPayload,
}

record_payloads! {
    "The cohort after the change, or null when `userErrors` is not empty."
    cohort as "cohort": CampCohort from entities::camp_cohort::Model;
    /// The result of `createCampCohort`.
    CreateCampCohortPayload,
    /// The result of `updateCampCohort`.
    UpdateCampCohortPayload,
    /// The result of `advanceCampCohort`.
    AdvanceCampCohortPayload,
}

record_payloads! {
    "Your person record after the change, or null when `userErrors` is not empty."
    person as "person": Person from entities::person::Model;
    /// The result of `saveMyPerson`.
    PersonPayload,
}

record_payloads! {
    "The application after the change, or null when `userErrors` is not empty."
    application as "application": CampApplication from entities::camp_application::Model;
    /// The result of `applyToCampCohort`.
    ApplyToCampCohortPayload,
    /// The result of `withdrawCampApplication`.
    WithdrawCampApplicationPayload,
    /// The result of `recordGuardianConsent`.
    RecordGuardianConsentPayload,
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
        CampProgramPayload::from_result(result)
    }

    /// Plans a cohort with its tracks. Camp staff only.
    async fn create_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cohort.")] input: CreateCampCohortInput,
    ) -> async_graphql::Result<CreateCampCohortPayload> {
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
        CreateCampCohortPayload::from_result(result)
    }

    /// Changes a cohort. Camp staff only.
    async fn update_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCampCohortInput,
    ) -> async_graphql::Result<UpdateCampCohortPayload> {
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
        UpdateCampCohortPayload::from_result(result)
    }

    /// Moves a cohort on to its next state. Camp staff only.
    async fn advance_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cohort and its next state.")] input: AdvanceCampCohortInput,
    ) -> async_graphql::Result<AdvanceCampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.cohort_id,
                NodeKind::CAMP_COHORT,
                "cohort_id",
                "cohort",
            )?;
            cohorts::advance(
                db,
                caller,
                id,
                input.expected_version,
                input.status.into(),
                input.override_reason,
            )
            .await
        }
        .await;
        AdvanceCampCohortPayload::from_result(result)
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
        PersonPayload::from_result(result)
    }

    /// Applies to a cohort (`PERSON` or `SPECIALIST` token, personal details saved). Refused
    /// with the reason outside its application window, or when the program's rules (age on
    /// the first day, attended once) exclude you.
    async fn apply_to_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: ApplyToCampCohortInput,
    ) -> async_graphql::Result<ApplyToCampCohortPayload> {
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
        ApplyToCampCohortPayload::from_result(result)
    }

    /// Withdraws an application: the applicant their own, camp staff any. A selected
    /// applicant's place is freed.
    async fn withdraw_camp_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: WithdrawCampApplicationInput,
    ) -> async_graphql::Result<WithdrawCampApplicationPayload> {
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
        WithdrawCampApplicationPayload::from_result(result)
    }

    /// Records a guardian's consent to the application of a minor (under 18 on the
    /// cohort's first day), without which it cannot be selected or waitlisted: the
    /// applicant's own account (where the guardian gives it) or camp staff. Recording it
    /// again replaces the guardian's name and the time. Audited.
    async fn record_guardian_consent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consent.")] input: RecordGuardianConsentInput,
    ) -> async_graphql::Result<RecordGuardianConsentPayload> {
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
        RecordGuardianConsentPayload::from_result(result)
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
