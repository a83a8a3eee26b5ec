//! Reads of deemed-attendance claims within what the caller may see: the list, counts,
//! batches by id, the cited evidence and the savings they bring.

use super::super::types::ClaimStatus;
use crate::domain::renewal::permissions;
use crate::domain::{
    Caller, DomainError, DomainResult, Visible,
    pagination::{
        Direction, KeyKind, KeyValue, ListOrder, Page, PageArgs, SortKey, paginate_by_time,
        paginate_by_update,
    },
    registry::own_specialist_id,
};
use entities::{claim_match, deemed_attendance_claim};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Func},
};

use super::scope;

/// The engagements each of these claims cites, by claim id.
pub async fn citations_of<C: ConnectionTrait>(
    db: &C,
    claim_ids: &[i64],
) -> DomainResult<Vec<claim_match::Model>> {
    let mut rows = Vec::new();
    for chunk in claim_ids.chunks(crate::domain::CHUNK) {
        rows.extend(
            claim_match::Entity::find()
                .filter(claim_match::Column::ClaimId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// Filters of the claim list; empty lists are ignored.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub statuses: Vec<ClaimStatus>,
    /// Claims against any of these cycles.
    pub cycle_ids: Vec<i64>,
    /// Claims changed at or after this time.
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

async fn condition<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ClaimFilter,
) -> DomainResult<Condition> {
    let mut c = match scope(db, &caller.actor).await? {
        None => Visible::everything(),
        Some(own) => Visible::within(
            Condition::all().add(deemed_attendance_claim::Column::SpecialistId.eq(own)),
        ),
    };
    if !filter.statuses.is_empty() {
        c = c.and(
            deemed_attendance_claim::Column::Status
                .is_in(filter.statuses.iter().map(|s| s.as_str())),
        );
    }
    if !filter.cycle_ids.is_empty() {
        c = c.and(deemed_attendance_claim::Column::CycleId.is_in(filter.cycle_ids.clone()));
    }
    if let Some(since) = filter.updated_since {
        c = c.and(deemed_attendance_claim::Column::UpdatedAt.gte(since));
    }
    Ok(c.into_condition())
}

/// A page of claims, oldest first (or by last change): staff see all, a specialist their
/// own.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ClaimFilter,
    order: ListOrder,
    args: &PageArgs,
) -> DomainResult<Page<deemed_attendance_claim::Model>> {
    let condition = condition(db, caller, filter).await?;
    let select = deemed_attendance_claim::Entity::find().filter(condition);
    if order == ListOrder::UpdatedAt {
        let columns = (
            deemed_attendance_claim::Column::UpdatedAt,
            deemed_attendance_claim::Column::Id,
        );
        return paginate_by_update(db, select, columns, args, |row| (row.updated_at, row.id)).await;
    }
    paginate_by_time(
        db,
        select,
        (
            "SUBMITTED_AT",
            SortKey {
                column: deemed_attendance_claim::Column::SubmittedAt,
                kind: KeyKind::Instant,
            },
        ),
        deemed_attendance_claim::Column::Id,
        Direction::Ascending,
        args,
        |row| (KeyValue::instant(row.submitted_at), row.id),
    )
    .await
}

/// How many claims match the filter, as the caller may see them.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ClaimFilter,
) -> DomainResult<u64> {
    let condition = condition(db, caller, filter).await?;
    Ok(deemed_attendance_claim::Entity::find()
        .filter(condition)
        .count(db)
        .await?)
}

/// Claims by id that the caller may see, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<deemed_attendance_claim::Model>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let own = match scope(db, &caller.actor).await {
        Ok(own) => own,
        Err(_) => return Ok(vec![None; ids.len()]),
    };
    let rows = deemed_attendance_claim::Entity::find()
        .filter(deemed_attendance_claim::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .map(|id| {
            rows.iter()
                .find(|r| r.id == *id && own.is_none_or(|o| o == r.specialist_id))
                .cloned()
        })
        .collect())
}

/// Approved claims and the course fees they saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Savings {
    pub approved_claims: u64,
    pub fee_saved_yen: i64,
}

/// Savings overall (registry staff and analysts) or of one specialist (staff, or the
/// specialist themself).
pub async fn savings<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_id: Option<i64>,
) -> DomainResult<Savings> {
    match specialist_id {
        None => caller.actor.allow(&permissions::READ_CLAIM_SAVINGS)?,
        Some(id) => {
            if !caller.actor.is_registry_staff()
                && own_specialist_id(db, &caller.actor).await? != Some(id)
            {
                return Err(DomainError::Forbidden(
                    "only registry staff and the specialist see a specialist's savings",
                ));
            }
        }
    }
    let mut select = deemed_attendance_claim::Entity::find()
        .select_only()
        .expr(Func::count(Expr::col(deemed_attendance_claim::Column::Id)))
        .expr(Func::cast_as(
            Func::sum(Expr::col(deemed_attendance_claim::Column::FeeSavedYen)),
            "bigint",
        ))
        .filter(deemed_attendance_claim::Column::Status.eq(ClaimStatus::Approved.as_str()));
    if let Some(id) = specialist_id {
        select = select.filter(deemed_attendance_claim::Column::SpecialistId.eq(id));
    }
    let (count, sum): (i64, Option<i64>) = select.into_tuple().one(db).await?.unwrap_or((0, None));
    Ok(Savings {
        approved_claims: u64::try_from(count).unwrap_or(0),
        fee_saved_yen: sum.unwrap_or(0),
    })
}
