//! `matches`: a specialist proposed for a consultation request, from proposal to completed
//! engagement.

use sea_orm::entity::prelude::*;

use crate::enums::matching::MatchStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub entry_id: i64,
    pub specialist_id: i64,
    /// `PROPOSED`, `ACCEPTED`, `ACTIVE`, `COMPLETED`, `DECLINED`, `CANCELLED` or `EXPIRED`.
    pub status: MatchStatus,
    /// The candidate's score and its parts when proposed (JSON object).
    pub score: Json,
    pub proposed_by: String,
    pub proposed_at: DateTimeUtc,
    /// The last business day the specialist may answer.
    pub respond_by: Date,
    pub responded_at: Option<DateTimeUtc>,
    pub decline_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub started_on: Option<Date>,
    pub completed_on: Option<Date>,
    /// Measures put in place (JSON array of strings).
    pub measures: Option<Json>,
    pub guide_step_after: Option<i16>,
    pub company_rating: Option<i16>,
    pub company_comment: Option<String>,
    pub specialist_rating: Option<i16>,
    pub specialist_comment: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
