//! SMEs, support organizations, consultation requests and the matches between requests and
//! Active List specialists.
//!
//! - `support_organizations` (with the prefectures each covers) and `companies` (keyed by
//!   their corporate number, with the SME flag derived from the SME Basic Act and the
//!   latest self-assessment);
//! - `consultation_requests` (with their themes, one row per theme for demand figures);
//! - `matches` from proposal to completed engagement, and the `match_sessions` of an
//!   engagement; a partial unique index keeps one live match per request and specialist;
//! - `active_list_entries.active_matches`: how many accepted or running matches the entry
//!   holds, raised only by a conditional update that keeps it within the capacity, so that
//!   concurrent accepts can never overfill a specialist;
//! - `claim_matches`: completed engagements cited by deemed-attendance claims.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SupportOrganizations::Table)
                    .col(big_pk_auto(SupportOrganizations::Id))
                    .col(string_len_uniq(SupportOrganizations::Code, 40))
                    .col(string_len(SupportOrganizations::Name, 200))
                    .col(string_len(SupportOrganizations::Kind, 30))
                    .col(json(SupportOrganizations::PrefectureCodes))
                    .col(string_len(SupportOrganizations::ContactEmail, 254))
                    .col(integer(SupportOrganizations::Version).default(1))
                    .col(timestamp_with_time_zone(SupportOrganizations::CreatedAt))
                    .col(timestamp_with_time_zone(SupportOrganizations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganizationPrefectures::Table)
                    .col(big_integer(OrganizationPrefectures::OrganizationId))
                    .col(string_len(OrganizationPrefectures::PrefectureCode, 2))
                    .primary_key(
                        Index::create()
                            .col(OrganizationPrefectures::OrganizationId)
                            .col(OrganizationPrefectures::PrefectureCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganizationPrefectures::Table,
                                OrganizationPrefectures::OrganizationId,
                            )
                            .to(SupportOrganizations::Table, SupportOrganizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_prefectures_value")
                    .table(OrganizationPrefectures::Table)
                    .col(OrganizationPrefectures::PrefectureCode)
                    .col(OrganizationPrefectures::OrganizationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Companies::Table)
                    .col(big_pk_auto(Companies::Id))
                    .col(string_len_uniq(Companies::CorporateNumber, 13))
                    .col(string_len(Companies::Name, 200))
                    .col(string_len(Companies::NameKana, 200))
                    .col(string_len(Companies::Industry, 1))
                    .col(integer(Companies::Employees))
                    .col(big_integer(Companies::CapitalYen))
                    .col(string_len(Companies::PrefectureCode, 2))
                    .col(string_len(Companies::SmeSector, 30))
                    .col(boolean(Companies::IsSme))
                    .col(string_len(Companies::SecurityAction, 20))
                    .col(string_len(Companies::SupplyChainTarget, 20))
                    .col(boolean(Companies::Otasuketai))
                    .col(small_integer(Companies::GuideStep))
                    .col(big_integer_null(Companies::SupportOrganizationId))
                    .col(string_len(Companies::ContactName, 200))
                    .col(string_len(Companies::ContactEmail, 254))
                    .col(string_len_null(Companies::ContactPhone, 40))
                    .col(json_null(Companies::AssessmentAnswers))
                    .col(small_integer_null(Companies::RecommendedStep))
                    .col(timestamp_with_time_zone_null(Companies::AssessedAt))
                    .col(integer(Companies::Version).default(1))
                    .col(timestamp_with_time_zone(Companies::CreatedAt))
                    .col(timestamp_with_time_zone(Companies::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Companies::Table, Companies::SupportOrganizationId)
                            .to(SupportOrganizations::Table, SupportOrganizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_companies_organization")
                    .table(Companies::Table)
                    .col(Companies::SupportOrganizationId)
                    .col(Companies::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ConsultationRequests::Table)
                    .col(big_pk_auto(ConsultationRequests::Id))
                    .col(big_integer(ConsultationRequests::CompanyId))
                    .col(big_integer_null(ConsultationRequests::OrganizationId))
                    .col(string_len(ConsultationRequests::Status, 20))
                    .col(json(ConsultationRequests::ThemeIds))
                    .col(text(ConsultationRequests::Description))
                    .col(string_len(ConsultationRequests::PrefectureCode, 2))
                    .col(boolean(ConsultationRequests::RemoteOk))
                    .col(string_len(ConsultationRequests::Urgency, 20))
                    .col(integer_null(ConsultationRequests::BudgetMaxYen))
                    .col(string_len(ConsultationRequests::Language, 2))
                    .col(string_len(ConsultationRequests::FiledBy, 200))
                    .col(date(ConsultationRequests::OpenedOn))
                    .col(timestamp_with_time_zone_null(
                        ConsultationRequests::MatchedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        ConsultationRequests::ClosedAt,
                    ))
                    .col(integer(ConsultationRequests::Version).default(1))
                    .col(timestamp_with_time_zone(ConsultationRequests::CreatedAt))
                    .col(timestamp_with_time_zone(ConsultationRequests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConsultationRequests::Table, ConsultationRequests::CompanyId)
                            .to(Companies::Table, Companies::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ConsultationRequests::Table,
                                ConsultationRequests::OrganizationId,
                            )
                            .to(SupportOrganizations::Table, SupportOrganizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_requests_company", ConsultationRequests::CompanyId),
            (
                "idx_requests_organization",
                ConsultationRequests::OrganizationId,
            ),
            ("idx_requests_status", ConsultationRequests::Status),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ConsultationRequests::Table)
                        .col(column)
                        .col(ConsultationRequests::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RequestThemes::Table)
                    .col(big_integer(RequestThemes::RequestId))
                    .col(big_integer(RequestThemes::ThemeId))
                    .primary_key(
                        Index::create()
                            .col(RequestThemes::RequestId)
                            .col(RequestThemes::ThemeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RequestThemes::Table, RequestThemes::RequestId)
                            .to(ConsultationRequests::Table, ConsultationRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RequestThemes::Table, RequestThemes::ThemeId)
                            .to(GuidanceThemes::Table, GuidanceThemes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_themes_value")
                    .table(RequestThemes::Table)
                    .col(RequestThemes::ThemeId)
                    .col(RequestThemes::RequestId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Matches::Table)
                    .col(big_pk_auto(Matches::Id))
                    .col(big_integer(Matches::RequestId))
                    .col(big_integer(Matches::EntryId))
                    .col(big_integer(Matches::SpecialistId))
                    .col(string_len(Matches::Status, 20))
                    .col(json(Matches::Score))
                    .col(string_len(Matches::ProposedBy, 200))
                    .col(timestamp_with_time_zone(Matches::ProposedAt))
                    .col(date(Matches::RespondBy))
                    .col(timestamp_with_time_zone_null(Matches::RespondedAt))
                    .col(text_null(Matches::DeclineReason))
                    .col(text_null(Matches::CancelReason))
                    .col(date_null(Matches::StartedOn))
                    .col(date_null(Matches::CompletedOn))
                    .col(json_null(Matches::Measures))
                    .col(small_integer_null(Matches::GuideStepAfter))
                    .col(small_integer_null(Matches::CompanyRating))
                    .col(text_null(Matches::CompanyComment))
                    .col(small_integer_null(Matches::SpecialistRating))
                    .col(text_null(Matches::SpecialistComment))
                    .col(integer(Matches::Version).default(1))
                    .col(timestamp_with_time_zone(Matches::CreatedAt))
                    .col(timestamp_with_time_zone(Matches::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Matches::Table, Matches::RequestId)
                            .to(ConsultationRequests::Table, ConsultationRequests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Matches::Table, Matches::EntryId)
                            .to(ActiveListEntries::Table, ActiveListEntries::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Matches::Table, Matches::SpecialistId)
                            .to(Specialists::Table, Specialists::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_matches_request", [Matches::RequestId, Matches::Id]),
            (
                "idx_matches_specialist",
                [Matches::SpecialistId, Matches::Status],
            ),
            ("idx_matches_expiry", [Matches::Status, Matches::RespondBy]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Matches::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // One live (proposed, accepted or running) match per request and specialist. Both
        // databases support partial indexes; sea-query's builder does not, hence the SQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_matches_live ON matches (request_id, specialist_id) \
                 WHERE status IN ('PROPOSED', 'ACCEPTED', 'ACTIVE')",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MatchSessions::Table)
                    .col(big_pk_auto(MatchSessions::Id))
                    .col(big_integer(MatchSessions::MatchId))
                    .col(date(MatchSessions::HeldOn))
                    .col(integer(MatchSessions::Minutes))
                    .col(string_len(MatchSessions::Topic, 20))
                    .col(text(MatchSessions::Notes))
                    .col(string_len(MatchSessions::LoggedBy, 200))
                    .col(timestamp_with_time_zone(MatchSessions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MatchSessions::Table, MatchSessions::MatchId)
                            .to(Matches::Table, Matches::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_match_sessions_match")
                    .table(MatchSessions::Table)
                    .col(MatchSessions::MatchId)
                    .col(MatchSessions::HeldOn)
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(ActiveListEntries::Table)
                    .add_column(small_integer(ActiveListEntries::ActiveMatches).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClaimMatches::Table)
                    .col(big_integer(ClaimMatches::ClaimId))
                    .col(big_integer(ClaimMatches::MatchId))
                    .primary_key(
                        Index::create()
                            .col(ClaimMatches::ClaimId)
                            .col(ClaimMatches::MatchId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClaimMatches::Table, ClaimMatches::ClaimId)
                            .to(DeemedAttendanceClaims::Table, DeemedAttendanceClaims::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClaimMatches::Table, ClaimMatches::MatchId)
                            .to(Matches::Table, Matches::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claim_matches_match")
                    .table(ClaimMatches::Table)
                    .col(ClaimMatches::MatchId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ActiveListEntries::Table)
                    .drop_column(ActiveListEntries::ActiveMatches)
                    .to_owned(),
            )
            .await?;
        for table in [
            ClaimMatches::Table.into_iden(),
            MatchSessions::Table.into_iden(),
            Matches::Table.into_iden(),
            RequestThemes::Table.into_iden(),
            ConsultationRequests::Table.into_iden(),
            Companies::Table.into_iden(),
            OrganizationPrefectures::Table.into_iden(),
            SupportOrganizations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Specialists {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GuidanceThemes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ActiveListEntries {
    Table,
    Id,
    ActiveMatches,
}

#[derive(DeriveIden)]
enum DeemedAttendanceClaims {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SupportOrganizations {
    Table,
    Id,
    Code,
    Name,
    Kind,
    PrefectureCodes,
    ContactEmail,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrganizationPrefectures {
    Table,
    OrganizationId,
    PrefectureCode,
}

#[derive(DeriveIden)]
enum Companies {
    Table,
    Id,
    CorporateNumber,
    Name,
    NameKana,
    Industry,
    Employees,
    CapitalYen,
    PrefectureCode,
    SmeSector,
    IsSme,
    SecurityAction,
    SupplyChainTarget,
    Otasuketai,
    GuideStep,
    SupportOrganizationId,
    ContactName,
    ContactEmail,
    ContactPhone,
    AssessmentAnswers,
    RecommendedStep,
    AssessedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConsultationRequests {
    Table,
    Id,
    CompanyId,
    OrganizationId,
    Status,
    ThemeIds,
    Description,
    PrefectureCode,
    RemoteOk,
    Urgency,
    BudgetMaxYen,
    Language,
    FiledBy,
    OpenedOn,
    MatchedAt,
    ClosedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RequestThemes {
    Table,
    RequestId,
    ThemeId,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
    RequestId,
    EntryId,
    SpecialistId,
    Status,
    Score,
    ProposedBy,
    ProposedAt,
    RespondBy,
    RespondedAt,
    DeclineReason,
    CancelReason,
    StartedOn,
    CompletedOn,
    Measures,
    GuideStepAfter,
    CompanyRating,
    CompanyComment,
    SpecialistRating,
    SpecialistComment,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MatchSessions {
    Table,
    Id,
    MatchId,
    HeldOn,
    Minutes,
    Topic,
    Notes,
    LoggedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClaimMatches {
    Table,
    ClaimId,
    MatchId,
}
