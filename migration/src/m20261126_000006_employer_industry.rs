//! The industry of a specialist's employer, as a JSIC major division (`A`–`T`), for the
//! analysts' breakdown of the registry by industry. Optional: null when unknown or when the
//! specialist has no employer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Specialists::Table)
                    .add_column(string_len_null(Specialists::EmployerIndustry, 1))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Specialists::Table)
                    .drop_column(Specialists::EmployerIndustry)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Specialists {
    Table,
    EmployerIndustry,
}
