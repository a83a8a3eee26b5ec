//! `companies`: SMEs (and larger companies) identified by their corporate number.

use sea_orm::entity::prelude::*;

use crate::enums::industry::Industry;
use crate::enums::matching::{SecurityAction, SmeSector, SupplyChainTarget};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "companies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 法人番号: 13 digits, the first a check digit; the `company_id` claim of its users'
    /// tokens.
    #[sea_orm(unique)]
    pub corporate_number: String,
    pub name: String,
    pub name_kana: String,
    /// JSIC major division, `A`–`T`.
    pub industry: Industry,
    pub employees: i32,
    pub capital_yen: i64,
    pub prefecture_code: String,
    /// The SME Basic Act's sector: `MANUFACTURING_AND_OTHERS`, `WHOLESALE`, `RETAIL` or
    /// `SERVICES`.
    pub sme_sector: SmeSector,
    /// Whether the SME Basic Act's line for its industry is met (capital or employees).
    pub is_sme: bool,
    /// `NONE`, `ONE_STAR` or `TWO_STAR`.
    pub security_action: SecurityAction,
    /// `NONE`, `STAR3` or `STAR4`.
    pub supply_chain_target: SupplyChainTarget,
    /// Whether it uses an お助け隊 service.
    pub otasuketai: bool,
    /// Its step on the 4-step guide, 1–4.
    pub guide_step: i16,
    pub support_organization_id: Option<i64>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    /// The latest self-assessment's answers (JSON object of question code to yes/no).
    pub assessment_answers: Option<Json>,
    pub recommended_step: Option<i16>,
    pub assessed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
