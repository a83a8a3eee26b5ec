//! The audit trail: one append-only row per change, written in the change's transaction.

use chrono::Utc;
use entities::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::{Caller, error::DomainResult};

/// What was changed, for the audit trail.
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub details: serde_json::Value,
}

/// Appends one audit event for `caller`. Call it inside the transaction of the change.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    entry: AuditEntry<'_>,
) -> DomainResult<()> {
    audit_event::ActiveModel {
        occurred_at: Set(Utc::now()),
        actor_subject: Set(caller.actor.subject().to_owned()),
        actor_role: Set(caller.actor.role_label().to_owned()),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        request_id: Set(caller.request_id.clone()),
        details: Set(entry.details),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
