//! `support_organizations`: regional bodies that bring SMEs and specialists together.

use sea_orm::entity::prelude::*;

use crate::enums::matching::OrganizationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The organization's code: the `org_id` claim of its staff's tokens.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `CHAMBER_OF_COMMERCE`, `SOCIETY_OF_COMMERCE`, `SME_SUPPORT_CENTER`,
    /// `INDUSTRY_ASSOCIATION`, `LOCAL_GOVERNMENT` or `OTHER`.
    pub kind: OrganizationKind,
    /// Prefectures covered (JSON array of JIS X 0401 codes); also one row each in
    /// `organization_prefectures`.
    pub prefecture_codes: Json,
    pub contact_email: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
