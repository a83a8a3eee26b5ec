//! Security Camp programs and their eligibility rules, kept as data: an age range on a
//! cohort's first day, and whether a program may be completed only once.

use crate::domain::camp::permissions;
use entities::camp_program;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set};
use serde_json::json;

use crate::domain::{
    Caller, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    registry::types::{parse_optional_text, parse_required_text},
    versioned::Versioned,
};

/// Changes to a program; `None` leaves a field as it is. The age limits are
/// `Some(None)` to remove them.
#[derive(Debug, Clone, Default)]
pub struct ProgramChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub min_age: Option<Option<i32>>,
    pub max_age: Option<Option<i32>>,
    pub attend_once: Option<bool>,
}

/// Every program, in a fixed order. Public.
pub async fn list<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<camp_program::Model>> {
    Ok(camp_program::Entity::find()
        .order_by_asc(camp_program::Column::Id)
        .all(db)
        .await?)
}

const VERSIONED: Versioned<camp_program::Entity> = Versioned {
    id: camp_program::Column::Id,
    version: camp_program::Column::Version,
    updated_at: camp_program::Column::UpdatedAt,
    field: "expected_version",
    what: "camp program",
};

fn age(v: &mut Violations, field: &str, value: Option<i32>) -> Option<i16> {
    let value = value?;
    match i16::try_from(value) {
        Ok(age) if (6..=99).contains(&age) => Some(age),
        _ => {
            v.push(field, "must be an age from 6 to 99, or null for no limit");
            None
        }
    }
}

/// Changes a program's name, description or eligibility rules (camp staff). New rules
/// apply to applications made from now on.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    changes: ProgramChanges,
) -> DomainResult<camp_program::Model> {
    caller.actor.allow(&permissions::CHANGE_PROGRAMS)?;
    let mut v = Violations::default();
    let name = changes
        .name
        .as_deref()
        .and_then(|n| v.check("name", parse_required_text(n, 200)));
    let description = changes
        .description
        .as_deref()
        .and_then(|d| v.check("description", parse_optional_text(d, 2000)));
    let min_age = changes.min_age.map(|a| age(&mut v, "min_age", a));
    let max_age = changes.max_age.map(|a| age(&mut v, "max_age", a));
    v.into_result()?;
    let txn = begin_write(db).await?;
    let current = camp_program::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(crate::domain::DomainError::NotFound {
            entity: "camp program",
            field: "id",
        })?;
    let (lowest, highest) = (
        min_age.unwrap_or(current.min_age),
        max_age.unwrap_or(current.max_age),
    );
    if let (Some(lowest), Some(highest)) = (lowest, highest)
        && lowest > highest
    {
        return Err(crate::domain::DomainError::invalid(
            "min_age",
            format!("the youngest age ({lowest}) is above the oldest ({highest})"),
        ));
    }
    let mut row = <camp_program::ActiveModel as Default>::default();
    if let Some(name) = name {
        row.name = Set(name);
    }
    if let Some(description) = description {
        row.description = Set(description.unwrap_or_default());
    }
    if min_age.is_some() {
        row.min_age = Set(lowest);
    }
    if max_age.is_some() {
        row.max_age = Set(highest);
    }
    if let Some(once) = changes.attend_once {
        row.attend_once = Set(once);
    }
    let row = VERSIONED
        .save(&txn, (id, expected_version), row, caller.now())
        .await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "camp_program.update",
            target_type: "CampProgram",
            target_id: row.kind.to_string(),
            details: json!({ "minAge": row.min_age, "maxAge": row.max_age, "attendOnce": row.attend_once }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Programs by id (public), in no particular order.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<camp_program::Model>> {
    let found = crate::domain::find_in_order::<camp_program::Entity, _>(
        db,
        camp_program::Column::Id,
        ids,
        sea_orm::Condition::all(),
        |row| row.id,
    )
    .await?;
    Ok(found.into_iter().flatten().collect())
}
