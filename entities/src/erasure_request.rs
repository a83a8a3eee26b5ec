//! `erasure_requests`: a person's request to erase what is held about them, or to stop its
//! use, and the staff decision on it.

use sea_orm::entity::prelude::*;

use crate::enums::erasure::{ErasureKind, ErasureStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "erasure_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The requester's `sub`.
    pub subject: String,
    /// `SPECIALIST`, `PERSON` or `SME_USER`: the role they asked in.
    pub role: String,
    /// `ERASURE` or `STOP_OF_USE`.
    pub kind: ErasureKind,
    /// The requester's registration, person record and company, as resolved from their
    /// token when they asked.
    pub specialist_id: Option<i64>,
    pub person_id: Option<i64>,
    pub company_id: Option<i64>,
    /// The parts asked for (JSON array of part names).
    pub parts: Json,
    pub reason: String,
    /// `REQUESTED`, `CARRIED_OUT` or `REFUSED`.
    pub status: ErasureStatus,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
