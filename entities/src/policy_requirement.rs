//! `policy_requirements`: what a cycle must contain under a policy, one row per requirement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_requirements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub policy_id: i64,
    /// Order of the requirement within its policy.
    pub position: i16,
    pub code: String,
    pub name: String,
    /// Course kinds that satisfy it, comma-separated (`PRACTICAL,SPECIFIED`).
    pub course_kinds: String,
    /// The year of the cycle (1–3) the course must fall in; null for any year.
    pub cycle_year: Option<i16>,
    /// Whether approved practical experience may satisfy it instead (みなし受講).
    pub deemable: bool,
    /// The course fee an approved deemed-attendance claim saves, in yen.
    pub standard_fee_yen: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
