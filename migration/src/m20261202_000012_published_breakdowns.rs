//! Breakdowns of the active count, as first published for each month end. A breakdown is
//! computed once, from the people's details as they stood then, and read back ever after:
//! a person who moves or changes employer later does not change a table already published,
//! so two readings of the same month end can never be compared to reveal a hidden cell.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const DIMENSIONS: [&str; 4] = ["PREFECTURE", "REGION", "AGE_BAND", "INDUSTRY"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublishedBreakdowns::Table)
                    .col(date(PublishedBreakdowns::AsOf))
                    .col(
                        string_len(PublishedBreakdowns::Dimension, 20)
                            .check(Expr::col(PublishedBreakdowns::Dimension).is_in(DIMENSIONS)),
                    )
                    .col(integer(PublishedBreakdowns::Position))
                    .col(string_len(PublishedBreakdowns::Key, 40))
                    .col(text(PublishedBreakdowns::Label))
                    .col(big_integer_null(PublishedBreakdowns::Value))
                    .col(big_integer(PublishedBreakdowns::Total))
                    .col(timestamp_with_time_zone(PublishedBreakdowns::PublishedAt))
                    .primary_key(
                        Index::create()
                            .col(PublishedBreakdowns::AsOf)
                            .col(PublishedBreakdowns::Dimension)
                            .col(PublishedBreakdowns::Position),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublishedBreakdowns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PublishedBreakdowns {
    Table,
    AsOf,
    Dimension,
    Position,
    Key,
    Label,
    Value,
    Total,
    PublishedAt,
}
