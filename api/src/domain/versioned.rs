//! Optimistic concurrency for records with a `version` column: a write lands only on the
//! version that was read.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::error::{DomainError, DomainResult};

/// A versioned record: its id and version columns and the field a stale write is blamed on.
pub struct Versioned<E: EntityTrait> {
    pub id: E::Column,
    pub version: E::Column,
    /// The input field to name in a conflict (`input.cycleId`).
    pub field: &'static str,
    /// What the record is, for the message (`renewal cycle`).
    pub what: &'static str,
}

impl<E: EntityTrait> Versioned<E> {
    /// Writes `changes` (which should set the next version) to the record `id` only if it
    /// is still at `version`; otherwise a `Conflict`, and the caller's transaction writes
    /// nothing.
    pub async fn write<C, A>(&self, db: &C, id: i64, version: i32, changes: A) -> DomainResult<()>
    where
        C: ConnectionTrait,
        A: ActiveModelTrait<Entity = E>,
    {
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
        Ok(())
    }
}
