//! Output types of the camps.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::{camp_application, camp_cohort, camp_cohort_move, camp_program, camp_track, person};

use crate::{
    domain::{
        analytics::camp::{
            ActivityCount as DomainActivityCount, CampFigures as DomainCampFigures,
            GraduateCount as DomainGraduateCount, YearProgress as DomainYearProgress,
        },
        camp::{
            applications::{self, answers_of, preferences_of, status_of_application},
            cohorts::{next_status_on, questions_of, status_of},
            types::{
                ApplicationStatus as DomainApplicationStatus, CohortStatus as DomainCohortStatus,
                ProgramKind as DomainProgramKind,
            },
        },
    },
    graphql::{
        active_list::loaders::EntrySpecialists,
        camp::loaders::{
            ApplicationCounts, CampPrograms, CohortMoves, CohortTracks, Cohorts, CompletedCohorts,
            People,
        },
        community::{
            loaders::Profiles,
            objects::{ActivityKind, AlumniProfile},
        },
        connection::connection,
        context::{caller, data},
        node::{NodeKind, encode_id},
        reference::Prefecture,
        registry::objects::Specialist,
        scalars::{Date, DateTime},
    },
};

/// A Security Camp program.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainProgramKind")]
pub enum CampProgramKind {
    /// The national camp (全国大会), every August; may be attended once.
    National,
    /// Regional mini camps.
    Mini,
    /// The junior camp.
    Junior,
    /// The advanced next camp.
    Next,
    /// Security Camp Connect: other fields × security, such as AI.
    Connect,
    /// Other camps and community programs.
    Other,
}

/// Where a cohort stands. It moves forward one step at a time.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainCohortStatus")]
pub enum CampCohortStatus {
    /// Announced; applications not open yet.
    Planned,
    /// Taking applications within its window.
    ApplicationsOpen,
    /// Applications closed; staff select.
    Selecting,
    /// The camp is running.
    InSession,
    /// Over; those who completed it are alumni.
    Completed,
}

/// Where an application stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainApplicationStatus")]
pub enum CampApplicationStatus {
    /// Submitted, not decided.
    Applied,
    /// Given a place in a track.
    Selected,
    /// Next in line should a place free up.
    Waitlisted,
    /// Not selected.
    Rejected,
    /// Took part in the camp.
    Attended,
    /// Completed the camp: an alumnus.
    Completed,
    /// Withdrawn.
    Withdrawn,
}

fn is_camp_staff(ctx: &Context<'_>) -> async_graphql::Result<bool> {
    Ok(caller(ctx)?.actor.is_camp_staff())
}

/// A Security Camp program and its eligibility rules.
pub struct CampProgram(pub camp_program::Model);

/// A Security Camp program and its eligibility rules.
#[Object]
impl CampProgram {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::CAMP_PROGRAM, self.0.id)
    }

    /// Which program it is.
    async fn kind(&self) -> CampProgramKind {
        self.0.kind.into()
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What it is.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The youngest eligible age on a cohort's first day, or null for no limit.
    async fn min_age(&self) -> Option<i32> {
        self.0.min_age.map(i32::from)
    }

    /// The oldest eligible age on a cohort's first day, or null for no limit.
    async fn max_age(&self) -> Option<i32> {
        self.0.max_age.map(i32::from)
    }

    /// Whether someone who completed a cohort of this program may not apply again.
    async fn attend_once(&self) -> bool {
        self.0.attend_once
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One running of a program: a year's national camp, a regional mini camp.
pub struct CampCohort(pub camp_cohort::Model);

/// One running of a program: a year's national camp, a regional mini camp.
#[Object]
impl CampCohort {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::CAMP_COHORT, self.0.id)
    }

    /// Its program.
    async fn program(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CampProgram>> {
        Ok(data::<CampPrograms>(ctx)?
            .load_one(self.0.program_id)
            .await?
            .map(CampProgram))
    }

    /// The fiscal year (April to March) of its first day.
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Its first day.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }

    /// Its last day.
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }

    /// Whether it is held online.
    async fn online(&self) -> bool {
        self.0.online
    }

    /// Where it is held in person.
    async fn venue(&self) -> Option<&str> {
        self.0.venue.as_deref()
    }

    /// The prefecture it is held in.
    async fn prefecture(&self) -> Option<Prefecture> {
        self.0
            .prefecture_code
            .as_deref()
            .and_then(Prefecture::of_code)
    }

    /// How many take part at most.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }

    /// Places taken by selected applicants; camp staff only (null otherwise).
    async fn places_taken(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i32>> {
        Ok(is_camp_staff(ctx)?.then_some(self.0.selected_count))
    }

    /// How many applied, whatever became of them; camp staff only (null otherwise).
    async fn application_count(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        if !is_camp_staff(ctx)? {
            return Ok(None);
        }
        Ok(Some(
            data::<ApplicationCounts>(ctx)?
                .load_one(self.0.id)
                .await?
                .unwrap_or(0),
        ))
    }

    /// The first day applications are taken.
    async fn applications_open_on(&self) -> Date {
        Date(self.0.applications_open_on)
    }

    /// The last day applications are taken.
    async fn applications_close_on(&self) -> Date {
        Date(self.0.applications_close_on)
    }

    /// Whether it takes applications today (Japan): open, and within its window.
    async fn accepting_applications(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let today = caller(ctx)?.today();
        Ok(status_of(&self.0) == DomainCohortStatus::ApplicationsOpen
            && self.0.applications_open_on <= today
            && today <= self.0.applications_close_on)
    }

    /// The application assignment: each application answers these, in order.
    async fn questions(&self) -> Vec<String> {
        questions_of(&self.0)
    }

    /// Where it stands.
    async fn status(&self) -> CampCohortStatus {
        status_of(&self.0).into()
    }

    /// The first day (Japan) it may move on to its next state without an override
    /// reason: `applicationsOpenOn`, the day after `applicationsCloseOn`, `startsOn`,
    /// `endsOn`; null once completed.
    async fn next_status_on(&self) -> Option<Date> {
        next_status_on(&self.0).map(Date)
    }

    /// Its moves from state to state, oldest first, with how early each was and why;
    /// camp staff only (null otherwise).
    async fn status_history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<CampCohortMove>>> {
        if !is_camp_staff(ctx)? {
            return Ok(None);
        }
        Ok(Some(
            data::<CohortMoves>(ctx)?
                .load_one(self.0.id)
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(CampCohortMove)
                .collect(),
        ))
    }

    /// Its tracks or classes, in order.
    async fn tracks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CampTrack>> {
        Ok(data::<CohortTracks>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(CampTrack)
            .collect())
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct CampCohortMove(pub camp_cohort_move::Model);

/// One move of a cohort to its next state: when, by whom, and how early and why.
#[Object]
impl CampCohortMove {
    /// The state it left.
    async fn from(&self) -> CampCohortStatus {
        self.0.from_status.into()
    }

    /// The state it entered.
    async fn to(&self) -> CampCohortStatus {
        self.0.to_status.into()
    }

    /// The day (Japan) of the move.
    async fn moved_on(&self) -> Date {
        Date(self.0.moved_on)
    }

    /// How many days before the state's date it was made; 0 when on time.
    async fn early_by_days(&self) -> i32 {
        self.0.early_by_days
    }

    /// Why staff moved it on early (`overrideReason`); null for a move on time without one.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Who moved it (the token's subject).
    async fn moved_by(&self) -> &str {
        &self.0.moved_by
    }
}

/// A track or class of a cohort, with its own capacity.
pub struct CampTrack(pub camp_track::Model);

/// A track or class of a cohort, with its own capacity.
#[Object]
impl CampTrack {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::CAMP_TRACK, self.0.id)
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What it teaches.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// How many it takes at most.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }

    /// Places taken by selected applicants; camp staff only (null otherwise).
    async fn places_taken(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i32>> {
        Ok(is_camp_staff(ctx)?.then_some(self.0.selected_count))
    }
}

async fn tracks_named(
    ctx: &Context<'_>,
    cohort_id: i64,
    ids: &[i64],
) -> async_graphql::Result<Vec<CampTrack>> {
    let tracks = data::<CohortTracks>(ctx)?
        .load_one(cohort_id)
        .await?
        .unwrap_or_default();
    Ok(ids
        .iter()
        .filter_map(|id| tracks.iter().find(|t| t.id == *id).cloned().map(CampTrack))
        .collect())
}

/// An application to a cohort. Seen by camp staff and the applicant only.
pub struct CampApplication(pub camp_application::Model);

/// An application to a cohort. Seen by camp staff and the applicant only.
#[Object]
impl CampApplication {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::CAMP_APPLICATION, self.0.id)
    }

    /// The cohort applied to.
    async fn cohort(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CampCohort>> {
        Ok(data::<Cohorts>(ctx)?
            .load_one(self.0.cohort_id)
            .await?
            .map(CampCohort))
    }

    /// The applicant.
    async fn applicant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(data::<People>(ctx)?
            .load_one(self.0.person_id)
            .await?
            .map(Person))
    }

    /// Where it stands.
    async fn status(&self) -> CampApplicationStatus {
        status_of_application(&self.0).into()
    }

    /// The tracks asked for, most wanted first.
    async fn preferred_tracks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CampTrack>> {
        tracks_named(ctx, self.0.cohort_id, &preferences_of(&self.0)).await
    }

    /// The track a selected applicant holds a place in.
    async fn track(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CampTrack>> {
        let Some(id) = self.0.track_id else {
            return Ok(None);
        };
        Ok(tracks_named(ctx, self.0.cohort_id, &[id]).await?.pop())
    }

    /// Answers to the cohort's questions, in order.
    async fn answers(&self) -> Vec<String> {
        answers_of(&self.0)
    }

    /// When it was submitted.
    async fn applied_at(&self) -> DateTime {
        DateTime(self.0.applied_at)
    }

    /// Whether the application still waits for a guardian's consent: its applicant is
    /// under 18 on the cohort's first day and none is recorded. Such an application cannot
    /// be selected or waitlisted (`recordGuardianConsent`).
    async fn awaits_guardian_consent(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let applicant = data::<People>(ctx)?.load_one(self.0.person_id).await?;
        let cohort = data::<Cohorts>(ctx)?.load_one(self.0.cohort_id).await?;
        Ok(match (applicant, cohort) {
            (Some(applicant), Some(cohort)) => {
                applications::awaits_guardian(&self.0, &applicant, &cohort)
            }
            _ => false,
        })
    }

    /// The guardian who consented, as recorded; null when none is.
    async fn guardian_name(&self) -> Option<&str> {
        self.0.guardian_name.as_deref()
    }

    /// When a guardian's consent was recorded; null when none is.
    async fn guardian_consented_at(&self) -> Option<DateTime> {
        self.0.guardian_consented_at.map(DateTime)
    }

    /// When staff last decided on it.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(DateTime)
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the application last changed: what `updatedSince` and `UPDATED_AT` read.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// A person: a camp applicant, an alumnus, a registered specialist, or several of these.
/// Seen by camp staff and the person themselves.
pub struct Person(pub person::Model);

/// A person: a camp applicant, an alumnus, a registered specialist, or several of these.
/// Seen by camp staff and the person themselves.
#[Object]
impl Person {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::PERSON, self.0.id)
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Name reading in kana.
    async fn name_kana(&self) -> &str {
        &self.0.name_kana
    }

    /// Date of birth: eligibility depends on age on a cohort's first day.
    async fn birth_date(&self) -> Date {
        Date(self.0.birth_date)
    }

    /// E-mail address.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Where they live.
    async fn prefecture(&self) -> Option<Prefecture> {
        self.0
            .prefecture_code
            .as_deref()
            .and_then(Prefecture::of_code)
    }

    /// Their registration, when they are also a registered specialist (with the fields
    /// you may see of it).
    async fn specialist(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Specialist>> {
        let Some(id) = self.0.specialist_id else {
            return Ok(None);
        };
        Ok(data::<EntrySpecialists>(ctx)?
            .load_one(id)
            .await?
            .and_then(|(view, _)| view)
            .map(Specialist))
    }

    /// The cohorts they completed, oldest first: they are an alumnus when there is one.
    async fn completed_cohorts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CampCohort>> {
        let ids = data::<CompletedCohorts>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let found = data::<Cohorts>(ctx)?.load_many(ids.iter().copied()).await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.get(id).cloned().map(CampCohort))
            .collect())
    }

    /// Whether they completed a cohort.
    async fn is_alumnus(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(data::<CompletedCohorts>(ctx)?
            .load_one(self.0.id)
            .await?
            .is_some_and(|c| !c.is_empty()))
    }

    /// Their community profile, when they are a member.
    async fn community_profile(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<AlumniProfile>> {
        Ok(data::<Profiles>(ctx)?
            .load_one(self.0.id)
            .await?
            .flatten()
            .map(AlumniProfile))
    }

    /// Version for optimistic concurrency (`expectedVersion` of `saveMyPerson`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection!(CampCohortConnection, CampCohortEdge, CampCohort, "cohorts");
connection!(
    CampApplicationConnection,
    CampApplicationEdge,
    CampApplication,
    "applications"
);
/// Graduates of one program in one fiscal year.
#[derive(SimpleObject)]
pub struct GraduateCount {
    /// The fiscal year of the cohorts' first days.
    pub fiscal_year: i32,
    /// The program.
    pub program: CampProgramKind,
    /// People who completed its cohorts that year.
    pub graduates: i64,
}

impl From<DomainGraduateCount> for GraduateCount {
    fn from(g: DomainGraduateCount) -> Self {
        Self {
            fiscal_year: g.fiscal_year,
            program: g.program.into(),
            graduates: g.graduates,
        }
    }
}

/// One fiscal year's graduates against the target.
#[derive(SimpleObject)]
pub struct GraduateYear {
    /// The fiscal year.
    pub fiscal_year: i32,
    /// Graduates of the programs counted.
    pub graduates: i64,
    /// Graduates as a share of the target (1.0 = the target is reached).
    pub share_of_target: f64,
}

impl From<DomainYearProgress> for GraduateYear {
    fn from(y: DomainYearProgress) -> Self {
        Self {
            fiscal_year: y.fiscal_year,
            graduates: y.graduates,
            share_of_target: y.share_of_target,
        }
    }
}

/// Activity reports of one kind in one fiscal year.
#[derive(SimpleObject)]
pub struct ActivityCount {
    /// The fiscal year of the activities.
    pub fiscal_year: i32,
    /// The kind.
    pub kind: ActivityKind,
    /// How many were reported.
    pub reports: i64,
}

impl From<DomainActivityCount> for ActivityCount {
    fn from(a: DomainActivityCount) -> Self {
        Self {
            fiscal_year: a.fiscal_year,
            kind: a.kind.into(),
            reports: a.reports,
        }
    }
}

/// The camps' figures: graduates against twice a baseline year, and the community.
#[derive(SimpleObject)]
pub struct CampFigures {
    /// Graduates per fiscal year and program (every program).
    pub graduates: Vec<GraduateCount>,
    /// The programs counted towards the target (all when empty).
    pub programs: Vec<CampProgramKind>,
    /// The baseline fiscal year.
    pub baseline_fiscal_year: i32,
    /// Graduates of the counted programs in the baseline year.
    pub baseline_graduates: i64,
    /// Twice the baseline: the goal of doubling the camps' scale.
    pub target_graduates: i64,
    /// Each fiscal year's graduates of the counted programs, against the target.
    pub years: Vec<GraduateYear>,
    /// People who completed at least one cohort.
    pub alumni: i64,
    /// Current members of the community.
    pub community_members: i64,
    /// Current members open to mentoring.
    pub open_to_mentoring: i64,
    /// Activity reports per fiscal year and kind.
    pub activities: Vec<ActivityCount>,
    /// Community events held (scheduled and started).
    pub events_held: i64,
    /// Attendances recorded at community events.
    pub event_attendances: i64,
}

impl From<DomainCampFigures> for CampFigures {
    fn from(f: DomainCampFigures) -> Self {
        Self {
            graduates: f.graduates.into_iter().map(Into::into).collect(),
            programs: f.programs.into_iter().map(Into::into).collect(),
            baseline_fiscal_year: f.baseline_fiscal_year,
            baseline_graduates: f.baseline_graduates,
            target_graduates: f.target_graduates,
            years: f.years.into_iter().map(Into::into).collect(),
            alumni: f.alumni,
            community_members: f.members,
            open_to_mentoring: f.open_to_mentoring,
            activities: f.activities.into_iter().map(Into::into).collect(),
            events_held: f.events_held,
            event_attendances: f.event_attendances,
        }
    }
}
