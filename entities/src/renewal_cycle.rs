//! `renewal_cycles`: the three-year renewal cycles of each specialist.

use sea_orm::entity::prelude::*;

use crate::enums::renewal::CycleState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "renewal_cycles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub specialist_id: i64,
    /// 1 for the cycle starting at registration, then one more per renewal.
    pub sequence: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub application_due_on: Date,
    /// `OPEN`, `RENEWED`, `LAPSED` or `CLOSED`.
    pub state: CycleState,
    /// How many requirements of the cycle's policy are not yet satisfied; kept up to date
    /// by every change to completions and claims, so lists filter by status in SQL.
    pub missing_requirements: i32,
    /// The pending renewal application, if any.
    pub applied_on: Option<Date>,
    pub refused_on: Option<Date>,
    pub refusal_reason: Option<String>,
    /// When the cycle was renewed, lapsed or closed.
    pub closed_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
