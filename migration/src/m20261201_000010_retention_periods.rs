//! How long records that are no longer needed are kept before they are anonymised, one row
//! per kind of record, kept as data that administrators change. `kakehashi retention sweep`
//! applies them.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::prelude::ChronoUtc};

#[derive(DeriveMigrationName)]
pub struct Migration;

const KINDS: [&str; 2] = ["CAMP_APPLICATION_ANSWERS", "LEFT_COMMUNITY_PROFILES"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RetentionPeriods::Table)
                    .col(
                        string_len(RetentionPeriods::Kind, 40)
                            .primary_key()
                            .check(Expr::col(RetentionPeriods::Kind).is_in(KINDS)),
                    )
                    .col(
                        integer(RetentionPeriods::Months)
                            .check(Expr::col(RetentionPeriods::Months).between(1, 1200)),
                    )
                    .col(text(RetentionPeriods::Description))
                    .col(timestamp_with_time_zone(RetentionPeriods::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let now = ChronoUtc::now();
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(RetentionPeriods::Table)
                    .columns([
                        RetentionPeriods::Kind,
                        RetentionPeriods::Months,
                        RetentionPeriods::Description,
                        RetentionPeriods::UpdatedAt,
                    ])
                    .values_panic([
                        KINDS[0].into(),
                        36.into(),
                        "Answers of decided camp applications, from the cohort's last day".into(),
                        now.into(),
                    ])
                    .values_panic([
                        KINDS[1].into(),
                        12.into(),
                        "Profiles of members who left the community, from the day they left".into(),
                        now.into(),
                    ])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RetentionPeriods::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RetentionPeriods {
    Table,
    Kind,
    Months,
    Description,
    UpdatedAt,
}
