//! `alumni_activities`: what alumni report doing: talks, CTFs, open source, research,
//! tutoring at later camps, mentoring, awards.

use sea_orm::entity::prelude::*;

use crate::enums::camp::ActivityKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alumni_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub occurred_on: Date,
    /// `TALK`, `CTF`, `OPEN_SOURCE`, `RESEARCH`, `TUTORING`, `MENTORING`, `AWARD` or
    /// `OTHER`.
    pub kind: ActivityKind,
    pub title: String,
    pub link: Option<String>,
    /// Whether camp staff feature it.
    pub featured: bool,
    pub featured_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
