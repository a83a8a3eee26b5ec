//! `camp_programs`: the Security Camp programs and their eligibility rules.

use sea_orm::entity::prelude::*;

use crate::enums::camp::ProgramKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "camp_programs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `NATIONAL`, `MINI`, `JUNIOR`, `NEXT`, `CONNECT` or `OTHER`; one program each.
    #[sea_orm(unique)]
    pub kind: ProgramKind,
    pub name: String,
    pub description: String,
    /// Youngest eligible age on a cohort's first day, if any.
    pub min_age: Option<i16>,
    /// Oldest eligible age on a cohort's first day, if any.
    pub max_age: Option<i16>,
    /// Whether someone who completed a cohort of this program may not apply again.
    pub attend_once: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
