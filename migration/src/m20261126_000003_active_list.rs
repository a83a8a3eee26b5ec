//! The Active List: guidance themes (seeded with a starting set) and the entries through
//! which specialists offer to advise SMEs, with join tables for the searchable lists.
//!
//! An entry also carries copies of its lists (JSON, for display without joins) and the
//! last day its specialist is eligible to be listed (`eligible_until`), kept current by
//! every change to the specialist's status or renewal cycles.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::prelude::{ChronoUtc, DateTimeUtc},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The starting set of themes: code, Japanese name, English name, category, description.
const THEMES: [(&str, &str, &str, &str, &str); 20] = [
    (
        "BASIC_POLICY",
        "情報セキュリティ基本方針の策定",
        "Drafting a basic security policy",
        "GOVERNANCE",
        "Write and adopt the company's basic information security policy.",
    ),
    (
        "SECURITY_ACTION_1",
        "SECURITY ACTION 一つ星：情報セキュリティ5か条",
        "SECURITY ACTION ★1: the five security rules",
        "GOVERNANCE",
        "Put the five basic rules in place and declare the one-star self-assessment.",
    ),
    (
        "SECURITY_ACTION_2",
        "SECURITY ACTION 二つ星：自社診断と基本方針",
        "SECURITY ACTION ★2: self-check and basic policy",
        "GOVERNANCE",
        "Run the 25-question self-check and publish a basic policy for the two-star declaration.",
    ),
    (
        "RULES_AND_PROCEDURES",
        "社内規程・手順書の整備",
        "Internal rules and procedures",
        "GOVERNANCE",
        "Draft the rules and procedures that turn the policy into daily practice.",
    ),
    (
        "STAR3_READINESS",
        "サプライチェーン対策評価 ★3 への準備",
        "Readiness for the supply-chain ★3 assessment",
        "SUPPLIER_MANAGEMENT",
        "Prepare for the supply-chain security assessment's three-star level.",
    ),
    (
        "SUPPLIER_REQUIREMENTS",
        "取引先・委託先のセキュリティ要件",
        "Security requirements for suppliers and contractors",
        "SUPPLIER_MANAGEMENT",
        "Set and check security requirements in contracts with suppliers and contractors.",
    ),
    (
        "IT_ASSET_INVENTORY",
        "IT資産・情報資産の棚卸し",
        "IT and information asset inventory",
        "RISK_IDENTIFICATION",
        "List devices, software, accounts and information, and who is responsible for each.",
    ),
    (
        "RISK_ASSESSMENT",
        "情報セキュリティリスクの洗い出しと評価",
        "Identifying and assessing security risks",
        "RISK_IDENTIFICATION",
        "Find the risks that matter to the business and rank them.",
    ),
    (
        "VULNERABILITY_MANAGEMENT",
        "脆弱性対策・パッチ管理",
        "Vulnerability and patch management",
        "RISK_IDENTIFICATION",
        "Keep operating systems, software and devices up to date, and track what is not.",
    ),
    (
        "ACCOUNT_MANAGEMENT",
        "アカウント・パスワード・多要素認証",
        "Accounts, passwords and multi-factor authentication",
        "PROTECTION_DETECTION",
        "Manage accounts and privileges, strong passwords and multi-factor authentication.",
    ),
    (
        "CLOUD_CONFIGURATION",
        "クラウドサービスの安全な設定",
        "Secure cloud configuration",
        "PROTECTION_DETECTION",
        "Configure cloud and SaaS services securely: sharing, access, logging.",
    ),
    (
        "NETWORK_PROTECTION",
        "ネットワーク・無線LAN・リモートアクセス",
        "Network, Wi-Fi and remote access protection",
        "PROTECTION_DETECTION",
        "Protect routers, Wi-Fi, VPNs and remote work.",
    ),
    (
        "ENDPOINT_PROTECTION",
        "端末のマルウェア対策",
        "Endpoint and malware protection",
        "PROTECTION_DETECTION",
        "Protect PCs and phones against malware, with the right tools and settings.",
    ),
    (
        "EMPLOYEE_TRAINING",
        "従業員教育・標的型メール訓練",
        "Employee training and phishing drills",
        "PROTECTION_DETECTION",
        "Train staff and run phishing drills.",
    ),
    (
        "LOG_MONITORING",
        "ログの取得と監視",
        "Logging and monitoring",
        "PROTECTION_DETECTION",
        "Collect the logs that matter and look at them.",
    ),
    (
        "INCIDENT_RESPONSE_PLAN",
        "インシデント対応計画の策定",
        "Incident response plan",
        "INCIDENT_RESPONSE",
        "Decide who does what when an incident happens, and whom to call.",
    ),
    (
        "RANSOMWARE_RESPONSE",
        "ランサムウェア被害への対応",
        "Responding to ransomware",
        "INCIDENT_RESPONSE",
        "Prepare for and respond to ransomware: isolation, reporting, recovery decisions.",
    ),
    (
        "PERSONAL_DATA_BREACH",
        "個人情報漏えい時の対応",
        "Personal data breach response",
        "INCIDENT_RESPONSE",
        "Handle a personal data breach, including reports to the authorities and to the people affected.",
    ),
    (
        "BACKUP_AND_RECOVERY",
        "バックアップと復旧",
        "Backup and recovery",
        "RECOVERY",
        "Back up what matters, offline too, and practise restoring it.",
    ),
    (
        "BUSINESS_CONTINUITY",
        "事業継続計画（IT-BCP）",
        "Business continuity (IT-BCP)",
        "RECOVERY",
        "Plan how the business keeps going when IT systems are down.",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GuidanceThemes::Table)
                    .col(big_pk_auto(GuidanceThemes::Id))
                    .col(string_len_uniq(GuidanceThemes::Code, 40))
                    .col(string_len(GuidanceThemes::NameJa, 200))
                    .col(string_len(GuidanceThemes::NameEn, 200))
                    .col(text(GuidanceThemes::Description))
                    .col(string_len(GuidanceThemes::Category, 30))
                    .col(integer(GuidanceThemes::DisplayOrder))
                    .col(boolean(GuidanceThemes::Active))
                    .col(timestamp_with_time_zone(GuidanceThemes::CreatedAt))
                    .col(timestamp_with_time_zone(GuidanceThemes::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActiveListEntries::Table)
                    .col(big_pk_auto(ActiveListEntries::Id))
                    .col(big_integer_uniq(ActiveListEntries::SpecialistId))
                    .col(string_len(ActiveListEntries::Status, 20))
                    .col(date_null(ActiveListEntries::EligibleUntil))
                    .col(json(ActiveListEntries::ThemeIds))
                    .col(json(ActiveListEntries::PrefectureCodes))
                    .col(json(ActiveListEntries::IndustryCodes))
                    .col(json(ActiveListEntries::LanguageCodes))
                    .col(boolean(ActiveListEntries::RemoteOk))
                    .col(json(ActiveListEntries::Domains))
                    .col(string_len(ActiveListEntries::FeePolicy, 20))
                    .col(integer_null(ActiveListEntries::FeeMinYen))
                    .col(integer_null(ActiveListEntries::FeeMaxYen))
                    .col(small_integer(ActiveListEntries::Capacity))
                    .col(boolean(ActiveListEntries::Paused))
                    .col(text(ActiveListEntries::BioJa))
                    .col(text_null(ActiveListEntries::BioEn))
                    .col(date(ActiveListEntries::ConfirmedOn))
                    .col(text_null(ActiveListEntries::ReviewComment))
                    .col(string_len_null(ActiveListEntries::ReviewedBy, 200))
                    .col(timestamp_with_time_zone_null(ActiveListEntries::ReviewedAt))
                    .col(timestamp_with_time_zone_null(
                        ActiveListEntries::SubmittedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        ActiveListEntries::PublishedAt,
                    ))
                    .col(integer(ActiveListEntries::Version).default(1))
                    .col(timestamp_with_time_zone(ActiveListEntries::CreatedAt))
                    .col(timestamp_with_time_zone(ActiveListEntries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_entries_specialist")
                            .from(ActiveListEntries::Table, ActiveListEntries::SpecialistId)
                            .to(Specialists::Table, Specialists::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_entries_listed")
                    .table(ActiveListEntries::Table)
                    .col(ActiveListEntries::Status)
                    .col(ActiveListEntries::ConfirmedOn)
                    .col(ActiveListEntries::Id)
                    .to_owned(),
            )
            .await?;
        // The searchable lists of an entry, one row per value.
        // Themes: one row per (entry, theme), carrying copies of the entry's status,
        // confirmation date, eligibility and whole theme set (`,1,14,19,`), so a search for
        // several themes reads one theme's index in list order, filters on the index row
        // alone, and touches an entry only for the rows it returns.
        manager
            .create_table(
                Table::create()
                    .table(EntryThemes::Table)
                    .col(big_integer(EntryThemes::EntryId))
                    .col(big_integer(EntryThemes::ThemeId))
                    .col(string_len(EntryThemes::Status, 20))
                    .col(date(EntryThemes::ConfirmedOn))
                    .col(date_null(EntryThemes::EligibleUntil))
                    .col(string_len(EntryThemes::ThemeSet, 1000))
                    .primary_key(
                        Index::create()
                            .col(EntryThemes::EntryId)
                            .col(EntryThemes::ThemeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EntryThemes::Table, EntryThemes::EntryId)
                            .to(ActiveListEntries::Table, ActiveListEntries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_entry_themes_search")
                    .table(EntryThemes::Table)
                    .col(EntryThemes::ThemeId)
                    .col(EntryThemes::Status)
                    .col(EntryThemes::ConfirmedOn)
                    .col(EntryThemes::EntryId)
                    .col(EntryThemes::EligibleUntil)
                    .col(EntryThemes::ThemeSet)
                    .to_owned(),
            )
            .await?;
        for (table, value, len) in [
            (
                EntryPrefectures::Table.into_iden(),
                EntryPrefectures::PrefectureCode.into_iden(),
                2,
            ),
            (
                EntryIndustries::Table.into_iden(),
                EntryIndustries::Industry.into_iden(),
                1,
            ),
            (
                EntryLanguages::Table.into_iden(),
                EntryLanguages::Language.into_iden(),
                2,
            ),
        ] {
            let value_col = string_len(value.clone(), len);
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(big_integer(EntryThemes::EntryId))
                        .col(value_col)
                        .primary_key(Index::create().col(EntryThemes::EntryId).col(value.clone()))
                        .foreign_key(
                            ForeignKey::create()
                                .from(table.clone(), EntryThemes::EntryId)
                                .to(ActiveListEntries::Table, ActiveListEntries::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
            // Search goes from a value to the entries holding it.
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_value"))
                        .table(table.clone())
                        .col(value.clone())
                        .col(EntryThemes::EntryId)
                        .to_owned(),
                )
                .await?;
        }
        let now: DateTimeUtc = ChronoUtc::now();
        for (position, (code, name_ja, name_en, category, description)) in THEMES.iter().enumerate()
        {
            let order = <i32 as TryFrom<usize>>::try_from(position * 10 + 10).unwrap_or(i32::MAX);
            let insert = Query::insert()
                .into_table(GuidanceThemes::Table)
                .columns([
                    GuidanceThemes::Code,
                    GuidanceThemes::NameJa,
                    GuidanceThemes::NameEn,
                    GuidanceThemes::Description,
                    GuidanceThemes::Category,
                    GuidanceThemes::DisplayOrder,
                    GuidanceThemes::Active,
                    GuidanceThemes::CreatedAt,
                    GuidanceThemes::UpdatedAt,
                ])
                .values_panic([
                    (*code).into(),
                    (*name_ja).into(),
                    (*name_en).into(),
                    (*description).into(),
                    (*category).into(),
                    order.into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EntryLanguages::Table.into_iden(),
            EntryIndustries::Table.into_iden(),
            EntryPrefectures::Table.into_iden(),
            EntryThemes::Table.into_iden(),
            ActiveListEntries::Table.into_iden(),
            GuidanceThemes::Table.into_iden(),
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
    Code,
    NameJa,
    NameEn,
    Description,
    Category,
    DisplayOrder,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActiveListEntries {
    Table,
    Id,
    SpecialistId,
    Status,
    EligibleUntil,
    ThemeIds,
    PrefectureCodes,
    IndustryCodes,
    LanguageCodes,
    RemoteOk,
    Domains,
    FeePolicy,
    FeeMinYen,
    FeeMaxYen,
    Capacity,
    Paused,
    BioJa,
    BioEn,
    ConfirmedOn,
    ReviewComment,
    ReviewedBy,
    ReviewedAt,
    SubmittedAt,
    PublishedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EntryThemes {
    Table,
    EntryId,
    ThemeId,
    Status,
    ConfirmedOn,
    EligibleUntil,
    ThemeSet,
}

#[derive(DeriveIden)]
enum EntryPrefectures {
    Table,
    PrefectureCode,
}

#[derive(DeriveIden)]
enum EntryIndustries {
    Table,
    Industry,
}

#[derive(DeriveIden)]
enum EntryLanguages {
    Table,
    Language,
}
