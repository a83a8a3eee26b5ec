//! Stored states and kinds hold only their enum's names: the database refuses any other
//! value, and a value that got in anyway (a manual fix, a restore) is an internal error
//! when read, never a plausible default such as a public `ACTIVE`.

use kakehashi::domain::Role;
use sea_orm::{ConnectionTrait, DatabaseBackend};
use serde_json::json;

use crate::support::{TestApp, error_code};

/// Every column holding a stored state or kind.
const COLUMNS: [(&str, &str); 28] = [
    ("active_list_entries", "status"),
    ("active_list_entries", "fee_policy"),
    ("alumni_activities", "kind"),
    ("camp_applications", "status"),
    ("camp_cohorts", "status"),
    ("camp_programs", "kind"),
    ("community_events", "status"),
    ("companies", "industry"),
    ("companies", "sme_sector"),
    ("companies", "security_action"),
    ("companies", "supply_chain_target"),
    ("consultation_requests", "status"),
    ("consultation_requests", "urgency"),
    ("courses", "kind"),
    ("deemed_attendance_claims", "status"),
    ("entry_industries", "industry"),
    ("entry_themes", "status"),
    ("event_rsvps", "status"),
    ("guidance_themes", "category"),
    ("match_sessions", "topic"),
    ("matches", "status"),
    ("renewal_cycles", "state"),
    ("renewal_reminders", "kind"),
    ("specialists", "employer_industry"),
    ("specialists", "exam_season"),
    ("specialists", "status"),
    ("specialist_status_events", "status"),
    ("support_organizations", "kind"),
];

#[tokio::test]
async fn the_database_refuses_a_state_that_is_not_one_of_its_names() {
    let app = TestApp::seeded(300).await;
    let mut tried = 0;
    for (table, column) in COLUMNS {
        let rows = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        if rows == 0 {
            continue;
        }
        tried += 1;
        let forged = app
            .db
            .execute_unprepared(&format!("UPDATE {table} SET {column} = 'BOGUS'"))
            .await;
        assert!(forged.is_err(), "{table}.{column} took BOGUS");
    }
    assert!(
        tried >= 25,
        "the seed leaves too many tables empty: {tried}"
    );
    // The visibility ranks of the community too.
    let forged = app
        .db
        .execute_unprepared("UPDATE community_members SET bio_visibility = 7")
        .await;
    assert!(forged.is_err());
}

#[tokio::test]
async fn a_corrupt_status_is_an_internal_error_never_a_public_active() {
    let app = TestApp::seeded(50).await;
    // Someone takes the guard down and writes a value that is no status.
    let guard_off = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "ALTER TABLE specialists DROP CONSTRAINT specialists_status_check"
        }
        _ => "DROP TRIGGER specialists_status_check_update",
    };
    app.db.execute_unprepared(guard_off).await.unwrap();
    app.db
        .execute_unprepared(
            "UPDATE specialists SET status = 'BOGUS' \
             WHERE id = (SELECT MIN(id) FROM specialists)",
        )
        .await
        .unwrap();
    // The public list asks for ACTIVE registrations in SQL: the corrupt row is not one.
    let public = app
        .gql(
            None,
            "{ specialists(first: 100) { nodes { registrationNumber status } } }",
            json!({}),
        )
        .await;
    let nodes = public["data"]["specialists"]["nodes"].as_array().unwrap();
    assert!(
        nodes.iter().all(|n| n["registrationNumber"] != "000001"),
        "{public}"
    );
    // Staff read every registration: the corrupt one fails the read, loudly.
    let staff = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            "{ specialists(first: 100) { nodes { registrationNumber status } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&staff), "INTERNAL", "{staff}");
    assert!(!staff.to_string().contains("000001"), "{staff}");
}
