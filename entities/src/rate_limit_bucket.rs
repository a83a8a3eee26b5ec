//! `rate_limit_buckets`: each principal's budget of query points, as the replicas last
//! wrote it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limit_buckets")]
pub struct Model {
    /// `token:<issuer> <subject>` for a signed-in caller, `ip:<address>` for an anonymous one.
    #[sea_orm(primary_key, auto_increment = false)]
    pub principal: String,
    /// Points left at `updated_ms`; below zero when replicas together spent more than
    /// the budget between two writes.
    pub level: f64,
    /// When `level` was written, in milliseconds since the epoch.
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
