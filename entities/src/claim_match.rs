//! `claim_matches`: completed engagements a deemed-attendance claim cites as evidence.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_matches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub claim_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub match_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
