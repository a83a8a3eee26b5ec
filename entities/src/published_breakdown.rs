//! `published_breakdowns`: each cell of a breakdown of the active count, as first
//! published for its month end; never recomputed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "published_breakdowns")]
pub struct Model {
    /// The month end described.
    #[sea_orm(primary_key, auto_increment = false)]
    pub as_of: Date,
    /// `PREFECTURE`, `REGION`, `AGE_BAND` or `INDUSTRY`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub dimension: String,
    /// The cell's place in the table.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub key: String,
    pub label: String,
    /// The count, or null when suppressed.
    pub value: Option<i64>,
    /// The active count across the table.
    pub total: i64,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
