//! Persisted operations: the GraphQL documents a request may name by id instead of sending
//! their text. A partner's trusted documents (its build tool's manifest, registered by
//! staff) and the documents Apollo's automatic persisted queries store, kept in the
//! database so that every replica finds them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SOURCES: [&str; 2] = ["TRUSTED", "APQ"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersistedDocuments::Table)
                    .col(big_pk_auto(PersistedDocuments::Id))
                    .col(string_len_uniq(PersistedDocuments::DocumentId, 200))
                    .col(string_len(PersistedDocuments::Sha256, 64))
                    .col(text(PersistedDocuments::Body))
                    .col(
                        string_len(PersistedDocuments::Source, 16)
                            .check(Expr::col(PersistedDocuments::Source).is_in(SOURCES)),
                    )
                    .col(string_len_null(PersistedDocuments::Client, 200))
                    .col(string_len_null(PersistedDocuments::RegisteredBy, 200))
                    .col(timestamp_with_time_zone(PersistedDocuments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("persisted_documents_sha256")
                    .table(PersistedDocuments::Table)
                    .col(PersistedDocuments::Sha256)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersistedDocuments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PersistedDocuments {
    Table,
    Id,
    DocumentId,
    Sha256,
    Body,
    Source,
    Client,
    RegisteredBy,
    CreatedAt,
}
