//! `consultation_requests`: what a company needs advice on.

use sea_orm::entity::prelude::*;

use crate::enums::matching::{RequestStatus, Urgency};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    /// The support organization handling it, if any.
    pub organization_id: Option<i64>,
    /// `OPEN`, `MATCHING`, `MATCHED`, `IN_PROGRESS`, `COMPLETED`, `CANCELLED` or `EXPIRED`.
    pub status: RequestStatus,
    /// Guidance theme ids (JSON array); also one row each in `request_themes`.
    pub theme_ids: Json,
    pub description: String,
    pub prefecture_code: String,
    pub remote_ok: bool,
    /// `LOW`, `NORMAL`, `HIGH` or `URGENT`.
    pub urgency: Urgency,
    pub budget_max_yen: Option<i32>,
    /// ISO 639-1 language of the consultation.
    pub language: String,
    pub filed_by: String,
    pub opened_on: Date,
    pub matched_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
