//! `event_rsvps`: a member's answer to an event; waitlisted in the order they came.

use sea_orm::entity::prelude::*;

use crate::enums::camp::RsvpStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_rsvps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub person_id: i64,
    /// `GOING`, `WAITLISTED` or `CANCELLED`.
    pub status: RsvpStatus,
    pub attended: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
