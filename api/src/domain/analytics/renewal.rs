//! Renewal health: where the open cycles stand, how many renewals and lapses take effect
//! per registration round, and how deemed attendance is taken up and what it saves.
//!
//! A renewal or a lapse counts in the round it takes effect in: the day after the cycle's
//! last day (a cycle ending on September 30 renews or lapses on October 1), the date basis
//! of `specialistSeries` too, so both count the same cycle in the same round.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{deemed_attendance_claim, renewal_cycle};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::{
    registry::{Interval, bounds, check_not_future, period_of},
    require_reader,
};
use crate::domain::{
    Caller, DomainResult,
    calendar::japan_date,
    renewal::{
        cycles::status_condition,
        types::{ClaimStatus, CycleState, CycleStatus},
    },
};

/// One registration round of renewal health.
#[derive(Debug, Clone, PartialEq)]
pub struct RenewalRound {
    pub starts_on: NaiveDate,
    /// The round's last day, or `to` for the last round.
    pub ends_on: NaiveDate,
    /// Renewals taking effect in the round: on the day after the renewed cycle's last day.
    pub renewed: u64,
    /// Lapses taking effect in the round: on the day after the lapsed cycle's last day.
    pub lapsed: u64,
    /// `lapsed / (renewed + lapsed)`, or `None` when no cycle ended either way.
    pub lapse_rate: Option<f64>,
    /// Deemed-attendance claims submitted in the round (Japan dates).
    pub claims_filed: u64,
    /// Claims approved in the round.
    pub claims_approved: u64,
    /// Claims rejected in the round.
    pub claims_rejected: u64,
    /// Course fees saved by the claims approved in the round.
    pub fees_saved_yen: i64,
}

/// Renewal health over a span of rounds, with today's cycles by status.
#[derive(Debug, Clone, PartialEq)]
pub struct RenewalHealth {
    /// Today (Japan): the date of `cycles_by_status` and `claims_pending`.
    pub as_of: NaiveDate,
    /// Every cycle by its status today, in the order of [`CycleStatus::ALL`].
    pub cycles_by_status: Vec<(CycleStatus, u64)>,
    /// Claims waiting for review today (submitted, or sent back for changes).
    pub claims_pending: u64,
    pub rounds: Vec<RenewalRound>,
}

/// A claim's submission, status, review and fee saved.
type ClaimDates = (DateTime<Utc>, String, Option<DateTime<Utc>>, Option<i32>);

/// Renewal health from the round holding `from` to `to` (neither in the future).
pub async fn renewal_health<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<RenewalHealth> {
    require_reader(caller)?;
    check_not_future("to", to, caller.today())?;
    let bounds = bounds(Interval::Round, from, to)?;
    let today = caller.today();
    let mut rounds: Vec<RenewalRound> = bounds
        .iter()
        .map(|(starts_on, ends_on)| RenewalRound {
            starts_on: *starts_on,
            ends_on: *ends_on,
            renewed: 0,
            lapsed: 0,
            lapse_rate: None,
            claims_filed: 0,
            claims_approved: 0,
            claims_rejected: 0,
            fees_saved_yen: 0,
        })
        .collect();
    count_renewals_and_lapses(db, &bounds, &mut rounds).await?;
    count_claims(db, &bounds, &mut rounds).await?;
    for round in &mut rounds {
        let ended = round.renewed + round.lapsed;
        round.lapse_rate = (ended > 0).then(|| round.lapsed as f64 / ended as f64);
    }
    Ok(RenewalHealth {
        as_of: today,
        cycles_by_status: cycles_by_status(db, today).await?,
        claims_pending: claims_pending(db).await?,
        rounds,
    })
}

/// Every cycle by its status on `today`.
async fn cycles_by_status<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> DomainResult<Vec<(CycleStatus, u64)>> {
    let mut counts = Vec::with_capacity(CycleStatus::ALL.len());
    for status in CycleStatus::ALL {
        let n = renewal_cycle::Entity::find()
            .filter(status_condition(*status, today))
            .count(db)
            .await?;
        counts.push((*status, n));
    }
    Ok(counts)
}

/// Claims waiting for review: submitted, or sent back for changes.
async fn claims_pending<C: ConnectionTrait>(db: &C) -> DomainResult<u64> {
    Ok(deemed_attendance_claim::Entity::find()
        .filter(deemed_attendance_claim::Column::Status.is_in([
            ClaimStatus::Submitted.as_str(),
            ClaimStatus::ChangesRequested.as_str(),
        ]))
        .count(db)
        .await?)
}

/// Renewals and lapses by the round they take effect in: the day after the cycle ended.
/// Cycles end on the last day of a round, so there are few distinct days: counted in SQL.
async fn count_renewals_and_lapses<C: ConnectionTrait>(
    db: &C,
    bounds: &[(NaiveDate, NaiveDate)],
    rounds: &mut [RenewalRound],
) -> DomainResult<()> {
    let (Some((first, _)), Some((_, last))) = (bounds.first(), bounds.last()) else {
        return Ok(());
    };
    let day_before = |day: NaiveDate| day.pred_opt().unwrap_or(day);
    use renewal_cycle::Column as R;
    let ended: Vec<(NaiveDate, String, i64)> = renewal_cycle::Entity::find()
        .select_only()
        .column(R::EndsOn)
        .column(R::State)
        .column_as(R::Id.count(), "n")
        .filter(R::EndsOn.between(day_before(*first), day_before(*last)))
        .filter(R::State.is_in([CycleState::Renewed.as_str(), CycleState::Lapsed.as_str()]))
        .group_by(R::EndsOn)
        .group_by(R::State)
        .into_tuple()
        .all(db)
        .await?;
    for (ends_on, state, n) in ended {
        let takes_effect = ends_on.succ_opt().unwrap_or(ends_on);
        if let Some(i) = period_of(bounds, takes_effect) {
            let n = u64::try_from(n).unwrap_or(0);
            if state == CycleState::Renewed.as_str() {
                rounds[i].renewed += n;
            } else {
                rounds[i].lapsed += n;
            }
        }
    }
    Ok(())
}

/// Claims filed, approved and rejected, and the fees saved, by the round (Japan dates).
/// Claims are few next to cycles: their dates are read and sorted into rounds.
async fn count_claims<C: ConnectionTrait>(
    db: &C,
    bounds: &[(NaiveDate, NaiveDate)],
    rounds: &mut [RenewalRound],
) -> DomainResult<()> {
    use deemed_attendance_claim::Column as D;
    let claims: Vec<ClaimDates> = deemed_attendance_claim::Entity::find()
        .select_only()
        .columns([D::SubmittedAt, D::Status, D::ReviewedAt, D::FeeSavedYen])
        .into_tuple()
        .all(db)
        .await?;
    for (submitted_at, status, reviewed_at, fee) in claims {
        if let Some(i) = period_of(bounds, japan_date(submitted_at)) {
            rounds[i].claims_filed += 1;
        }
        let Some(i) = reviewed_at.and_then(|at| period_of(bounds, japan_date(at))) else {
            continue;
        };
        if status == ClaimStatus::Approved.as_str() {
            rounds[i].claims_approved += 1;
            rounds[i].fees_saved_yen += i64::from(fee.unwrap_or(0));
        } else if status == ClaimStatus::Rejected.as_str() {
            rounds[i].claims_rejected += 1;
        }
    }
    Ok(())
}
