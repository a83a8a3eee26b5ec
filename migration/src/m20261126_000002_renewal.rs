//! Renewal: requirement policies (seeded with the rules in force), the course catalogue,
//! renewal cycles, training completions, deemed-attendance claims and the reminder outbox.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{
        DatabaseBackend,
        prelude::{ChronoUtc, Date},
    },
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A requirement of a seeded policy: code, name, accepted course kinds, cycle year,
/// deemable, standard fee in yen.
type SeedRequirement = (
    &'static str,
    &'static str,
    &'static str,
    Option<i16>,
    bool,
    i32,
);

/// The rules in force since May 2020: an online course in each year of the cycle and a
/// practical or specified course once per cycle.
const STANDARD_2020: [SeedRequirement; 4] = [
    (
        "ONLINE_YEAR_1",
        "Online course, first year of the cycle",
        "ONLINE",
        Some(1),
        false,
        20_000,
    ),
    (
        "ONLINE_YEAR_2",
        "Online course, second year of the cycle",
        "ONLINE",
        Some(2),
        false,
        20_000,
    ),
    (
        "ONLINE_YEAR_3",
        "Online course, third year of the cycle",
        "ONLINE",
        Some(3),
        false,
        20_000,
    ),
    (
        "PRACTICAL",
        "Practical course or specified course, once per cycle",
        "PRACTICAL,SPECIFIED",
        None,
        false,
        80_000,
    ),
];

/// Deemed attendance from FY2026: the ethics and duties content stays mandatory; every
/// other requirement may be met by approved practical experience instead.
const DEEMED_2026: [SeedRequirement; 5] = [
    (
        "ETHICS",
        "Ethics and duties of a registered specialist, once per cycle",
        "ETHICS",
        None,
        false,
        0,
    ),
    (
        "ONLINE_YEAR_1",
        "Online course, first year of the cycle",
        "ONLINE",
        Some(1),
        true,
        20_000,
    ),
    (
        "ONLINE_YEAR_2",
        "Online course, second year of the cycle",
        "ONLINE",
        Some(2),
        true,
        20_000,
    ),
    (
        "ONLINE_YEAR_3",
        "Online course, third year of the cycle",
        "ONLINE",
        Some(3),
        true,
        20_000,
    ),
    (
        "PRACTICAL",
        "Practical course or specified course, once per cycle",
        "PRACTICAL,SPECIFIED",
        None,
        true,
        80_000,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_policies(manager).await?;
        create_courses(manager).await?;
        create_cycles(manager).await?;
        create_completions(manager).await?;
        create_claims(manager).await?;
        create_reminders(manager).await?;
        seed_policy(
            manager,
            1,
            "STANDARD_2020",
            "Training rules in force since May 2020",
            ymd(2020, 5, 1)?,
            &STANDARD_2020,
        )
        .await?;
        seed_policy(
            manager,
            2,
            "DEEMED_2026",
            "Deemed attendance (みなし受講) from fiscal year 2026",
            ymd(2026, 4, 1)?,
            &DEEMED_2026,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RenewalReminders::Table.into_iden(),
            DeemedAttendanceClaims::Table.into_iden(),
            TrainingCompletions::Table.into_iden(),
            RenewalCycles::Table.into_iden(),
            Courses::Table.into_iden(),
            PolicyRequirements::Table.into_iden(),
            RequirementPolicies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn ymd(year: i32, month: u32, day: u32) -> Result<Date, DbErr> {
    Date::from_ymd_opt(year, month, day).ok_or_else(|| DbErr::Custom("bad seed date".into()))
}

async fn seed_policy(
    manager: &SchemaManager<'_>,
    id: i64,
    code: &str,
    name: &str,
    effective_from: Date,
    requirements: &[SeedRequirement],
) -> Result<(), DbErr> {
    let now = ChronoUtc::now();
    let insert = Query::insert()
        .into_table(RequirementPolicies::Table)
        .columns([
            RequirementPolicies::Id,
            RequirementPolicies::Code,
            RequirementPolicies::Name,
            RequirementPolicies::EffectiveFrom,
            RequirementPolicies::CreatedAt,
            RequirementPolicies::CreatedBy,
        ])
        .values_panic([
            id.into(),
            code.into(),
            name.into(),
            effective_from.into(),
            now.into(),
            "migration".into(),
        ])
        .to_owned();
    manager.exec_stmt(insert).await?;
    for (position, (code, name, kinds, year, deemable, fee)) in requirements.iter().enumerate() {
        let insert = Query::insert()
            .into_table(PolicyRequirements::Table)
            .columns([
                PolicyRequirements::PolicyId,
                PolicyRequirements::Position,
                PolicyRequirements::Code,
                PolicyRequirements::Name,
                PolicyRequirements::CourseKinds,
                PolicyRequirements::CycleYear,
                PolicyRequirements::Deemable,
                PolicyRequirements::StandardFeeYen,
            ])
            .values_panic([
                id.into(),
                <i16 as TryFrom<usize>>::try_from(position)
                    .unwrap_or(i16::MAX)
                    .into(),
                (*code).into(),
                (*name).into(),
                (*kinds).into(),
                (*year).into(),
                (*deemable).into(),
                (*fee).into(),
            ])
            .to_owned();
        manager.exec_stmt(insert).await?;
    }
    // Keep PostgreSQL's id sequence past the seeded rows.
    if manager.get_database_backend() == DatabaseBackend::Postgres {
        manager
            .get_connection()
            .execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('requirement_policies', 'id'), \
                 (SELECT MAX(id) FROM requirement_policies))",
            )
            .await?;
    }
    Ok(())
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

async fn create_policies(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(RequirementPolicies::Table)
                .col(big_pk_auto(RequirementPolicies::Id))
                .col(string_len_uniq(RequirementPolicies::Code, 40))
                .col(string_len(RequirementPolicies::Name, 200))
                .col(date_uniq(RequirementPolicies::EffectiveFrom))
                .col(timestamp_with_time_zone(RequirementPolicies::CreatedAt))
                .col(string_len(RequirementPolicies::CreatedBy, 200))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PolicyRequirements::Table)
                .col(big_pk_auto(PolicyRequirements::Id))
                .col(big_integer(PolicyRequirements::PolicyId))
                .col(small_integer(PolicyRequirements::Position))
                .col(string_len(PolicyRequirements::Code, 40))
                .col(string_len(PolicyRequirements::Name, 200))
                .col(string_len(PolicyRequirements::CourseKinds, 100))
                .col(small_integer_null(PolicyRequirements::CycleYear))
                .col(boolean(PolicyRequirements::Deemable))
                .col(integer(PolicyRequirements::StandardFeeYen))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_policy_requirements_policy")
                        .from(PolicyRequirements::Table, PolicyRequirements::PolicyId)
                        .to(RequirementPolicies::Table, RequirementPolicies::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_policy_requirements_code",
        PolicyRequirements::Table,
        vec![
            PolicyRequirements::PolicyId.into_iden(),
            PolicyRequirements::Code.into_iden(),
        ],
        true,
    )
    .await
}

async fn create_courses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Courses::Table)
                .col(big_pk_auto(Courses::Id))
                .col(string_len_uniq(Courses::Code, 40))
                .col(string_len(Courses::Name, 200))
                .col(string_len(Courses::Provider, 200))
                .col(string_len(Courses::Kind, 20))
                .col(integer(Courses::FiscalYear))
                .col(integer(Courses::FeeYen))
                .col(double(Courses::Hours))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_courses_year_kind",
        Courses::Table,
        vec![
            Courses::FiscalYear.into_iden(),
            Courses::Kind.into_iden(),
            Courses::Id.into_iden(),
        ],
        false,
    )
    .await
}

async fn create_cycles(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(RenewalCycles::Table)
                .col(big_pk_auto(RenewalCycles::Id))
                .col(big_integer(RenewalCycles::SpecialistId))
                .col(integer(RenewalCycles::Sequence))
                .col(date(RenewalCycles::StartsOn))
                .col(date(RenewalCycles::EndsOn))
                .col(date(RenewalCycles::ApplicationDueOn))
                .col(string_len(RenewalCycles::State, 20))
                .col(integer(RenewalCycles::MissingRequirements))
                .col(date_null(RenewalCycles::AppliedOn))
                .col(date_null(RenewalCycles::RefusedOn))
                .col(text_null(RenewalCycles::RefusalReason))
                .col(date_null(RenewalCycles::ClosedOn))
                .col(integer(RenewalCycles::Version).default(1))
                .col(timestamp_with_time_zone(RenewalCycles::CreatedAt))
                .col(timestamp_with_time_zone(RenewalCycles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_renewal_cycles_specialist")
                        .from(RenewalCycles::Table, RenewalCycles::SpecialistId)
                        .to(Specialists::Table, Specialists::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_renewal_cycles_specialist",
        RenewalCycles::Table,
        vec![
            RenewalCycles::SpecialistId.into_iden(),
            RenewalCycles::Sequence.into_iden(),
        ],
        true,
    )
    .await?;
    index(
        manager,
        "idx_renewal_cycles_due",
        RenewalCycles::Table,
        vec![
            RenewalCycles::State.into_iden(),
            RenewalCycles::ApplicationDueOn.into_iden(),
            RenewalCycles::Id.into_iden(),
        ],
        false,
    )
    .await?;
    index(
        manager,
        "idx_renewal_cycles_end",
        RenewalCycles::Table,
        vec![
            RenewalCycles::State.into_iden(),
            RenewalCycles::EndsOn.into_iden(),
        ],
        false,
    )
    .await
}

async fn create_completions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(TrainingCompletions::Table)
                .col(big_pk_auto(TrainingCompletions::Id))
                .col(big_integer(TrainingCompletions::SpecialistId))
                .col(big_integer(TrainingCompletions::CourseId))
                .col(date(TrainingCompletions::CompletedOn))
                .col(timestamp_with_time_zone(TrainingCompletions::RecordedAt))
                .col(string_len(TrainingCompletions::RecordedBy, 200))
                .col(string_len_null(TrainingCompletions::RequestId, 64))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_completions_specialist")
                        .from(
                            TrainingCompletions::Table,
                            TrainingCompletions::SpecialistId,
                        )
                        .to(Specialists::Table, Specialists::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_completions_course")
                        .from(TrainingCompletions::Table, TrainingCompletions::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_completions_once",
        TrainingCompletions::Table,
        vec![
            TrainingCompletions::SpecialistId.into_iden(),
            TrainingCompletions::CompletedOn.into_iden(),
            TrainingCompletions::CourseId.into_iden(),
        ],
        true,
    )
    .await
}

async fn create_claims(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(DeemedAttendanceClaims::Table)
                .col(big_pk_auto(DeemedAttendanceClaims::Id))
                .col(big_integer(DeemedAttendanceClaims::SpecialistId))
                .col(big_integer(DeemedAttendanceClaims::CycleId))
                .col(string_len(DeemedAttendanceClaims::RequirementCode, 40))
                .col(text(DeemedAttendanceClaims::Activity))
                .col(text(DeemedAttendanceClaims::Beneficiary))
                .col(date(DeemedAttendanceClaims::PeriodFrom))
                .col(date(DeemedAttendanceClaims::PeriodTo))
                .col(double(DeemedAttendanceClaims::Hours))
                .col(json(DeemedAttendanceClaims::EvidenceLinks))
                .col(string_len(DeemedAttendanceClaims::Status, 20))
                .col(text_null(DeemedAttendanceClaims::ReviewComment))
                .col(string_len_null(DeemedAttendanceClaims::ReviewedBy, 200))
                .col(timestamp_with_time_zone_null(
                    DeemedAttendanceClaims::ReviewedAt,
                ))
                .col(integer_null(DeemedAttendanceClaims::FeeSavedYen))
                .col(integer(DeemedAttendanceClaims::Version).default(1))
                .col(timestamp_with_time_zone(
                    DeemedAttendanceClaims::SubmittedAt,
                ))
                .col(timestamp_with_time_zone(DeemedAttendanceClaims::CreatedAt))
                .col(timestamp_with_time_zone(DeemedAttendanceClaims::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_claims_specialist")
                        .from(
                            DeemedAttendanceClaims::Table,
                            DeemedAttendanceClaims::SpecialistId,
                        )
                        .to(Specialists::Table, Specialists::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_claims_cycle")
                        .from(
                            DeemedAttendanceClaims::Table,
                            DeemedAttendanceClaims::CycleId,
                        )
                        .to(RenewalCycles::Table, RenewalCycles::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_claims_cycle",
        DeemedAttendanceClaims::Table,
        vec![
            DeemedAttendanceClaims::CycleId.into_iden(),
            DeemedAttendanceClaims::Id.into_iden(),
        ],
        false,
    )
    .await?;
    index(
        manager,
        "idx_claims_specialist",
        DeemedAttendanceClaims::Table,
        vec![
            DeemedAttendanceClaims::SpecialistId.into_iden(),
            DeemedAttendanceClaims::Id.into_iden(),
        ],
        false,
    )
    .await?;
    index(
        manager,
        "idx_claims_status",
        DeemedAttendanceClaims::Table,
        vec![
            DeemedAttendanceClaims::Status.into_iden(),
            DeemedAttendanceClaims::Id.into_iden(),
        ],
        false,
    )
    .await
}

async fn create_reminders(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(RenewalReminders::Table)
                .col(big_pk_auto(RenewalReminders::Id))
                .col(big_integer(RenewalReminders::CycleId))
                .col(big_integer(RenewalReminders::SpecialistId))
                .col(string_len(RenewalReminders::Kind, 20))
                .col(date(RenewalReminders::ApplicationDueOn))
                .col(date(RenewalReminders::EndsOn))
                .col(date(RenewalReminders::WrittenOn))
                .col(timestamp_with_time_zone(RenewalReminders::CreatedAt))
                .col(timestamp_with_time_zone_null(RenewalReminders::DeliveredAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_reminders_cycle")
                        .from(RenewalReminders::Table, RenewalReminders::CycleId)
                        .to(RenewalCycles::Table, RenewalCycles::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_reminders_once",
        RenewalReminders::Table,
        vec![
            RenewalReminders::CycleId.into_iden(),
            RenewalReminders::Kind.into_iden(),
        ],
        true,
    )
    .await?;
    index(
        manager,
        "idx_reminders_written",
        RenewalReminders::Table,
        vec![
            RenewalReminders::WrittenOn.into_iden(),
            RenewalReminders::Id.into_iden(),
        ],
        false,
    )
    .await
}

#[derive(DeriveIden)]
enum Specialists {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RequirementPolicies {
    Table,
    Id,
    Code,
    Name,
    EffectiveFrom,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum PolicyRequirements {
    Table,
    Id,
    PolicyId,
    Position,
    Code,
    Name,
    CourseKinds,
    CycleYear,
    Deemable,
    StandardFeeYen,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Code,
    Name,
    Provider,
    Kind,
    FiscalYear,
    FeeYen,
    Hours,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RenewalCycles {
    Table,
    Id,
    SpecialistId,
    Sequence,
    StartsOn,
    EndsOn,
    ApplicationDueOn,
    State,
    MissingRequirements,
    AppliedOn,
    RefusedOn,
    RefusalReason,
    ClosedOn,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingCompletions {
    Table,
    Id,
    SpecialistId,
    CourseId,
    CompletedOn,
    RecordedAt,
    RecordedBy,
    RequestId,
}

#[derive(DeriveIden)]
enum DeemedAttendanceClaims {
    Table,
    Id,
    SpecialistId,
    CycleId,
    RequirementCode,
    Activity,
    Beneficiary,
    PeriodFrom,
    PeriodTo,
    Hours,
    EvidenceLinks,
    Status,
    ReviewComment,
    ReviewedBy,
    ReviewedAt,
    FeeSavedYen,
    Version,
    SubmittedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RenewalReminders {
    Table,
    Id,
    CycleId,
    SpecialistId,
    Kind,
    ApplicationDueOn,
    EndsOn,
    WrittenOn,
    CreatedAt,
    DeliveredAt,
}
