//! `courses`: the course catalogue.

use sea_orm::entity::prelude::*;

use crate::enums::renewal::CourseKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub provider: String,
    /// `ONLINE`, `PRACTICAL`, `SPECIFIED` or `ETHICS`.
    pub kind: CourseKind,
    /// The fiscal year (April–March) the course is designated for.
    pub fiscal_year: i32,
    pub fee_yen: i32,
    pub hours: f64,
    pub created_at: DateTimeUtc,
    /// The code of the training provider whose system may upload completion rosters
    /// for the course (a `TRAINING_PROVIDER` token's `provider_id`); none when only
    /// registry staff record them.
    pub provider_code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
