//! Reads of camp applications within what the caller may see: the list, counts, batches by
//! id, why a person may not apply, and who completed which cohort.

use super::super::{people::age_on, types::ApplicationStatus};
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult, find_in_order,
    pagination::{
        Direction, KeyKind, KeyValue, ListOrder, Page, PageArgs, SortKey, paginate_by_time,
        paginate_by_update,
    },
};
use chrono::NaiveDate;
use entities::{camp_application, camp_cohort, camp_program, person};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select,
};
use std::collections::HashMap;

use super::{visible, with_cohort};

/// Why `person` may not apply to a cohort of `program` starting on `starts_on`, if so.
pub async fn ineligibility<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    program: &camp_program::Model,
    starts_on: NaiveDate,
) -> DomainResult<Option<String>> {
    let age = age_on(person.birth_date, starts_on);
    if let Some(min) = program.min_age
        && age < i32::from(min)
    {
        return Ok(Some(format!(
            "{} is for those aged {min} or over on its first day ({starts_on}); you will be {age}",
            program.name
        )));
    }
    if let Some(max) = program.max_age
        && age > i32::from(max)
    {
        return Ok(Some(format!(
            "{} is for those aged {max} or under on its first day ({starts_on}); you will be {age}",
            program.name
        )));
    }
    if program.attend_once {
        let completed: Option<i32> = with_cohort(camp_application::Entity::find())
            .select_only()
            .column(camp_cohort::Column::FiscalYear)
            .filter(camp_application::Column::PersonId.eq(person.id))
            .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
            .filter(camp_cohort::Column::ProgramId.eq(program.id))
            .into_tuple()
            .one(db)
            .await?;
        if let Some(year) = completed {
            return Ok(Some(format!(
                "you completed {} in FY{year}; it may be attended once",
                program.name
            )));
        }
    }
    Ok(None)
}

/// Filters of the application list; empty means any.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Applications to any of these cohorts.
    pub cohort_ids: Vec<i64>,
    pub statuses: Vec<ApplicationStatus>,
    /// Applications to any of these tracks.
    pub track_ids: Vec<i64>,
    /// Applications changed at or after this time.
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

fn select(
    caller: &Caller,
    filter: &ApplicationFilter,
) -> DomainResult<Select<camp_application::Entity>> {
    let mut select = camp_application::Entity::find().filter(visible(caller)?);
    if !filter.cohort_ids.is_empty() {
        select = select.filter(camp_application::Column::CohortId.is_in(filter.cohort_ids.clone()));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(
            camp_application::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())),
        );
    }
    if !filter.track_ids.is_empty() {
        select = select.filter(camp_application::Column::TrackId.is_in(filter.track_ids.clone()));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(camp_application::Column::UpdatedAt.gte(since));
    }
    Ok(select)
}

/// A page of the applications the caller sees, in the order they came in (or by last
/// change).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ApplicationFilter,
    order: ListOrder,
    args: &PageArgs,
) -> DomainResult<Page<camp_application::Model>> {
    let select = select(caller, filter)?;
    if order == ListOrder::UpdatedAt {
        let columns = (
            camp_application::Column::UpdatedAt,
            camp_application::Column::Id,
        );
        return paginate_by_update(db, select, columns, args, |row| (row.updated_at, row.id)).await;
    }
    paginate_by_time(
        db,
        select,
        (
            "APPLIED_AT",
            SortKey {
                column: camp_application::Column::AppliedAt,
                kind: KeyKind::Instant,
            },
        ),
        camp_application::Column::Id,
        Direction::Ascending,
        args,
        |row| (KeyValue::instant(row.applied_at), row.id),
    )
    .await
}

/// How many applications the caller sees with the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ApplicationFilter,
) -> DomainResult<u64> {
    Ok(select(caller, filter)?.count(db).await?)
}

/// Applications by id as the caller may see them, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<camp_application::Model>>> {
    let condition = match visible(caller) {
        Ok(condition) => condition,
        Err(DomainError::Unauthenticated | DomainError::Forbidden(_)) => {
            return Ok(vec![None; ids.len()]);
        }
        Err(other) => return Err(other),
    };
    find_in_order::<camp_application::Entity, _>(
        db,
        camp_application::Column::Id,
        ids,
        condition,
        |r| r.id,
    )
    .await
}

/// The cohorts each person completed (public facts of alumni; callers filter by the
/// members' choices), oldest first.
pub async fn completed_cohorts_of<C: ConnectionTrait>(
    db: &C,
    person_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<i64>>> {
    let mut found: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in person_ids.chunks(CHUNK) {
        let rows: Vec<(i64, i64)> = camp_application::Entity::find()
            .select_only()
            .column(camp_application::Column::PersonId)
            .column(camp_application::Column::CohortId)
            .filter(camp_application::Column::PersonId.is_in(chunk.to_vec()))
            .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
            .into_tuple()
            .all(db)
            .await?;
        for (person, cohort) in rows {
            found.entry(person).or_default().push(cohort);
        }
    }
    for cohorts in found.values_mut() {
        cohorts.sort_unstable();
    }
    Ok(found)
}

/// Whether the person completed at least one cohort: an alumnus.
pub async fn is_alumnus<C: ConnectionTrait>(db: &C, person_id: i64) -> DomainResult<bool> {
    Ok(camp_application::Entity::find()
        .filter(camp_application::Column::PersonId.eq(person_id))
        .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
        .count(db)
        .await?
        > 0)
}
