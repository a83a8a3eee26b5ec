//! Reads of cohorts and their tracks: the list, counts, batches by id and how many
//! applications each has.

use super::super::types::{CohortStatus, ProgramKind};
use crate::domain::{
    CHUNK, Caller, DomainResult, find_in_order,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
};
use chrono::NaiveDate;
use entities::{camp_application, camp_cohort, camp_cohort_move, camp_program, camp_track};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Select, sea_query::Query,
};
use std::collections::HashMap;

/// Filters of the cohort list; empty means any.
#[derive(Debug, Clone, Default)]
pub struct CohortFilter {
    pub programs: Vec<ProgramKind>,
    pub fiscal_years: Vec<i32>,
    pub statuses: Vec<CohortStatus>,
    /// Cohorts taking applications on this day.
    pub accepting_on: Option<NaiveDate>,
}

fn select(filter: &CohortFilter) -> DomainResult<Select<camp_cohort::Entity>> {
    let mut select = camp_cohort::Entity::find();
    if !filter.programs.is_empty() {
        select = select.filter(
            camp_cohort::Column::ProgramId.in_subquery(
                Query::select()
                    .column(camp_program::Column::Id)
                    .from(camp_program::Entity)
                    .and_where(
                        camp_program::Column::Kind
                            .is_in(filter.programs.iter().map(|p| p.as_str())),
                    )
                    .to_owned(),
            ),
        );
    }
    crate::domain::pagination::check_filter_len("filter.fiscal_years", &filter.fiscal_years)?;
    if !filter.fiscal_years.is_empty() {
        select = select.filter(camp_cohort::Column::FiscalYear.is_in(filter.fiscal_years.clone()));
    }
    if !filter.statuses.is_empty() {
        select = select
            .filter(camp_cohort::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(day) = filter.accepting_on {
        select = select
            .filter(camp_cohort::Column::Status.eq(CohortStatus::ApplicationsOpen.as_str()))
            .filter(camp_cohort::Column::ApplicationsOpenOn.lte(day))
            .filter(camp_cohort::Column::ApplicationsCloseOn.gte(day));
    }
    Ok(select)
}

/// A page of cohorts, latest first. Public.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &CohortFilter,
    args: &PageArgs,
) -> DomainResult<Page<camp_cohort::Model>> {
    let keys = [
        SortKey {
            column: camp_cohort::Column::StartsOn,
            kind: KeyKind::Date,
        },
        SortKey {
            column: camp_cohort::Column::Id,
            kind: KeyKind::Int,
        },
    ];
    paginate(
        db,
        select(filter)?,
        "STARTS_ON_DESC",
        &keys,
        false,
        args,
        |row| vec![KeyValue::date(row.starts_on), KeyValue::Int(row.id)],
    )
    .await
}

/// How many cohorts match the filter.
pub async fn count<C: ConnectionTrait>(db: &C, filter: &CohortFilter) -> DomainResult<u64> {
    Ok(select(filter)?.count(db).await?)
}

/// Cohorts by id (public), in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<Option<camp_cohort::Model>>> {
    find_in_order::<camp_cohort::Entity, _>(
        db,
        camp_cohort::Column::Id,
        ids,
        Condition::all(),
        |r| r.id,
    )
    .await
}

/// Tracks by id (public), in the order of `ids`.
pub async fn tracks_by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<Option<camp_track::Model>>> {
    find_in_order::<camp_track::Entity, _>(db, camp_track::Column::Id, ids, Condition::all(), |r| {
        r.id
    })
    .await
}

/// The tracks of each cohort, in their order; one statement per [`CHUNK`] cohorts.
pub async fn tracks_of<C: ConnectionTrait>(
    db: &C,
    cohort_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<camp_track::Model>>> {
    let mut tracks: HashMap<i64, Vec<camp_track::Model>> = HashMap::new();
    for chunk in cohort_ids.chunks(CHUNK) {
        for track in camp_track::Entity::find()
            .filter(camp_track::Column::CohortId.is_in(chunk.to_vec()))
            .order_by_asc(camp_track::Column::CohortId)
            .order_by_asc(camp_track::Column::Position)
            .all(db)
            .await?
        {
            tracks.entry(track.cohort_id).or_default().push(track);
        }
    }
    Ok(tracks)
}

/// How many applications each cohort has (camp staff; `None` for anybody else).
pub async fn application_counts<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    cohort_ids: &[i64],
) -> DomainResult<Option<HashMap<i64, i64>>> {
    use sea_orm::QuerySelect;
    if !caller.actor.is_camp_staff() {
        return Ok(None);
    }
    let mut counts = HashMap::new();
    for chunk in cohort_ids.chunks(CHUNK) {
        let rows: Vec<(i64, i64)> = camp_application::Entity::find()
            .select_only()
            .column(camp_application::Column::CohortId)
            .column_as(camp_application::Column::Id.count(), "n")
            .filter(camp_application::Column::CohortId.is_in(chunk.to_vec()))
            .group_by(camp_application::Column::CohortId)
            .into_tuple()
            .all(db)
            .await?;
        counts.extend(rows);
    }
    Ok(Some(counts))
}

/// The moves of each cohort, oldest first (camp staff; `None` for anybody else).
pub async fn moves_of<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    cohort_ids: &[i64],
) -> DomainResult<Option<HashMap<i64, Vec<camp_cohort_move::Model>>>> {
    if !caller.actor.is_camp_staff() {
        return Ok(None);
    }
    let mut moves: HashMap<i64, Vec<camp_cohort_move::Model>> = HashMap::new();
    for chunk in cohort_ids.chunks(CHUNK) {
        for row in camp_cohort_move::Entity::find()
            .filter(camp_cohort_move::Column::CohortId.is_in(chunk.to_vec()))
            .order_by_asc(camp_cohort_move::Column::CohortId)
            .order_by_asc(camp_cohort_move::Column::Id)
            .all(db)
            .await?
        {
            moves.entry(row.cohort_id).or_default().push(row);
        }
    }
    Ok(Some(moves))
}
