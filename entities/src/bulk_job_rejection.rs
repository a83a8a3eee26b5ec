//! `bulk_job_rejections`: a row of a bulk job that was not applied, and why.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_job_rejections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_id: i64,
    /// The row as a spreadsheet numbers it: the header is row 1, the first data row 2.
    pub row_number: i32,
    /// The column at fault, empty when the row as a whole is refused.
    pub field: String,
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
