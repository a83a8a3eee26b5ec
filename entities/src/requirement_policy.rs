//! `requirement_policies`: versioned training rules; the one in force for a cycle is the latest whose `effective_from` is on or before the cycle's start.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requirement_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Stable name, e.g. `STANDARD_2020`.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// Cycles starting on or after this date follow the policy (until a later one).
    #[sea_orm(unique)]
    pub effective_from: Date,
    pub created_at: DateTimeUtc,
    pub created_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
