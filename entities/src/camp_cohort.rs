//! `camp_cohorts`: one running of a program (a year's national camp, a regional mini camp).

use sea_orm::entity::prelude::*;

use crate::enums::camp::CohortStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "camp_cohorts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    /// The fiscal year (April to March) the cohort starts in.
    pub fiscal_year: i32,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub online: bool,
    pub venue: Option<String>,
    pub prefecture_code: Option<String>,
    pub capacity: i32,
    /// Places held by selected, attending and completed applicants.
    pub selected_count: i32,
    pub applications_open_on: Date,
    pub applications_close_on: Date,
    /// The application assignment: a JSON array of questions.
    pub questions: Json,
    /// `PLANNED`, `APPLICATIONS_OPEN`, `SELECTING`, `IN_SESSION` or `COMPLETED`.
    pub status: CohortStatus,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
