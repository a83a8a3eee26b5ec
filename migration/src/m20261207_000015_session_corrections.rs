//! A session of an engagement records which side logged it, carries a version, and can be
//! corrected or withdrawn with a reason: each correction appends the values it replaced to
//! `match_session_corrections`, which is append-only, so a session's history is never lost.
//! Sessions logged before this migration have no side (`logged_by_side` null).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SIDES: [&str; 2] = ["SPECIALIST", "COMPANY"];
const TOPICS: [&str; 5] = ["RISKS", "BASIC_POLICY", "RULES", "REVIEW", "OTHER"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            string_len_null(MatchSessions::LoggedBySide, 16)
                .check(Expr::col(MatchSessions::LoggedBySide).is_in(SIDES))
                .to_owned(),
            integer(MatchSessions::Version)
                .default(1)
                .check(Expr::col(MatchSessions::Version).gte(1))
                .to_owned(),
            timestamp_with_time_zone_null(MatchSessions::WithdrawnAt),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(MatchSessions::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(MatchSessionCorrections::Table)
                    .col(big_pk_auto(MatchSessionCorrections::Id))
                    .col(big_integer(MatchSessionCorrections::SessionId))
                    .col(
                        integer(MatchSessionCorrections::Version)
                            .check(Expr::col(MatchSessionCorrections::Version).gte(2)),
                    )
                    .col(string_len(MatchSessionCorrections::Reason, 2000))
                    .col(
                        string_len(MatchSessionCorrections::CorrectedBySide, 16).check(
                            Expr::col(MatchSessionCorrections::CorrectedBySide).is_in(SIDES),
                        ),
                    )
                    .col(string_len(MatchSessionCorrections::CorrectedBy, 200))
                    .col(timestamp_with_time_zone(
                        MatchSessionCorrections::CorrectedAt,
                    ))
                    .col(date(MatchSessionCorrections::HeldOnBefore))
                    .col(integer(MatchSessionCorrections::MinutesBefore))
                    .col(
                        string_len(MatchSessionCorrections::TopicBefore, 20)
                            .check(Expr::col(MatchSessionCorrections::TopicBefore).is_in(TOPICS)),
                    )
                    .col(text(MatchSessionCorrections::NotesBefore))
                    .col(boolean(MatchSessionCorrections::Withdrew))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                MatchSessionCorrections::Table,
                                MatchSessionCorrections::SessionId,
                            )
                            .to(MatchSessions::Table, MatchSessions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("match_session_corrections_session")
                    .table(MatchSessionCorrections::Table)
                    .col(MatchSessionCorrections::SessionId)
                    .col(MatchSessionCorrections::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        crate::append_only::up(manager, "match_session_corrections", "session corrections").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::append_only::down(manager, "match_session_corrections").await?;
        manager
            .drop_table(
                Table::drop()
                    .table(MatchSessionCorrections::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            MatchSessions::WithdrawnAt,
            MatchSessions::Version,
            MatchSessions::LoggedBySide,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MatchSessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MatchSessions {
    Table,
    Id,
    LoggedBySide,
    Version,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum MatchSessionCorrections {
    Table,
    Id,
    SessionId,
    Version,
    Reason,
    CorrectedBySide,
    CorrectedBy,
    CorrectedAt,
    HeldOnBefore,
    MinutesBefore,
    TopicBefore,
    NotesBefore,
    Withdrew,
}
