//! `consent_records`: the consent ledger, append-only. One row each time a person gives or
//! withdraws a consent, with the terms version it was given under.

use sea_orm::entity::prelude::*;

use crate::enums::consent::{Audience, HolderKind, Purpose};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub holder_kind: HolderKind,
    /// The specialist's or the person's key.
    pub holder_id: i64,
    /// `REGISTRY_PUBLICATION`, `COMMUNITY_PROFILE` or `CAMP_TERMS`.
    pub purpose: Purpose,
    /// What the consent covers: a field (`NAME`, `DISPLAY_NAME`, …) or a cohort
    /// (`COHORT_<id>`) for camp terms.
    pub item: String,
    /// Given (true) or withdrawn (false).
    pub given: bool,
    /// To whom a given disclosure consent discloses: `PUBLIC` or `ALUMNI`; null for terms
    /// and for withdrawals.
    pub audience: Option<Audience>,
    pub terms_version: String,
    pub recorded_at: DateTimeUtc,
    /// The `sub` of who recorded it: the person, staff acting for them, or `migration`.
    pub recorded_by: String,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
