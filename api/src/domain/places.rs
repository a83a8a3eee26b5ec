//! Places held against a capacity (a specialist's engagements, a track's or a cohort's
//! selected applicants, an event's RSVPs): a count column raised only by one conditional
//! update that checks the capacity column of the same row, so concurrent writers queue on
//! the row and can never overfill it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use super::error::DomainResult;

/// A table whose rows hold places: its id, count and capacity columns, and its update
/// time when it keeps one (a place taken or given back changes what the row shows, so a
/// mirror syncing by update time must see it).
pub struct Places<E: EntityTrait> {
    pub id: E::Column,
    pub held: E::Column,
    pub capacity: E::Column,
    pub updated_at: Option<E::Column>,
}

impl<E: EntityTrait> Places<E> {
    /// Takes one place on row `id` at `now` if one is left; whether it did.
    pub async fn take<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i64,
        now: DateTime<Utc>,
    ) -> DomainResult<bool> {
        let mut update = E::update_many().col_expr(self.held, Expr::col(self.held).add(1));
        if let Some(updated_at) = self.updated_at {
            update = update.col_expr(updated_at, Expr::value(now));
        }
        let result = update
            .filter(self.id.eq(id))
            .filter(Expr::col(self.held).lt(Expr::col(self.capacity)))
            .exec(db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Gives one place on row `id` back at `now` (never below zero).
    pub async fn release<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i64,
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        let mut update = E::update_many().col_expr(self.held, Expr::col(self.held).sub(1));
        if let Some(updated_at) = self.updated_at {
            update = update.col_expr(updated_at, Expr::value(now));
        }
        update
            .filter(self.id.eq(id))
            .filter(self.held.gt(0))
            .exec(db)
            .await?;
        Ok(())
    }
}
