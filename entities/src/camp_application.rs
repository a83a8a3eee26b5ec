//! `camp_applications`: a person's application to a cohort; one per person and cohort.

use sea_orm::entity::prelude::*;

use crate::enums::camp::ApplicationStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "camp_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cohort_id: i64,
    pub person_id: i64,
    /// `APPLIED`, `SELECTED`, `WAITLISTED`, `REJECTED`, `ATTENDED`, `COMPLETED` or
    /// `WITHDRAWN`.
    pub status: ApplicationStatus,
    /// The tracks asked for, most wanted first (JSON array of track ids).
    pub preferred_track_ids: Json,
    /// The track a selected applicant holds a place in.
    pub track_id: Option<i64>,
    /// Answers to the cohort's questions, in order (JSON array of strings).
    pub answers: Json,
    pub applied_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<String>,
    /// The guardian who consented to the application of a minor, as recorded.
    pub guardian_name: Option<String>,
    /// When a guardian's consent was recorded; required before a minor is selected.
    pub guardian_consented_at: Option<DateTimeUtc>,
    /// Who recorded the consent (the applicant's account or camp staff).
    pub guardian_recorded_by: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
