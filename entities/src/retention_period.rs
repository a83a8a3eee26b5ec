//! `retention_periods`: how long each kind of record no longer needed is kept before it is
//! anonymised.

use sea_orm::entity::prelude::*;

use crate::enums::retention::RetentionKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_periods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: RetentionKind,
    /// Months kept, 1–1200.
    pub months: i32,
    pub description: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
