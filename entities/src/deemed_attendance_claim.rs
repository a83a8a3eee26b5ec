//! `deemed_attendance_claims`: practical experience claimed in place of a course requirement (みなし受講).

use sea_orm::entity::prelude::*;

use crate::enums::renewal::ClaimStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deemed_attendance_claims")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub specialist_id: i64,
    pub cycle_id: i64,
    pub requirement_code: String,
    /// What the specialist did.
    pub activity: String,
    /// For whom.
    pub beneficiary: String,
    pub period_from: Date,
    pub period_to: Date,
    pub hours: f64,
    /// A JSON array of URLs.
    pub evidence_links: Json,
    /// `SUBMITTED`, `CHANGES_REQUESTED`, `APPROVED` or `REJECTED`.
    pub status: ClaimStatus,
    pub review_comment: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    /// The course fee the approval saved, in yen.
    pub fee_saved_yen: Option<i32>,
    pub version: i32,
    pub submitted_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
