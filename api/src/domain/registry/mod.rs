//! The registry of Registered Information Security Specialists (登録セキスペ).

pub mod commands;
pub mod permissions;
pub mod queries;
pub mod seed;
pub mod types;
pub mod views;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &["specialist", "specialist_status_event"];

use entities::specialist;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::{Actor, DomainResult};

/// The specialist id of the calling specialist, if the caller is one.
pub async fn own_specialist_id<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> DomainResult<Option<i64>> {
    let Some(number) = actor.own_registration_number() else {
        return Ok(None);
    };
    Ok(specialist::Entity::find()
        .select_only()
        .column(specialist::Column::Id)
        .filter(specialist::Column::RegistrationNumber.eq(number))
        .into_tuple::<i64>()
        .one(db)
        .await?)
}
