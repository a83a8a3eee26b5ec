//! Schema migrations of Kakehashi.
//!
//! One file per migration, named for its date and what it adds. A migration that has
//! landed on `main` is never edited: change the schema with a new one.

pub use sea_orm_migration::prelude::*;

mod append_only;

mod m20261126_000001_specialist_registry;
mod m20261126_000002_renewal;
mod m20261126_000003_active_list;
mod m20261126_000004_matching;
mod m20261126_000005_camps;
mod m20261126_000006_employer_industry;
mod m20261201_000007_audit_append_only;
mod m20261201_000008_guardian_consent;
mod m20261201_000009_erasure_requests;
mod m20261201_000010_retention_periods;
mod m20261202_000011_consent_ledger;
mod m20261202_000012_published_breakdowns;
mod m20261202_000013_stored_states;
mod m20261206_000014_cohort_moves;
mod m20261207_000015_session_corrections;
mod m20261207_000016_list_order_indexes;
mod m20261207_000020_service_accounts;
mod m20261207_000021_idempotency_keys;
mod m20261207_000022_trusted_documents;
mod m20261207_000023_update_times;
mod m20261207_000024_bulk_jobs;
mod m20261207_000025_rate_limit_buckets;

/// Every migration of Kakehashi, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_specialist_registry::Migration),
            Box::new(m20261126_000002_renewal::Migration),
            Box::new(m20261126_000003_active_list::Migration),
            Box::new(m20261126_000004_matching::Migration),
            Box::new(m20261126_000005_camps::Migration),
            Box::new(m20261126_000006_employer_industry::Migration),
            Box::new(m20261201_000007_audit_append_only::Migration),
            Box::new(m20261201_000008_guardian_consent::Migration),
            Box::new(m20261201_000009_erasure_requests::Migration),
            Box::new(m20261201_000010_retention_periods::Migration),
            Box::new(m20261202_000011_consent_ledger::Migration),
            Box::new(m20261202_000012_published_breakdowns::Migration),
            Box::new(m20261202_000013_stored_states::Migration),
            Box::new(m20261206_000014_cohort_moves::Migration),
            Box::new(m20261207_000015_session_corrections::Migration),
            Box::new(m20261207_000016_list_order_indexes::Migration),
            Box::new(m20261207_000020_service_accounts::Migration),
            Box::new(m20261207_000021_idempotency_keys::Migration),
            Box::new(m20261207_000022_trusted_documents::Migration),
            Box::new(m20261207_000023_update_times::Migration),
            Box::new(m20261207_000024_bulk_jobs::Migration),
            Box::new(m20261207_000025_rate_limit_buckets::Migration),
        ]
    }
}
