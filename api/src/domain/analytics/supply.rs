//! The Active List against demand: published entries versus open consultation requests by
//! guidance theme and by prefecture, and how matching performs (time to match, completion,
//! ratings).

use std::{collections::HashMap, hash::Hash};

use chrono::{DateTime, NaiveDate, Utc};
use entities::{
    active_list_entry, consultation_request, entry_prefecture, entry_theme, matching, request_theme,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};

use super::{breakdown::MIN_CELL, registry::check_not_future, require_reader};
use crate::domain::{
    Caller, DomainError, DomainResult,
    active_list::{entries::published_condition, themes, types::EntryStatus},
    calendar::japan_date,
    matching::types::{MatchStatus, RequestStatus},
    prefecture::PREFECTURES,
};

/// Supply and demand in one cell (a theme or a prefecture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyDemandCell {
    pub key: String,
    pub label: String,
    /// Published entries (people) offering it, or `None` when fewer than [`MIN_CELL`].
    pub supply: Option<u64>,
    /// Open consultation requests (companies) asking for it.
    pub demand: u64,
}

/// The published Active List against open requests, today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyDemand {
    pub as_of: NaiveDate,
    /// Entries on the published list.
    pub published_entries: u64,
    /// Of those, entries that also advise remotely (they serve every prefecture).
    pub remote_entries: u64,
    /// Requests still looking for a specialist (`OPEN` or `MATCHING`).
    pub open_requests: u64,
    /// Every active guidance theme, in display order.
    pub by_theme: Vec<SupplyDemandCell>,
    /// The 47 prefectures; supply counts entries advising there in person.
    pub by_prefecture: Vec<SupplyDemandCell>,
}

/// `(key, count)` rows of a `GROUP BY` as a map.
fn counted<K: Eq + Hash>(rows: Vec<(K, i64)>) -> HashMap<K, u64> {
    rows.into_iter()
        .map(|(key, n)| (key, u64::try_from(n).unwrap_or(0)))
        .collect()
}

fn seeking() -> [&'static str; 2] {
    [
        RequestStatus::Open.as_str(),
        RequestStatus::Matching.as_str(),
    ]
}

/// Supply and demand on the published Active List today.
pub async fn supply_demand<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<SupplyDemand> {
    require_reader(caller)?;
    let today = caller.today();
    let published_entries = active_list_entry::Entity::find()
        .filter(published_condition(today))
        .count(db)
        .await?;
    let remote_entries = active_list_entry::Entity::find()
        .filter(published_condition(today))
        .filter(active_list_entry::Column::RemoteOk.eq(true))
        .count(db)
        .await?;
    let open_requests = consultation_request::Entity::find()
        .filter(consultation_request::Column::Status.is_in(seeking()))
        .count(db)
        .await?;

    Ok(SupplyDemand {
        as_of: today,
        published_entries,
        remote_entries,
        open_requests,
        by_theme: by_theme(db, today).await?,
        by_prefecture: by_prefecture(db, today).await?,
    })
}

/// Supply and demand per guidance theme, in the themes' order.
async fn by_theme<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> DomainResult<Vec<SupplyDemandCell>> {
    // Each published entry posts once per theme, with the entry's status and eligibility.
    let supply_by_theme: Vec<(i64, i64)> = entry_theme::Entity::find()
        .select_only()
        .column(entry_theme::Column::ThemeId)
        .column_as(entry_theme::Column::EntryId.count(), "n")
        .filter(entry_theme::Column::Status.eq(EntryStatus::Published.as_str()))
        .filter(entry_theme::Column::EligibleUntil.gte(today))
        .group_by(entry_theme::Column::ThemeId)
        .into_tuple()
        .all(db)
        .await?;
    let open_ids = consultation_request::Entity::find()
        .select_only()
        .column(consultation_request::Column::Id)
        .filter(consultation_request::Column::Status.is_in(seeking()))
        .into_query();
    let demand_by_theme: Vec<(i64, i64)> = request_theme::Entity::find()
        .select_only()
        .column(request_theme::Column::ThemeId)
        .column_as(request_theme::Column::RequestId.count(), "n")
        .filter(Condition::all().add(request_theme::Column::RequestId.in_subquery(open_ids)))
        .group_by(request_theme::Column::ThemeId)
        .into_tuple()
        .all(db)
        .await?;
    let (supply_by_theme, demand_by_theme) = (counted(supply_by_theme), counted(demand_by_theme));
    let shown = |n: u64| (n >= MIN_CELL).then_some(n);
    Ok(themes::list(db, false)
        .await?
        .into_iter()
        .map(|t| SupplyDemandCell {
            supply: shown(supply_by_theme.get(&t.id).copied().unwrap_or(0)),
            demand: demand_by_theme.get(&t.id).copied().unwrap_or(0),
            key: t.code,
            label: t.name_ja,
        })
        .collect())
}

/// Supply and demand per prefecture, in the order of their codes.
async fn by_prefecture<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> DomainResult<Vec<SupplyDemandCell>> {
    let published_ids = active_list_entry::Entity::find()
        .select_only()
        .column(active_list_entry::Column::Id)
        .filter(published_condition(today))
        .into_query();
    let supply_by_prefecture: Vec<(String, i64)> = entry_prefecture::Entity::find()
        .select_only()
        .column(entry_prefecture::Column::PrefectureCode)
        .column_as(entry_prefecture::Column::EntryId.count(), "n")
        .filter(Condition::all().add(entry_prefecture::Column::EntryId.in_subquery(published_ids)))
        .group_by(entry_prefecture::Column::PrefectureCode)
        .into_tuple()
        .all(db)
        .await?;
    let demand_by_prefecture: Vec<(String, i64)> = consultation_request::Entity::find()
        .select_only()
        .column(consultation_request::Column::PrefectureCode)
        .column_as(consultation_request::Column::Id.count(), "n")
        .filter(consultation_request::Column::Status.is_in(seeking()))
        .group_by(consultation_request::Column::PrefectureCode)
        .into_tuple()
        .all(db)
        .await?;
    let (supply_by_prefecture, demand_by_prefecture) =
        (counted(supply_by_prefecture), counted(demand_by_prefecture));
    let shown = |n: u64| (n >= MIN_CELL).then_some(n);
    Ok(PREFECTURES
        .iter()
        .map(|p| SupplyDemandCell {
            key: p.code.to_owned(),
            label: p.name_ja.to_owned(),
            supply: shown(supply_by_prefecture.get(p.code).copied().unwrap_or(0)),
            demand: demand_by_prefecture.get(p.code).copied().unwrap_or(0),
        })
        .collect())
}

/// Ratings given on one side of completed engagements.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    pub count: u64,
    /// The mean, or `None` without ratings.
    pub average: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5 stars.
    pub distribution: [u64; 5],
}

impl Ratings {
    fn of(values: impl Iterator<Item = i16>) -> Self {
        let mut distribution = [0u64; 5];
        for v in values {
            if let Some(slot) = usize::try_from(v - 1)
                .ok()
                .and_then(|i| distribution.get_mut(i))
            {
                *slot += 1;
            }
        }
        let count: u64 = distribution.iter().sum();
        let sum: u64 = distribution
            .iter()
            .zip(1u64..)
            .map(|(n, stars)| n * stars)
            .sum();
        Self {
            count,
            average: (count > 0).then(|| sum as f64 / count as f64),
            distribution,
        }
    }
}

/// How matching performed between two dates.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchingPerformance {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Requests filed in the span.
    pub requests_filed: u64,
    /// Of those, requests a specialist has accepted.
    pub requests_matched: u64,
    /// The median time from filing to the accepted match, in days, over those requests.
    pub median_days_to_match: Option<f64>,
    /// Engagements (accepted matches) that ended in the span: completed, or cancelled after
    /// acceptance (dated by their last change).
    pub engagements_ended: u64,
    pub engagements_completed: u64,
    /// `completed / ended`, or `None` when none ended.
    pub completion_rate: Option<f64>,
    /// Companies' ratings of the specialists, for engagements completed in the span.
    pub company_ratings: Ratings,
    /// Specialists' ratings of the companies, for the same engagements.
    pub specialist_ratings: Ratings,
}

/// The median of `values` (sorted in place), or `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// An ended engagement's status, completion day, last change and the two ratings.
type Ended = (
    String,
    Option<NaiveDate>,
    DateTime<Utc>,
    Option<i16>,
    Option<i16>,
);

/// Matching between `from` and `to` (Japan dates, `to` not in the future).
pub async fn matching_performance<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<MatchingPerformance> {
    require_reader(caller)?;
    check_not_future("to", to, caller.today())?;
    if from > to {
        return Err(DomainError::invalid("from", "must not be after `to`"));
    }
    use consultation_request::Column as Q;
    let requests: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> =
        consultation_request::Entity::find()
            .select_only()
            .columns([Q::CreatedAt, Q::MatchedAt])
            .filter(Q::OpenedOn.between(from, to))
            .into_tuple()
            .all(db)
            .await?;
    let mut days: Vec<f64> = requests
        .iter()
        .filter_map(|(filed, matched)| {
            matched.map(|at| (at - *filed).num_seconds() as f64 / 86_400.0)
        })
        .collect();

    use matching::Column as M;
    let ended: Vec<Ended> = matching::Entity::find()
        .select_only()
        .columns([
            M::Status,
            M::CompletedOn,
            M::UpdatedAt,
            M::CompanyRating,
            M::SpecialistRating,
        ])
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(M::Status.eq(MatchStatus::Completed.as_str()))
                        .add(M::CompletedOn.between(from, to)),
                )
                .add(
                    Condition::all()
                        .add(M::Status.eq(MatchStatus::Cancelled.as_str()))
                        .add(M::RespondedAt.is_not_null()),
                ),
        )
        .into_tuple()
        .all(db)
        .await?;
    let in_span = |day: NaiveDate| day >= from && day <= to;
    let completed: Vec<_> = ended
        .iter()
        .filter(|(status, ..)| status == MatchStatus::Completed.as_str())
        .collect();
    let cancelled = ended
        .iter()
        .filter(|(status, _, updated, ..)| {
            status == MatchStatus::Cancelled.as_str() && in_span(japan_date(*updated))
        })
        .count() as u64;
    let engagements_completed = completed.len() as u64;
    let engagements_ended = engagements_completed + cancelled;
    Ok(MatchingPerformance {
        from,
        to,
        requests_filed: requests.len() as u64,
        requests_matched: days.len() as u64,
        median_days_to_match: median(&mut days),
        engagements_ended,
        engagements_completed,
        completion_rate: (engagements_ended > 0)
            .then(|| engagements_completed as f64 / engagements_ended as f64),
        company_ratings: Ratings::of(completed.iter().filter_map(|m| m.3)),
        specialist_ratings: Ratings::of(completed.iter().filter_map(|m| m.4)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn ratings_count_each_star() {
        let r = Ratings::of([5, 4, 5, 1].into_iter());
        assert_eq!(r.count, 4);
        assert_eq!(r.distribution, [1, 0, 0, 1, 2]);
        assert_eq!(r.average, Some(3.75));
        assert_eq!(Ratings::of(std::iter::empty()).average, None);
    }
}
