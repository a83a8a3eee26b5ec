//! The registered-specialist count on any date, and its series by month or registration
//! round, from the status history as known on each date.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc};
use entities::{renewal_cycle, specialist_status_event};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::require_reader;
use crate::domain::{Caller, DomainError, DomainResult, registry::types::SpecialistStatus};

/// The longest series one call returns (ten years of months is 120).
pub const MAX_PERIODS: usize = 400;

/// One recorded status change.
#[derive(Debug, Clone, Copy)]
struct Event {
    id: i64,
    status: SpecialistStatus,
    effective_on: NaiveDate,
    recorded_at: DateTime<Utc>,
}

/// The first instant after `day` in Japan (UTC+9): what was recorded before it was known
/// on `day`.
pub fn known_by(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    next.and_time(NaiveTime::MIN).and_utc() - chrono::Duration::hours(9)
}

/// A specialist's status on `day`, as known on `day`: the latest change effective by then
/// and recorded by then.
fn status_on(events: &[Event], day: NaiveDate) -> Option<SpecialistStatus> {
    let cut = known_by(day);
    events
        .iter()
        .filter(|e| e.effective_on <= day && e.recorded_at < cut)
        .max_by_key(|e| (e.effective_on, e.id))
        .map(|e| e.status)
}

/// How many specialists were active at each of `ends` (ascending), as known on that day:
/// the same as [`status_on`] at every end, in one pass over each history.
///
/// An event counts from the first end on or after the day it took effect *and* before
/// whose midnight (Japan) it was recorded; from then on it competes, by (effective date,
/// id), to be the latest. Sorting a history's events by that first end and sweeping them
/// gives the status at every end in one pass, and the periods a specialist was active as
/// runs added to a difference array.
fn active_at_ends(histories: &[(i64, Vec<Event>)], ends: &[NaiveDate]) -> Vec<u64> {
    let periods = ends.len();
    let cuts: Vec<DateTime<Utc>> = ends.iter().map(|end| known_by(*end)).collect();
    let mut diff = vec![0i64; periods + 1];
    let mut order: Vec<(usize, &Event)> = Vec::new();
    for (_, history) in histories {
        order.clear();
        order.extend(history.iter().filter_map(|e| {
            let by_effect = ends.partition_point(|end| *end < e.effective_on);
            let by_record = cuts.partition_point(|cut| *cut <= e.recorded_at);
            let first = by_effect.max(by_record);
            (first < periods).then_some((first, e))
        }));
        order.sort_unstable_by_key(|(first, e)| (*first, e.id));
        let mut latest: Option<&Event> = None;
        let mut active_since: Option<usize> = None;
        let mut k = 0;
        while k < order.len() {
            let at = order[k].0;
            while k < order.len() && order[k].0 == at {
                let e = order[k].1;
                if latest.is_none_or(|l| (e.effective_on, e.id) > (l.effective_on, l.id)) {
                    latest = Some(e);
                }
                k += 1;
            }
            let active = latest.is_some_and(|l| l.status == SpecialistStatus::Active);
            match (active_since, active) {
                (None, true) => active_since = Some(at),
                (Some(since), false) => {
                    diff[since] += 1;
                    diff[at] -= 1;
                    active_since = None;
                }
                _ => {}
            }
        }
        if let Some(since) = active_since {
            diff[since] += 1;
            diff[periods] -= 1;
        }
    }
    let mut running = 0i64;
    diff[..periods]
        .iter()
        .map(|d| {
            running += d;
            u64::try_from(running).unwrap_or(0)
        })
        .collect()
}

/// Every specialist's status history, one list each, with the specialist's id.
async fn histories<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<(i64, Vec<Event>)>> {
    use specialist_status_event::Column as E;
    let rows: Vec<(i64, i64, SpecialistStatus, NaiveDate, DateTime<Utc>)> =
        specialist_status_event::Entity::find()
            .select_only()
            .columns([
                E::SpecialistId,
                E::Id,
                E::Status,
                E::EffectiveOn,
                E::RecordedAt,
            ])
            .order_by_asc(E::SpecialistId)
            .order_by_asc(E::Id)
            .into_tuple()
            .all(db)
            .await?;
    let mut histories: Vec<(i64, Vec<Event>)> = Vec::new();
    let mut current = None;
    for (specialist, id, status, effective_on, recorded_at) in rows {
        if current != Some(specialist) {
            histories.push((specialist, Vec::new()));
            current = Some(specialist);
        }
        if let Some((_, list)) = histories.last_mut() {
            list.push(Event {
                id,
                status,
                effective_on,
                recorded_at,
            });
        }
    }
    Ok(histories)
}

/// The first and last day of each period covering `from` to `to`; the last one ends on
/// `to`. Refused beyond [`MAX_PERIODS`].
pub(super) fn bounds(
    interval: Interval,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<Vec<(NaiveDate, NaiveDate)>> {
    if from > to {
        return Err(DomainError::invalid("from", "must not be after `to`"));
    }
    let mut bounds = Vec::new();
    let mut start = period_start(interval, from);
    while start <= to {
        let next = next_start(interval, start);
        bounds.push((start, next.pred_opt().unwrap_or(next).min(to)));
        if bounds.len() > MAX_PERIODS {
            return Err(DomainError::invalid(
                "from",
                format!(
                    "the series would have more than {MAX_PERIODS} periods; narrow it or use ROUND"
                ),
            ));
        }
        start = next;
    }
    Ok(bounds)
}

/// The index of the period `day` falls in, if any.
pub(super) fn period_of(bounds: &[(NaiveDate, NaiveDate)], day: NaiveDate) -> Option<usize> {
    let i = bounds.partition_point(|(start, _)| *start <= day);
    (i > 0 && day <= bounds[i - 1].1).then(|| i - 1)
}

pub(super) fn check_not_future(field: &str, day: NaiveDate, today: NaiveDate) -> DomainResult<()> {
    if day > today {
        return Err(DomainError::invalid(
            field,
            "must not be in the future: the count is what the history says, not a projection (see targetProgress)",
        ));
    }
    Ok(())
}

/// How many specialists were registered and active on `as_of` (Japan), as known then.
pub async fn active_count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    as_of: NaiveDate,
) -> DomainResult<u64> {
    require_reader(caller)?;
    check_not_future("as_of", as_of, caller.today())?;
    Ok(active_on(db, as_of).await?.len() as u64)
}

/// The ids of the specialists registered and active on `as_of`, as known then. For the
/// aggregates of this module only: never returned to a caller.
pub(super) async fn active_on<C: ConnectionTrait>(
    db: &C,
    as_of: NaiveDate,
) -> DomainResult<Vec<i64>> {
    Ok(histories(db)
        .await?
        .into_iter()
        .filter(|(_, h)| status_on(h, as_of) == Some(SpecialistStatus::Active))
        .map(|(id, _)| id)
        .collect())
}

/// How a series is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Calendar months.
    Month,
    /// Registration rounds: half-years starting April 1 and October 1.
    Round,
}

/// The first day of the period `day` falls in.
pub fn period_start(interval: Interval, day: NaiveDate) -> NaiveDate {
    let month = match interval {
        Interval::Month => day.month(),
        Interval::Round => match day.month() {
            4..=9 => 4,
            1..=3 => 10,
            _ => 10,
        },
    };
    let year = if interval == Interval::Round && day.month() < 4 {
        day.year() - 1
    } else {
        day.year()
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(day)
}

fn next_start(interval: Interval, start: NaiveDate) -> NaiveDate {
    let months = match interval {
        Interval::Month => 1,
        Interval::Round => 6,
    };
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(start)
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    /// The last day counted: the period's last day, or today for the current period.
    pub ends_on: NaiveDate,
    /// Active at the end of the period, as known then.
    pub active_at_end: u64,
    /// Registrations effective in the period.
    pub registrations: u64,
    /// Renewals: cycles after the first starting in the period.
    pub renewals: u64,
    pub lapses: u64,
    pub deregistrations: u64,
    pub revocations: u64,
    /// Active registrations suspended in the period.
    pub suspensions: u64,
    /// Registrations made active again (after a suspension or a lapse) in the period.
    pub reinstatements: u64,
    /// Of the lapses, deregistrations and revocations, those of registrations that were not
    /// active at the time (suspended, or lapsed before): they do not change the active count.
    pub ended_while_inactive: u64,
}

impl Period {
    /// The change of the active count the period's flows account for: registrations and
    /// reinstatements in, suspensions and the ends of active registrations out.
    pub fn net_flow(&self) -> i64 {
        let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        signed(self.registrations) + signed(self.reinstatements)
            - signed(self.suspensions)
            - signed(self.lapses + self.deregistrations + self.revocations)
            + signed(self.ended_while_inactive)
    }
}

/// The series of periods covering `from` to `to` (Japan dates, neither in the future).
pub async fn series<C: ConnectionTrait + Sync>(
    db: &C,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
) -> DomainResult<Vec<Period>> {
    require_reader(caller)?;
    check_not_future("to", to, caller.today())?;
    let mut periods: Vec<Period> = bounds(interval, from, to)?
        .into_iter()
        .map(|(starts_on, ends_on)| Period {
            starts_on,
            ends_on,
            active_at_end: 0,
            registrations: 0,
            renewals: 0,
            lapses: 0,
            deregistrations: 0,
            revocations: 0,
            suspensions: 0,
            reinstatements: 0,
            ended_while_inactive: 0,
        })
        .collect();
    let bounds: Vec<(NaiveDate, NaiveDate)> =
        periods.iter().map(|p| (p.starts_on, p.ends_on)).collect();
    let index = |day: NaiveDate| period_of(&bounds, day);
    // Renewals: cycles after the first, by the day they start; read alongside the histories.
    let first = periods.first().map(|p| p.starts_on).unwrap_or(from);
    let read_renewals = async {
        Ok::<Vec<NaiveDate>, DomainError>(
            renewal_cycle::Entity::find()
                .select_only()
                .column(renewal_cycle::Column::StartsOn)
                .filter(renewal_cycle::Column::Sequence.gt(1))
                .filter(renewal_cycle::Column::StartsOn.gte(first))
                .filter(renewal_cycle::Column::StartsOn.lte(to))
                .into_tuple()
                .all(db)
                .await?,
        )
    };
    let (histories, renewed) = tokio::try_join!(histories(db), read_renewals)?;
    count_flows(&histories, &bounds, &mut periods);
    for day in renewed {
        if let Some(i) = index(day) {
            periods[i].renewals += 1;
        }
    }
    Ok(periods)
}

/// Each period's active count at its end, and the status changes effective in it and
/// recorded by its end: registrations, reinstatements, suspensions, lapses,
/// deregistrations, revocations, and the ends of registrations that were not active.
fn count_flows(
    histories: &[(i64, Vec<Event>)],
    bounds: &[(NaiveDate, NaiveDate)],
    periods: &mut [Period],
) {
    let ends: Vec<NaiveDate> = bounds.iter().map(|(_, end)| *end).collect();
    for (period, active) in periods.iter_mut().zip(active_at_ends(histories, &ends)) {
        period.active_at_end = active;
    }
    for (_, history) in histories {
        for (n, event) in history.iter().enumerate() {
            let Some(i) = period_of(bounds, event.effective_on) else {
                continue;
            };
            if event.recorded_at >= known_by(bounds[i].1) {
                continue;
            }
            let before = n.checked_sub(1).map(|p| history[p].status);
            let was_active = before == Some(SpecialistStatus::Active);
            let period = &mut periods[i];
            let counter = match event.status {
                SpecialistStatus::Active if n == 0 => &mut period.registrations,
                SpecialistStatus::Active if !was_active => &mut period.reinstatements,
                SpecialistStatus::Lapsed => &mut period.lapses,
                SpecialistStatus::Deregistered => &mut period.deregistrations,
                SpecialistStatus::Revoked => &mut period.revocations,
                SpecialistStatus::Suspended if was_active => &mut period.suspensions,
                _ => continue,
            };
            *counter += 1;
            let ends = matches!(
                event.status,
                SpecialistStatus::Lapsed
                    | SpecialistStatus::Deregistered
                    | SpecialistStatus::Revoked
            );
            if ends && !was_active {
                period.ended_while_inactive += 1;
            }
        }
    }
}

/// Where the registry stands against a target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetProgress {
    pub target: u64,
    pub by: NaiveDate,
    pub as_of: NaiveDate,
    pub current: u64,
    /// Specialists still missing (0 once reached).
    pub gap: u64,
    /// Whole months from `as_of` to `by`.
    pub months_left: u32,
    /// Net growth needed per month to reach the target on time: `gap / months_left` (the
    /// whole gap when no whole month is left).
    pub needed_per_month: f64,
    /// The registration rounds the trend is fitted over.
    pub rounds: usize,
    /// The least-squares trend over those rounds' closing counts, per month.
    pub trend_per_month: f64,
    /// The count the trend gives on `by`.
    pub projected_on_target_date: f64,
    /// When the trend reaches the target, or `None` if it never does.
    pub projected_date: Option<NaiveDate>,
}

/// Months between two dates, as a fraction (30.44-day months).
fn months_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / 30.436_875
}

/// Least-squares slope of `points` (x, y).
fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (num, den) = points.iter().fold((0.0, 0.0), |(num, den), (x, y)| {
        (num + (x - mx) * (y - my), den + (x - mx) * (x - mx))
    });
    if den == 0.0 { 0.0 } else { num / den }
}

/// Progress towards `target` specialists by `by`, with the trend fitted over the closing
/// counts of the last `rounds` registration rounds (the current one closing today).
pub async fn target_progress<C: ConnectionTrait + Sync>(
    db: &C,
    caller: &Caller,
    target: u64,
    by: NaiveDate,
    rounds: usize,
) -> DomainResult<TargetProgress> {
    require_reader(caller)?;
    check_target(target, rounds)?;
    progress_from(&histories(db).await?, target, by, rounds, caller.today())
}

/// The active count at the end of each month from `from` to today, and the progress
/// towards `target`: what the target-progress chart draws, from one read of the histories.
pub async fn progress_chart<C: ConnectionTrait + Sync>(
    db: &C,
    caller: &Caller,
    from: NaiveDate,
    target: u64,
    by: NaiveDate,
    rounds: usize,
) -> DomainResult<(Vec<(NaiveDate, u64)>, TargetProgress)> {
    require_reader(caller)?;
    check_target(target, rounds)?;
    let histories = histories(db).await?;
    let ends: Vec<NaiveDate> = bounds(Interval::Month, from, caller.today())?
        .into_iter()
        .map(|(_, end)| end)
        .collect();
    let counts = active_at_ends(&histories, &ends);
    let progress = progress_from(&histories, target, by, rounds, caller.today())?;
    Ok((ends.into_iter().zip(counts).collect(), progress))
}

fn check_target(target: u64, rounds: usize) -> DomainResult<()> {
    if !(2..=40).contains(&rounds) {
        return Err(DomainError::invalid(
            "rounds",
            "fit the trend over 2 to 40 rounds",
        ));
    }
    if target == 0 {
        return Err(DomainError::invalid("target", "must be positive"));
    }
    Ok(())
}

/// Progress towards `target` from the histories: the closing counts of the last `rounds`
/// registration rounds (the current one closing today) and their trend.
fn progress_from(
    histories: &[(i64, Vec<Event>)],
    target: u64,
    by: NaiveDate,
    rounds: usize,
    today: NaiveDate,
) -> DomainResult<TargetProgress> {
    let mut first = today;
    for _ in 1..rounds {
        first = period_start(Interval::Round, first)
            .pred_opt()
            .unwrap_or(first);
    }
    let ends: Vec<NaiveDate> = bounds(Interval::Round, first, today)?
        .into_iter()
        .map(|(_, end)| end)
        .collect();
    let counts = active_at_ends(histories, &ends);
    let points: Vec<(f64, f64)> = ends
        .iter()
        .zip(&counts)
        .map(|(end, n)| (months_between(first, *end), *n as f64))
        .collect();
    let trend = slope(&points);
    let current = counts.last().copied().unwrap_or(0);
    let gap = target.saturating_sub(current);
    let mut months_left =
        (by.year() - today.year()) * 12 + by.month() as i32 - today.month() as i32;
    if by.day() < today.day() {
        months_left -= 1;
    }
    let months_left = months_left.max(0) as u32;
    let left = months_between(today, by).max(0.0);
    let projected_date = if gap == 0 {
        Some(today)
    } else if trend > 0.0 {
        let days = (gap as f64 / trend * 30.436_875).ceil() as u64;
        today.checked_add_days(chrono::Days::new(days))
    } else {
        None
    };
    Ok(TargetProgress {
        target,
        by,
        as_of: today,
        current,
        gap,
        months_left,
        // Over the whole months shown, so that gap / monthsLeft is what a reader checks.
        needed_per_month: if months_left > 0 {
            gap as f64 / f64::from(months_left)
        } else {
            gap as f64
        },
        rounds: ends.len(),
        trend_per_month: trend,
        projected_on_target_date: current as f64 + trend * left,
        projected_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rounds_start_in_april_and_october() {
        assert_eq!(
            period_start(Interval::Round, day(2026, 3, 31)),
            day(2025, 10, 1)
        );
        assert_eq!(
            period_start(Interval::Round, day(2026, 4, 1)),
            day(2026, 4, 1)
        );
        assert_eq!(
            period_start(Interval::Round, day(2026, 12, 5)),
            day(2026, 10, 1)
        );
        assert_eq!(
            period_start(Interval::Month, day(2026, 12, 5)),
            day(2026, 12, 1)
        );
    }

    #[test]
    fn a_day_is_known_until_midnight_in_japan() {
        assert_eq!(
            known_by(day(2026, 4, 1)),
            day(2026, 4, 1).and_hms_opt(15, 0, 0).unwrap().and_utc()
        );
    }

    #[test]
    fn the_trend_is_a_least_squares_slope() {
        assert_eq!(slope(&[(0.0, 10.0), (6.0, 70.0), (12.0, 130.0)]), 10.0);
        assert_eq!(slope(&[(0.0, 5.0)]), 0.0);
    }

    #[test]
    fn the_sweep_agrees_with_the_status_on_every_day() {
        // Random histories, some changes recorded late (even years after they took
        // effect), against the status worked out day by day.
        let mut rng = fastrand::Rng::with_seed(7);
        let statuses = [
            SpecialistStatus::Active,
            SpecialistStatus::Lapsed,
            SpecialistStatus::Suspended,
            SpecialistStatus::Deregistered,
        ];
        let start = day(2017, 4, 1);
        let mut histories = Vec::new();
        let mut id = 0;
        for specialist in 0..400 {
            let mut events = Vec::new();
            for _ in 0..rng.usize(0..5) {
                id += 1;
                let effective_on = start + chrono::Days::new(rng.u64(0..3500));
                let late = if rng.u8(0..4) == 0 {
                    rng.i64(0..900)
                } else {
                    0
                };
                events.push(Event {
                    id,
                    status: statuses[rng.usize(..statuses.len())],
                    effective_on,
                    recorded_at: (effective_on + chrono::Duration::days(late))
                        .and_hms_opt(rng.u32(0..24), 0, 0)
                        .unwrap()
                        .and_utc(),
                });
            }
            histories.push((specialist, events));
        }
        let ends: Vec<NaiveDate> = (0..130)
            .map(|m| (start + Months::new(m)).pred_opt().unwrap())
            .collect();
        let swept = active_at_ends(&histories, &ends);
        for (i, end) in ends.iter().enumerate() {
            let naive = histories
                .iter()
                .filter(|(_, h)| status_on(h, *end) == Some(SpecialistStatus::Active))
                .count() as u64;
            assert_eq!(swept[i], naive, "on {end}");
        }
        assert!(swept.iter().any(|n| *n > 50));
    }

    #[test]
    fn the_status_on_a_day_is_what_was_recorded_by_then() {
        let at = |d: NaiveDate| d.and_hms_opt(1, 0, 0).unwrap().and_utc();
        let events = [
            Event {
                id: 1,
                status: SpecialistStatus::Active,
                effective_on: day(2020, 4, 1),
                recorded_at: at(day(2020, 4, 1)),
            },
            // A lapse effective in 2023, recorded only in 2026.
            Event {
                id: 2,
                status: SpecialistStatus::Lapsed,
                effective_on: day(2023, 4, 1),
                recorded_at: at(day(2026, 11, 26)),
            },
        ];
        assert_eq!(status_on(&events, day(2019, 1, 1)), None);
        assert_eq!(
            status_on(&events, day(2024, 1, 1)),
            Some(SpecialistStatus::Active)
        );
        assert_eq!(
            status_on(&events, day(2026, 11, 26)),
            Some(SpecialistStatus::Lapsed)
        );
    }
}
