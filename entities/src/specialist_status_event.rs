//! `specialist_status_events`: the append-only status history of each specialist.

use sea_orm::entity::prelude::*;

use crate::enums::registry::SpecialistStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "specialist_status_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub specialist_id: i64,
    pub status: SpecialistStatus,
    /// The calendar date (Japan) from which the status holds.
    pub effective_on: Date,
    pub reason: String,
    pub recorded_at: DateTimeUtc,
    /// Subject of the token that recorded the change, or `system`.
    pub recorded_by: String,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::specialist::Entity",
        from = "Column::SpecialistId",
        to = "super::specialist::Column::Id"
    )]
    Specialist,
}

impl Related<super::specialist::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Specialist.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
