//! Status changes, appended to a history that is never rewritten.

use crate::domain::registry::permissions;
use chrono::NaiveDate;
use entities::specialist;
use sea_orm::{DatabaseConnection, Set};
use serde_json::json;

use crate::domain::{
    Caller, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    hooks,
    registry::{
        queries::StatusChange,
        types::{SpecialistStatus, parse_name},
        views::SpecialistView,
    },
};

use super::{append_status, check_version, full_view, load, write_if_unchanged};

/// A status change as asked for by registry staff.
#[derive(Debug, Clone)]
pub struct StatusChangeRequest {
    pub id: i64,
    pub status: SpecialistStatus,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub expected_version: Option<i32>,
}

/// Moves a registration to a new status (registry staff only), appending to its history.
/// The history is never rewritten: a change may not take effect before the latest one, nor
/// in the future.
pub async fn change_status(
    db: &DatabaseConnection,
    caller: &Caller,
    request: StatusChangeRequest,
) -> DomainResult<(SpecialistView, StatusChange)> {
    caller.actor.allow(&permissions::CHANGE_STATUS)?;
    let mut v = Violations::default();
    let reason = v.check(
        "reason",
        parse_name(&request.reason).and_then(|r| {
            if r.chars().count() > 1000 {
                Err("must be at most 1000 characters".into())
            } else {
                Ok(r)
            }
        }),
    );
    if request.effective_on > caller.today() {
        v.push(
            "effective_on",
            "must not be in the future (dates are in Japan)",
        );
    }
    v.into_result()?;
    let reason = reason.unwrap_or_default();

    let txn = begin_write(db).await?;
    let row = load(&txn, request.id).await?;
    if let Some(expected) = request.expected_version {
        check_version(&row, expected)?;
    }
    let current = row.status;
    let mut v = Violations::default();
    if !current.can_become(request.status) {
        v.push(
            "status",
            if current == request.status {
                format!("the registration is already {}", current.as_str())
            } else {
                format!(
                    "a {} registration cannot change status; register the person again",
                    current.as_str()
                )
            },
        );
    }
    if request.effective_on < row.status_since {
        v.push(
            "effective_on",
            format!(
                "must not be before the current status took effect ({})",
                row.status_since
            ),
        );
    }
    v.into_result()?;

    let changes = specialist::ActiveModel {
        status: Set(request.status),
        status_since: Set(request.effective_on),
        ..Default::default()
    };
    let row = write_if_unchanged(&txn, caller, changes, (row.id, row.version), None).await?;
    let event = append_status(
        &txn,
        caller,
        row.id,
        request.status,
        request.effective_on,
        &reason,
    )
    .await?;
    hooks::specialist_status_changed(
        &txn,
        row.id,
        request.status,
        request.effective_on,
        caller.now(),
    )
    .await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "specialist.change_status",
            target_type: "Specialist",
            target_id: row.registration_number.clone(),
            details: json!({
                "from": current.as_str(),
                "to": request.status.as_str(),
                "effectiveOn": request.effective_on,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((full_view(row), event.into()))
}
