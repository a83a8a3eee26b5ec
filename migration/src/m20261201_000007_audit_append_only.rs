//! The audit trail is append-only in the database itself: triggers refuse every UPDATE and
//! DELETE of `audit_events` (and, on PostgreSQL, TRUNCATE), whoever asks, the service's own
//! role included. Indexes serve the administrators' reading of the trail by time, actor and
//! action.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::append_only::up(manager, "audit_events", "audit events").await?;
        for (name, column) in [
            ("idx_audit_events_occurred", AuditEvents::OccurredAt),
            ("idx_audit_events_actor", AuditEvents::ActorSubject),
            ("idx_audit_events_action", AuditEvents::Action),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditEvents::Table)
                        .col(column)
                        .col(AuditEvents::Id)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_audit_events_occurred",
            "idx_audit_events_actor",
            "idx_audit_events_action",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(AuditEvents::Table)
                        .to_owned(),
                )
                .await?;
        }
        crate::append_only::down(manager, "audit_events").await
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorSubject,
    Action,
}
