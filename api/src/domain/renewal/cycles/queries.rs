//! Reading renewal cycles, as the caller may see them.

use super::{CHUNK, CycleView, status_condition};
use crate::domain::renewal::permissions;
use std::collections::HashMap;

use chrono::NaiveDate;
use entities::{renewal_cycle, specialist};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::Query,
};

use super::super::types::CycleStatus;
use crate::domain::{
    Actor, Caller, DomainResult,
    error::Violations,
    pagination::{
        KeyKind, KeyValue, ListOrder, Page, PageArgs, SortKey, paginate, paginate_by_update,
    },
    prefecture::PrefectureCode,
    registry::own_specialist_id,
};

/// Whether the caller may read the cycles of this specialist.
pub(super) fn may_read(actor: &Actor, own: Option<i64>, specialist_id: i64) -> bool {
    actor.is_registry_staff() || own == Some(specialist_id)
}

/// The cycles with these ids the caller may see, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<CycleView>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let own = own_specialist_id(db, &caller.actor).await?;
    if !caller.actor.is_registry_staff() && own.is_none() {
        return Ok(vec![None; ids.len()]);
    }
    let rows = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let today = caller.today();
    let mut by_id: HashMap<i64, renewal_cycle::Model> =
        rows.into_iter().map(|r| (r.id, r)).collect();
    Ok(ids
        .iter()
        .map(|id| {
            by_id
                .remove(id)
                .filter(|r| may_read(&caller.actor, own, r.specialist_id))
                .map(|r| CycleView::new(r, today))
        })
        .collect())
}

/// Every cycle of these specialists, oldest first; one statement. The caller must already
/// be entitled to see the specialists in full.
pub async fn of_specialists<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
    today: NaiveDate,
) -> DomainResult<HashMap<i64, Vec<CycleView>>> {
    let mut result: HashMap<i64, Vec<CycleView>> = HashMap::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        for row in renewal_cycle::Entity::find()
            .filter(renewal_cycle::Column::SpecialistId.is_in(chunk.to_vec()))
            .order_by_asc(renewal_cycle::Column::SpecialistId)
            .order_by_asc(renewal_cycle::Column::Sequence)
            .all(db)
            .await?
        {
            result
                .entry(row.specialist_id)
                .or_default()
                .push(CycleView::new(row, today));
        }
    }
    Ok(result)
}

/// Filters of the cycle list; empty lists are ignored.
#[derive(Debug, Clone, Default)]
pub struct CycleFilter {
    pub statuses: Vec<CycleStatus>,
    /// Application deadline on or before this date.
    pub deadline_before: Option<NaiveDate>,
    /// Prefecture of address of the specialist.
    pub prefectures: Vec<String>,
    /// Only cycles whose renewal application waits for a decision, listed by the day it
    /// was filed (oldest first).
    pub awaiting_decision: bool,
    /// Cycles changed at or after this time.
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

fn filter_condition(filter: &CycleFilter, today: NaiveDate) -> DomainResult<Condition> {
    let mut v = Violations::default();
    let mut prefectures = Vec::new();
    for (i, code) in filter.prefectures.iter().enumerate() {
        if let Some(p) = v.check(
            &format!("filter.prefectures.{i}"),
            PrefectureCode::parse(code),
        ) {
            prefectures.push(p.as_str().to_owned());
        }
    }
    v.into_result()?;
    let mut condition = Condition::all();
    if !filter.statuses.is_empty() {
        let mut any = Condition::any();
        for status in &filter.statuses {
            any = any.add(status_condition(*status, today));
        }
        condition = condition.add(any);
    }
    if let Some(before) = filter.deadline_before {
        condition = condition.add(renewal_cycle::Column::ApplicationDueOn.lte(before));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(renewal_cycle::Column::UpdatedAt.gte(since));
    }
    if filter.awaiting_decision {
        condition = condition
            .add(
                renewal_cycle::Column::State
                    .eq(crate::domain::renewal::types::CycleState::Open.as_str()),
            )
            .add(renewal_cycle::Column::AppliedOn.is_not_null());
    }
    if !prefectures.is_empty() {
        condition = condition.add(
            renewal_cycle::Column::SpecialistId.in_subquery(
                Query::select()
                    .column(specialist::Column::Id)
                    .from(specialist::Entity)
                    .and_where(specialist::Column::PrefectureCode.is_in(prefectures))
                    .to_owned(),
            ),
        );
    }
    Ok(condition)
}

const CYCLE_ORDER: &str = "DEADLINE_ASC";
/// The order of the cycles waiting for a decision: by the day the application was filed.
const WAITING_ORDER: &str = "APPLIED_ASC";

/// A page of cycles for registry staff, by application deadline (or by last change, which
/// wins over the filing-day order of `awaiting_decision`).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &CycleFilter,
    order: ListOrder,
    args: &PageArgs,
) -> DomainResult<Page<CycleView>> {
    caller.actor.allow(&permissions::LIST_CYCLES)?;
    let today = caller.today();
    let select = renewal_cycle::Entity::find().filter(filter_condition(filter, today)?);
    if order == ListOrder::UpdatedAt {
        let columns = (renewal_cycle::Column::UpdatedAt, renewal_cycle::Column::Id);
        let page =
            paginate_by_update(db, select, columns, args, |row| (row.updated_at, row.id)).await?;
        return Ok(page.map(|row| CycleView::new(row, today)));
    }
    let (order, first) = if filter.awaiting_decision {
        (WAITING_ORDER, renewal_cycle::Column::AppliedOn)
    } else {
        (CYCLE_ORDER, renewal_cycle::Column::ApplicationDueOn)
    };
    let keys = [
        SortKey {
            column: first,
            kind: KeyKind::Date,
        },
        SortKey {
            column: renewal_cycle::Column::Id,
            kind: KeyKind::Int,
        },
    ];
    let waiting = filter.awaiting_decision;
    let page = paginate(db, select, order, &keys, true, args, |row| {
        let day = match (waiting, row.applied_on) {
            (true, Some(applied)) => applied,
            _ => row.application_due_on,
        };
        vec![KeyValue::date(day), KeyValue::Int(row.id)]
    })
    .await?;
    Ok(page.map(|row| CycleView::new(row, today)))
}

/// How many cycles match the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &CycleFilter,
) -> DomainResult<u64> {
    caller.actor.allow(&permissions::LIST_CYCLES)?;
    Ok(renewal_cycle::Entity::find()
        .filter(filter_condition(filter, caller.today())?)
        .count(db)
        .await?)
}
