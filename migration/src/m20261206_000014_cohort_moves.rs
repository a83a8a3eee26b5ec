//! Each move of a cohort from one state to the next: when, by whom, and, for a move before
//! the date the state starts on, how many days early and why (camp staff give a reason).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const STATES: [&str; 5] = [
    "PLANNED",
    "APPLICATIONS_OPEN",
    "SELECTING",
    "IN_SESSION",
    "COMPLETED",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CampCohortMoves::Table)
                    .col(big_pk_auto(CampCohortMoves::Id))
                    .col(big_integer(CampCohortMoves::CohortId))
                    .col(
                        string_len(CampCohortMoves::FromStatus, 32)
                            .check(Expr::col(CampCohortMoves::FromStatus).is_in(STATES)),
                    )
                    .col(
                        string_len(CampCohortMoves::ToStatus, 32)
                            .check(Expr::col(CampCohortMoves::ToStatus).is_in(STATES)),
                    )
                    .col(date(CampCohortMoves::MovedOn))
                    .col(
                        integer(CampCohortMoves::EarlyByDays)
                            .check(Expr::col(CampCohortMoves::EarlyByDays).gte(0)),
                    )
                    .col(string_len_null(CampCohortMoves::Reason, 2000))
                    .col(string_len(CampCohortMoves::MovedBy, 200))
                    .col(timestamp_with_time_zone(CampCohortMoves::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CampCohortMoves::Table, CampCohortMoves::CohortId)
                            .to(CampCohorts::Table, CampCohorts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("camp_cohort_moves_cohort")
                    .table(CampCohortMoves::Table)
                    .col(CampCohortMoves::CohortId)
                    .col(CampCohortMoves::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CampCohortMoves::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CampCohortMoves {
    Table,
    Id,
    CohortId,
    FromStatus,
    ToStatus,
    MovedOn,
    EarlyByDays,
    Reason,
    MovedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CampCohorts {
    Table,
    Id,
}
