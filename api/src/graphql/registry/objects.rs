//! Output types of the registry.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use super::loaders::StatusHistories;
use crate::graphql::active_list::{loaders::SpecialistEntries, objects::ActiveListEntry};
use crate::graphql::matching::{
    loaders::CompletedEngagements as Engagements, objects::CompletedEngagements,
};
use crate::graphql::reference::{Industry, Prefecture};
use crate::graphql::renewal::{
    loaders::{SpecialistCompletions, SpecialistCycles},
    objects::{Course, RenewalCycle, TrainingCompletion},
};
use crate::{
    domain::{
        registry::{
            queries::StatusChange as DomainStatusChange,
            types::{ExamSeason as DomainExamSeason, SpecialistStatus as DomainStatus},
            views::SpecialistView,
        },
        renewal::{
            cycles::{self, CycleView},
            types::CycleState as DomainCycleState,
        },
    },
    graphql::{
        connection::connection,
        context::{caller, data},
        node::{NodeKind, encode_id},
        scalars::{Date, DateTime, YearMonth},
    },
};

/// Where a registration stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainStatus")]
pub enum SpecialistStatus {
    /// Registered and entitled to use the title.
    Active,
    /// Use of the title is suspended by the ministry.
    Suspended,
    /// Not renewed in time (for example, training missing at the end of a cycle).
    Lapsed,
    /// Revoked by the ministry; final.
    Revoked,
    /// Given up at the person's request; final.
    Deregistered,
}

/// The sitting of the national exam.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainExamSeason")]
pub enum ExamSeason {
    /// The spring exam (April; results in June).
    Spring,
    /// The autumn exam (October; results in December).
    Autumn,
}

/// Which fields a specialist agreed to publish in the public registry.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct DisclosureConsents {
    /// Family and given names in kanji.
    pub name: bool,
    /// Family and given names in kana.
    pub kana: bool,
    /// Birth year and month.
    pub birth_year_month: bool,
    /// Employer.
    pub employer: bool,
    /// Prefecture of address.
    pub prefecture: bool,
}

/// One entry of a registration's status history. Entries are never changed or removed.
#[derive(SimpleObject, Debug, Clone)]
pub struct StatusChange {
    /// The status from `effectiveOn`.
    pub status: SpecialistStatus,
    /// The date (Japan) the status took effect.
    pub effective_on: Date,
    /// Why the status changed.
    pub reason: String,
    /// When the change was recorded.
    pub recorded_at: DateTime,
    /// Subject of the token that recorded the change (`seed` and `system` for the service).
    pub recorded_by: String,
}

impl From<DomainStatusChange> for StatusChange {
    fn from(change: DomainStatusChange) -> Self {
        Self {
            status: change.status.into(),
            effective_on: Date(change.effective_on),
            reason: change.reason,
            recorded_at: DateTime(change.recorded_at),
            recorded_by: change.recorded_by,
        }
    }
}

/// A Registered Information Security Specialist (登録セキスペ).
///
/// Anonymous callers and partner services see the always-public fields and those the
/// specialist consented to publish; a withheld field reads as null. Registry staff and
/// the specialist themself see everything.
pub struct Specialist(pub SpecialistView);

impl Specialist {
    async fn cycles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CycleView>> {
        Ok(data::<SpecialistCycles>(ctx)?
            .load_one(self.0.id())
            .await?
            .unwrap_or_default())
    }
}

/// A Registered Information Security Specialist (登録セキスペ).
///
/// Anonymous callers and partner services see the always-public fields and those the
/// specialist consented to publish; a withheld field reads as null. Registry staff and
/// the specialist themself see everything.
#[Object]
impl Specialist {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::SPECIALIST, self.0.id())
    }

    /// Registration number: six digits, zero-padded (`011172`). Always public.
    async fn registration_number(&self) -> &str {
        self.0.registration_number()
    }

    /// Date the registration took effect (always an April 1 or October 1). Always public.
    async fn registered_on(&self) -> Date {
        Date(self.0.registered_on())
    }

    /// Year of the national exam the specialist passed. Always public.
    async fn exam_passed_year(&self) -> i32 {
        self.0.exam_year()
    }

    /// Sitting of the national exam the specialist passed. Always public.
    async fn exam_passed_season(&self) -> ExamSeason {
        self.0.exam_season().into()
    }

    /// Current status. Public callers only ever see `ACTIVE` registrations.
    async fn status(&self) -> SpecialistStatus {
        self.0.status().into()
    }

    /// Date the current status took effect.
    async fn status_since(&self) -> Date {
        Date(self.0.status_since())
    }

    /// Family name in kanji; null unless consented or you are staff or the specialist.
    async fn family_name(&self) -> Option<&str> {
        self.0.family_name()
    }

    /// Given name in kanji; null unless consented or you are staff or the specialist.
    async fn given_name(&self) -> Option<&str> {
        self.0.given_name()
    }

    /// Family name in kana; null unless consented or you are staff or the specialist.
    async fn family_name_kana(&self) -> Option<&str> {
        self.0.family_name_kana()
    }

    /// Given name in kana; null unless consented or you are staff or the specialist.
    async fn given_name_kana(&self) -> Option<&str> {
        self.0.given_name_kana()
    }

    /// Birth year and month; null unless consented or you are staff or the specialist.
    async fn birth_year_month(&self) -> Option<YearMonth> {
        self.0.birth_year_month().map(YearMonth)
    }

    /// Employer; null when withheld or not given.
    async fn employer(&self) -> Option<&str> {
        self.0.employer()
    }

    /// The employer's industry (JSIC major division); shown with the employer.
    async fn employer_industry(&self) -> Option<Industry> {
        self.0.employer_industry().map(Into::into)
    }

    /// Prefecture of address; null unless consented or you are staff or the specialist.
    async fn prefecture(&self) -> Option<Prefecture> {
        self.0.prefecture().map(Prefecture)
    }

    /// Contact e-mail. Staff and the specialist only.
    async fn email(&self) -> Option<&str> {
        self.0.email()
    }

    /// Contact telephone number. Staff and the specialist only.
    async fn phone(&self) -> Option<&str> {
        self.0.phone()
    }

    /// Which fields the specialist publishes. Staff and the specialist only.
    async fn disclosure(&self) -> Option<DisclosureConsents> {
        self.0.disclosure().map(|d| DisclosureConsents {
            name: d.name,
            kana: d.kana,
            birth_year_month: d.birth_year_month,
            employer: d.employer,
            prefecture: d.prefecture,
        })
    }

    /// Status history, oldest first. Staff and the specialist only.
    async fn status_history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<StatusChange>>> {
        if !self.0.is_full() {
            return Ok(None);
        }
        let loader = data::<StatusHistories>(ctx)?;
        let history = loader.load_one(self.0.id()).await?.unwrap_or_default();
        Ok(Some(history.into_iter().map(StatusChange::from).collect()))
    }

    /// The date of the latest renewal that has taken effect (the start of the cycle it
    /// opened, never a future date); null if never renewed. Always public.
    async fn latest_renewal_on(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Date>> {
        let cycles = self.cycles(ctx).await?;
        let today = caller(ctx)?.today();
        Ok(cycles
            .iter()
            .rev()
            .find(|c| c.row.sequence > 1 && c.row.starts_on <= today)
            .map(|c| Date(c.row.starts_on)))
    }

    /// The last day of the latest registration period, by when it must next be renewed:
    /// after a renewal, the end of the cycle that renewal opened. Always public.
    async fn renewal_deadline(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Date>> {
        let cycles = self.cycles(ctx).await?;
        Ok(cycles.last().map(|c| Date(c.row.ends_on)))
    }

    /// How many times the registration was renewed. Always public.
    async fn renewal_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let cycles = self.cycles(ctx).await?;
        Ok(cycles
            .iter()
            .filter(|c| c.row.state == DomainCycleState::Renewed)
            .count() as i32)
    }

    /// The dates of completed courses, oldest first. Always public (the courses
    /// themselves are for staff and the specialist: see `trainingCompletions`).
    async fn course_completion_dates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Date>> {
        let completions = data::<SpecialistCompletions>(ctx)?
            .load_one(self.0.id())
            .await?
            .unwrap_or_default();
        Ok(completions
            .iter()
            .map(|(c, _)| Date(c.completed_on))
            .collect())
    }

    /// Completed courses, oldest first. Staff and the specialist only.
    async fn training_completions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<TrainingCompletion>>> {
        if !self.0.is_full() {
            return Ok(None);
        }
        let completions = data::<SpecialistCompletions>(ctx)?
            .load_one(self.0.id())
            .await?
            .unwrap_or_default();
        Ok(Some(
            completions
                .into_iter()
                .map(|(c, course)| TrainingCompletion {
                    course: Course(course),
                    completed_on: Date(c.completed_on),
                })
                .collect(),
        ))
    }

    /// The renewal cycle that contains today (Japan): the one running, or the last one if
    /// the registration ended. A renewal decided before the running cycle ends opens the
    /// next one (`nextCycle`), which becomes current on its first day. Null before the
    /// registration takes effect. Staff and the specialist only.
    async fn current_cycle(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RenewalCycle>> {
        if !self.0.is_full() {
            return Ok(None);
        }
        let cycles = self.cycles(ctx).await?;
        let today = caller(ctx)?.today();
        Ok(cycles::current_of(&cycles, today)
            .cloned()
            .map(RenewalCycle))
    }

    /// The renewal cycle that starts after today: opened by a renewal decided before the
    /// running cycle ended, or the first of a registration that takes effect later; null
    /// otherwise. Staff and the specialist only.
    async fn next_cycle(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RenewalCycle>> {
        if !self.0.is_full() {
            return Ok(None);
        }
        let cycles = self.cycles(ctx).await?;
        let today = caller(ctx)?.today();
        Ok(cycles::next_of(&cycles, today).cloned().map(RenewalCycle))
    }

    /// Every renewal cycle, oldest first. Staff and the specialist only.
    async fn renewal_cycles(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<RenewalCycle>>> {
        if !self.0.is_full() {
            return Ok(None);
        }
        let cycles = self.cycles(ctx).await?;
        Ok(Some(cycles.into_iter().map(RenewalCycle).collect()))
    }

    /// The specialist's Active List entry: for everybody when published and eligible, in
    /// any state for staff and the specialist; otherwise null.
    async fn active_list_entry(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ActiveListEntry>> {
        let entry = data::<SpecialistEntries>(ctx)?
            .load_one(self.0.id())
            .await?;
        Ok(entry.map(ActiveListEntry))
    }

    /// The specialist's completed engagements through matching, with their hours. Staff
    /// and the specialist only; null for others.
    async fn completed_engagements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<CompletedEngagements>> {
        Ok(data::<Engagements>(ctx)?
            .load_one(self.0.id())
            .await?
            .map(CompletedEngagements))
    }

    /// Version for optimistic concurrency: pass it as `expectedVersion` when updating.
    /// Staff and the specialist only.
    async fn version(&self) -> Option<i32> {
        self.0.version()
    }

    /// When the record was created. Staff and the specialist only.
    async fn created_at(&self) -> Option<DateTime> {
        self.0.created_at().map(DateTime)
    }

    /// When the record last changed. Staff and the specialist only.
    async fn updated_at(&self) -> Option<DateTime> {
        self.0.updated_at().map(DateTime)
    }
}

connection!(
    SpecialistConnection,
    SpecialistEdge,
    Specialist,
    "specialists"
);
