//! Writes on community events: creating and cancelling them, RSVPs within the seats
//! left, and the attendance record.

use super::super::{
    members::is_member,
    types::{EventStatus, RsvpStatus},
};
use crate::domain::community::permissions;
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    camp::people,
    error::Violations,
    find_in_order,
    places::Places,
    prefecture::PrefectureCode,
    registry::types::{parse_optional_text, parse_required_text},
};
use chrono::{DateTime, Utc};
use entities::{community_event, event_rsvp};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde_json::json;
use std::collections::HashMap;

use super::{VERSIONED, rsvp_status, status_of};

/// An event as staff give it.
#[derive(Debug, Clone)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub online: bool,
    pub place: Option<String>,
    pub prefecture: Option<String>,
    pub capacity: i32,
}

/// Schedules an event (camp staff). It must start in the future.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: EventInput,
) -> DomainResult<community_event::Model> {
    caller.actor.allow(&permissions::SCHEDULE_EVENTS)?;
    let mut v = Violations::default();
    let title = v.check("title", parse_required_text(&input.title, 200));
    let description = v.check("description", parse_optional_text(&input.description, 4000));
    let place = match &input.place {
        Some(place) => v.check("place", parse_optional_text(place, 200)).flatten(),
        None => None,
    };
    let prefecture = match &input.prefecture {
        Some(code) => v
            .check("prefecture", PrefectureCode::parse(code))
            .map(|p| p.as_str().to_owned()),
        None => None,
    };
    if !input.online && place.is_none() {
        v.push("place", "is required for an event held in person");
    }
    if input.starts_at <= caller.now() {
        v.push("starts_at", "must be in the future");
    }
    if input.ends_at <= input.starts_at {
        v.push("ends_at", "must be after the start");
    }
    if !(1..=10_000).contains(&input.capacity) {
        v.push("capacity", "must be from 1 to 10,000");
    }
    v.into_result()?;
    let txn = begin_write(db).await?;
    let now = caller.now();
    let row = community_event::ActiveModel {
        title: Set(title.unwrap_or_default()),
        description: Set(description.flatten().unwrap_or_default()),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        online: Set(input.online),
        place: Set(place),
        prefecture_code: Set(prefecture),
        capacity: Set(input.capacity),
        going_count: Set(0),
        status: Set(EventStatus::Scheduled),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_event(&txn, caller, "community.event.create", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Calls off an event that has not started (camp staff).
pub async fn cancel(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
) -> DomainResult<community_event::Model> {
    caller.actor.allow(&permissions::CANCEL_EVENTS)?;
    let txn = begin_write(db).await?;
    let event = community_event::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "event",
            field: "event_id",
        })?;
    if status_of(&event) == EventStatus::Cancelled || event.starts_at <= caller.now() {
        return Err(DomainError::invalid(
            "event_id",
            "only a scheduled event that has not started can be cancelled",
        ));
    }
    let changes = community_event::ActiveModel {
        status: Set(EventStatus::Cancelled),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_event(&txn, caller, "community.event.cancel", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// The places of an event held by members going.
const SEATS: Places<community_event::Entity> = Places {
    id: community_event::Column::Id,
    held: community_event::Column::GoingCount,
    capacity: community_event::Column::Capacity,
    updated_at: Some(community_event::Column::UpdatedAt),
};

/// Answers an event (a current member, for themselves): `GOING` while places are left,
/// `WAITLISTED` after.
pub async fn rsvp(
    db: &DatabaseConnection,
    caller: &Caller,
    event_id: i64,
) -> DomainResult<event_rsvp::Model> {
    let person = people::require_own(db, caller).await?;
    if !is_member(db, person.id).await? {
        return Err(DomainError::invalid(
            "event_id",
            "community events are for members: join the community first",
        ));
    }
    let txn = begin_write(db).await?;
    let event = community_event::Entity::find_by_id(event_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "event",
            field: "event_id",
        })?;
    if status_of(&event) != EventStatus::Scheduled || event.starts_at <= caller.now() {
        return Err(DomainError::invalid(
            "event_id",
            "the event is cancelled or has started",
        ));
    }
    let existing = event_rsvp::Entity::find()
        .filter(event_rsvp::Column::EventId.eq(event_id))
        .filter(event_rsvp::Column::PersonId.eq(person.id))
        .one(&txn)
        .await?;
    if let Some(existing) = &existing
        && rsvp_status(existing) != RsvpStatus::Cancelled
    {
        return Err(DomainError::conflict(
            "event_id",
            format!("you have already answered this event: {}", existing.status),
        ));
    }
    let status = if SEATS.take(&txn, event_id, caller.now()).await? {
        RsvpStatus::Going
    } else {
        RsvpStatus::Waitlisted
    };
    let now = caller.now();
    let row = match existing {
        Some(existing) => {
            let mut active: event_rsvp::ActiveModel = existing.into();
            active.status = Set(status);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => event_rsvp::ActiveModel {
            event_id: Set(event_id),
            person_id: Set(person.id),
            status: Set(status),
            attended: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|err| {
            DomainError::from_db_unique(err, "event_id", "you have already answered this event")
        })?,
    };
    audit_rsvp(&txn, caller, "community.event.rsvp", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Cancels the caller's RSVP. A place it held goes to the longest-waiting member.
pub async fn cancel_rsvp(
    db: &DatabaseConnection,
    caller: &Caller,
    event_id: i64,
) -> DomainResult<event_rsvp::Model> {
    let person = people::require_own(db, caller).await?;
    let txn = begin_write(db).await?;
    let row = event_rsvp::Entity::find()
        .filter(event_rsvp::Column::EventId.eq(event_id))
        .filter(event_rsvp::Column::PersonId.eq(person.id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "RSVP",
            field: "event_id",
        })?;
    let was = rsvp_status(&row);
    if was == RsvpStatus::Cancelled {
        return Err(DomainError::invalid(
            "event_id",
            "your RSVP is already cancelled",
        ));
    }
    let now = caller.now();
    let mut active: event_rsvp::ActiveModel = row.into();
    active.status = Set(RsvpStatus::Cancelled);
    active.updated_at = Set(now);
    let row = active.update(&txn).await?;
    if was == RsvpStatus::Going {
        SEATS.release(&txn, event_id, caller.now()).await?;
        let next = event_rsvp::Entity::find()
            .filter(event_rsvp::Column::EventId.eq(event_id))
            .filter(event_rsvp::Column::Status.eq(RsvpStatus::Waitlisted.as_str()))
            .order_by_asc(event_rsvp::Column::UpdatedAt)
            .order_by_asc(event_rsvp::Column::Id)
            .one(&txn)
            .await?;
        if let Some(next) = next
            && SEATS.take(&txn, event_id, caller.now()).await?
        {
            let mut promoted: event_rsvp::ActiveModel = next.into();
            promoted.status = Set(RsvpStatus::Going);
            promoted.updated_at = Set(now);
            let promoted = promoted.update(&txn).await?;
            audit_rsvp(&txn, caller, "community.event.promote", &promoted).await?;
        }
    }
    audit_rsvp(&txn, caller, "community.event.cancel_rsvp", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Records who attended (camp staff), once the event has started. Every person named must
/// hold a place (`GOING`); otherwise nothing is written.
pub async fn record_attendance(
    db: &DatabaseConnection,
    caller: &Caller,
    event_id: i64,
    person_ids: &[i64],
    attended: bool,
) -> DomainResult<Vec<event_rsvp::Model>> {
    caller.actor.allow(&permissions::RECORD_ATTENDANCE)?;
    if person_ids.is_empty() || person_ids.len() > 10_000 {
        return Err(DomainError::invalid(
            "person_ids",
            "name 1 to 10,000 people",
        ));
    }
    let txn = begin_write(db).await?;
    let event = community_event::Entity::find_by_id(event_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "event",
            field: "event_id",
        })?;
    if status_of(&event) != EventStatus::Scheduled || event.starts_at > caller.now() {
        return Err(DomainError::invalid(
            "event_id",
            "attendance is recorded once a scheduled event has started",
        ));
    }
    let mut going: HashMap<i64, event_rsvp::Model> = HashMap::new();
    for chunk in person_ids.chunks(CHUNK) {
        for row in event_rsvp::Entity::find()
            .filter(event_rsvp::Column::EventId.eq(event_id))
            .filter(event_rsvp::Column::PersonId.is_in(chunk.to_vec()))
            .filter(event_rsvp::Column::Status.eq(RsvpStatus::Going.as_str()))
            .all(&txn)
            .await?
        {
            going.insert(row.person_id, row);
        }
    }
    let mut v = Violations::default();
    for (i, person) in person_ids.iter().enumerate() {
        if !going.contains_key(person) {
            v.push(
                &format!("person_ids.{i}"),
                "did not hold a place at this event",
            );
        }
    }
    v.into_result()?;
    // In the order the people were named (each once).
    let mut ids: Vec<i64> = Vec::with_capacity(going.len());
    for person in person_ids {
        if let Some(rsvp) = going.remove(person) {
            ids.push(rsvp.id);
        }
    }
    for chunk in ids.chunks(CHUNK) {
        event_rsvp::Entity::update_many()
            .col_expr(event_rsvp::Column::Attended, Expr::value(attended))
            .col_expr(event_rsvp::Column::UpdatedAt, Expr::value(caller.now()))
            .filter(event_rsvp::Column::Id.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "community.event.attendance",
            target_type: "CommunityEvent",
            target_id: event_id.to_string(),
            details: json!({ "people": person_ids.len(), "attended": attended }),
        },
    )
    .await?;
    let rows = find_in_order::<event_rsvp::Entity, _>(
        &txn,
        event_rsvp::Column::Id,
        &ids,
        Condition::all(),
        |r| r.id,
    )
    .await?
    .into_iter()
    .flatten()
    .collect();
    txn.commit().await?;
    Ok(rows)
}

async fn audit_event<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &community_event::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "CommunityEvent",
            target_id: row.id.to_string(),
            details: json!({ "status": row.status, "capacity": row.capacity }),
        },
    )
    .await
}

async fn audit_rsvp<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &event_rsvp::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "EventRsvp",
            target_id: row.id.to_string(),
            details: json!({ "eventId": row.event_id, "status": row.status }),
        },
    )
    .await
}
