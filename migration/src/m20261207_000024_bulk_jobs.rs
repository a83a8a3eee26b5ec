//! Bulk jobs: an uploaded file (companies, registry corrections) applied row by row after
//! the upload is answered, with its progress and the rows it rejected. One job per
//! uploader, kind and file content: the same file uploaded again is the same job. Kinds
//! and states are checked by the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BulkJobs::Table)
                    .col(pk_auto(BulkJobs::Id).big_integer())
                    .col(string_len(BulkJobs::Kind, 30).check(
                        Expr::col(BulkJobs::Kind).is_in(["COMPANIES", "REGISTRY_CORRECTIONS"]),
                    ))
                    .col(string_len(BulkJobs::Status, 20).check(
                        Expr::col(BulkJobs::Status).is_in(["QUEUED", "RUNNING", "DONE", "FAILED"]),
                    ))
                    .col(string_len(BulkJobs::Principal, 320))
                    .col(big_integer_null(BulkJobs::OrganizationId))
                    .col(string_len(BulkJobs::FileSha256, 64))
                    .col(integer(BulkJobs::RowsTotal))
                    .col(integer(BulkJobs::RowsDone))
                    .col(integer(BulkJobs::RowsRejected))
                    .col(timestamp_with_time_zone(BulkJobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(BulkJobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bulk_jobs_file")
                    .table(BulkJobs::Table)
                    .col(BulkJobs::Principal)
                    .col(BulkJobs::Kind)
                    .col(BulkJobs::FileSha256)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BulkJobRejections::Table)
                    .col(pk_auto(BulkJobRejections::Id).big_integer())
                    .col(big_integer(BulkJobRejections::JobId))
                    .col(integer(BulkJobRejections::RowNumber))
                    .col(string_len(BulkJobRejections::Field, 100))
                    .col(text(BulkJobRejections::Reason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bulk_job_rejections_job")
                            .from(BulkJobRejections::Table, BulkJobRejections::JobId)
                            .to(BulkJobs::Table, BulkJobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bulk_job_rejections_job")
                    .table(BulkJobRejections::Table)
                    .col(BulkJobRejections::JobId)
                    .col(BulkJobRejections::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BulkJobRejections::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(BulkJobs::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BulkJobs {
    Table,
    Id,
    Kind,
    Status,
    Principal,
    OrganizationId,
    FileSha256,
    RowsTotal,
    RowsDone,
    RowsRejected,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum BulkJobRejections {
    Table,
    Id,
    JobId,
    RowNumber,
    Field,
    Reason,
}
