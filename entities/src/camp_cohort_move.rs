//! `camp_cohort_moves`: each move of a cohort to its next state, with how early it was and
//! why.

use sea_orm::entity::prelude::*;

use crate::enums::camp::CohortStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "camp_cohort_moves")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cohort_id: i64,
    pub from_status: CohortStatus,
    pub to_status: CohortStatus,
    /// The day (Japan) of the move.
    pub moved_on: Date,
    /// How many days before the state's date the move was made; 0 when on time.
    pub early_by_days: i32,
    /// Why staff moved it on early.
    pub reason: Option<String>,
    /// The `sub` of who moved it.
    pub moved_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
