//! `community_events`: meetups and study sessions of the alumni community.

use sea_orm::entity::prelude::*;

use crate::enums::camp::EventStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "community_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub description: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub online: bool,
    pub place: Option<String>,
    pub prefecture_code: Option<String>,
    pub capacity: i32,
    /// RSVPs holding a place (`GOING`).
    pub going_count: i32,
    /// `SCHEDULED` or `CANCELLED`.
    pub status: EventStatus,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
