//! Reads of matches within the caller's scope: the list, counts, batches by id, a
//! specialist's completed engagements.

use super::super::{scope::scope_of, types::MatchStatus};
use crate::domain::matching::permissions;
use crate::domain::{
    CHUNK, Caller, DomainResult, find_in_order,
    pagination::{
        Direction, KeyKind, KeyValue, Page, PageArgs, SortKey, paginate_by_time, paginate_by_update,
    },
};
use entities::matching;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select,
};

use super::visible;

/// Filters of the match list.
#[derive(Debug, Clone, Default)]
pub struct MatchFilter {
    pub statuses: Vec<MatchStatus>,
    /// Matches of any of these requests.
    pub request_ids: Vec<i64>,
    /// Matches changed at or after this time.
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

async fn select<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &MatchFilter,
) -> DomainResult<Select<matching::Entity>> {
    caller.actor.allow(&permissions::READ_MATCHES)?;
    let scope = scope_of(db, &caller.actor).await?;
    let mut visible = visible(scope);
    if !filter.statuses.is_empty() {
        visible =
            visible.and(matching::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if !filter.request_ids.is_empty() {
        visible = visible.and(matching::Column::RequestId.is_in(filter.request_ids.clone()));
    }
    if let Some(since) = filter.updated_since {
        visible = visible.and(matching::Column::UpdatedAt.gte(since));
    }
    Ok(matching::Entity::find().filter(visible))
}

/// What a list of matches is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchOrder {
    /// When the specialist was proposed, newest first.
    #[default]
    Proposed,
    /// The day the specialist must answer by, soonest first: the proposals waiting longest.
    RespondBy,
    /// Last change, oldest first: the order a mirror syncs in.
    UpdatedAt,
}

/// A page of the matches the caller takes part in, in `order`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &MatchFilter,
    order: MatchOrder,
    args: &PageArgs,
) -> DomainResult<Page<matching::Model>> {
    let select = select(db, caller, filter).await?;
    let (name, when, direction) = match order {
        MatchOrder::UpdatedAt => {
            let columns = (matching::Column::UpdatedAt, matching::Column::Id);
            return paginate_by_update(db, select, columns, args, |row| (row.updated_at, row.id))
                .await;
        }
        MatchOrder::Proposed => (
            "PROPOSED_AT",
            SortKey {
                column: matching::Column::ProposedAt,
                kind: KeyKind::Instant,
            },
            Direction::Descending,
        ),
        MatchOrder::RespondBy => (
            "RESPOND_BY",
            SortKey {
                column: matching::Column::RespondBy,
                kind: KeyKind::Date,
            },
            Direction::Ascending,
        ),
    };
    paginate_by_time(
        db,
        select,
        (name, when),
        matching::Column::Id,
        direction,
        args,
        |row| match order {
            MatchOrder::Proposed => (KeyValue::instant(row.proposed_at), row.id),
            MatchOrder::RespondBy | MatchOrder::UpdatedAt => {
                (KeyValue::date(row.respond_by), row.id)
            }
        },
    )
    .await
}

/// How many matches the caller sees with the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &MatchFilter,
) -> DomainResult<u64> {
    Ok(select(db, caller, filter).await?.count(db).await?)
}

/// The matches of these ids the caller sees, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<matching::Model>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let scope = scope_of(db, &caller.actor).await?;
    find_in_order::<matching::Entity, _>(
        db,
        matching::Column::Id,
        ids,
        visible(scope).into_condition(),
        |row| row.id,
    )
    .await
}

/// Completed engagements, newest first, with their total minutes: the evidence a
/// deemed-attendance claim cites.
#[derive(Debug, Clone, Default)]
pub struct Engagements {
    pub matches: Vec<matching::Model>,
    pub minutes: i64,
}

/// The completed engagements of these specialists, by specialist id, for those the caller
/// may see them for (registry staff: all; a specialist: their own); two statements.
pub async fn completed_of<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_ids: &[i64],
) -> DomainResult<std::collections::HashMap<i64, Engagements>> {
    let own = crate::domain::registry::own_specialist_id(db, &caller.actor).await?;
    let allowed: Vec<i64> = specialist_ids
        .iter()
        .copied()
        .filter(|id| caller.actor.is_registry_staff() || own == Some(*id))
        .collect();
    let mut by_specialist: std::collections::HashMap<i64, Engagements> = allowed
        .iter()
        .map(|id| (*id, Engagements::default()))
        .collect();
    if allowed.is_empty() {
        return Ok(by_specialist);
    }
    let mut rows = Vec::new();
    for chunk in allowed.chunks(CHUNK) {
        rows.extend(
            matching::Entity::find()
                .filter(matching::Column::SpecialistId.is_in(chunk.to_vec()))
                .filter(matching::Column::Status.eq(MatchStatus::Completed.as_str()))
                .all(db)
                .await?,
        );
    }
    rows.sort_by(|a, b| b.completed_on.cmp(&a.completed_on).then(b.id.cmp(&a.id)));
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut minutes: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for session in super::sessions::sessions_of(db, &ids).await? {
        if session.withdrawn_at.is_none() {
            *minutes.entry(session.match_id).or_default() += i64::from(session.minutes);
        }
    }
    for row in rows {
        let entry = by_specialist.entry(row.specialist_id).or_default();
        entry.minutes += minutes.get(&row.id).copied().unwrap_or(0);
        entry.matches.push(row);
    }
    Ok(by_specialist)
}

/// Of `match_ids`, those that are completed matches of the specialist.
pub async fn completed_among<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    match_ids: &[i64],
) -> DomainResult<Vec<i64>> {
    Ok(matching::Entity::find()
        .select_only()
        .column(matching::Column::Id)
        .filter(matching::Column::Id.is_in(match_ids.to_vec()))
        .filter(matching::Column::SpecialistId.eq(specialist_id))
        .filter(matching::Column::Status.eq(MatchStatus::Completed.as_str()))
        .into_tuple()
        .all(db)
        .await?)
}
