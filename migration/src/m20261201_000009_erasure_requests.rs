//! Requests by the people in the data to erase what is held about them, or to stop its
//! use (APPI Articles 34 and 35): recorded when made, decided by staff, carried out in one
//! transaction. Kinds, parts and states are checked by the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ErasureRequests::Table)
                    .col(pk_auto(ErasureRequests::Id).big_integer())
                    .col(string_len(ErasureRequests::Subject, 200))
                    .col(string_len(ErasureRequests::Role, 30).check(
                        Expr::col(ErasureRequests::Role).is_in([
                            "SPECIALIST",
                            "PERSON",
                            "SME_USER",
                        ]),
                    ))
                    .col(
                        string_len(ErasureRequests::Kind, 20).check(
                            Expr::col(ErasureRequests::Kind).is_in(["ERASURE", "STOP_OF_USE"]),
                        ),
                    )
                    // Whose records: resolved from the token when the request is made.
                    .col(big_integer_null(ErasureRequests::SpecialistId))
                    .col(big_integer_null(ErasureRequests::PersonId))
                    .col(big_integer_null(ErasureRequests::CompanyId))
                    // The parts asked for, as a JSON array of part names.
                    .col(json(ErasureRequests::Parts))
                    .col(text(ErasureRequests::Reason))
                    .col(string_len(ErasureRequests::Status, 20).check(
                        Expr::col(ErasureRequests::Status).is_in([
                            "REQUESTED",
                            "CARRIED_OUT",
                            "REFUSED",
                        ]),
                    ))
                    .col(timestamp_with_time_zone(ErasureRequests::RequestedAt))
                    .col(timestamp_with_time_zone_null(ErasureRequests::DecidedAt))
                    .col(string_len_null(ErasureRequests::DecidedBy, 200))
                    .col(text_null(ErasureRequests::DecisionReason))
                    .col(integer(ErasureRequests::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_erasure_requests_subject")
                    .table(ErasureRequests::Table)
                    .col(ErasureRequests::Subject)
                    .col(ErasureRequests::Id)
                    .to_owned(),
            )
            .await?;
        // One request waits at a time per person, whatever runs concurrently.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_erasure_requests_waiting ON erasure_requests (subject) \
                 WHERE status = 'REQUESTED'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ErasureRequests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ErasureRequests {
    Table,
    Id,
    Subject,
    Role,
    Kind,
    SpecialistId,
    PersonId,
    CompanyId,
    Parts,
    Reason,
    Status,
    RequestedAt,
    DecidedAt,
    DecidedBy,
    DecisionReason,
    Version,
}
