//! Idempotency keys of `POST /graphql`: the first response to a request carrying an
//! `Idempotency-Key`, kept for 24 hours per caller, so that a retry gets it again instead
//! of running the request twice. The state lives here, not in a replica's memory, so every
//! replica sees the same keys.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    // A fingerprint of the caller's token (subject and authority).
                    .col(string_len(IdempotencyKeys::Principal, 64))
                    .col(string_len(IdempotencyKeys::Key, 255))
                    // Hex SHA-256 of the request body, canonical JSON.
                    .col(string_len(IdempotencyKeys::RequestHash, 64))
                    .col(
                        string_len(IdempotencyKeys::State, 20).check(
                            Expr::col(IdempotencyKeys::State).is_in(["RUNNING", "COMPLETED"]),
                        ),
                    )
                    // Which run holds the key: a run taking over a stale one counts up, so
                    // the stale one can no longer complete or release it.
                    .col(integer(IdempotencyKeys::Attempt))
                    .col(integer_null(IdempotencyKeys::Status))
                    .col(string_len_null(IdempotencyKeys::ContentType, 100))
                    .col(blob_null(IdempotencyKeys::Body))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .col(timestamp_with_time_zone(IdempotencyKeys::LockedUntil))
                    .col(timestamp_with_time_zone(IdempotencyKeys::ExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Principal)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_expires_at")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Principal,
    Key,
    RequestHash,
    State,
    Attempt,
    Status,
    ContentType,
    Body,
    CreatedAt,
    LockedUntil,
    ExpiresAt,
}
