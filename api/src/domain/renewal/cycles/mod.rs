//! Renewal cycles: creating them and keeping their requirement count current. Reading
//! them is `queries`, the renewal application and decision `commands`.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use entities::{course, deemed_attendance_claim, renewal_cycle, specialist, training_completion};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Query},
};

use super::{
    cycle::CycleDates,
    policy::{self, CompletedCourse, Policy, Satisfaction},
    types::{AT_RISK_DAYS, ClaimStatus, CycleState, CycleStatus},
};
use crate::domain::{
    Clock, DomainError, DomainResult, begin_write, hooks, registry::types::SpecialistStatus,
};

pub(crate) use crate::domain::CHUNK;

mod commands;
mod queries;

use commands::save_cycle;
pub use commands::{Decision, apply, decide};
pub use queries::{CycleFilter, by_ids, count, list, of_specialists};

/// The renewal application window opens this many days before the application deadline.
pub const APPLICATION_WINDOW_DAYS: u64 = 365;

/// A cycle as read: the stored row and its status on the day it was read.
#[derive(Debug, Clone)]
pub struct CycleView {
    pub row: renewal_cycle::Model,
    pub status: CycleStatus,
}

impl CycleView {
    pub fn new(row: renewal_cycle::Model, today: NaiveDate) -> Self {
        let status = status_of(&row, today);
        Self { row, status }
    }
}

/// Of a registration's cycles (oldest first), the one that contains `today`: the latest
/// that has started. A renewal decided early opens a cycle that starts later; until then
/// the running one stays current. None before the registration takes effect.
pub fn current_of(cycles: &[CycleView], today: NaiveDate) -> Option<&CycleView> {
    cycles.iter().rev().find(|c| c.row.starts_on <= today)
}

/// Of a registration's cycles (oldest first), the one that starts after `today`: opened by
/// a renewal decided before the running cycle ended, or the first of a registration that
/// takes effect later.
pub fn next_of(cycles: &[CycleView], today: NaiveDate) -> Option<&CycleView> {
    cycles.iter().find(|c| c.row.starts_on > today)
}

/// The status of a cycle on `today` (see [`CycleStatus`]); the same rules as
/// [`status_condition`], which filters in SQL.
pub fn status_of(row: &renewal_cycle::Model, today: NaiveDate) -> CycleStatus {
    match Some(row.state) {
        Some(CycleState::Renewed) => CycleStatus::Renewed,
        Some(CycleState::Lapsed) => CycleStatus::Lapsed,
        Some(CycleState::Closed) => CycleStatus::Closed,
        Some(CycleState::Open) | None => {
            let missing = row.missing_requirements > 0;
            if row.application_due_on < today && (missing || row.applied_on.is_none()) {
                CycleStatus::Overdue
            } else if !missing {
                CycleStatus::Complete
            } else if (row.application_due_on - today).num_days() < AT_RISK_DAYS {
                CycleStatus::AtRisk
            } else {
                CycleStatus::OnTrack
            }
        }
    }
}

/// The SQL condition of a status on `today`; the same rules as [`status_of`].
pub fn status_condition(status: CycleStatus, today: NaiveDate) -> Condition {
    use renewal_cycle::Column as C;
    let open = C::State.eq(CycleState::Open.as_str());
    let state = |s: CycleState| Condition::all().add(C::State.eq(s.as_str()));
    let risk_from = today
        .checked_add_days(Days::new(AT_RISK_DAYS as u64))
        .unwrap_or(today);
    let overdue = Condition::all()
        .add(open.clone())
        .add(C::ApplicationDueOn.lt(today))
        .add(
            Condition::any()
                .add(C::MissingRequirements.gt(0))
                .add(C::AppliedOn.is_null()),
        );
    match status {
        CycleStatus::Renewed => state(CycleState::Renewed),
        CycleStatus::Lapsed => state(CycleState::Lapsed),
        CycleStatus::Closed => state(CycleState::Closed),
        CycleStatus::Overdue => overdue,
        CycleStatus::Complete => Condition::all()
            .add(open)
            .add(C::MissingRequirements.eq(0))
            .add(
                Condition::any()
                    .add(C::ApplicationDueOn.gte(today))
                    .add(C::AppliedOn.is_not_null()),
            ),
        CycleStatus::AtRisk => Condition::all()
            .add(open)
            .add(C::MissingRequirements.gt(0))
            .add(C::ApplicationDueOn.gte(today))
            .add(C::ApplicationDueOn.lt(risk_from)),
        CycleStatus::OnTrack => Condition::all()
            .add(open)
            .add(C::MissingRequirements.gt(0))
            .add(C::ApplicationDueOn.gte(risk_from)),
    }
}

/// The dates of a stored cycle.
fn dates_of(row: &renewal_cycle::Model) -> CycleDates {
    CycleDates {
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        application_due_on: row.application_due_on,
    }
}

fn dates_or_invalid(starts_on: NaiveDate) -> DomainResult<CycleDates> {
    CycleDates::starting(starts_on)
        .ok_or_else(|| DomainError::invalid("registered_on", "is out of range"))
}

/// Opens a cycle for a specialist, already counting what it requires. Call it inside the
/// transaction of the change that starts it.
pub async fn open_cycle<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    sequence: i32,
    starts_on: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<renewal_cycle::Model> {
    let dates = dates_or_invalid(starts_on)?;
    let row = renewal_cycle::ActiveModel {
        specialist_id: Set(specialist_id),
        sequence: Set(sequence),
        starts_on: Set(dates.starts_on),
        ends_on: Set(dates.ends_on),
        application_due_on: Set(dates.application_due_on),
        state: Set(CycleState::Open),
        missing_requirements: Set(0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    refresh(db, &[row.id], now).await?;
    load(db, row.id).await
}

async fn load<C: ConnectionTrait>(db: &C, id: i64) -> DomainResult<renewal_cycle::Model> {
    renewal_cycle::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "renewal cycle",
            field: "cycle_id",
        })
}

/// What a cycle holds towards its requirements: the inputs of [`policy::evaluate`].
#[derive(Debug, Default, Clone)]
pub struct Holdings {
    /// Completions of the specialist, with their course.
    pub completions: Vec<(training_completion::Model, course::Model)>,
    /// Approved claims of the cycle.
    pub approved_claims: Vec<deemed_attendance_claim::Model>,
}

/// Loads what the cycles hold: three statements whatever their number.
pub async fn holdings<C: ConnectionTrait>(
    db: &C,
    cycles: &[renewal_cycle::Model],
) -> DomainResult<HashMap<i64, Holdings>> {
    let mut specialist_ids: Vec<i64> = cycles.iter().map(|c| c.specialist_id).collect();
    specialist_ids.sort_unstable();
    specialist_ids.dedup();
    let cycle_ids: Vec<i64> = cycles.iter().map(|c| c.id).collect();
    let by_specialist = super::completions::of_specialists(db, &specialist_ids).await?;
    let mut claims = Vec::new();
    for chunk in cycle_ids.chunks(CHUNK) {
        claims.extend(
            deemed_attendance_claim::Entity::find()
                .filter(deemed_attendance_claim::Column::CycleId.is_in(chunk.to_vec()))
                .filter(deemed_attendance_claim::Column::Status.eq(ClaimStatus::Approved.as_str()))
                .order_by_asc(deemed_attendance_claim::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(cycles
        .iter()
        .map(|cycle| {
            let dates = dates_of(cycle);
            let completions = by_specialist
                .get(&cycle.specialist_id)
                .map(|all| {
                    all.iter()
                        .filter(|(c, _)| dates.contains(c.completed_on))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let approved_claims = claims
                .iter()
                .filter(|c| c.cycle_id == cycle.id)
                .cloned()
                .collect();
            (
                cycle.id,
                Holdings {
                    completions,
                    approved_claims,
                },
            )
        })
        .collect())
}

/// Evaluates a cycle's requirements against what it holds.
pub fn evaluate(
    policy: &Policy,
    cycle: &renewal_cycle::Model,
    holdings: &Holdings,
) -> Vec<Satisfaction> {
    let dates = dates_of(cycle);
    let courses: Vec<CompletedCourse> = holdings
        .completions
        .iter()
        .filter_map(|(c, course)| {
            Some(CompletedCourse {
                completion_id: c.id,
                kind: Some(course.kind)?,
                completed_on: c.completed_on,
            })
        })
        .collect();
    let claims: Vec<(String, i64)> = holdings
        .approved_claims
        .iter()
        .map(|c| (c.requirement_code.clone(), c.id))
        .collect();
    policy::evaluate(policy, &dates, &courses, &claims)
}

/// Recounts the missing requirements of the given cycles (open ones only) and stores the
/// counts that changed, as changed at `now`. Call it inside the transaction that changed
/// what they hold.
pub async fn refresh<C: ConnectionTrait>(
    db: &C,
    cycle_ids: &[i64],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut cycles = Vec::new();
    for chunk in cycle_ids.chunks(CHUNK) {
        cycles.extend(
            renewal_cycle::Entity::find()
                .filter(renewal_cycle::Column::Id.is_in(chunk.to_vec()))
                .filter(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
                .all(db)
                .await?,
        );
    }
    refresh_rows(db, &cycles, now).await
}

async fn refresh_rows<C: ConnectionTrait>(
    db: &C,
    cycles: &[renewal_cycle::Model],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if cycles.is_empty() {
        return Ok(());
    }
    let policies = policy::all(db).await?;
    let holdings = holdings(db, cycles).await?;
    // Group the changes by their new count: one UPDATE per distinct count and chunk.
    let mut by_count: HashMap<i32, Vec<i64>> = HashMap::new();
    for cycle in cycles {
        let Some(policy) = policy::for_start(&policies, cycle.starts_on) else {
            continue;
        };
        let held = holdings.get(&cycle.id).cloned().unwrap_or_default();
        let missing = evaluate(policy, cycle, &held)
            .iter()
            .filter(|s| **s == Satisfaction::Missing)
            .count();
        let missing = i32::try_from(missing).unwrap_or(i32::MAX);
        if missing != cycle.missing_requirements {
            by_count.entry(missing).or_default().push(cycle.id);
        }
    }
    for (count, ids) in by_count {
        for chunk in ids.chunks(CHUNK) {
            renewal_cycle::Entity::update_many()
                .col_expr(
                    renewal_cycle::Column::MissingRequirements,
                    Expr::value(count),
                )
                .col_expr(renewal_cycle::Column::UpdatedAt, Expr::value(now))
                .filter(renewal_cycle::Column::Id.is_in(chunk.to_vec()))
                .exec(db)
                .await?;
        }
    }
    let mut specialists: Vec<i64> = cycles.iter().map(|c| c.specialist_id).collect();
    specialists.sort_unstable();
    specialists.dedup();
    hooks::standing_changed(db, &specialists, now).await?;
    Ok(())
}

/// Recounts the open cycles of these specialists, as changed at `now`.
pub async fn refresh_specialists<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut cycles = Vec::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        cycles.extend(
            renewal_cycle::Entity::find()
                .filter(renewal_cycle::Column::SpecialistId.is_in(chunk.to_vec()))
                .filter(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
                .all(db)
                .await?,
        );
    }
    refresh_rows(db, &cycles, now).await
}

/// Recounts the open cycles that start on or after `date` (after a new policy), as
/// changed at `now`.
pub async fn refresh_starting_from<C: ConnectionTrait>(
    db: &C,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let cycles = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::StartsOn.gte(date))
        .filter(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
        .all(db)
        .await?;
    refresh_rows(db, &cycles, now).await
}

/// Keeps cycles in step with a status change of the registration, inside its
/// transaction: a lapse or an end closes the open cycle; becoming active again without an
/// open cycle starts a new one on the day it takes effect.
pub async fn follow_status<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    status: SpecialistStatus,
    effective_on: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<()> {
    let latest = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::SpecialistId.eq(specialist_id))
        .order_by_desc(renewal_cycle::Column::Sequence)
        .one(db)
        .await?;
    let open = latest.as_ref().filter(|c| c.state == CycleState::Open);
    let close_as = match status {
        SpecialistStatus::Lapsed => Some(CycleState::Lapsed),
        SpecialistStatus::Revoked | SpecialistStatus::Deregistered => Some(CycleState::Closed),
        SpecialistStatus::Active | SpecialistStatus::Suspended => None,
    };
    match (close_as, open) {
        (Some(state), Some(cycle)) => {
            save_cycle(
                db,
                cycle,
                renewal_cycle::ActiveModel {
                    state: Set(state),
                    closed_on: Set(Some(effective_on)),
                    applied_on: Set(None),
                    ..Default::default()
                },
                now,
            )
            .await?;
        }
        (None, None) if status == SpecialistStatus::Active => {
            let sequence = latest.map_or(1, |c| c.sequence + 1);
            open_cycle(db, specialist_id, sequence, effective_on, now).await?;
        }
        _ => {}
    }
    // The Active List follows the registration's status and cycles.
    hooks::standing_changed(db, &[specialist_id], now).await?;
    Ok(())
}

/// Gives every registration that has no cycle its cycles, from its registration date to
/// today. Registrations older than renewal tracking are taken to have been renewed while
/// they stayed registered: each past cycle is `RENEWED`, except the one in which the
/// registration lapsed (`LAPSED`) or ended (`CLOSED`). Idempotent; returns how many
/// registrations it filled in.
pub async fn backfill(db: &DatabaseConnection, clock: Clock) -> DomainResult<u64> {
    let today = clock.today();
    // One transaction: a registration either gets all its cycles, counted, or none.
    let txn = begin_write(db).await?;
    let mut filled = Vec::new();
    loop {
        let without: Vec<specialist::Model> = specialist::Entity::find()
            // An anti-join (NOT EXISTS): PostgreSQL runs NOT IN over a large subquery
            // as a nested loop once the subquery outgrows work_mem.
            .filter(
                Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from(renewal_cycle::Entity)
                        .and_where(
                            Expr::col((renewal_cycle::Entity, renewal_cycle::Column::SpecialistId))
                                .equals((specialist::Entity, specialist::Column::Id)),
                        )
                        .to_owned(),
                )
                .not(),
            )
            .order_by_asc(specialist::Column::Id)
            .limit(CHUNK as u64 * 4)
            .all(&txn)
            .await?;
        if without.is_empty() {
            break;
        }
        let now = clock.now();
        let mut rows = Vec::new();
        for person in &without {
            let status = person.status;
            let ended = !matches!(
                status,
                SpecialistStatus::Active | SpecialistStatus::Suspended
            );
            let mut dates = dates_or_invalid(person.registered_on)?;
            let mut sequence = 1;
            loop {
                let ended_in_this = ended && person.status_since <= dates.ends_on + Days::new(1);
                let (state, closed_on) = if ended_in_this {
                    let state = if status == SpecialistStatus::Lapsed {
                        CycleState::Lapsed
                    } else {
                        CycleState::Closed
                    };
                    (state, Some(person.status_since))
                } else if dates.ends_on < today {
                    (CycleState::Renewed, Some(dates.application_due_on))
                } else {
                    (CycleState::Open, None)
                };
                rows.push(renewal_cycle::ActiveModel {
                    specialist_id: Set(person.id),
                    sequence: Set(sequence),
                    starts_on: Set(dates.starts_on),
                    ends_on: Set(dates.ends_on),
                    application_due_on: Set(dates.application_due_on),
                    state: Set(state),
                    missing_requirements: Set(0),
                    closed_on: Set(closed_on),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                });
                if state != CycleState::Renewed {
                    break;
                }
                match dates.next() {
                    Some(next) => dates = next,
                    None => break,
                }
                sequence += 1;
            }
        }
        for chunk in rows.chunks(CHUNK / 2) {
            renewal_cycle::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        filled.extend(without.iter().map(|p| p.id));
    }
    if !filled.is_empty() {
        // Statistics for the rows just written, so the recount below uses the indexes.
        txn.execute_unprepared("ANALYZE renewal_cycles").await?;
        refresh_specialists(&txn, &filled, clock.now()).await?;
    }
    txn.commit().await?;
    Ok(filled.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(state: CycleState, missing: i32, applied: bool) -> renewal_cycle::Model {
        let dates = CycleDates::starting(NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()).unwrap();
        renewal_cycle::Model {
            id: 1,
            specialist_id: 1,
            sequence: 1,
            starts_on: dates.starts_on,
            ends_on: dates.ends_on,
            application_due_on: dates.application_due_on,
            state,
            missing_requirements: missing,
            applied_on: applied.then_some(dates.starts_on),
            refused_on: None,
            refusal_reason: None,
            closed_on: None,
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn status_follows_the_deadline_and_what_is_missing() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Application due 2027-01-30.
        let open = cycle(CycleState::Open, 2, false);
        assert_eq!(status_of(&open, d(2025, 1, 1)), CycleStatus::OnTrack);
        assert_eq!(status_of(&open, d(2026, 8, 3)), CycleStatus::OnTrack);
        assert_eq!(status_of(&open, d(2026, 8, 4)), CycleStatus::AtRisk);
        assert_eq!(status_of(&open, d(2027, 1, 30)), CycleStatus::AtRisk);
        assert_eq!(status_of(&open, d(2027, 1, 31)), CycleStatus::Overdue);
        let done = cycle(CycleState::Open, 0, false);
        assert_eq!(status_of(&done, d(2026, 12, 1)), CycleStatus::Complete);
        assert_eq!(status_of(&done, d(2027, 1, 31)), CycleStatus::Overdue);
        let applied = cycle(CycleState::Open, 0, true);
        assert_eq!(status_of(&applied, d(2027, 2, 10)), CycleStatus::Complete);
        assert_eq!(
            status_of(&cycle(CycleState::Lapsed, 2, false), d(2027, 5, 1)),
            CycleStatus::Lapsed
        );
    }
}
