//! `match_sessions`: the visits and calls of an engagement.

use sea_orm::entity::prelude::*;

use crate::enums::matching::SessionTopic;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub match_id: i64,
    pub held_on: Date,
    pub minutes: i32,
    /// `RISKS`, `BASIC_POLICY`, `RULES`, `REVIEW` or `OTHER`.
    pub topic: SessionTopic,
    pub notes: String,
    pub logged_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
