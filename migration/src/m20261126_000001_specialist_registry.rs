//! The specialist registry: specialists, their status history and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Specialists::Table)
                    .col(big_pk_auto(Specialists::Id))
                    .col(string_len_uniq(Specialists::RegistrationNumber, 6))
                    .col(string_len(Specialists::FamilyName, 100))
                    .col(string_len(Specialists::GivenName, 100))
                    .col(string_len(Specialists::FamilyNameKana, 100))
                    .col(string_len(Specialists::GivenNameKana, 100))
                    .col(integer(Specialists::BirthYear))
                    .col(small_integer(Specialists::BirthMonth))
                    .col(string_len(Specialists::Email, 254))
                    .col(string_len_null(Specialists::Phone, 30))
                    .col(string_len(Specialists::PrefectureCode, 2))
                    .col(string_len_null(Specialists::Employer, 200))
                    .col(integer(Specialists::ExamYear))
                    .col(string_len(Specialists::ExamSeason, 10))
                    .col(date(Specialists::RegisteredOn))
                    .col(string_len(Specialists::Status, 20))
                    .col(date(Specialists::StatusSince))
                    .col(boolean(Specialists::DiscloseName).default(false))
                    .col(boolean(Specialists::DiscloseKana).default(false))
                    .col(boolean(Specialists::DiscloseBirthYearMonth).default(false))
                    .col(boolean(Specialists::DiscloseEmployer).default(false))
                    .col(boolean(Specialists::DisclosePrefecture).default(false))
                    .col(integer(Specialists::Version).default(1))
                    .col(timestamp_with_time_zone(Specialists::CreatedAt))
                    .col(timestamp_with_time_zone(Specialists::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_specialists_status",
                vec![Specialists::Status, Specialists::Id],
            ),
            (
                "idx_specialists_prefecture",
                vec![Specialists::PrefectureCode, Specialists::Id],
            ),
            (
                "idx_specialists_registered_on",
                vec![Specialists::RegisteredOn, Specialists::Id],
            ),
            (
                "idx_specialists_kana",
                vec![
                    Specialists::FamilyNameKana,
                    Specialists::GivenNameKana,
                    Specialists::Id,
                ],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Specialists::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SpecialistStatusEvents::Table)
                    .col(big_pk_auto(SpecialistStatusEvents::Id))
                    .col(big_integer(SpecialistStatusEvents::SpecialistId))
                    .col(string_len(SpecialistStatusEvents::Status, 20))
                    .col(date(SpecialistStatusEvents::EffectiveOn))
                    .col(text(SpecialistStatusEvents::Reason))
                    .col(timestamp_with_time_zone(SpecialistStatusEvents::RecordedAt))
                    .col(string_len(SpecialistStatusEvents::RecordedBy, 200))
                    .col(string_len_null(SpecialistStatusEvents::RequestId, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_status_events_specialist")
                            .from(
                                SpecialistStatusEvents::Table,
                                SpecialistStatusEvents::SpecialistId,
                            )
                            .to(Specialists::Table, Specialists::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_status_events_specialist")
                    .table(SpecialistStatusEvents::Table)
                    .col(SpecialistStatusEvents::SpecialistId)
                    .col(SpecialistStatusEvents::EffectiveOn)
                    .col(SpecialistStatusEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_status_events_effective_on")
                    .table(SpecialistStatusEvents::Table)
                    .col(SpecialistStatusEvents::EffectiveOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(string_len(AuditEvents::ActorSubject, 200))
                    .col(string_len(AuditEvents::ActorRole, 40))
                    .col(string_len(AuditEvents::Action, 80))
                    .col(string_len(AuditEvents::TargetType, 60))
                    .col(string_len(AuditEvents::TargetId, 64))
                    .col(string_len_null(AuditEvents::RequestId, 64))
                    .col(json(AuditEvents::Details))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_target")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::TargetType)
                    .col(AuditEvents::TargetId)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(SpecialistStatusEvents::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Specialists::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Specialists {
    Table,
    Id,
    RegistrationNumber,
    FamilyName,
    GivenName,
    FamilyNameKana,
    GivenNameKana,
    BirthYear,
    BirthMonth,
    Email,
    Phone,
    PrefectureCode,
    Employer,
    ExamYear,
    ExamSeason,
    RegisteredOn,
    Status,
    StatusSince,
    DiscloseName,
    DiscloseKana,
    DiscloseBirthYearMonth,
    DiscloseEmployer,
    DisclosePrefecture,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SpecialistStatusEvents {
    Table,
    Id,
    SpecialistId,
    Status,
    EffectiveOn,
    Reason,
    RecordedAt,
    RecordedBy,
    RequestId,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorSubject,
    ActorRole,
    Action,
    TargetType,
    TargetId,
    RequestId,
    Details,
}
