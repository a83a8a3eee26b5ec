//! Every stored state and kind may hold only its enum's names: a CHECK constraint per
//! column on PostgreSQL, and on SQLite (which cannot add one to a table that exists) a
//! trigger per column that refuses the same values on insert and update. The community's
//! visibility ranks may hold 0, 1 or 2 only. The lists are written out here, as they
//! stood when this migration was written: a later variant comes with a migration of its
//! own.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column, nullable, allowed values).
const STATES: &[(&str, &str, bool, &[&str])] = &[
    (
        "active_list_entries",
        "status",
        false,
        &[
            "DRAFT",
            "PENDING_REVIEW",
            "PUBLISHED",
            "REJECTED",
            "SUSPENDED",
            "WITHDRAWN",
        ],
    ),
    (
        "active_list_entries",
        "fee_policy",
        false,
        &["PAID", "SUBSIDISED", "PRO_BONO"],
    ),
    (
        "alumni_activities",
        "kind",
        false,
        &[
            "TALK",
            "CTF",
            "OPEN_SOURCE",
            "RESEARCH",
            "TUTORING",
            "MENTORING",
            "AWARD",
            "OTHER",
        ],
    ),
    (
        "camp_applications",
        "status",
        false,
        &[
            "APPLIED",
            "SELECTED",
            "WAITLISTED",
            "REJECTED",
            "ATTENDED",
            "COMPLETED",
            "WITHDRAWN",
        ],
    ),
    (
        "camp_cohorts",
        "status",
        false,
        &[
            "PLANNED",
            "APPLICATIONS_OPEN",
            "SELECTING",
            "IN_SESSION",
            "COMPLETED",
        ],
    ),
    (
        "camp_programs",
        "kind",
        false,
        &["NATIONAL", "MINI", "JUNIOR", "NEXT", "CONNECT", "OTHER"],
    ),
    (
        "community_events",
        "status",
        false,
        &["SCHEDULED", "CANCELLED"],
    ),
    (
        "companies",
        "industry",
        false,
        &[
            "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q",
            "R", "S", "T",
        ],
    ),
    (
        "companies",
        "sme_sector",
        false,
        &[
            "MANUFACTURING_AND_OTHERS",
            "WHOLESALE",
            "SERVICES",
            "RETAIL",
        ],
    ),
    (
        "companies",
        "security_action",
        false,
        &["NONE", "ONE_STAR", "TWO_STAR"],
    ),
    (
        "companies",
        "supply_chain_target",
        false,
        &["NONE", "STAR3", "STAR4"],
    ),
    (
        "consultation_requests",
        "status",
        false,
        &[
            "OPEN",
            "MATCHING",
            "MATCHED",
            "IN_PROGRESS",
            "COMPLETED",
            "CANCELLED",
            "EXPIRED",
        ],
    ),
    (
        "consultation_requests",
        "urgency",
        false,
        &["LOW", "NORMAL", "HIGH", "URGENT"],
    ),
    (
        "courses",
        "kind",
        false,
        &["ONLINE", "PRACTICAL", "SPECIFIED", "ETHICS"],
    ),
    (
        "deemed_attendance_claims",
        "status",
        false,
        &["SUBMITTED", "CHANGES_REQUESTED", "APPROVED", "REJECTED"],
    ),
    (
        "entry_industries",
        "industry",
        false,
        &[
            "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q",
            "R", "S", "T",
        ],
    ),
    (
        "entry_themes",
        "status",
        false,
        &[
            "DRAFT",
            "PENDING_REVIEW",
            "PUBLISHED",
            "REJECTED",
            "SUSPENDED",
            "WITHDRAWN",
        ],
    ),
    (
        "event_rsvps",
        "status",
        false,
        &["GOING", "WAITLISTED", "CANCELLED"],
    ),
    (
        "guidance_themes",
        "category",
        false,
        &[
            "GOVERNANCE",
            "SUPPLIER_MANAGEMENT",
            "RISK_IDENTIFICATION",
            "PROTECTION_DETECTION",
            "INCIDENT_RESPONSE",
            "RECOVERY",
        ],
    ),
    (
        "match_sessions",
        "topic",
        false,
        &["RISKS", "BASIC_POLICY", "RULES", "REVIEW", "OTHER"],
    ),
    (
        "matches",
        "status",
        false,
        &[
            "PROPOSED",
            "ACCEPTED",
            "ACTIVE",
            "COMPLETED",
            "DECLINED",
            "CANCELLED",
            "EXPIRED",
        ],
    ),
    (
        "renewal_cycles",
        "state",
        false,
        &["OPEN", "RENEWED", "LAPSED", "CLOSED"],
    ),
    (
        "renewal_reminders",
        "kind",
        false,
        &["DAYS_365", "DAYS_180", "DAYS_90", "DAYS_30", "LAPSED"],
    ),
    (
        "specialists",
        "employer_industry",
        true,
        &[
            "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q",
            "R", "S", "T",
        ],
    ),
    ("specialists", "exam_season", false, &["SPRING", "AUTUMN"]),
    (
        "specialists",
        "status",
        false,
        &["ACTIVE", "SUSPENDED", "LAPSED", "REVOKED", "DEREGISTERED"],
    ),
    (
        "specialist_status_events",
        "status",
        false,
        &["ACTIVE", "SUSPENDED", "LAPSED", "REVOKED", "DEREGISTERED"],
    ),
    (
        "support_organizations",
        "kind",
        false,
        &[
            "CHAMBER_OF_COMMERCE",
            "SOCIETY_OF_COMMERCE",
            "SME_SUPPORT_CENTER",
            "INDUSTRY_ASSOCIATION",
            "LOCAL_GOVERNMENT",
            "OTHER",
        ],
    ),
];

/// The community profile's visibility ranks (0 everyone, 1 alumni, 2 staff).
const RANKS: [&str; 11] = [
    "display_name_visibility",
    "affiliation_visibility",
    "prefecture_visibility",
    "bio_visibility",
    "interests_visibility",
    "mentoring_visibility",
    "cohorts_visibility",
    "link_visibility",
    "email_visibility",
    "activities_visibility",
    "specialist_visibility",
];

/// One rule: its name, table, column and condition on the column's value.
fn rules() -> Vec<(String, &'static str, &'static str, String)> {
    let mut rules: Vec<(String, &str, &str, String)> = STATES
        .iter()
        .map(|(table, column, nullable, values)| {
            let list = values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let condition = if *nullable {
                format!("{column} IS NULL OR {column} IN ({list})")
            } else {
                format!("{column} IN ({list})")
            };
            (
                format!("{table}_{column}_check"),
                *table,
                *column,
                condition,
            )
        })
        .collect();
    rules.extend(RANKS.iter().map(|column| {
        (
            format!("community_members_{column}_check"),
            "community_members",
            *column,
            format!("{column} BETWEEN 0 AND 2"),
        )
    }));
    rules
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for (name, table, column, condition) in rules() {
            if postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})"
                ))
                .await?;
            } else {
                let refuse = format!(
                    "SELECT RAISE(ABORT, 'CHECK constraint failed: {name}') WHERE NOT ({})",
                    condition.replace(column, &format!("NEW.{column}"))
                );
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} BEGIN {refuse}; END"
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name}_update BEFORE UPDATE OF {column} ON {table} \
                     BEGIN {refuse}; END"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for (name, table, ..) in rules() {
            if postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"
                ))
                .await?;
            } else {
                for suffix in ["insert", "update"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}_{suffix}"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}
