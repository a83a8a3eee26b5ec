//! Ranking Active List entries for a consultation request.
//!
//! Candidates are published entries of eligible specialists, not paused, with capacity
//! left, working in the request's language, holding at least one of its themes, and not
//! already proposed for it. Each gets a score from 0 to 100, the weighted sum of parts
//! between 0 and 1 that are returned with it so staff can explain a choice:
//!
//! | part | weight | 1 means |
//! | --- | --- | --- |
//! | theme coverage | 40 | holds every theme asked for |
//! | region fit | 20 | serves the prefecture in person (0.7 remote both ways, 0.4 same region) |
//! | industry fit | 10 | strong in the company's industry |
//! | capacity left | 10 | no engagement running |
//! | responsiveness | 10 | answered every proposal of the last two years in time (0.5 without history) |
//! | past ratings | 10 | rated 5 by every company (0.5 without ratings) |
//!
//! Ties go to the most recently confirmed entry, then the lowest entry id: the same data
//! always gives the same order.

use crate::domain::matching::permissions;
use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use entities::{active_list_entry, company, consultation_request, entry_theme, matching};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use serde::{Deserialize, Serialize};

use super::{requests::theme_ids_of, scope::scope_of, types::MatchStatus};
use crate::domain::{
    Caller, DomainResult, active_list::types::EntryStatus, industry::Industry,
    prefecture::PrefectureCode,
};

/// The most candidates returned at once.
pub const MAX_CANDIDATES: u64 = 100;

/// The parts of a candidate's score, each from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreParts {
    pub theme_coverage: f64,
    pub region_fit: f64,
    pub industry_fit: f64,
    pub capacity_left: f64,
    pub responsiveness: f64,
    pub past_ratings: f64,
}

impl ScoreParts {
    /// The score from 0 to 100.
    pub fn total(&self) -> f64 {
        let sum = 40.0 * self.theme_coverage
            + 20.0 * self.region_fit
            + 10.0 * self.industry_fit
            + 10.0 * self.capacity_left
            + 10.0 * self.responsiveness
            + 10.0 * self.past_ratings;
        (sum * 100.0).round() / 100.0
    }
}

/// A ranked candidate.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub entry_id: i64,
    pub specialist_id: i64,
    pub score: f64,
    pub parts: ScoreParts,
    /// Themes of the request the entry holds.
    pub matched_theme_ids: Vec<i64>,
}

/// What the ranking reads of an entry.
#[derive(Debug, FromQueryResult)]
pub(super) struct EntryFacts {
    pub id: i64,
    pub specialist_id: i64,
    pub theme_ids: serde_json::Value,
    pub prefecture_codes: serde_json::Value,
    pub industry_codes: serde_json::Value,
    pub language_codes: serde_json::Value,
    pub remote_ok: bool,
    pub capacity: i16,
    pub active_matches: i16,
    pub confirmed_on: NaiveDate,
}

/// A specialist's track record in matching.
#[derive(Debug, Default, FromQueryResult)]
pub(super) struct Record {
    pub specialist_id: i64,
    pub answered: i64,
    pub expired: i64,
    pub rated: i64,
    pub rating_sum: i64,
}

/// What the ranking reads of a request.
pub(super) struct Asked {
    pub theme_ids: Vec<i64>,
    pub prefecture: String,
    pub remote_ok: bool,
    pub industry: Option<Industry>,
}

fn list<T: for<'de> Deserialize<'de>>(value: &serde_json::Value) -> Vec<T> {
    Vec::<T>::deserialize(value).unwrap_or_default()
}

/// Scores one entry for a request.
pub(super) fn score(asked: &Asked, entry: &EntryFacts, record: Option<&Record>) -> Candidate {
    let themes: Vec<i64> = list(&entry.theme_ids);
    let matched: Vec<i64> = asked
        .theme_ids
        .iter()
        .copied()
        .filter(|t| themes.contains(t))
        .collect();
    let theme_coverage = if asked.theme_ids.is_empty() {
        0.0
    } else {
        matched.len() as f64 / asked.theme_ids.len() as f64
    };
    let prefectures: Vec<String> = list(&entry.prefecture_codes);
    let region = |code: &str| {
        PrefectureCode::parse(code)
            .ok()
            .map(|p| p.prefecture().region)
    };
    let region_fit = if prefectures.contains(&asked.prefecture) {
        1.0
    } else if entry.remote_ok && asked.remote_ok {
        0.7
    } else if prefectures
        .iter()
        .any(|p| region(p).is_some() && region(p) == region(&asked.prefecture))
    {
        0.4
    } else {
        0.0
    };
    let industries: Vec<String> = list(&entry.industry_codes);
    let industry_fit = match asked.industry {
        Some(industry) if industries.iter().any(|i| i == industry.as_str()) => 1.0,
        _ => 0.0,
    };
    let capacity = f64::from(Ord::max(entry.capacity, 1));
    let capacity_left =
        (f64::from(entry.capacity - entry.active_matches) / capacity).clamp(0.0, 1.0);
    let responsiveness = match record {
        Some(r) if r.answered + r.expired > 0 => {
            r.answered as f64 / (r.answered + r.expired) as f64
        }
        _ => 0.5,
    };
    let past_ratings = match record {
        Some(r) if r.rated > 0 => ((r.rating_sum as f64 / r.rated as f64) - 1.0) / 4.0,
        _ => 0.5,
    };
    let parts = ScoreParts {
        theme_coverage,
        region_fit,
        industry_fit,
        capacity_left,
        responsiveness,
        past_ratings,
    };
    Candidate {
        entry_id: entry.id,
        specialist_id: entry.specialist_id,
        score: parts.total(),
        parts,
        matched_theme_ids: matched,
    }
}

/// The track records of specialists over the last two years: one statement.
pub(super) async fn records<C: ConnectionTrait>(
    db: &C,
    specialist_ids: Option<&[i64]>,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<HashMap<i64, Record>> {
    let since = now.checked_sub_months(Months::new(24)).unwrap_or(now);
    let answered = [
        MatchStatus::Accepted,
        MatchStatus::Active,
        MatchStatus::Completed,
        MatchStatus::Declined,
    ]
    .map(|s| format!("'{}'", s.as_str()))
    .join(", ");
    let mut select = matching::Entity::find()
        .select_only()
        .column(matching::Column::SpecialistId)
        .column_as(
            Expr::cust(format!(
                "SUM(CASE WHEN status IN ({answered}) THEN 1 ELSE 0 END)"
            )),
            "answered",
        )
        .column_as(
            Expr::cust(format!(
                "SUM(CASE WHEN status = '{}' THEN 1 ELSE 0 END)",
                MatchStatus::Expired.as_str()
            )),
            "expired",
        )
        .column_as(Expr::cust("COUNT(company_rating)"), "rated")
        .column_as(Expr::cust("COALESCE(SUM(company_rating), 0)"), "rating_sum")
        .filter(matching::Column::ProposedAt.gte(since))
        .group_by(matching::Column::SpecialistId);
    if let Some(ids) = specialist_ids {
        select = select.filter(matching::Column::SpecialistId.is_in(ids.to_vec()));
    }
    Ok(select
        .into_model::<Record>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.specialist_id, r))
        .collect())
}

/// The columns the ranking reads of an entry.
pub(super) fn facts_select() -> sea_orm::Select<active_list_entry::Entity> {
    use active_list_entry::Column as E;
    active_list_entry::Entity::find().select_only().columns([
        E::Id,
        E::SpecialistId,
        E::ThemeIds,
        E::PrefectureCodes,
        E::IndustryCodes,
        E::LanguageCodes,
        E::RemoteOk,
        E::Capacity,
        E::ActiveMatches,
        E::ConfirmedOn,
    ])
}

/// What the ranking needs of a request and its company.
pub(super) async fn asked_of<C: ConnectionTrait>(
    db: &C,
    request: &consultation_request::Model,
) -> DomainResult<Asked> {
    let industry = company::Entity::find_by_id(request.company_id)
        .one(db)
        .await?
        .map(|c| c.industry);
    Ok(Asked {
        theme_ids: theme_ids_of(request),
        prefecture: request.prefecture_code.clone(),
        remote_ok: request.remote_ok,
        industry,
    })
}

/// The best `first` candidates for a request the caller acts for (the company, its
/// organization, registry staff), best first.
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    request_id: i64,
    first: u64,
) -> DomainResult<Vec<Candidate>> {
    caller.actor.allow(&permissions::READ_CANDIDATES)?;
    let scope = scope_of(db, &caller.actor).await?;
    let request = super::requests::acted_for(db, scope, request_id, "request_id").await?;
    let asked = asked_of(db, &request).await?;
    let today = caller.today();
    let proposed = Query::select()
        .column(matching::Column::SpecialistId)
        .from(matching::Entity)
        .and_where(matching::Column::RequestId.eq(request.id))
        .and_where(matching::Column::Status.is_in([
            MatchStatus::Proposed.as_str(),
            MatchStatus::Accepted.as_str(),
            MatchStatus::Active.as_str(),
        ]))
        .to_owned();
    let holding = Query::select()
        .column(entry_theme::Column::EntryId)
        .from(entry_theme::Entity)
        .and_where(entry_theme::Column::ThemeId.is_in(asked.theme_ids.clone()))
        .and_where(entry_theme::Column::Status.eq(EntryStatus::Published.as_str()))
        .and_where(entry_theme::Column::EligibleUntil.gte(today))
        .to_owned();
    let rows: Vec<EntryFacts> = facts_select()
        .filter(active_list_entry::Column::Status.eq(EntryStatus::Published.as_str()))
        .filter(active_list_entry::Column::EligibleUntil.gte(today))
        .filter(active_list_entry::Column::Paused.eq(false))
        .filter(
            Expr::col(active_list_entry::Column::ActiveMatches)
                .lt(Expr::col(active_list_entry::Column::Capacity)),
        )
        .filter(active_list_entry::Column::Id.in_subquery(holding))
        .filter(active_list_entry::Column::SpecialistId.not_in_subquery(proposed))
        .into_model::<EntryFacts>()
        .all(db)
        .await?;
    let records = records(db, None, caller.now()).await?;
    let mut ranked: Vec<(Candidate, NaiveDate)> = rows
        .iter()
        .filter(|row| list::<String>(&row.language_codes).contains(&request.language))
        .map(|row| {
            (
                score(&asked, row, records.get(&row.specialist_id)),
                row.confirmed_on,
            )
        })
        .collect();
    ranked.sort_by(|(a, a_confirmed), (b, b_confirmed)| {
        b.score
            .total_cmp(&a.score)
            .then(b_confirmed.cmp(a_confirmed))
            .then(a.entry_id.cmp(&b.entry_id))
    });
    Ok(ranked
        .into_iter()
        .take(Ord::min(first, MAX_CANDIDATES) as usize)
        .map(|(c, _)| c)
        .collect())
}
