//! `match_session_corrections`: each correction of a session, with the values it replaced.
//! Append-only: the history of a session is never rewritten.

use sea_orm::entity::prelude::*;

use crate::enums::matching::{MatchSide, SessionTopic};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_session_corrections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// The session's version this correction made (2 for the first).
    pub version: i32,
    /// Why it was corrected.
    pub reason: String,
    pub corrected_by_side: MatchSide,
    /// The `sub` of who corrected it.
    pub corrected_by: String,
    pub corrected_at: DateTimeUtc,
    /// The values before the correction.
    pub held_on_before: Date,
    pub minutes_before: i32,
    pub topic_before: SessionTopic,
    pub notes_before: String,
    /// Whether the correction withdrew the session.
    pub withdrew: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
