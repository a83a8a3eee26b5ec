//! `people`: one row per person, whatever their roles: camp applicant, alumnus, registered
//! specialist.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The `sub` claim of the person's tokens; null for a record kept by staff alone.
    #[sea_orm(unique)]
    pub subject: Option<String>,
    pub name: String,
    pub name_kana: String,
    pub birth_date: Date,
    pub email: String,
    /// JIS X 0401 code of where they live, when given.
    pub prefecture_code: Option<String>,
    /// The registered specialist this person is, when they are one.
    #[sea_orm(unique)]
    pub specialist_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
