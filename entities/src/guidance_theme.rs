//! `guidance_themes`: the taxonomy of what specialists advise SMEs on (指導テーマ).

use sea_orm::entity::prelude::*;

use crate::enums::active_list::ThemeCategory;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guidance_themes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub description: String,
    /// One of the six categories (`GOVERNANCE`, …, `RECOVERY`).
    pub category: ThemeCategory,
    pub display_order: i32,
    /// A retired theme (false) is hidden from new entries and kept on old ones.
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
