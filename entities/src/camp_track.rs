//! `camp_tracks`: the tracks or classes of a cohort, each with its own capacity.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "camp_tracks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cohort_id: i64,
    /// Order within the cohort.
    pub position: i16,
    pub name: String,
    pub description: String,
    pub capacity: i32,
    /// Places held by selected, attending and completed applicants.
    pub selected_count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
