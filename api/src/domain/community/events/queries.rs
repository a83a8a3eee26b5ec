//! Reads of community events: the list, counts, batches by id and the RSVPs of events.

use super::super::{
    members::viewer,
    types::{EventStatus, Visibility},
};
use crate::domain::{
    CHUNK, Caller, DomainResult, find_in_order,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
};
use chrono::{DateTime, Utc};
use entities::{community_event, event_rsvp};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Select,
};
use std::collections::HashMap;

/// Filters of the event list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Events starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Events starting before this instant.
    pub until: Option<DateTime<Utc>>,
    pub include_cancelled: bool,
}

fn select(filter: &EventFilter) -> Select<community_event::Entity> {
    let mut select = community_event::Entity::find();
    if let Some(from) = filter.from {
        select = select.filter(community_event::Column::StartsAt.gte(from));
    }
    if let Some(until) = filter.until {
        select = select.filter(community_event::Column::StartsAt.lt(until));
    }
    if !filter.include_cancelled {
        select = select.filter(community_event::Column::Status.eq(EventStatus::Scheduled.as_str()));
    }
    select
}

/// A page of events, soonest first. Public.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &EventFilter,
    args: &PageArgs,
) -> DomainResult<Page<community_event::Model>> {
    let keys = [
        SortKey {
            column: community_event::Column::StartsAt,
            kind: KeyKind::Instant,
        },
        SortKey {
            column: community_event::Column::Id,
            kind: KeyKind::Int,
        },
    ];
    paginate(
        db,
        select(filter),
        "STARTS_AT_ASC",
        &keys,
        true,
        args,
        |row| vec![KeyValue::instant(row.starts_at), KeyValue::Int(row.id)],
    )
    .await
}

pub async fn count<C: ConnectionTrait>(db: &C, filter: &EventFilter) -> DomainResult<u64> {
    Ok(select(filter).count(db).await?)
}

/// Events by id (public), in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<Option<community_event::Model>>> {
    find_in_order::<community_event::Entity, _>(
        db,
        community_event::Column::Id,
        ids,
        Condition::all(),
        |e| e.id,
    )
    .await
}

/// The RSVPs of each event the caller may see: all for camp staff, their own for a person,
/// none for anybody else. Waitlisted ones in queue order.
pub async fn rsvps_of<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    event_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<event_rsvp::Model>>> {
    let viewer = viewer(db, caller).await?;
    let mut condition = Condition::all();
    if viewer.rank < Visibility::Staff.rank() {
        match viewer.person_id {
            Some(me) => condition = condition.add(event_rsvp::Column::PersonId.eq(me)),
            None => return Ok(HashMap::new()),
        }
    }
    let mut found: HashMap<i64, Vec<event_rsvp::Model>> = HashMap::new();
    for chunk in event_ids.chunks(CHUNK) {
        for row in event_rsvp::Entity::find()
            .filter(condition.clone())
            .filter(event_rsvp::Column::EventId.is_in(chunk.to_vec()))
            .order_by_asc(event_rsvp::Column::EventId)
            .order_by_asc(event_rsvp::Column::UpdatedAt)
            .order_by_asc(event_rsvp::Column::Id)
            .all(db)
            .await?
        {
            found.entry(row.event_id).or_default().push(row);
        }
    }
    Ok(found)
}
