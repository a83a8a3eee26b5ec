//! `consent_terms`: the versions of the terms each kind of consent is given under.

use sea_orm::entity::prelude::*;

use crate::enums::consent::Purpose;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub purpose: Purpose,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: String,
    /// From this day (Japan) consents are given under this version.
    pub effective_on: Date,
    /// The terms' title, in Japanese.
    pub title: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
