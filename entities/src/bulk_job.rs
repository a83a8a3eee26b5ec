//! `bulk_jobs`: one uploaded file being applied row by row, with its progress.

use sea_orm::entity::prelude::*;

use crate::enums::bulk::{BulkKind, BulkStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: BulkKind,
    pub status: BulkStatus,
    /// The `sub` of who uploaded the file.
    pub principal: String,
    /// The support organization the uploader acts for (organization staff), if any.
    pub organization_id: Option<i64>,
    /// SHA-256 of the file as uploaded, in hexadecimal: the same file again is the same job.
    pub file_sha256: String,
    pub rows_total: i32,
    pub rows_done: i32,
    pub rows_rejected: i32,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
