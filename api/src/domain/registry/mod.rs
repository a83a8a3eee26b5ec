//! The registry of Registered Information Security Specialists (登録セキスペ).

pub mod commands;
pub mod permissions;
pub mod queries;
pub mod seed;
pub mod types;
pub mod views;

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
