//! Optimistic concurrency for records with `version` and `updated_at` columns: a write lands
//! only on the version that was read.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::error::{DomainError, DomainResult};

/// A versioned table: its id, version and update-time columns, the input field a stale
/// write is blamed on, and what the record is called in messages.
pub struct Versioned<E: EntityTrait> {
    pub id: E::Column,
    pub version: E::Column,
    pub updated_at: E::Column,
    /// The input field to name in a conflict (`input.cycleId`).
    pub field: &'static str,
    /// What the record is (`renewal cycle`).
    pub what: &'static str,
}

impl<E: EntityTrait> Versioned<E> {
    /// Writes `changes` to the record `id` if it is still at `version`, bumping the version
    /// and the update time, and returns the record as written. A concurrent change that got
    /// there first makes this a `Conflict`, and the caller's transaction writes nothing.
    pub async fn save<C, A>(
        &self,
        db: &C,
        (id, version): (i64, i32),
        mut changes: A,
        now: chrono::DateTime<Utc>,
    ) -> DomainResult<E::Model>
    where
        C: ConnectionTrait,
        A: ActiveModelTrait<Entity = E>,
    {
        changes.set(self.version, (version + 1).into());
        changes.set(self.updated_at, now.into());
        let result = E::update_many()
            .set(changes)
            .filter(self.id.eq(id))
            .filter(self.version.eq(version))
            .exec(db)
            .await?;
        if result.rows_affected != 1 {
            return Err(DomainError::conflict(
                self.field,
                format!(
                    "the {} changed while this was being saved; read it again and retry",
                    self.what
                ),
            ));
        }
        E::find()
            .filter(self.id.eq(id))
            .one(db)
            .await?
            .ok_or(DomainError::NotFound {
                entity: self.what,
                field: "id",
            })
    }
}
