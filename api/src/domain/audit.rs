//! The audit trail: one append-only row per change, written in the change's transaction.

use crate::domain::permissions;
use chrono::{DateTime, Utc};
use entities::audit_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use super::{
    Caller, Visible,
    error::{DomainResult, Violations},
    find_in_order,
    pagination::{Direction, Page, PageArgs, paginate_by_id},
};

/// What was changed, for the audit trail.
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub details: serde_json::Value,
}

/// `text`, cut to at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Appends one audit event for `caller`. Call it inside the transaction of the change.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    entry: AuditEntry<'_>,
) -> DomainResult<()> {
    // Within the columns' widths on every database: an over-long subject or target must
    // not make the change it records fail.
    audit_event::ActiveModel {
        occurred_at: Set(caller.now()),
        actor_subject: Set(clip(caller.actor.subject(), 200)),
        actor_role: Set(clip(caller.actor.role_label(), 40)),
        actor_client_id: Set(caller.actor.client_id().map(|c| clip(c, 200))),
        action: Set(clip(entry.action, 80)),
        target_type: Set(clip(entry.target_type, 60)),
        target_id: Set(clip(&entry.target_id, 64)),
        request_id: Set(caller.request_id.as_deref().map(|id| clip(id, 64))),
        details: Set(entry.details),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The action of an audit event that records a refused attempt.
pub const REFUSED: &str = "refused";

/// Records a refused attempt: who (the caller as far as known), what (the operation's
/// name, never its values) and why (the code and the reason given to the caller). Written
/// on its own: the refused request itself changed nothing.
pub async fn record_refusal<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    operation: &str,
    code: &str,
    reason: &str,
) -> DomainResult<()> {
    record(
        db,
        caller,
        AuditEntry {
            action: REFUSED,
            target_type: "Operation",
            target_id: operation.to_owned(),
            details: serde_json::json!({ "code": code, "reason": clip(reason, 300) }),
        },
    )
    .await
}

/// Filters of the audit trail; every one narrows it.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Any of these actors (their `sub`).
    pub actors: Vec<String>,
    /// Any of these actions (`registry.register`, `refused`, …).
    pub actions: Vec<String>,
    /// What the events are about: any of these types (`Specialist`), and optionally
    /// any of these keys.
    pub target_types: Vec<String>,
    pub target_ids: Vec<String>,
    /// Occurred at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Occurred before this instant.
    pub until: Option<DateTime<Utc>>,
}

/// The most values one list of the filter names (actors, actions, types, keys).
pub const MAX_FILTER_ACTIONS: usize = 50;

fn select(
    caller: &Caller,
    filter: &AuditFilter,
) -> DomainResult<sea_orm::Select<audit_event::Entity>> {
    caller.actor.allow(&permissions::READ_AUDIT_TRAIL)?;
    let mut v = Violations::default();
    for (field, len) in [
        ("filter.actors", filter.actors.len()),
        ("filter.actions", filter.actions.len()),
        ("filter.target_types", filter.target_types.len()),
        ("filter.target_ids", filter.target_ids.len()),
    ] {
        if len > MAX_FILTER_ACTIONS {
            v.push(field, format!("name at most {MAX_FILTER_ACTIONS} values"));
        }
    }
    if let (Some(from), Some(until)) = (filter.from, filter.until)
        && from >= until
    {
        v.push("filter.until", "must be after from");
    }
    if !filter.target_ids.is_empty() && filter.target_types.is_empty() {
        v.push("filter.target_ids", "name the targets' types as well");
    }
    v.into_result()?;
    use audit_event::Column as C;
    let visible = Visible::everything()
        .and_some(
            (!filter.actors.is_empty())
                .then(|| C::ActorSubject.is_in(filter.actors.iter().map(String::as_str))),
        )
        .and_some(
            (!filter.actions.is_empty())
                .then(|| C::Action.is_in(filter.actions.iter().map(String::as_str))),
        )
        .and_some(
            (!filter.target_types.is_empty())
                .then(|| C::TargetType.is_in(filter.target_types.iter().map(String::as_str))),
        )
        .and_some(
            (!filter.target_ids.is_empty())
                .then(|| C::TargetId.is_in(filter.target_ids.iter().map(String::as_str))),
        )
        .and_some(filter.from.map(|from| C::OccurredAt.gte(from)))
        .and_some(filter.until.map(|until| C::OccurredAt.lt(until)));
    Ok(audit_event::Entity::find().filter(visible))
}

/// A page of the audit trail, newest first. Administrators only.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &AuditFilter,
    args: &PageArgs,
) -> DomainResult<Page<audit_event::Model>> {
    paginate_by_id(
        db,
        select(caller, filter)?,
        audit_event::Column::Id,
        Direction::Descending,
        args,
        |row| row.id,
    )
    .await
}

/// How many events of the trail match the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &AuditFilter,
) -> DomainResult<u64> {
    Ok(select(caller, filter)?.count(db).await?)
}

/// Audit events by id, for `node`: administrators only, others see none.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<audit_event::Model>>> {
    if caller.actor.allow(&permissions::READ_AUDIT_TRAIL).is_err() {
        return Ok(vec![None; ids.len()]);
    }
    find_in_order::<audit_event::Entity, _>(
        db,
        audit_event::Column::Id,
        ids,
        sea_orm::Condition::all(),
        |row| row.id,
    )
    .await
}
