//! A guardian's consent to a camp application of a minor (Security Camp juniors and any
//! applicant under 18 on the camp's first day): who gave it, when it was recorded, and by
//! whom. An application of a minor without it cannot be selected or waitlisted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            string_len_null(CampApplications::GuardianName, 100),
            timestamp_with_time_zone_null(CampApplications::GuardianConsentedAt),
            string_len_null(CampApplications::GuardianRecordedBy, 200),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CampApplications::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            CampApplications::GuardianRecordedBy,
            CampApplications::GuardianConsentedAt,
            CampApplications::GuardianName,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CampApplications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum CampApplications {
    Table,
    GuardianName,
    GuardianConsentedAt,
    GuardianRecordedBy,
}
