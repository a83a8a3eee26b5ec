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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
