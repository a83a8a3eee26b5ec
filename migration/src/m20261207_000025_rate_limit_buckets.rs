//! Rate limits: each principal's budget of query points, shared by the service's
//! replicas. A replica keeps the buckets it serves in memory and writes what it spent
//! here about once a second; the row holds the level at `updated_ms` (milliseconds since
//! the epoch), and the level refills at the principal's restore rate from then on.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateLimitBuckets {
    Table,
    Principal,
    Level,
    UpdatedMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimitBuckets::Table)
                    .col(
                        ColumnDef::new(RateLimitBuckets::Principal)
                            .string_len(320)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RateLimitBuckets::Level).double().not_null())
                    .col(
                        ColumnDef::new(RateLimitBuckets::UpdatedMs)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RateLimitBuckets::Table).to_owned())
            .await
    }
}
