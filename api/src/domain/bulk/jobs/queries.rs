//! Reads of bulk jobs: jobs by id as the caller may see them, and a job's rejected rows.

use entities::{bulk_job, bulk_job_rejection};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::visible;
use crate::domain::{
    Caller, DomainResult,
    pagination::{Direction, Page, PageArgs, paginate_by_id},
};

/// Jobs by id as the caller may see them (`None` where it may not), in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<bulk_job::Model>>> {
    let condition = visible(caller)?;
    crate::domain::find_in_order::<bulk_job::Entity, _>(
        db,
        bulk_job::Column::Id,
        ids,
        condition,
        |row| row.id,
    )
    .await
}

/// A page of the rows a job rejected, in row order. `job` is one the caller sees (read
/// with [`by_ids`]).
pub async fn rejections<C: ConnectionTrait>(
    db: &C,
    job: &bulk_job::Model,
    args: &PageArgs,
) -> DomainResult<Page<bulk_job_rejection::Model>> {
    paginate_by_id(
        db,
        bulk_job_rejection::Entity::find().filter(bulk_job_rejection::Column::JobId.eq(job.id)),
        bulk_job_rejection::Column::Id,
        Direction::Ascending,
        args,
        |row| row.id,
    )
    .await
}

/// How many reasons of rejection a job recorded (a row may have several).
pub async fn count_rejections<C: ConnectionTrait>(db: &C, job_id: i64) -> DomainResult<u64> {
    Ok(bulk_job_rejection::Entity::find()
        .filter(bulk_job_rejection::Column::JobId.eq(job_id))
        .count(db)
        .await?)
}
