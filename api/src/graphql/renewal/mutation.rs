//! Renewal mutations. Each takes one `input` and returns a payload whose `userErrors`
//! lists every problem with the input; when it is non-empty nothing was written.

use super::inputs::{
    AmendDeemedAttendanceClaimInput, ApplyForRenewalInput, ClaimReviewDecision, CreateCourseInput,
    CreateRequirementPolicyInput, DecideRenewalInput, FileDeemedAttendanceClaimInput,
    RecordTrainingCompletionsInput, RenewalDecision, ReviewDeemedAttendanceClaimInput,
    SweepRenewalsInput, TrainingCompletionInput,
};
use async_graphql::{Context, Object, SimpleObject};

use super::objects::{Course, DeemedAttendanceClaim, RenewalCycle, RequirementPolicy};
use crate::{
    domain::renewal::{
        claims::{self, Review},
        completions::{self, CompletionRow, CourseRef},
        courses::{self, NewCourse},
        cycles::{self, Decision},
        policy::{self, NewPolicy, NewRequirement},
        sweep,
    },
    graphql::{
        context::{caller, db},
        error::{UserError, UserErrorCode, camel, input_path, payload},
        node::{NodeKind, decode_id_of, decode_input_id},
        payload::record_payloads,
    },
};

/// The result of `createRequirementPolicy`.
#[derive(SimpleObject)]
pub struct CreateRequirementPolicyPayload {
    /// The new policy, or null when `userErrors` is not empty.
    pub policy: Option<RequirementPolicy>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

record_payloads! {
    "The new course, or null when `userErrors` is not empty."
    course as "course": Course from entities::course::Model;
    /// The result of `createCourse`.
    CreateCoursePayload,
}

record_payloads! {
    "The claim after the change, or null when `userErrors` is not empty."
    claim as "claim": DeemedAttendanceClaim from entities::deemed_attendance_claim::Model;
    /// The result of `fileDeemedAttendanceClaim`.
    FileDeemedAttendanceClaimPayload,
    /// The result of `amendDeemedAttendanceClaim`.
    AmendDeemedAttendanceClaimPayload,
    /// The result of `reviewDeemedAttendanceClaim`.
    ReviewDeemedAttendanceClaimPayload,
}

/// The result of `recordTrainingCompletion`.
#[derive(SimpleObject)]
pub struct RecordTrainingCompletionPayload {
    /// Whether this call wrote the completion.
    pub recorded: bool,
    /// Whether it was already on record (nothing changed).
    pub already_recorded: bool,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// A row of a roster that was not recorded.
#[derive(SimpleObject)]
pub struct RejectedRow {
    /// Position of the row in `rows`, from 0.
    pub index: usize,
    /// The field of the row at fault.
    pub field: String,
    /// Why.
    pub message: String,
}

/// The result of `recordTrainingCompletions`. Valid rows are kept even when others are
/// rejected.
#[derive(SimpleObject)]
pub struct RecordTrainingCompletionsPayload {
    /// Rows written by this call.
    pub recorded_count: u64,
    /// Valid rows already on record (or repeated in the roster); nothing changed for them.
    pub already_recorded_count: u64,
    /// Rows not recorded, with the reason.
    pub rejected_rows: Vec<RejectedRow>,
    /// Problems with the input as a whole; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

record_payloads! {
    "The cycle, now awaiting a decision, or null when `userErrors` is not empty."
    cycle as "cycle": RenewalCycle from cycles::CycleView;
    /// The result of `applyForRenewal`.
    ApplyForRenewalPayload,
}

/// The result of `decideRenewal`.
#[derive(SimpleObject)]
pub struct DecideRenewalPayload {
    /// The cycle after the decision, or null when `userErrors` is not empty.
    pub cycle: Option<RenewalCycle>,
    /// The cycle a renewal opened; null when the renewal was refused.
    pub next_cycle: Option<RenewalCycle>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The result of `sweepRenewals`.
#[derive(SimpleObject)]
pub struct SweepRenewalsPayload {
    /// Cycles lapsed by this run.
    pub lapsed_cycles: u64,
    /// Registrations moved to `LAPSED` by this run.
    pub lapsed_registrations: u64,
    /// Ended cycles left open because their application waits for a decision.
    pub awaiting_decision: u64,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

fn rows(input: Vec<TrainingCompletionInput>) -> Vec<CompletionRow> {
    input
        .into_iter()
        .map(|row| CompletionRow {
            registration_number: row.registration_number,
            course: match (row.course_id, row.course_code) {
                (Some(id), None) => {
                    decode_id_of(&id, NodeKind::COURSE).map_or(CourseRef::NotACourse, CourseRef::Id)
                }
                (None, Some(code)) => CourseRef::Code(code),
                _ => CourseRef::Unclear,
            },
            completed_on: row.completed_on.0,
        })
        .collect()
}

#[derive(Default)]
pub struct RenewalMutation;

#[Object]
impl RenewalMutation {
    /// Adds a requirement policy, effective from a future date. Registry staff only.
    async fn create_requirement_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The policy.")] input: CreateRequirementPolicyInput,
    ) -> async_graphql::Result<CreateRequirementPolicyPayload> {
        let new = NewPolicy {
            code: input.code,
            name: input.name,
            effective_from: input.effective_from.0,
            requirements: input
                .requirements
                .into_iter()
                .map(|r| NewRequirement {
                    code: r.code,
                    name: r.name,
                    course_kinds: r.course_kinds.into_iter().map(Into::into).collect(),
                    cycle_year: r.cycle_year,
                    deemable: r.deemable,
                    standard_fee_yen: r.standard_fee_yen.0,
                })
                .collect(),
        };
        let (policy, user_errors) = payload(policy::create(db(ctx)?, caller(ctx)?, new).await)?;
        Ok(CreateRequirementPolicyPayload {
            policy: policy.as_ref().map(Into::into),
            user_errors,
        })
    }

    /// Adds a course to the catalogue. Registry staff only.
    async fn create_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course.")] input: CreateCourseInput,
    ) -> async_graphql::Result<CreateCoursePayload> {
        let new = NewCourse {
            code: input.code,
            name: input.name,
            provider: input.provider,
            provider_code: input.provider_code,
            kind: input.kind.into(),
            fiscal_year: input.fiscal_year,
            fee_yen: input.fee_yen.0,
            hours: input.hours,
        };
        CreateCoursePayload::from_result(courses::create(db(ctx)?, caller(ctx)?, new).await)
    }

    /// Records one completed course. Idempotent: recording the same specialist, course
    /// and date again changes nothing. Registry staff, or a training provider for its own
    /// courses.
    async fn record_training_completion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The completion.")] input: TrainingCompletionInput,
    ) -> async_graphql::Result<RecordTrainingCompletionPayload> {
        let (outcome, mut errors) =
            payload(completions::record(db(ctx)?, caller(ctx)?, rows(vec![input])).await)?;
        let outcome = outcome.unwrap_or_default();
        errors.extend(outcome.rejected.iter().map(|r| UserError {
            field: Some(input_path(&[r.field.to_owned()])),
            message: r.message.clone(),
            code: UserErrorCode::Invalid,
        }));
        Ok(RecordTrainingCompletionPayload {
            recorded: outcome.recorded > 0,
            already_recorded: outcome.already_recorded > 0,
            user_errors: errors,
        })
    }

    /// Records a provider's roster of up to 10,000 completions in one transaction.
    /// Idempotent per (specialist, course, date); invalid rows are reported in
    /// `rejectedRows` and the valid ones kept. Registry staff, or a training provider
    /// (role `TRAINING_PROVIDER`) for its own courses: a row naming another provider's
    /// course is rejected.
    async fn record_training_completions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The roster.")] input: RecordTrainingCompletionsInput,
    ) -> async_graphql::Result<RecordTrainingCompletionsPayload> {
        let (outcome, user_errors) =
            payload(completions::record(db(ctx)?, caller(ctx)?, rows(input.rows)).await)?;
        let outcome = outcome.unwrap_or_default();
        Ok(RecordTrainingCompletionsPayload {
            recorded_count: outcome.recorded,
            already_recorded_count: outcome.already_recorded,
            rejected_rows: outcome
                .rejected
                .into_iter()
                .map(|r| RejectedRow {
                    index: r.index,
                    field: camel(r.field),
                    message: r.message,
                })
                .collect(),
            user_errors,
        })
    }

    /// Applies for renewal of your current cycle: inside the window (from a year before
    /// the application deadline to the deadline) with every requirement satisfied. Role
    /// `SPECIALIST` only.
    async fn apply_for_renewal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: ApplyForRenewalInput,
    ) -> async_graphql::Result<ApplyForRenewalPayload> {
        let result = match decode_input_id(
            &input.cycle_id,
            NodeKind::RENEWAL_CYCLE,
            "cycle_id",
            "renewal cycle",
        ) {
            Ok(id) => cycles::apply(db(ctx)?, caller(ctx)?, id).await,
            Err(err) => Err(err),
        };
        ApplyForRenewalPayload::from_result(result)
    }

    /// Decides a renewal application: renewing opens the next cycle; refusing records
    /// the reason. Registry staff only.
    async fn decide_renewal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision.")] input: DecideRenewalInput,
    ) -> async_graphql::Result<DecideRenewalPayload> {
        let decision = match input.decision {
            RenewalDecision::Renew => Decision::Renew,
            RenewalDecision::Refuse => Decision::Refuse {
                reason: input.reason.unwrap_or_default(),
            },
        };
        let result = match decode_input_id(
            &input.cycle_id,
            NodeKind::RENEWAL_CYCLE,
            "cycle_id",
            "renewal cycle",
        ) {
            Ok(id) => cycles::decide(db(ctx)?, caller(ctx)?, id, decision).await,
            Err(err) => Err(err),
        };
        let (decided, user_errors) = payload(result)?;
        let (cycle, next) = decided.map_or((None, None), |(c, n)| (Some(c), n));
        Ok(DecideRenewalPayload {
            cycle: cycle.map(RenewalCycle),
            next_cycle: next.map(RenewalCycle),
            user_errors,
        })
    }

    /// Lapses every cycle that ended before `asOf` without renewal, recording the status
    /// change in each specialist's history. Running it again changes nothing. Registry
    /// staff only; `kakehashi renewals sweep` does the same from the command line.
    async fn sweep_renewals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sweep.")] input: SweepRenewalsInput,
    ) -> async_graphql::Result<SweepRenewalsPayload> {
        let (outcome, user_errors) =
            payload(sweep::sweep(db(ctx)?, caller(ctx)?, input.as_of.0).await)?;
        let outcome = outcome.unwrap_or_default();
        Ok(SweepRenewalsPayload {
            lapsed_cycles: outcome.lapsed_cycles,
            lapsed_registrations: outcome.lapsed_registrations,
            awaiting_decision: outcome.awaiting_decision,
            user_errors,
        })
    }

    /// Files a deemed-attendance claim against one requirement of your current cycle.
    /// Role `SPECIALIST` only.
    async fn file_deemed_attendance_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The claim.")] input: FileDeemedAttendanceClaimInput,
    ) -> async_graphql::Result<FileDeemedAttendanceClaimPayload> {
        let result = match decode_input_id(
            &input.cycle_id,
            NodeKind::RENEWAL_CYCLE,
            "cycle_id",
            "renewal cycle",
        ) {
            Ok(id) => match input.details.into_details() {
                Ok(details) => {
                    claims::file(db(ctx)?, caller(ctx)?, id, &input.requirement_code, details).await
                }
                Err(err) => Err(err),
            },
            Err(err) => Err(err),
        };
        FileDeemedAttendanceClaimPayload::from_result(result)
    }

    /// Amends your claim that waits for review or was sent back, and submits it again.
    /// Role `SPECIALIST` only.
    async fn amend_deemed_attendance_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The amendment.")] input: AmendDeemedAttendanceClaimInput,
    ) -> async_graphql::Result<AmendDeemedAttendanceClaimPayload> {
        let result = match decode_input_id(
            &input.claim_id,
            NodeKind::DEEMED_ATTENDANCE_CLAIM,
            "claim_id",
            "deemed-attendance claim",
        ) {
            Ok(id) => match input.details.into_details() {
                Ok(details) => claims::amend(db(ctx)?, caller(ctx)?, id, details).await,
                Err(err) => Err(err),
            },
            Err(err) => Err(err),
        };
        AmendDeemedAttendanceClaimPayload::from_result(result)
    }

    /// Approves, rejects or sends back a submitted claim. Registry staff only.
    async fn review_deemed_attendance_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: ReviewDeemedAttendanceClaimInput,
    ) -> async_graphql::Result<ReviewDeemedAttendanceClaimPayload> {
        let decision = match input.decision {
            ClaimReviewDecision::Approve => Review::Approve,
            ClaimReviewDecision::Reject => Review::Reject,
            ClaimReviewDecision::RequestChanges => Review::RequestChanges,
        };
        let result = match decode_input_id(
            &input.claim_id,
            NodeKind::DEEMED_ATTENDANCE_CLAIM,
            "claim_id",
            "deemed-attendance claim",
        ) {
            Ok(id) => claims::review(db(ctx)?, caller(ctx)?, id, decision, input.comment).await,
            Err(err) => Err(err),
        };
        ReviewDeemedAttendanceClaimPayload::from_result(result)
    }
}
