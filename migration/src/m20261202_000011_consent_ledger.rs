//! The consent ledger: every disclosure consent a person gives or withdraws (the registry's
//! publication of consent-based fields, the community profile's visibility per field, the
//! terms of a Security Camp application), with the version of the terms it was given
//! under and when. The current state of each consent derives from the ledger; the columns
//! that hold it (`specialists.disclose_*`, `community_members.*_visibility`) are written in
//! the same transaction as the ledger entry. Like the audit trail, the ledger is
//! append-only in the database.
//!
//! Consents held before the ledger are entered once, under the terms version
//! `BEFORE_LEDGER` (the text they were given under was not recorded), at the time of this
//! migration: when each was given is not known.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PURPOSES: [&str; 3] = ["REGISTRY_PUBLICATION", "COMMUNITY_PROFILE", "CAMP_TERMS"];
const HOLDERS: [&str; 2] = ["SPECIALIST", "PERSON"];
const AUDIENCES: [&str; 2] = ["PUBLIC", "ALUMNI"];

/// The terms versions seeded with the ledger: (purpose, version, effective from, title).
const TERMS: [(&str, &str, &str, &str); 6] = [
    (
        "REGISTRY_PUBLICATION",
        "BEFORE_LEDGER",
        "2000-01-01",
        "台帳の導入前に記録された同意（条項の版は記録なし）",
    ),
    (
        "COMMUNITY_PROFILE",
        "BEFORE_LEDGER",
        "2000-01-01",
        "台帳の導入前に記録された同意（条項の版は記録なし）",
    ),
    (
        "CAMP_TERMS",
        "BEFORE_LEDGER",
        "2000-01-01",
        "台帳の導入前に記録された同意（条項の版は記録なし）",
    ),
    (
        "REGISTRY_PUBLICATION",
        "2026-12",
        "2026-12-01",
        "登録情報の公表に関する同意事項（2026年12月版）",
    ),
    (
        "COMMUNITY_PROFILE",
        "2026-12",
        "2026-12-01",
        "修了生コミュニティのプロフィール公開に関する同意事項（2026年12月版）",
    ),
    (
        "CAMP_TERMS",
        "2026-12",
        "2026-12-01",
        "セキュリティ・キャンプ応募規約（2026年12月版）",
    ),
];

/// The consent-based registry fields: (ledger item, column).
const REGISTRY_ITEMS: [(&str, &str); 5] = [
    ("NAME", "disclose_name"),
    ("KANA", "disclose_kana"),
    ("BIRTH_YEAR_MONTH", "disclose_birth_year_month"),
    ("EMPLOYER", "disclose_employer"),
    ("PREFECTURE", "disclose_prefecture"),
];

/// The community profile's fields: (ledger item, visibility column).
const COMMUNITY_ITEMS: [(&str, &str); 11] = [
    ("DISPLAY_NAME", "display_name_visibility"),
    ("AFFILIATION", "affiliation_visibility"),
    ("PREFECTURE", "prefecture_visibility"),
    ("BIO", "bio_visibility"),
    ("INTERESTS", "interests_visibility"),
    ("OPEN_TO_MENTORING", "mentoring_visibility"),
    ("COHORTS", "cohorts_visibility"),
    ("LINK", "link_visibility"),
    ("EMAIL", "email_visibility"),
    ("ACTIVITIES", "activities_visibility"),
    ("SPECIALIST", "specialist_visibility"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too: a failure half-way must not leave the tables behind.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsentTerms::Table)
                    .col(
                        string_len(ConsentTerms::Purpose, 30)
                            .check(Expr::col(ConsentTerms::Purpose).is_in(PURPOSES)),
                    )
                    .col(string_len(ConsentTerms::Version, 40))
                    .col(date(ConsentTerms::EffectiveOn))
                    .col(text(ConsentTerms::Title))
                    .primary_key(
                        Index::create()
                            .col(ConsentTerms::Purpose)
                            .col(ConsentTerms::Version),
                    )
                    .to_owned(),
            )
            .await?;
        let mut terms = Query::insert()
            .into_table(ConsentTerms::Table)
            .columns([
                ConsentTerms::Purpose,
                ConsentTerms::Version,
                ConsentTerms::EffectiveOn,
                ConsentTerms::Title,
            ])
            .to_owned();
        for (purpose, version, effective_on, title) in TERMS {
            let effective_on = sea_orm_migration::sea_orm::prelude::ChronoDate::parse_from_str(
                effective_on,
                "%Y-%m-%d",
            )
            .map_err(|err| DbErr::Custom(err.to_string()))?;
            terms.values_panic([
                purpose.into(),
                version.into(),
                effective_on.into(),
                title.into(),
            ]);
        }
        manager.exec_stmt(terms).await?;

        manager
            .create_table(
                Table::create()
                    .table(ConsentRecords::Table)
                    .col(
                        big_integer(ConsentRecords::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        string_len(ConsentRecords::HolderKind, 20)
                            .check(Expr::col(ConsentRecords::HolderKind).is_in(HOLDERS)),
                    )
                    .col(big_integer(ConsentRecords::HolderId))
                    .col(
                        string_len(ConsentRecords::Purpose, 30)
                            .check(Expr::col(ConsentRecords::Purpose).is_in(PURPOSES)),
                    )
                    .col(string_len(ConsentRecords::Item, 40))
                    .col(boolean(ConsentRecords::Given))
                    .col(
                        string_len_null(ConsentRecords::Audience, 10).check(
                            Expr::col(ConsentRecords::Audience)
                                .is_null()
                                .or(Expr::col(ConsentRecords::Audience).is_in(AUDIENCES)),
                        ),
                    )
                    .col(string_len(ConsentRecords::TermsVersion, 40))
                    .col(timestamp_with_time_zone(ConsentRecords::RecordedAt))
                    .col(text(ConsentRecords::RecordedBy))
                    .col(string_len_null(ConsentRecords::RequestId, 64))
                    // A withdrawn consent discloses to nobody.
                    .check(
                        Expr::col(ConsentRecords::Given)
                            .eq(true)
                            .or(Expr::col(ConsentRecords::Audience).is_null()),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ConsentRecords::Table,
                                (ConsentRecords::Purpose, ConsentRecords::TermsVersion),
                            )
                            .to(
                                ConsentTerms::Table,
                                (ConsentTerms::Purpose, ConsentTerms::Version),
                            ),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_consent_records_holder")
                    .table(ConsentRecords::Table)
                    .col(ConsentRecords::HolderKind)
                    .col(ConsentRecords::HolderId)
                    .col(ConsentRecords::Id)
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        // The consents held before the ledger, once each, entered now.
        let backend = manager.get_database_backend();
        let now = match backend {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => "$1",
            _ => "?",
        };
        let insert = "INSERT INTO consent_records (holder_kind, holder_id, purpose, item, given, \
                      audience, terms_version, recorded_at, recorded_by, request_id)";
        let mut statements = Vec::new();
        for (item, column) in REGISTRY_ITEMS {
            statements.push(format!(
                "{insert} SELECT 'SPECIALIST', id, 'REGISTRY_PUBLICATION', '{item}', TRUE, \
                 'PUBLIC', 'BEFORE_LEDGER', {now}, 'migration', NULL FROM specialists \
                 WHERE {column} ORDER BY id"
            ));
        }
        for (item, column) in COMMUNITY_ITEMS {
            statements.push(format!(
                "{insert} SELECT 'PERSON', person_id, 'COMMUNITY_PROFILE', '{item}', TRUE, \
                 CASE {column} WHEN 0 THEN 'PUBLIC' ELSE 'ALUMNI' END, 'BEFORE_LEDGER', \
                 {now}, 'migration', NULL FROM community_members \
                 WHERE left_at IS NULL AND {column} < 2 ORDER BY person_id"
            ));
        }
        statements.push(format!(
            "{insert} SELECT 'PERSON', person_id, 'CAMP_TERMS', \
             'COHORT_' || CAST(cohort_id AS TEXT), TRUE, NULL, 'BEFORE_LEDGER', {now}, \
             'migration', NULL FROM camp_applications ORDER BY id"
        ));
        let entered_at = sea_orm_migration::sea_orm::prelude::ChronoUtc::now();
        for statement in statements {
            db.execute_raw(sea_orm_migration::sea_orm::Statement::from_sql_and_values(
                backend,
                statement,
                [entered_at.into()],
            ))
            .await?;
        }

        crate::append_only::up(manager, "consent_records", "consent records").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::append_only::down(manager, "consent_records").await?;
        manager
            .drop_table(Table::drop().table(ConsentRecords::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ConsentTerms::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ConsentTerms {
    Table,
    Purpose,
    Version,
    EffectiveOn,
    Title,
}

#[derive(DeriveIden)]
enum ConsentRecords {
    Table,
    Id,
    HolderKind,
    HolderId,
    Purpose,
    Item,
    Given,
    Audience,
    TermsVersion,
    RecordedAt,
    RecordedBy,
    RequestId,
}
