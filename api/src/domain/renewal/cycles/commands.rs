//! The renewal application (the specialist's) and the decision on it (registry staff's).

use crate::domain::renewal::permissions;

use chrono::Days;
use entities::renewal_cycle;
use sea_orm::{ConnectionTrait, DatabaseConnection, Set};
use serde_json::json;

use super::super::types::CycleState;
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write, hooks,
    registry::own_specialist_id,
    versioned::Versioned,
};

use super::{APPLICATION_WINDOW_DAYS, CycleView, load, open_cycle, queries::may_read};

/// Loads a cycle the caller may act on, inside a transaction; `NotFound` for another
/// person's cycle, as if it did not exist.
async fn load_for<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
) -> DomainResult<renewal_cycle::Model> {
    let row = load(db, id).await?;
    let own = own_specialist_id(db, &caller.actor).await?;
    if !may_read(&caller.actor, own, row.specialist_id) {
        return Err(DomainError::NotFound {
            entity: "renewal cycle",
            field: "cycle_id",
        });
    }
    Ok(row)
}

/// Applies for renewal of the caller's own cycle, inside the application window (from
/// [`APPLICATION_WINDOW_DAYS`] before the application deadline to the deadline) and once
/// every requirement is satisfied.
pub async fn apply(
    db: &DatabaseConnection,
    caller: &Caller,
    cycle_id: i64,
) -> DomainResult<CycleView> {
    caller.actor.allow(&permissions::APPLY_FOR_RENEWAL)?;
    let today = caller.today();
    let txn = begin_write(db).await?;
    let row = load_for(&txn, caller, cycle_id).await?;
    let field = "cycle_id";
    if row.state != CycleState::Open {
        return Err(DomainError::invalid(field, "the cycle is closed"));
    }
    if row.applied_on.is_some() {
        return Err(DomainError::conflict(
            field,
            "an application for this cycle is already waiting for a decision",
        ));
    }
    let opens = row
        .application_due_on
        .checked_sub_days(Days::new(APPLICATION_WINDOW_DAYS))
        .unwrap_or(row.starts_on);
    if today < opens {
        return Err(DomainError::invalid(
            field,
            format!("the application window opens on {opens}"),
        ));
    }
    if today > row.application_due_on {
        return Err(DomainError::invalid(
            field,
            format!(
                "the application deadline was {}; ask the registry office",
                row.application_due_on
            ),
        ));
    }
    if row.missing_requirements > 0 {
        return Err(DomainError::invalid(
            field,
            format!(
                "{} requirement(s) of the cycle are not yet satisfied",
                row.missing_requirements
            ),
        ));
    }
    let updated = save_cycle(
        &txn,
        &row,
        renewal_cycle::ActiveModel {
            applied_on: Set(Some(today)),
            ..Default::default()
        },
        caller.now(),
    )
    .await?;
    audit_cycle(&txn, caller, "renewal.apply", &updated, json!({})).await?;
    txn.commit().await?;
    Ok(CycleView::new(updated, today))
}

/// A staff decision on a renewal application.
#[derive(Debug, Clone)]
pub enum Decision {
    Renew,
    Refuse { reason: String },
}

/// Decides a pending application (registry staff). Renewing closes the cycle as
/// `RENEWED` and opens the next one the day after it ends; refusing records the reason
/// and lets the specialist apply again while the window is open.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    cycle_id: i64,
    decision: Decision,
) -> DomainResult<(CycleView, Option<CycleView>)> {
    caller.actor.allow(&permissions::DECIDE_RENEWALS)?;
    if let Decision::Refuse { reason } = &decision
        && (reason.trim().is_empty() || reason.chars().count() > 1000)
    {
        return Err(DomainError::invalid(
            "reason",
            "a refusal needs a reason of 1–1000 characters",
        ));
    }
    let today = caller.today();
    let txn = begin_write(db).await?;
    let row = load(&txn, cycle_id).await?;
    if row.state != CycleState::Open || row.applied_on.is_none() {
        return Err(DomainError::invalid(
            "cycle_id",
            "the cycle has no application waiting for a decision",
        ));
    }
    let (updated, next) = match &decision {
        Decision::Renew => {
            if row.missing_requirements > 0 {
                return Err(DomainError::invalid(
                    "decision",
                    "the cycle still misses requirements; refuse or wait",
                ));
            }
            let updated = save_cycle(
                &txn,
                &row,
                renewal_cycle::ActiveModel {
                    state: Set(CycleState::Renewed),
                    closed_on: Set(Some(today)),
                    ..Default::default()
                },
                caller.now(),
            )
            .await?;
            let next_start = row
                .ends_on
                .checked_add_days(Days::new(1))
                .ok_or_else(|| DomainError::invalid("cycle_id", "out of range"))?;
            let next = open_cycle(
                &txn,
                row.specialist_id,
                row.sequence + 1,
                next_start,
                caller.now(),
            )
            .await?;
            (updated, Some(next))
        }
        Decision::Refuse { reason } => {
            let updated = save_cycle(
                &txn,
                &row,
                renewal_cycle::ActiveModel {
                    applied_on: Set(None),
                    refused_on: Set(Some(today)),
                    refusal_reason: Set(Some(reason.trim().to_owned())),
                    ..Default::default()
                },
                caller.now(),
            )
            .await?;
            (updated, None)
        }
    };
    audit_cycle(
        &txn,
        caller,
        "renewal.decide",
        &updated,
        json!({ "renewed": next.is_some() }),
    )
    .await?;
    txn.commit().await?;
    Ok((
        CycleView::new(updated, today),
        next.map(|n| CycleView::new(n, today)),
    ))
}

/// Writes `changes` to the cycle if it is still at the version `row` was read at, bumping
/// the version; a concurrent change that got there first makes this a `Conflict` (and the
/// caller's transaction writes nothing).
pub(super) async fn save_cycle<C: ConnectionTrait>(
    db: &C,
    row: &renewal_cycle::Model,
    changes: renewal_cycle::ActiveModel,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<renewal_cycle::Model> {
    let saved = Versioned::<renewal_cycle::Entity> {
        id: renewal_cycle::Column::Id,
        version: renewal_cycle::Column::Version,
        updated_at: renewal_cycle::Column::UpdatedAt,
        field: "cycle_id",
        what: "renewal cycle",
    }
    .save(db, (row.id, row.version), changes, now)
    .await?;
    hooks::standing_changed(db, &[row.specialist_id], now).await?;
    Ok(saved)
}

async fn audit_cycle<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    cycle: &renewal_cycle::Model,
    details: serde_json::Value,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "RenewalCycle",
            target_id: cycle.id.to_string(),
            details,
        },
    )
    .await
}
