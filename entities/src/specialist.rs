//! `specialists`: one row per Registered Information Security Specialist.

use sea_orm::entity::prelude::*;

use crate::enums::industry::Industry;
use crate::enums::registry::{ExamSeason, SpecialistStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "specialists")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Six digits, zero-padded; unique and never reused.
    #[sea_orm(unique)]
    pub registration_number: String,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub birth_year: i32,
    pub birth_month: i16,
    pub email: String,
    pub phone: Option<String>,
    /// JIS X 0401 code, two digits.
    pub prefecture_code: String,
    pub employer: Option<String>,
    /// The employer's industry: a JSIC major division letter (`A`–`T`).
    pub employer_industry: Option<Industry>,
    pub exam_year: i32,
    /// `SPRING` or `AUTUMN`.
    pub exam_season: ExamSeason,
    /// Always an April 1 or an October 1.
    pub registered_on: Date,
    /// Current status; the history lives in `specialist_status_events`.
    pub status: SpecialistStatus,
    pub status_since: Date,
    pub disclose_name: bool,
    pub disclose_kana: bool,
    pub disclose_birth_year_month: bool,
    pub disclose_employer: bool,
    pub disclose_prefecture: bool,
    /// Optimistic-concurrency version, bumped by every update.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::specialist_status_event::Entity")]
    StatusEvents,
}

impl Related<super::specialist_status_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StatusEvents.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
