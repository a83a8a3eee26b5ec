//! Output types of renewal.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::{course, deemed_attendance_claim};

use super::loaders::{ClaimsById, CycleDetails, CyclesById, RequirementState};
use crate::graphql::scalars::Yen;
use crate::{
    domain::renewal::{
        claims::Savings,
        cycles::CycleView,
        policy::{Policy, Requirement},
        sweep::ReminderView,
        types::{
            ClaimStatus as DomainClaimStatus, CourseKind as DomainCourseKind,
            CycleStatus as DomainCycleStatus, ReminderKind as DomainReminderKind,
        },
    },
    graphql::{
        connection::connection,
        context::data,
        node::{NodeKind, encode_id},
        scalars::{Date, DateTime},
    },
};

/// The kind of a course.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainCourseKind")]
pub enum CourseKind {
    /// IPA's online course (オンライン講習), one every year of a cycle.
    Online,
    /// IPA's practical course (実践講習), one per cycle.
    Practical,
    /// A specified course (特定講習) designated by the minister; may replace the practical
    /// course.
    Specified,
    /// Ethics and duties of a registered specialist; never replaceable by deemed attendance.
    Ethics,
}

/// Where a renewal cycle stands today.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainCycleStatus")]
pub enum RenewalCycleStatus {
    /// Something is still missing, with 180 days or more to the application deadline.
    OnTrack,
    /// Something is still missing, with fewer than 180 days to the application deadline.
    AtRisk,
    /// The application deadline has passed with something missing or no application filed.
    Overdue,
    /// Every requirement is satisfied (and, after the deadline, an application is filed).
    Complete,
    /// Renewed: the next cycle follows.
    Renewed,
    /// Ended without renewal; the registration lapsed.
    Lapsed,
    /// The registration ended otherwise (revoked or deregistered).
    Closed,
}

/// Where a deemed-attendance claim stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainClaimStatus")]
pub enum DeemedAttendanceClaimStatus {
    /// Waiting for staff review.
    Submitted,
    /// Staff asked for changes: amend it to submit it again.
    ChangesRequested,
    /// Approved: it satisfies its requirement.
    Approved,
    /// Rejected; final.
    Rejected,
}

/// Which renewal reminder.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainReminderKind")]
pub enum RenewalReminderKind {
    /// A year before the application deadline.
    Days365,
    /// 180 days before the application deadline.
    Days180,
    /// 90 days before the application deadline.
    Days90,
    /// 30 days before the application deadline.
    Days30,
    /// From the day the registration lapsed: written by the first run on or after the
    /// sweep that lapsed it, for lapses of the last year.
    Lapsed,
}

/// One requirement of a policy.
#[derive(SimpleObject, Debug, Clone)]
pub struct PolicyRequirement {
    /// Stable code within the policy (`ONLINE_YEAR_1`, `PRACTICAL`, `ETHICS`).
    pub code: String,
    /// What it asks for.
    pub name: String,
    /// Course kinds that satisfy it.
    pub course_kinds: Vec<CourseKind>,
    /// The year of the cycle (1–3) the course must be completed in; null for any year.
    pub cycle_year: Option<u32>,
    /// Whether approved practical experience may satisfy it instead (みなし受講).
    pub deemable: bool,
    /// The course fee, in yen, that an approved deemed-attendance claim saves.
    pub standard_fee_yen: Yen,
}

impl From<&Requirement> for PolicyRequirement {
    fn from(r: &Requirement) -> Self {
        Self {
            code: r.code.clone(),
            name: r.name.clone(),
            course_kinds: r.course_kinds.iter().map(|k| (*k).into()).collect(),
            cycle_year: r.cycle_year,
            deemable: r.deemable,
            standard_fee_yen: Yen(r.standard_fee_yen.into()),
        }
    }
}

/// A versioned set of training requirements. A cycle follows the policy with the latest
/// `effectiveFrom` on or before its start (the earliest policy for older cycles).
#[derive(SimpleObject, Debug, Clone)]
pub struct RequirementPolicy {
    /// Stable name (`STANDARD_2020`).
    pub code: String,
    /// What the policy is.
    pub name: String,
    /// Cycles starting on or after this date follow it, until a later policy.
    pub effective_from: Date,
    /// What a cycle must contain, in order.
    pub requirements: Vec<PolicyRequirement>,
}

impl From<&Policy> for RequirementPolicy {
    fn from(p: &Policy) -> Self {
        Self {
            code: p.code.clone(),
            name: p.name.clone(),
            effective_from: Date(p.effective_from),
            requirements: p.requirements.iter().map(Into::into).collect(),
        }
    }
}

/// A course of the catalogue.
#[derive(Clone)]
pub struct Course(pub course::Model);

/// A course of the catalogue.
#[Object]
impl Course {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::COURSE, self.0.id)
    }

    /// Unique code (`IPA-ONLINE-2026`).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name of the course.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Who runs it.
    async fn provider(&self) -> &str {
        &self.0.provider
    }

    /// The provider's code: a `TRAINING_PROVIDER` token with this `provider_id` uploads
    /// the course's completion rosters. Null when only registry staff record them.
    async fn provider_code(&self) -> Option<&str> {
        self.0.provider_code.as_deref()
    }

    /// Kind of course.
    async fn kind(&self) -> CourseKind {
        self.0.kind.into()
    }

    /// The fiscal year (April–March) it is designated for; completions must fall in it.
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }

    /// Fee in yen.
    async fn fee_yen(&self) -> Yen {
        Yen(self.0.fee_yen.into())
    }

    /// Length in hours.
    async fn hours(&self) -> f64 {
        self.0.hours
    }
}

connection!(CourseConnection, CourseEdge, Course, "courses");

/// A course a specialist completed.
#[derive(SimpleObject, Clone)]
pub struct TrainingCompletion {
    /// The course (the same object as in the catalogue, `Course`).
    pub course: Course,
    /// The date (Japan) it was completed.
    pub completed_on: Date,
}

/// One requirement of a cycle, with what satisfied it.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct CycleRequirement {
    /// The requirement.
    pub requirement: PolicyRequirement,
    /// Whether it is satisfied.
    pub satisfied: bool,
    /// The completion that satisfied it, if a course did.
    pub satisfied_by_course: Option<TrainingCompletion>,
    /// The approved deemed-attendance claim that satisfied it, if one did.
    #[graphql(skip)]
    pub satisfied_by_claim_id: Option<i64>,
}

#[async_graphql::ComplexObject]
impl CycleRequirement {
    /// The approved deemed-attendance claim that satisfied it, if one did.
    async fn satisfied_by_claim(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DeemedAttendanceClaim>> {
        let Some(id) = self.satisfied_by_claim_id else {
            return Ok(None);
        };
        Ok(data::<ClaimsById>(ctx)?
            .load_one(id)
            .await?
            .map(DeemedAttendanceClaim))
    }
}

impl From<&RequirementState> for CycleRequirement {
    fn from(state: &RequirementState) -> Self {
        Self {
            requirement: (&state.requirement).into(),
            satisfied: state.by_course.is_some() || state.by_claim.is_some(),
            satisfied_by_course: state
                .by_course
                .as_ref()
                .map(|(c, course)| TrainingCompletion {
                    course: Course(course.clone()),
                    completed_on: Date(c.completed_on),
                }),
            satisfied_by_claim_id: state.by_claim,
        }
    }
}

/// A three-year renewal cycle of a registration. Registry staff and the specialist only.
pub struct RenewalCycle(pub CycleView);

/// A three-year renewal cycle of a registration. Registry staff and the specialist only.
#[Object]
impl RenewalCycle {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::RENEWAL_CYCLE, self.0.row.id)
    }

    /// The specialist whose cycle it is.
    async fn specialist(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::registry::objects::Specialist>> {
        specialist_of(ctx, self.0.row.specialist_id).await
    }

    /// 1 for the cycle that starts at registration, one more per renewal.
    async fn sequence(&self) -> i32 {
        self.0.row.sequence
    }

    /// First day of the cycle.
    async fn starts_on(&self) -> Date {
        Date(self.0.row.starts_on)
    }

    /// Last day of the cycle: the registration's renewal deadline.
    async fn ends_on(&self) -> Date {
        Date(self.0.row.ends_on)
    }

    /// Last day to apply for renewal: 60 days before the end.
    async fn application_due_on(&self) -> Date {
        Date(self.0.row.application_due_on)
    }

    /// Days from today (Japan) to the application deadline; negative once it passed.
    async fn days_to_application_deadline(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(
            (self.0.row.application_due_on - crate::graphql::context::caller(ctx)?.today())
                .num_days(),
        )
    }

    /// Where the cycle stands today.
    async fn status(&self) -> RenewalCycleStatus {
        self.0.status.into()
    }

    /// How many requirements are not yet satisfied.
    async fn missing_requirements(&self) -> i32 {
        self.0.row.missing_requirements
    }

    /// The date of the application waiting for a decision, if any.
    async fn applied_on(&self) -> Option<Date> {
        self.0.row.applied_on.map(Date)
    }

    /// When an application was last refused.
    async fn refused_on(&self) -> Option<Date> {
        self.0.row.refused_on.map(Date)
    }

    /// Why an application was last refused.
    async fn refusal_reason(&self) -> Option<&str> {
        self.0.row.refusal_reason.as_deref()
    }

    /// When the cycle was renewed, lapsed or closed.
    async fn closed_on(&self) -> Option<Date> {
        self.0.row.closed_on.map(Date)
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.row.version
    }

    /// When the cycle last changed, including a recount of its missing requirements:
    /// what `updatedSince` and the `UPDATED_AT` order read. A status that moves with the
    /// calendar alone (`OVERDUE` after the deadline) changes no update time.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.row.updated_at)
    }

    /// The policy the cycle follows.
    async fn policy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RequirementPolicy>> {
        let details = data::<CycleDetails>(ctx)?.load_one(self.0.row.id).await?;
        Ok(details.map(|d| RequirementPolicy::from(&d.policy)))
    }

    /// Each requirement of the policy, with what satisfied it.
    async fn requirements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CycleRequirement>> {
        let details = data::<CycleDetails>(ctx)?.load_one(self.0.row.id).await?;
        Ok(details
            .map(|d| d.requirements.iter().map(Into::into).collect())
            .unwrap_or_default())
    }
}

connection!(
    RenewalCycleConnection,
    RenewalCycleEdge,
    RenewalCycle,
    "renewal cycles"
);

/// Practical experience claimed in place of a course requirement (みなし受講).
/// Registry staff and the specialist only.
pub struct DeemedAttendanceClaim(pub deemed_attendance_claim::Model);

/// Practical experience claimed in place of a course requirement (みなし受講).
/// Registry staff and the specialist only.
#[Object]
impl DeemedAttendanceClaim {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::DEEMED_ATTENDANCE_CLAIM, self.0.id)
    }

    /// The specialist who filed it.
    async fn specialist(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::registry::objects::Specialist>> {
        specialist_of(ctx, self.0.specialist_id).await
    }

    /// The completed engagements (matches) cited as evidence.
    async fn cited_engagements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::matching::objects::Match>> {
        Ok(data::<crate::graphql::matching::loaders::Citations>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(crate::graphql::matching::objects::Match)
            .collect())
    }

    /// The renewal cycle it is filed against.
    async fn cycle(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RenewalCycle>> {
        Ok(data::<CyclesById>(ctx)?
            .load_one(self.0.cycle_id)
            .await?
            .map(RenewalCycle))
    }

    /// The requirement it stands in for.
    async fn requirement_code(&self) -> &str {
        &self.0.requirement_code
    }

    /// What the specialist did.
    async fn activity(&self) -> &str {
        &self.0.activity
    }

    /// For whom.
    async fn beneficiary(&self) -> &str {
        &self.0.beneficiary
    }

    /// First day of the activity.
    async fn period_from(&self) -> Date {
        Date(self.0.period_from)
    }

    /// Last day of the activity.
    async fn period_to(&self) -> Date {
        Date(self.0.period_to)
    }

    /// Hours spent.
    async fn hours(&self) -> f64 {
        self.0.hours
    }

    /// Links to the evidence.
    async fn evidence_links(&self) -> Vec<String> {
        serde_json::from_value(self.0.evidence_links.clone()).unwrap_or_default()
    }

    /// Where the claim stands.
    async fn status(&self) -> DeemedAttendanceClaimStatus {
        self.0.status.into()
    }

    /// The reviewer's comment.
    async fn review_comment(&self) -> Option<&str> {
        self.0.review_comment.as_deref()
    }

    /// When it was last reviewed.
    async fn reviewed_at(&self) -> Option<DateTime> {
        self.0.reviewed_at.map(DateTime)
    }

    /// The course fee, in yen, that its approval saved.
    async fn fee_saved_yen(&self) -> Option<Yen> {
        self.0.fee_saved_yen.map(|y| Yen(y.into()))
    }

    /// When it was last submitted.
    async fn submitted_at(&self) -> DateTime {
        DateTime(self.0.submitted_at)
    }

    /// Version, bumped by every change.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the claim last changed: what `updatedSince` and the `UPDATED_AT` order read.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

connection!(
    DeemedAttendanceClaimConnection,
    DeemedAttendanceClaimEdge,
    DeemedAttendanceClaim,
    "deemed-attendance claims"
);

/// Approved deemed-attendance claims and the course fees they saved.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct DeemedAttendanceSavings {
    /// How many claims were approved.
    pub approved_claims: u64,
    /// The course fees they saved, in yen.
    pub fee_saved_yen: Yen,
}

impl From<Savings> for DeemedAttendanceSavings {
    fn from(s: Savings) -> Self {
        Self {
            approved_claims: s.approved_claims,
            fee_saved_yen: Yen(s.fee_saved_yen),
        }
    }
}

/// A renewal reminder in the outbox, waiting for delivery.
pub struct RenewalReminder(pub ReminderView);

/// A renewal reminder in the outbox, waiting for delivery.
#[Object]
impl RenewalReminder {
    /// Which reminder.
    async fn kind(&self) -> RenewalReminderKind {
        self.0.row.kind.into()
    }

    /// The specialist it is for.
    async fn specialist(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::registry::objects::Specialist>> {
        specialist_of(ctx, self.0.row.specialist_id).await
    }

    /// Registration number of the specialist it is for.
    async fn registration_number(&self) -> &str {
        &self.0.registration_number
    }

    /// The cycle it is about.
    async fn cycle(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RenewalCycle>> {
        Ok(data::<CyclesById>(ctx)?
            .load_one(self.0.row.cycle_id)
            .await?
            .map(RenewalCycle))
    }

    /// The day it became due.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on())
    }

    /// The cycle's application deadline.
    async fn application_due_on(&self) -> Date {
        Date(self.0.row.application_due_on)
    }

    /// The date of the run that wrote it.
    async fn written_on(&self) -> Date {
        Date(self.0.row.written_on)
    }

    /// When it was delivered; null while it waits in the outbox.
    async fn delivered_at(&self) -> Option<DateTime> {
        self.0.row.delivered_at.map(DateTime)
    }
}

connection!(
    RenewalReminderConnection,
    RenewalReminderEdge,
    RenewalReminder,
    "renewal reminders"
);

/// The specialist with this id, as the caller may see them (the registry's loader).
async fn specialist_of(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Option<crate::graphql::registry::objects::Specialist>> {
    Ok(
        crate::graphql::context::data::<crate::graphql::registry::loaders::Specialists>(ctx)?
            .load_one(id)
            .await?
            .map(crate::graphql::registry::objects::Specialist),
    )
}
