//! Service accounts: a course names the training provider whose system may upload its
//! completion rosters (role `TRAINING_PROVIDER`, the token's `provider_id`), and the audit
//! trail records the OAuth client of each token beside its subject.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("courses"))
                    .add_column(
                        ColumnDef::new(Alias::new("provider_code"))
                            .string_len(40)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("courses_provider_code")
                    .table(Alias::new("courses"))
                    .col(Alias::new("provider_code"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("audit_events"))
                    .add_column(
                        ColumnDef::new(Alias::new("actor_client_id"))
                            .string_len(200)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("courses_provider_code")
                    .table(Alias::new("courses"))
                    .to_owned(),
            )
            .await?;
        for (table, column) in [
            ("courses", "provider_code"),
            ("audit_events", "actor_client_id"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
