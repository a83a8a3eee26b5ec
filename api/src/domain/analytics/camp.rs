//! The programme's figures: graduates per fiscal year and program against twice a baseline
//! year, the community's size, and its activity. Aggregates only: no figure names a person.

use super::permissions;
use std::collections::BTreeMap;

use entities::{
    alumni_activity, camp_application, camp_cohort, camp_program, community_event,
    community_member, event_rsvp,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use entities::enums::camp::{ActivityKind, EventStatus, RsvpStatus};

use crate::domain::camp::{
    applications::with_cohort,
    types::{ApplicationStatus, ProgramKind},
};
use crate::domain::{Caller, DomainResult, Role, calendar::fiscal_year};

/// The roles that read the figures.
pub const FIGURE_READERS: &[Role] = &[
    Role::Admin,
    Role::CampStaff,
    Role::ProgramStaff,
    Role::Analyst,
];

/// Graduates of one program in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraduateCount {
    pub fiscal_year: i32,
    pub program: ProgramKind,
    pub graduates: i64,
}

/// One fiscal year's graduates (of the programs counted) against the target.
#[derive(Debug, Clone, PartialEq)]
pub struct YearProgress {
    pub fiscal_year: i32,
    pub graduates: i64,
    /// Graduates as a share of the target (1.0 = reached).
    pub share_of_target: f64,
}

/// Activity reports of one kind in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityCount {
    pub fiscal_year: i32,
    pub kind: ActivityKind,
    pub reports: i64,
}

/// Everything `campFigures` answers.
#[derive(Debug, Clone)]
pub struct CampFigures {
    pub graduates: Vec<GraduateCount>,
    pub programs: Vec<ProgramKind>,
    pub baseline_fiscal_year: i32,
    pub baseline_graduates: i64,
    /// Twice the baseline year's graduates: the goal of doubling the camps' scale.
    pub target_graduates: i64,
    pub years: Vec<YearProgress>,
    /// People who completed at least one cohort.
    pub alumni: i64,
    /// Current community members.
    pub members: i64,
    /// Current members open to mentoring.
    pub open_to_mentoring: i64,
    pub activities: Vec<ActivityCount>,
    /// Scheduled events that have started.
    pub events_held: i64,
    /// RSVPs recorded as attended.
    pub event_attendances: i64,
}

/// The figures, counting graduates of `programs` (every program when empty) against twice
/// those of `baseline_fiscal_year`.
pub async fn camp_figures<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    baseline_fiscal_year: i32,
    programs: &[ProgramKind],
) -> DomainResult<CampFigures> {
    caller.actor.allow(&permissions::READ_CAMP_FIGURES)?;
    let graduates = graduates(db).await?;
    let (baseline, years) = against_target(&graduates, programs, baseline_fiscal_year);
    let community = community(db, caller.now()).await?;
    Ok(CampFigures {
        graduates,
        programs: programs.to_vec(),
        baseline_fiscal_year,
        baseline_graduates: baseline,
        target_graduates: baseline * 2,
        years,
        alumni: community.alumni,
        members: community.members,
        open_to_mentoring: community.open_to_mentoring,
        activities: community.activities,
        events_held: community.events_held,
        event_attendances: community.event_attendances,
    })
}

/// Graduates per fiscal year and program, in year and program order.
async fn graduates<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<GraduateCount>> {
    let rows: Vec<(i32, ProgramKind, i64)> = with_cohort(camp_application::Entity::find())
        .select_only()
        .column(camp_cohort::Column::FiscalYear)
        .column(camp_program::Column::Kind)
        .column_as(camp_application::Column::Id.count(), "graduates")
        .join(
            sea_orm::JoinType::InnerJoin,
            camp_cohort::Entity::belongs_to(camp_program::Entity)
                .from(camp_cohort::Column::ProgramId)
                .to(camp_program::Column::Id)
                .into(),
        )
        .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
        .group_by(camp_cohort::Column::FiscalYear)
        .group_by(camp_program::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut graduates: Vec<GraduateCount> = rows
        .into_iter()
        .map(|(fiscal_year, program, graduates)| GraduateCount {
            fiscal_year,
            program,
            graduates,
        })
        .collect();
    graduates.sort_by_key(|g| {
        (
            g.fiscal_year,
            ProgramKind::ALL.iter().position(|p| *p == g.program),
        )
    });
    Ok(graduates)
}

/// The baseline year's graduates of `programs` (every program when empty), and each
/// year's graduates against twice that.
fn against_target(
    graduates: &[GraduateCount],
    programs: &[ProgramKind],
    baseline_fiscal_year: i32,
) -> (i64, Vec<YearProgress>) {
    let counted = |p: ProgramKind| programs.is_empty() || programs.contains(&p);
    let mut per_year: BTreeMap<i32, i64> = BTreeMap::new();
    for g in graduates.iter().filter(|g| counted(g.program)) {
        *per_year.entry(g.fiscal_year).or_default() += g.graduates;
    }
    let baseline = per_year.get(&baseline_fiscal_year).copied().unwrap_or(0);
    let target = baseline * 2;
    let years = per_year
        .iter()
        .map(|(year, n)| YearProgress {
            fiscal_year: *year,
            graduates: *n,
            share_of_target: if target > 0 {
                *n as f64 / target as f64
            } else {
                0.0
            },
        })
        .collect();
    (baseline, years)
}

/// The alumni and their community.
struct Community {
    alumni: i64,
    members: i64,
    open_to_mentoring: i64,
    activities: Vec<ActivityCount>,
    events_held: i64,
    event_attendances: i64,
}

/// The community's figures at `now`.
async fn community<C: ConnectionTrait>(
    db: &C,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Community> {
    let alumni = camp_application::Entity::find()
        .select_only()
        .column(camp_application::Column::PersonId)
        .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
        .distinct()
        .count(db)
        .await? as i64;
    let members = community_member::Entity::find()
        .filter(community_member::Column::LeftAt.is_null())
        .count(db)
        .await? as i64;
    let open_to_mentoring = community_member::Entity::find()
        .filter(community_member::Column::LeftAt.is_null())
        .filter(community_member::Column::OpenToMentoring.eq(true))
        .count(db)
        .await? as i64;
    let events_held = community_event::Entity::find()
        .filter(community_event::Column::Status.eq(EventStatus::Scheduled.as_str()))
        .filter(community_event::Column::StartsAt.lte(now))
        .count(db)
        .await? as i64;
    let event_attendances = event_rsvp::Entity::find()
        .filter(event_rsvp::Column::Attended.eq(true))
        .filter(event_rsvp::Column::Status.eq(RsvpStatus::Going.as_str()))
        .count(db)
        .await? as i64;
    Ok(Community {
        alumni,
        members,
        open_to_mentoring,
        activities: activities(db).await?,
        events_held,
        event_attendances,
    })
}

/// Activity reports per fiscal year and kind.
async fn activities<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<ActivityCount>> {
    let dated: Vec<(chrono::NaiveDate, ActivityKind, i64)> = alumni_activity::Entity::find()
        .select_only()
        .column(alumni_activity::Column::OccurredOn)
        .column(alumni_activity::Column::Kind)
        .column_as(alumni_activity::Column::Id.count(), "reports")
        .group_by(alumni_activity::Column::OccurredOn)
        .group_by(alumni_activity::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut activity: BTreeMap<(i32, usize), i64> = BTreeMap::new();
    for (day, kind, n) in dated {
        if let Some(position) = ActivityKind::ALL.iter().position(|x| *x == kind) {
            *activity.entry((fiscal_year(day), position)).or_default() += n;
        }
    }
    Ok(activity
        .into_iter()
        .filter_map(|((fiscal_year, position), reports)| {
            Some(ActivityCount {
                fiscal_year,
                kind: *ActivityKind::ALL.get(position)?,
                reports,
            })
        })
        .collect())
}
