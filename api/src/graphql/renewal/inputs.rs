//! Input objects of renewal: the filters, orders and mutation inputs its queries and
//! mutations take.

use super::objects::CourseKind;
use super::objects::DeemedAttendanceClaimStatus;
use super::objects::RenewalCycleStatus;
use crate::domain::DomainResult;
use crate::domain::renewal::claims::ClaimDetails;
use crate::graphql::connection::order_input;
use crate::graphql::node::NodeKind;
use crate::graphql::node::decode_input_id;
use crate::graphql::scalars::Date;
use crate::graphql::scalars::DateTime;
use crate::graphql::scalars::Yen;
use async_graphql::Enum;
use async_graphql::ID;
use async_graphql::InputObject;

/// Narrows the course catalogue.
#[derive(InputObject, Default)]
pub struct CourseFilterInput {
    /// Only these kinds.
    pub kinds: Option<Vec<CourseKind>>,
    /// Only courses designated for any of these fiscal years (April to March).
    pub fiscal_years: Option<Vec<i32>>,
}

/// Narrows a list of renewal cycles. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct RenewalCycleFilterInput {
    /// Only cycles with one of these statuses today.
    pub statuses: Option<Vec<RenewalCycleStatus>>,
    /// Only cycles whose application deadline is on or before this date.
    pub deadline_before: Option<Date>,
    /// Only specialists living in these prefectures (JIS X 0401 codes).
    pub prefectures: Option<Vec<String>>,
    /// Only cycles whose renewal application waits for a decision: staff's work, listed
    /// by the day it was filed, oldest first (instead of by deadline).
    pub awaiting_decision: Option<bool>,
    /// Only cycles changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    pub updated_since: Option<DateTime>,
}

/// Narrows a list of deemed-attendance claims.
#[derive(InputObject, Default)]
pub struct DeemedAttendanceClaimFilterInput {
    /// Only these statuses.
    pub statuses: Option<Vec<DeemedAttendanceClaimStatus>>,
    /// Only claims against any of these renewal cycles (global IDs, at most 100).
    pub cycles: Option<Vec<ID>>,
    /// Only claims changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    pub updated_since: Option<DateTime>,
}

order_input!(CourseOrderInput, CourseOrderBy, "courses", {
        /// When the course was added to the catalogue (the default, oldest first).
        Added,
});

order_input!(RenewalReminderOrderInput, RenewalReminderOrderBy, "renewal reminders", {
        /// The order the run wrote them (the default).
        Written,
        /// The day the renewal application is due (soonest first).
        ApplicationDue,
});

order_input!(RenewalCycleOrderInput, RenewalCycleOrderBy, "renewal cycles", {
        /// The application deadline (the default, soonest first).
        Deadline,
        /// When it last changed, ties broken by ID (ascending by default): the order a
        /// mirror syncs in with `updatedSince`.
        UpdatedAt,
});

order_input!(DeemedAttendanceClaimOrderInput, DeemedAttendanceClaimOrderBy, "deemed-attendance claims", {
        /// When the claim was filed (the default, oldest first).
        Filed,
        /// When it last changed, ties broken by ID (ascending by default): the order a
        /// mirror syncs in with `updatedSince`.
        UpdatedAt,
});

/// One requirement of a new policy.
#[derive(InputObject)]
pub struct RequirementInput {
    /// Code, unique within the policy: A–Z, 0–9 and `_`.
    pub code: String,
    /// What it asks for.
    pub name: String,
    /// Course kinds that satisfy it.
    pub course_kinds: Vec<CourseKind>,
    /// The cycle year (1–3) the course must fall in; omit for any year.
    pub cycle_year: Option<u32>,
    /// Whether deemed attendance may satisfy it. Never for an ethics requirement.
    pub deemable: bool,
    /// The course fee, in yen, an approved claim saves.
    pub standard_fee_yen: Yen,
}

/// A new requirement policy.
#[derive(InputObject)]
pub struct CreateRequirementPolicyInput {
    /// Code: A–Z, 0–9 and `_`, unique.
    pub code: String,
    /// What the policy is.
    pub name: String,
    /// A future date: cycles starting on or after it follow the policy.
    pub effective_from: Date,
    /// What a cycle must contain, in order (1–20).
    pub requirements: Vec<RequirementInput>,
}

/// A new course of the catalogue.
#[derive(InputObject)]
pub struct CreateCourseInput {
    /// Unique code: letters, digits, `-` and `_`.
    pub code: String,
    /// Name of the course.
    pub name: String,
    /// Who runs it.
    pub provider: String,
    /// The provider's code (A–Z, 0–9, `_`): a `TRAINING_PROVIDER` token whose
    /// `provider_id` is this code may upload the course's completion rosters. Leave it
    /// out when only registry staff record them.
    pub provider_code: Option<String>,
    /// Kind of course.
    pub kind: CourseKind,
    /// The fiscal year it is designated for.
    pub fiscal_year: i32,
    /// Fee in yen.
    pub fee_yen: Yen,
    /// Length in hours.
    pub hours: f64,
}

/// One completed course.
#[derive(InputObject)]
pub struct TrainingCompletionInput {
    /// Registration number of the specialist (`011172`).
    pub registration_number: String,
    /// Global ID of the course; or give `courseCode` instead.
    pub course_id: Option<ID>,
    /// The course's code in the catalogue (`course.code`, as the provider knows it); or
    /// give `courseId` instead.
    pub course_code: Option<String>,
    /// The date (Japan) it was completed: in the course's fiscal year, not in the future.
    pub completed_on: Date,
}

/// A provider's roster of completions.
#[derive(InputObject)]
pub struct RecordTrainingCompletionsInput {
    /// Up to 10,000 rows.
    pub rows: Vec<TrainingCompletionInput>,
}

/// A renewal application.
#[derive(InputObject)]
pub struct ApplyForRenewalInput {
    /// Global ID of your current renewal cycle.
    pub cycle_id: ID,
}

/// A decision on a renewal application.
#[derive(InputObject)]
pub struct DecideRenewalInput {
    /// Global ID of the cycle with the application.
    pub cycle_id: ID,
    /// The decision.
    pub decision: RenewalDecision,
    /// Why, for a refusal.
    pub reason: Option<String>,
}

/// A lapse sweep.
#[derive(InputObject)]
pub struct SweepRenewalsInput {
    /// Lapse cycles that ended before this date (not in the future).
    pub as_of: Date,
}

/// What the specialist did, for a deemed-attendance claim.
#[derive(InputObject)]
pub struct ClaimDetailsInput {
    /// What you did (1–4000 characters).
    pub activity: String,
    /// For whom (1–500 characters).
    pub beneficiary: String,
    /// First day of the activity.
    pub period_from: Date,
    /// Last day of the activity; not in the future, and overlapping the cycle.
    pub period_to: Date,
    /// Hours spent.
    pub hours: f64,
    /// Links to the evidence (up to 10 http(s) URLs).
    #[graphql(default)]
    pub evidence_links: Vec<String>,
    /// Your completed engagements through matching cited as evidence (global IDs of
    /// matches, up to 20; see `specialist.completedEngagements`).
    #[graphql(default)]
    pub match_ids: Vec<ID>,
}

impl ClaimDetailsInput {
    pub(super) fn into_details(self) -> DomainResult<ClaimDetails> {
        let cited_match_ids = self
            .match_ids
            .iter()
            .enumerate()
            .map(|(i, id)| decode_input_id(id, NodeKind::MATCH, &format!("match_ids.{i}"), "match"))
            .collect::<DomainResult<Vec<i64>>>()?;
        Ok(ClaimDetails {
            activity: self.activity,
            beneficiary: self.beneficiary,
            period_from: self.period_from.0,
            period_to: self.period_to.0,
            hours: self.hours,
            evidence_links: self.evidence_links,
            cited_match_ids,
        })
    }
}

/// A new deemed-attendance claim.
#[derive(InputObject)]
pub struct FileDeemedAttendanceClaimInput {
    /// Global ID of your current renewal cycle.
    pub cycle_id: ID,
    /// The requirement the claim stands in for (see the cycle's `requirements`).
    pub requirement_code: String,
    /// What you did.
    pub details: ClaimDetailsInput,
}

/// An amendment to a claim.
#[derive(InputObject)]
pub struct AmendDeemedAttendanceClaimInput {
    /// Global ID of your claim.
    pub claim_id: ID,
    /// The claim as it should now read; it is submitted again.
    pub details: ClaimDetailsInput,
}

/// A review of a claim.
#[derive(InputObject)]
pub struct ReviewDeemedAttendanceClaimInput {
    /// Global ID of the claim.
    pub claim_id: ID,
    /// The decision.
    pub decision: ClaimReviewDecision,
    /// For the specialist; required to reject or ask for changes.
    pub comment: Option<String>,
}

/// A staff decision on a renewal application.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalDecision {
    /// Renew: the next cycle starts the day after this one ends.
    Renew,
    /// Refuse, with a reason; the specialist may apply again while the window is open.
    Refuse,
}

/// A staff decision on a claim.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimReviewDecision {
    /// Approve: the claim satisfies its requirement.
    Approve,
    /// Reject; final. Needs a comment.
    Reject,
    /// Send back for changes. Needs a comment.
    RequestChanges,
}
