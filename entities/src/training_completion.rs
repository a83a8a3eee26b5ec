//! `training_completions`: courses completed by specialists; one row per (specialist, course, date).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_completions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub specialist_id: i64,
    pub course_id: i64,
    pub completed_on: Date,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: String,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
