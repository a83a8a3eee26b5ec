//! A partner mirrors a list by paging it in the order of last change (`UPDATED_AT`, ties
//! broken by id) from the time it last synced. Every table behind a mirrored list already
//! keeps a non-null `updated_at`, set on insert and on every change; an index on
//! `(updated_at, id)` per table keeps such a page a range read whatever the table's size.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables behind the mirrored lists.
const TABLES: [&str; 8] = [
    "specialists",
    "active_list_entries",
    "companies",
    "consultation_requests",
    "matches",
    "renewal_cycles",
    "deemed_attendance_claims",
    "camp_applications",
];

fn index_name(table: &str) -> String {
    format!("{table}_updated_at")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .create_index(
                    Index::create()
                        .name(index_name(table))
                        .table(Alias::new(table))
                        .col(Alias::new("updated_at"))
                        .col(Alias::new("id"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(index_name(table))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
