//! Batch work over every cycle: lapsing cycles that ended without renewal, and writing
//! renewal reminders into the outbox. Both are idempotent: a second run on the same day
//! changes nothing. Both work in set-based statements, so 50,000 registrations take a
//! handful of round trips per 500 rows.

use crate::domain::renewal::permissions;
use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Utc};
use entities::{renewal_cycle, renewal_reminder, specialist, specialist_status_event};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use serde_json::json;

use super::{
    cycles::CHUNK,
    types::{CycleState, ReminderKind},
};
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    pagination::{
        Direction, KeyKind, KeyValue, Page, PageArgs, SortKey, paginate_by_id, paginate_by_time,
    },
    registry::types::SpecialistStatus,
};

fn check_as_of(as_of: NaiveDate, today: NaiveDate) -> DomainResult<()> {
    if as_of > today {
        return Err(DomainError::invalid(
            "as_of",
            "must not be in the future (dates are in Japan)",
        ));
    }
    Ok(())
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepOutcome {
    /// Cycles lapsed by this run.
    pub lapsed_cycles: u64,
    /// Registrations moved to `LAPSED` by this run.
    pub lapsed_registrations: u64,
    /// Ended cycles left open because an application waits for a decision.
    pub awaiting_decision: u64,
}

/// Lapses every open cycle that ended before `as_of` without an application, and moves
/// its registration (if still `ACTIVE` or `SUSPENDED`) to `LAPSED` from the day after the
/// cycle's end, appending to its status history. Registry staff or the service itself.
pub async fn sweep(
    db: &DatabaseConnection,
    caller: &Caller,
    as_of: NaiveDate,
) -> DomainResult<SweepOutcome> {
    caller.actor.allow(&permissions::RUN_RENEWAL_SWEEP)?;
    check_as_of(as_of, caller.today())?;
    let txn = begin_write(db).await?;
    let (due, outcome) = lapse_ended(&txn, caller, Condition::all(), as_of).await?;
    // Lapsed specialists leave the Active List in the same transaction.
    let lapsed: Vec<i64> = due.iter().map(|(_, specialist, _)| *specialist).collect();
    crate::domain::hooks::standing_changed(&txn, &lapsed, caller.now()).await?;
    if outcome.lapsed_cycles > 0 {
        audit::record(
            &txn,
            caller,
            AuditEntry {
                action: "renewal.sweep",
                target_type: "RenewalCycle",
                target_id: format!("as of {as_of}"),
                details: json!({
                    "asOf": as_of,
                    "lapsedCycles": outcome.lapsed_cycles,
                    "lapsedRegistrations": outcome.lapsed_registrations,
                }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

/// A cycle to lapse: its id, its specialist and its last day.
type Due = (i64, i64, NaiveDate);

/// Lapses the cycles (among those `among` selects) that ended before `as_of` without an
/// application, and the registrations behind them. Gives the cycles lapsed and the count.
async fn lapse_ended<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    among: Condition,
    as_of: NaiveDate,
) -> DomainResult<(Vec<Due>, SweepOutcome)> {
    let ended = Condition::all()
        .add(among)
        .add(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
        .add(renewal_cycle::Column::EndsOn.lt(as_of));
    let due: Vec<Due> = renewal_cycle::Entity::find()
        .select_only()
        .columns([
            renewal_cycle::Column::Id,
            renewal_cycle::Column::SpecialistId,
            renewal_cycle::Column::EndsOn,
        ])
        .filter(ended.clone())
        .filter(renewal_cycle::Column::AppliedOn.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let awaiting_decision = renewal_cycle::Entity::find()
        .filter(ended)
        .filter(renewal_cycle::Column::AppliedOn.is_not_null())
        .count(db)
        .await?;
    let mut outcome = SweepOutcome {
        awaiting_decision,
        ..SweepOutcome::default()
    };
    for chunk in due.chunks(CHUNK) {
        lapse(db, caller, chunk, &mut outcome).await?;
    }
    Ok((due, outcome))
}

/// Lapses the ended cycles of these specialists as a sweep on `as_of` would, inside the
/// caller's transaction: for a registration recorded with a date whose cycle is over.
pub(crate) async fn lapse_ended_of<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_ids: &[i64],
    as_of: NaiveDate,
) -> DomainResult<SweepOutcome> {
    let among = Condition::all()
        .add(renewal_cycle::Column::SpecialistId.is_in(specialist_ids.iter().copied()));
    Ok(lapse_ended(db, caller, among, as_of).await?.1)
}

/// Lapses one chunk of due cycles and the registrations still in force behind them, with
/// one UPDATE per day and table and one INSERT of the status history.
async fn lapse<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    chunk: &[Due],
    outcome: &mut SweepOutcome,
) -> DomainResult<()> {
    let now = caller.now();
    let in_force = registrations_in_force(db, chunk).await?;
    // Group by the day the lapse takes effect: one UPDATE per day and table.
    let mut cycles_by_day: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
    let mut people_by_day: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
    let mut events = Vec::new();
    for (cycle_id, specialist_id, ends_on) in chunk {
        let lapse_on = ends_on.checked_add_days(Days::new(1)).unwrap_or(*ends_on);
        cycles_by_day.entry(lapse_on).or_default().push(*cycle_id);
        if let Some((since, _)) = in_force.get(specialist_id) {
            // The history never goes back before the latest change.
            let effective = Ord::max(lapse_on, *since);
            people_by_day
                .entry(effective)
                .or_default()
                .push(*specialist_id);
            events.push(specialist_status_event::ActiveModel {
                specialist_id: Set(*specialist_id),
                status: Set(SpecialistStatus::Lapsed),
                effective_on: Set(effective),
                reason: Set(format!("renewal cycle ended on {ends_on} without renewal")),
                recorded_at: Set(now),
                recorded_by: Set(caller.actor.subject().to_owned()),
                request_id: Set(caller.request_id.clone()),
                ..Default::default()
            });
        }
    }
    for (day, ids) in cycles_by_day {
        let result = renewal_cycle::Entity::update_many()
            .col_expr(
                renewal_cycle::Column::State,
                Expr::value(CycleState::Lapsed.as_str()),
            )
            .col_expr(renewal_cycle::Column::ClosedOn, Expr::value(day))
            .col_expr(
                renewal_cycle::Column::Version,
                Expr::col(renewal_cycle::Column::Version).add(1),
            )
            .col_expr(renewal_cycle::Column::UpdatedAt, Expr::value(now))
            .filter(renewal_cycle::Column::Id.is_in(ids))
            .filter(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
            .exec(db)
            .await?;
        outcome.lapsed_cycles += result.rows_affected;
    }
    for (day, ids) in people_by_day {
        let result = specialist::Entity::update_many()
            .col_expr(
                specialist::Column::Status,
                Expr::value(SpecialistStatus::Lapsed.as_str()),
            )
            .col_expr(specialist::Column::StatusSince, Expr::value(day))
            .col_expr(
                specialist::Column::Version,
                Expr::col(specialist::Column::Version).add(1),
            )
            .col_expr(specialist::Column::UpdatedAt, Expr::value(now))
            .filter(specialist::Column::Id.is_in(ids))
            .exec(db)
            .await?;
        outcome.lapsed_registrations += result.rows_affected;
    }
    if !events.is_empty() {
        specialist_status_event::Entity::insert_many(events)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The registrations behind `chunk` still in force (`ACTIVE` or `SUSPENDED`), with the day
/// their status took effect and their version.
async fn registrations_in_force<C: ConnectionTrait>(
    db: &C,
    chunk: &[Due],
) -> DomainResult<BTreeMap<i64, (NaiveDate, i32)>> {
    let ids: Vec<i64> = chunk.iter().map(|(_, s, _)| *s).collect();
    Ok(specialist::Entity::find()
        .select_only()
        .columns([
            specialist::Column::Id,
            specialist::Column::StatusSince,
            specialist::Column::Version,
        ])
        .filter(specialist::Column::Id.is_in(ids))
        .filter(specialist::Column::Status.is_in([
            SpecialistStatus::Active.as_str(),
            SpecialistStatus::Suspended.as_str(),
        ]))
        .into_tuple::<(i64, NaiveDate, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, since, version)| (id, (since, version)))
        .collect())
}

/// How many reminders a run wrote, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemindOutcome {
    pub written: BTreeMap<&'static str, u64>,
}

impl RemindOutcome {
    pub fn total(&self) -> u64 {
        self.written.values().sum()
    }
}

/// The reminders before the deadline, latest first, with the one that follows each.
const BEFORE_DEADLINE: [(ReminderKind, u64); 4] = [
    (ReminderKind::Days30, 0),
    (ReminderKind::Days90, 30),
    (ReminderKind::Days180, 90),
    (ReminderKind::Days365, 180),
];

/// Lapse notices are due from the day of the lapse for this many days: a run that was
/// missed, or a sweep that came late, still announces a lapse of the last year, and a lapse
/// older than that (history loaded from elsewhere) is never announced.
pub const LAPSE_NOTICE_DAYS: u64 = 365;

/// Writes the reminders due on `as_of` into the outbox, each at most once per cycle.
///
/// A cycle still open without an application gets the latest reminder it has reached:
/// `DAYS_90` when its application deadline is 31 to 90 days away, and so on, so a missed
/// run catches up without sending a stale earlier one. A lapsed cycle gets `LAPSED` from
/// the day of the lapse for [`LAPSE_NOTICE_DAYS`] days, so a run after a late sweep
/// announces what that sweep lapsed.
pub async fn remind(
    db: &DatabaseConnection,
    caller: &Caller,
    as_of: NaiveDate,
) -> DomainResult<RemindOutcome> {
    caller.actor.allow(&permissions::WRITE_REMINDERS)?;
    check_as_of(as_of, caller.today())?;
    let add = |days: u64| as_of.checked_add_days(Days::new(days)).unwrap_or(as_of);
    let sub = |days: u64| as_of.checked_sub_days(Days::new(days)).unwrap_or(as_of);
    let txn = begin_write(db).await?;
    let now = caller.now();
    let mut outcome = RemindOutcome::default();
    use renewal_cycle::Column as C;
    for (kind, next) in BEFORE_DEADLINE {
        let days = kind.days_before().unwrap_or(0);
        let mut window = Condition::all()
            .add(C::State.eq(CycleState::Open.as_str()))
            .add(C::AppliedOn.is_null())
            .add(C::ApplicationDueOn.lte(add(days)));
        window = if next == 0 {
            window.add(C::ApplicationDueOn.gte(as_of))
        } else {
            window.add(C::ApplicationDueOn.gt(add(next)))
        };
        let written = write_reminders(&txn, kind, window, as_of, now).await?;
        outcome.written.insert(kind.as_str(), written);
    }
    let lapsed = Condition::all()
        .add(C::State.eq(CycleState::Lapsed.as_str()))
        .add(C::ClosedOn.gte(sub(LAPSE_NOTICE_DAYS)))
        .add(C::ClosedOn.lte(as_of));
    let written = write_reminders(&txn, ReminderKind::Lapsed, lapsed, as_of, now).await?;
    outcome
        .written
        .insert(ReminderKind::Lapsed.as_str(), written);
    if outcome.total() > 0 {
        audit::record(
            &txn,
            caller,
            AuditEntry {
                action: "renewal.remind",
                target_type: "RenewalReminder",
                target_id: format!("as of {as_of}"),
                details: json!({ "asOf": as_of, "written": outcome.written }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

/// `INSERT … SELECT … ON CONFLICT DO NOTHING`: one statement per kind, whatever the number
/// of cycles; the unique (cycle, kind) index makes a second run write nothing.
async fn write_reminders<C: ConnectionTrait>(
    db: &C,
    kind: ReminderKind,
    window: Condition,
    as_of: NaiveDate,
    now: chrono::DateTime<Utc>,
) -> DomainResult<u64> {
    use renewal_reminder::Column as R;
    let select = Query::select()
        .column(renewal_cycle::Column::Id)
        .column(renewal_cycle::Column::SpecialistId)
        .expr(Expr::val(kind.as_str()))
        .column(renewal_cycle::Column::ApplicationDueOn)
        .column(renewal_cycle::Column::EndsOn)
        .expr(Expr::val(as_of))
        .expr(Expr::val(now))
        .from(renewal_cycle::Entity)
        .cond_where(window)
        .to_owned();
    let insert = Query::insert()
        .into_table(renewal_reminder::Entity)
        .columns([
            R::CycleId,
            R::SpecialistId,
            R::Kind,
            R::ApplicationDueOn,
            R::EndsOn,
            R::WrittenOn,
            R::CreatedAt,
        ])
        .select_from(select)
        .map_err(|err| DomainError::Db(sea_orm::DbErr::Custom(err.to_string())))?
        .on_conflict(
            OnConflict::columns([R::CycleId, R::Kind])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    let result = db.execute(&insert).await?;
    Ok(result.rows_affected())
}

/// A reminder in the outbox, with the registration number it is for.
#[derive(Debug, Clone)]
pub struct ReminderView {
    pub row: renewal_reminder::Model,
    pub registration_number: String,
}

impl ReminderView {
    /// The day the reminder became due.
    pub fn due_on(&self) -> NaiveDate {
        let kind = Some(self.row.kind);
        match kind.and_then(ReminderKind::days_before) {
            Some(days) => self
                .row
                .application_due_on
                .checked_sub_days(Days::new(days))
                .unwrap_or(self.row.application_due_on),
            // The day of the lapse, the day after the cycle's last.
            None => self
                .row
                .ends_on
                .checked_add_days(Days::new(1))
                .unwrap_or(self.row.ends_on),
        }
    }
}

/// What a list of reminders is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReminderOrder {
    /// The order the run wrote them.
    #[default]
    Written,
    /// The day the renewal application is due, soonest first.
    ApplicationDue,
}

/// The reminders written by the run of `as_of`, in `order` (registry staff).
pub async fn reminders<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    as_of: NaiveDate,
    order: ReminderOrder,
    args: &PageArgs,
) -> DomainResult<Page<ReminderView>> {
    caller.actor.allow(&permissions::READ_REMINDERS)?;
    let written =
        renewal_reminder::Entity::find().filter(renewal_reminder::Column::WrittenOn.eq(as_of));
    let page = match order {
        ReminderOrder::Written => {
            paginate_by_id(
                db,
                written,
                renewal_reminder::Column::Id,
                Direction::Ascending,
                args,
                |row| row.id,
            )
            .await?
        }
        ReminderOrder::ApplicationDue => {
            let due = SortKey {
                column: renewal_reminder::Column::ApplicationDueOn,
                kind: KeyKind::Date,
            };
            paginate_by_time(
                db,
                written,
                ("APPLICATION_DUE_ON", due),
                renewal_reminder::Column::Id,
                Direction::Ascending,
                args,
                |row| (KeyValue::date(row.application_due_on), row.id),
            )
            .await?
        }
    };
    let ids: Vec<i64> = page.items.iter().map(|(_, r)| r.specialist_id).collect();
    let numbers: BTreeMap<i64, String> = specialist::Entity::find()
        .select_only()
        .columns([
            specialist::Column::Id,
            specialist::Column::RegistrationNumber,
        ])
        .filter(specialist::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(page.map(|row| ReminderView {
        registration_number: numbers.get(&row.specialist_id).cloned().unwrap_or_default(),
        row,
    }))
}

/// How many reminders the run of `as_of` wrote.
pub async fn reminder_count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    as_of: NaiveDate,
) -> DomainResult<u64> {
    caller.actor.allow(&permissions::READ_REMINDERS)?;
    Ok(renewal_reminder::Entity::find()
        .filter(renewal_reminder::Column::WrittenOn.eq(as_of))
        .count(db)
        .await?)
}
