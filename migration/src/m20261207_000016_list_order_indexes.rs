//! Lists sort by the date a person means (when a match was proposed, a request opened, a
//! claim submitted, an application or an erasure request received), ties broken by id:
//! an index per list keeps a page a range read whatever the table's size.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, date column).
const ORDERS: [(&str, &str, &str); 5] = [
    ("matches_proposed_at", "matches", "proposed_at"),
    (
        "consultation_requests_opened_on",
        "consultation_requests",
        "opened_on",
    ),
    (
        "deemed_attendance_claims_submitted_at",
        "deemed_attendance_claims",
        "submitted_at",
    ),
    (
        "camp_applications_applied_at",
        "camp_applications",
        "applied_at",
    ),
    (
        "erasure_requests_requested_at",
        "erasure_requests",
        "requested_at",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, column) in ORDERS {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new(table))
                        .col(Alias::new(column))
                        .col(Alias::new("id"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in ORDERS {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
