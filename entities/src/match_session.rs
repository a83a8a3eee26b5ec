//! `match_sessions`: the visits and calls of an engagement.

use sea_orm::entity::prelude::*;

use crate::enums::matching::{MatchSide, SessionTopic};

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
    /// The `sub` of who logged it.
    pub logged_by: String,
    /// The side that logged it; null for sessions logged before the side was recorded.
    pub logged_by_side: Option<MatchSide>,
    pub created_at: DateTimeUtc,
    /// 1 when logged, one more with each correction.
    pub version: i32,
    /// When it was withdrawn as logged by mistake; it then counts for nothing.
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
