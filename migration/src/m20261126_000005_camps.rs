//! Security Camp and its alumni community.
//!
//! - `people`: one row per person, whoever they are to Kakehashi (camp applicant, alumnus,
//!   registered specialist); `subject` is the `sub` of their tokens, `specialist_id` links
//!   the registry when they are also a registered specialist;
//! - `camp_programs` (seeded: the national, mini, junior, next and Connect camps and
//!   "other") with their eligibility rules as data; `camp_cohorts` and their `camp_tracks`;
//! - `camp_applications`: one per person and cohort. `selected_count` on tracks and cohorts
//!   counts the places held, raised only by a conditional update that keeps it within the
//!   capacity, so that concurrent selections can never overfill a track;
//! - the community: `community_members` (opt-in profile, a visibility per field),
//!   `member_interests` (one row per interest, for filtering), `alumni_activities`,
//!   `community_events` and their `event_rsvps`.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::prelude::ChronoUtc};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A seeded program: kind, name, description, youngest and oldest eligible age on the
/// cohort's first day, attended at most once.
type SeedProgram = (
    &'static str,
    &'static str,
    &'static str,
    Option<i16>,
    Option<i16>,
    bool,
);

/// The programs every installation starts with.
const PROGRAMS: [SeedProgram; 6] = [
    (
        "NATIONAL",
        "セキュリティ・キャンプ全国大会",
        "The national camp: five days every August for students aged 22 or under; attended once.",
        None,
        Some(22),
        true,
    ),
    (
        "MINI",
        "セキュリティ・キャンプ・ミニ",
        "Regional one- or two-day camps with lectures and hands-on classes.",
        None,
        Some(25),
        false,
    ),
    (
        "JUNIOR",
        "ジュニアキャンプ",
        "The junior camp for pupils aged 12 to 17.",
        Some(12),
        Some(17),
        false,
    ),
    (
        "NEXT",
        "セキュリティ・ネクストキャンプ",
        "The advanced camp for those aged 25 or under who want to go further.",
        None,
        Some(25),
        false,
    ),
    (
        "CONNECT",
        "セキュリティ・キャンプ・コネクト",
        "Security Camp Connect (from spring 2026): other fields × security, such as AI.",
        None,
        None,
        false,
    ),
    (
        "OTHER",
        "その他のキャンプ",
        "Other camps and community programs.",
        None,
        None,
        false,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(big_pk_auto(People::Id))
                    .col(string_len_null(People::Subject, 200).unique_key())
                    .col(string_len(People::Name, 200))
                    .col(string_len(People::NameKana, 200))
                    .col(date(People::BirthDate))
                    .col(string_len(People::Email, 254))
                    .col(string_len_null(People::PrefectureCode, 2))
                    .col(big_integer_null(People::SpecialistId).unique_key())
                    .col(integer(People::Version).default(1))
                    .col(timestamp_with_time_zone(People::CreatedAt))
                    .col(timestamp_with_time_zone(People::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(People::Table, People::SpecialistId)
                            .to(Specialists::Table, Specialists::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CampPrograms::Table)
                    .col(big_pk_auto(CampPrograms::Id))
                    .col(string_len_uniq(CampPrograms::Kind, 20))
                    .col(string_len(CampPrograms::Name, 200))
                    .col(text(CampPrograms::Description))
                    .col(small_integer_null(CampPrograms::MinAge))
                    .col(small_integer_null(CampPrograms::MaxAge))
                    .col(boolean(CampPrograms::AttendOnce))
                    .col(integer(CampPrograms::Version).default(1))
                    .col(timestamp_with_time_zone(CampPrograms::CreatedAt))
                    .col(timestamp_with_time_zone(CampPrograms::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let now = ChronoUtc::now();
        for (kind, name, description, min_age, max_age, once) in PROGRAMS {
            let insert = Query::insert()
                .into_table(CampPrograms::Table)
                .columns([
                    CampPrograms::Kind,
                    CampPrograms::Name,
                    CampPrograms::Description,
                    CampPrograms::MinAge,
                    CampPrograms::MaxAge,
                    CampPrograms::AttendOnce,
                    CampPrograms::Version,
                    CampPrograms::CreatedAt,
                    CampPrograms::UpdatedAt,
                ])
                .values_panic([
                    kind.into(),
                    name.into(),
                    description.into(),
                    min_age.into(),
                    max_age.into(),
                    once.into(),
                    1.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CampCohorts::Table)
                    .col(big_pk_auto(CampCohorts::Id))
                    .col(big_integer(CampCohorts::ProgramId))
                    .col(integer(CampCohorts::FiscalYear))
                    .col(string_len(CampCohorts::Name, 200))
                    .col(date(CampCohorts::StartsOn))
                    .col(date(CampCohorts::EndsOn))
                    .col(boolean(CampCohorts::Online))
                    .col(string_len_null(CampCohorts::Venue, 200))
                    .col(string_len_null(CampCohorts::PrefectureCode, 2))
                    .col(integer(CampCohorts::Capacity))
                    .col(integer(CampCohorts::SelectedCount).default(0))
                    .col(date(CampCohorts::ApplicationsOpenOn))
                    .col(date(CampCohorts::ApplicationsCloseOn))
                    .col(json(CampCohorts::Questions))
                    .col(string_len(CampCohorts::Status, 20))
                    .col(integer(CampCohorts::Version).default(1))
                    .col(timestamp_with_time_zone(CampCohorts::CreatedAt))
                    .col(timestamp_with_time_zone(CampCohorts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CampCohorts::Table, CampCohorts::ProgramId)
                            .to(CampPrograms::Table, CampPrograms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_camp_cohorts_program_year")
                    .table(CampCohorts::Table)
                    .col(CampCohorts::ProgramId)
                    .col(CampCohorts::FiscalYear)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CampTracks::Table)
                    .col(big_pk_auto(CampTracks::Id))
                    .col(big_integer(CampTracks::CohortId))
                    .col(small_integer(CampTracks::Position))
                    .col(string_len(CampTracks::Name, 200))
                    .col(text(CampTracks::Description))
                    .col(integer(CampTracks::Capacity))
                    .col(integer(CampTracks::SelectedCount).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CampTracks::Table, CampTracks::CohortId)
                            .to(CampCohorts::Table, CampCohorts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_camp_tracks_cohort")
                    .table(CampTracks::Table)
                    .col(CampTracks::CohortId)
                    .col(CampTracks::Position)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CampApplications::Table)
                    .col(big_pk_auto(CampApplications::Id))
                    .col(big_integer(CampApplications::CohortId))
                    .col(big_integer(CampApplications::PersonId))
                    .col(string_len(CampApplications::Status, 20))
                    .col(json(CampApplications::PreferredTrackIds))
                    .col(big_integer_null(CampApplications::TrackId))
                    .col(json(CampApplications::Answers))
                    .col(timestamp_with_time_zone(CampApplications::AppliedAt))
                    .col(timestamp_with_time_zone_null(CampApplications::DecidedAt))
                    .col(string_len_null(CampApplications::DecidedBy, 200))
                    .col(integer(CampApplications::Version).default(1))
                    .col(timestamp_with_time_zone(CampApplications::CreatedAt))
                    .col(timestamp_with_time_zone(CampApplications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CampApplications::Table, CampApplications::CohortId)
                            .to(CampCohorts::Table, CampCohorts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CampApplications::Table, CampApplications::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CampApplications::Table, CampApplications::TrackId)
                            .to(CampTracks::Table, CampTracks::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_camp_applications_person_cohort")
                    .table(CampApplications::Table)
                    .col(CampApplications::PersonId)
                    .col(CampApplications::CohortId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_camp_applications_cohort_status")
                    .table(CampApplications::Table)
                    .col(CampApplications::CohortId)
                    .col(CampApplications::Status)
                    .col(CampApplications::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CommunityMembers::Table)
                    .col(big_integer(CommunityMembers::PersonId).primary_key())
                    .col(string_len(CommunityMembers::DisplayName, 100))
                    .col(string_len_null(CommunityMembers::Affiliation, 200))
                    .col(text(CommunityMembers::Bio))
                    .col(json(CommunityMembers::Interests))
                    .col(boolean(CommunityMembers::OpenToMentoring))
                    .col(string_len_null(CommunityMembers::Link, 500))
                    .col(small_integer(CommunityMembers::DisplayNameVisibility))
                    .col(small_integer(CommunityMembers::AffiliationVisibility))
                    .col(small_integer(CommunityMembers::PrefectureVisibility))
                    .col(small_integer(CommunityMembers::BioVisibility))
                    .col(small_integer(CommunityMembers::InterestsVisibility))
                    .col(small_integer(CommunityMembers::MentoringVisibility))
                    .col(small_integer(CommunityMembers::CohortsVisibility))
                    .col(small_integer(CommunityMembers::LinkVisibility))
                    .col(small_integer(CommunityMembers::EmailVisibility))
                    .col(small_integer(CommunityMembers::ActivitiesVisibility))
                    .col(small_integer(CommunityMembers::SpecialistVisibility))
                    .col(timestamp_with_time_zone(CommunityMembers::JoinedAt))
                    .col(timestamp_with_time_zone_null(CommunityMembers::LeftAt))
                    .col(integer(CommunityMembers::Version).default(1))
                    .col(timestamp_with_time_zone(CommunityMembers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommunityMembers::Table, CommunityMembers::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MemberInterests::Table)
                    .col(big_integer(MemberInterests::PersonId))
                    .col(string_len(MemberInterests::Interest, 40))
                    .primary_key(
                        Index::create()
                            .col(MemberInterests::PersonId)
                            .col(MemberInterests::Interest),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MemberInterests::Table, MemberInterests::PersonId)
                            .to(CommunityMembers::Table, CommunityMembers::PersonId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_member_interests_value")
                    .table(MemberInterests::Table)
                    .col(MemberInterests::Interest)
                    .col(MemberInterests::PersonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AlumniActivities::Table)
                    .col(big_pk_auto(AlumniActivities::Id))
                    .col(big_integer(AlumniActivities::PersonId))
                    .col(date(AlumniActivities::OccurredOn))
                    .col(string_len(AlumniActivities::Kind, 20))
                    .col(string_len(AlumniActivities::Title, 200))
                    .col(string_len_null(AlumniActivities::Link, 500))
                    .col(boolean(AlumniActivities::Featured).default(false))
                    .col(timestamp_with_time_zone_null(AlumniActivities::FeaturedAt))
                    .col(timestamp_with_time_zone(AlumniActivities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AlumniActivities::Table, AlumniActivities::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_alumni_activities_person")
                    .table(AlumniActivities::Table)
                    .col(AlumniActivities::PersonId)
                    .col(AlumniActivities::OccurredOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CommunityEvents::Table)
                    .col(big_pk_auto(CommunityEvents::Id))
                    .col(string_len(CommunityEvents::Title, 200))
                    .col(text(CommunityEvents::Description))
                    .col(timestamp_with_time_zone(CommunityEvents::StartsAt))
                    .col(timestamp_with_time_zone(CommunityEvents::EndsAt))
                    .col(boolean(CommunityEvents::Online))
                    .col(string_len_null(CommunityEvents::Place, 200))
                    .col(string_len_null(CommunityEvents::PrefectureCode, 2))
                    .col(integer(CommunityEvents::Capacity))
                    .col(integer(CommunityEvents::GoingCount).default(0))
                    .col(string_len(CommunityEvents::Status, 20))
                    .col(integer(CommunityEvents::Version).default(1))
                    .col(timestamp_with_time_zone(CommunityEvents::CreatedAt))
                    .col(timestamp_with_time_zone(CommunityEvents::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventRsvps::Table)
                    .col(big_pk_auto(EventRsvps::Id))
                    .col(big_integer(EventRsvps::EventId))
                    .col(big_integer(EventRsvps::PersonId))
                    .col(string_len(EventRsvps::Status, 20))
                    .col(boolean(EventRsvps::Attended).default(false))
                    .col(timestamp_with_time_zone(EventRsvps::CreatedAt))
                    .col(timestamp_with_time_zone(EventRsvps::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventRsvps::Table, EventRsvps::EventId)
                            .to(CommunityEvents::Table, CommunityEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventRsvps::Table, EventRsvps::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_rsvps_event_person")
                    .table(EventRsvps::Table)
                    .col(EventRsvps::EventId)
                    .col(EventRsvps::PersonId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EventRsvps::Table.into_iden(),
            CommunityEvents::Table.into_iden(),
            AlumniActivities::Table.into_iden(),
            MemberInterests::Table.into_iden(),
            CommunityMembers::Table.into_iden(),
            CampApplications::Table.into_iden(),
            CampTracks::Table.into_iden(),
            CampCohorts::Table.into_iden(),
            CampPrograms::Table.into_iden(),
            People::Table.into_iden(),
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
enum People {
    Table,
    Id,
    Subject,
    Name,
    NameKana,
    BirthDate,
    Email,
    PrefectureCode,
    SpecialistId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CampPrograms {
    Table,
    Id,
    Kind,
    Name,
    Description,
    MinAge,
    MaxAge,
    AttendOnce,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CampCohorts {
    Table,
    Id,
    ProgramId,
    FiscalYear,
    Name,
    StartsOn,
    EndsOn,
    Online,
    Venue,
    PrefectureCode,
    Capacity,
    SelectedCount,
    ApplicationsOpenOn,
    ApplicationsCloseOn,
    Questions,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CampTracks {
    Table,
    Id,
    CohortId,
    Position,
    Name,
    Description,
    Capacity,
    SelectedCount,
}

#[derive(DeriveIden)]
enum CampApplications {
    Table,
    Id,
    CohortId,
    PersonId,
    Status,
    PreferredTrackIds,
    TrackId,
    Answers,
    AppliedAt,
    DecidedAt,
    DecidedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CommunityMembers {
    Table,
    PersonId,
    DisplayName,
    Affiliation,
    Bio,
    Interests,
    OpenToMentoring,
    Link,
    DisplayNameVisibility,
    AffiliationVisibility,
    PrefectureVisibility,
    BioVisibility,
    InterestsVisibility,
    MentoringVisibility,
    CohortsVisibility,
    LinkVisibility,
    EmailVisibility,
    ActivitiesVisibility,
    SpecialistVisibility,
    JoinedAt,
    LeftAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MemberInterests {
    Table,
    PersonId,
    Interest,
}

#[derive(DeriveIden)]
enum AlumniActivities {
    Table,
    Id,
    PersonId,
    OccurredOn,
    Kind,
    Title,
    Link,
    Featured,
    FeaturedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommunityEvents {
    Table,
    Id,
    Title,
    Description,
    StartsAt,
    EndsAt,
    Online,
    Place,
    PrefectureCode,
    Capacity,
    GoingCount,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventRsvps {
    Table,
    Id,
    EventId,
    PersonId,
    Status,
    Attended,
    CreatedAt,
    UpdatedAt,
}
