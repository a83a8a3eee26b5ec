//! `entry_themes`: the guidance themes of each Active List entry.

use sea_orm::entity::prelude::*;

use crate::enums::active_list::EntryStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_themes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub theme_id: i64,
    /// Copies of the entry's status, confirmation date and `eligible_until`, kept in step
    /// with it, so a theme search reads this table's index in list order.
    pub status: EntryStatus,
    pub confirmed_on: Date,
    pub eligible_until: Option<Date>,
    /// Every theme of the entry, as `,1,14,19,` (ids between commas).
    pub theme_set: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
