//! The consent ledger: every disclosure consent given or withdrawn is an entry with its
//! terms' version and time, written with the change; the current state derives from the
//! ledger, and the columns the service reads never disagree with it.

use std::collections::BTreeMap;

use entities::{camp_application, community_member, consent_record, specialist};
use kakehashi::domain::consent::{self, Audience, State};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::support::{
    TestApp,
    factories::{community::alumnus_who_joined, register, specialist as new_specialist},
};

const MY_CONSENTS: &str = "{ myConsents { purpose item given audience termsVersion recordedBy } }";

/// The ledger's current state for one holder, keyed by (purpose, item).
async fn ledger_of(
    db: &impl ConnectionTrait,
    kind: &str,
    id: i64,
) -> BTreeMap<(String, String), State> {
    let records = consent_record::Entity::find()
        .filter(consent_record::Column::HolderKind.eq(kind))
        .filter(consent_record::Column::HolderId.eq(id))
        .all(db)
        .await
        .unwrap();
    consent::derive(&records)
}

/// Asserts that every item of `states` has the ledger's state (an item never recorded
/// counts as withdrawn).
fn agrees(
    ledger: &BTreeMap<(String, String), State>,
    purpose: &str,
    states: &[(String, State)],
) -> bool {
    states.iter().all(|(item, state)| {
        ledger
            .get(&(purpose.to_owned(), item.clone()))
            .copied()
            .unwrap_or(State::Withdrawn)
            == *state
    })
}

/// The state a flag column says a publication consent is in.
fn published(given: bool) -> State {
    if given {
        State::Given(Some(Audience::Public))
    } else {
        State::Withdrawn
    }
}

/// The state a community visibility rank says a profile consent is in (0 everyone,
/// 1 alumni, 2 staff only: no disclosure).
fn shown_to(rank: i16, left: bool) -> State {
    match rank {
        _ if left => State::Withdrawn,
        0 => State::Given(Some(Audience::Public)),
        1 => State::Given(Some(Audience::Alumni)),
        _ => State::Withdrawn,
    }
}

/// Checks, column by column, that what the service reads agrees with the ledger.
async fn assert_columns_follow_the_ledger(db: &impl ConnectionTrait) {
    for row in specialist::Entity::find().all(db).await.unwrap() {
        let ledger = ledger_of(db, "SPECIALIST", row.id).await;
        let columns = [
            ("NAME", row.disclose_name),
            ("KANA", row.disclose_kana),
            ("BIRTH_YEAR_MONTH", row.disclose_birth_year_month),
            ("EMPLOYER", row.disclose_employer),
            ("PREFECTURE", row.disclose_prefecture),
        ]
        .map(|(item, flag)| (item.to_owned(), published(flag)));
        assert!(
            agrees(&ledger, "REGISTRY_PUBLICATION", &columns),
            "{}: {ledger:?}",
            row.registration_number
        );
    }
    for m in community_member::Entity::find().all(db).await.unwrap() {
        let ledger = ledger_of(db, "PERSON", m.person_id).await;
        let left = m.left_at.is_some();
        let columns = [
            ("DISPLAY_NAME", m.display_name_visibility),
            ("AFFILIATION", m.affiliation_visibility),
            ("PREFECTURE", m.prefecture_visibility),
            ("BIO", m.bio_visibility),
            ("INTERESTS", m.interests_visibility),
            ("OPEN_TO_MENTORING", m.mentoring_visibility),
            ("COHORTS", m.cohorts_visibility),
            ("LINK", m.link_visibility),
            ("EMAIL", m.email_visibility),
            ("ACTIVITIES", m.activities_visibility),
            ("SPECIALIST", m.specialist_visibility),
        ]
        .map(|(item, rank)| (item.to_owned(), shown_to(rank, left)));
        assert!(
            agrees(&ledger, "COMMUNITY_PROFILE", &columns),
            "member {}: {ledger:?}",
            m.person_id
        );
    }
    for application in camp_application::Entity::find().all(db).await.unwrap() {
        let ledger = ledger_of(db, "PERSON", application.person_id).await;
        assert_eq!(
            ledger.get(&(
                "CAMP_TERMS".to_owned(),
                format!("COHORT_{}", application.cohort_id)
            )),
            Some(&State::Given(None)),
            "application {}",
            application.id
        );
    }
}

#[tokio::test]
async fn the_seeded_consents_are_all_in_the_ledger() {
    let app = TestApp::seeded(300).await;
    assert!(app.count(consent_record::Entity).await > 300);
    assert_columns_follow_the_ledger(&app.db).await;
}

/// Registers 000001 and, as the specialist, publishes their name and prefecture, withdraws
/// the name, then says again that the prefecture is published; returns the app and the
/// specialist's token.
async fn consents_changed() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    register(&app.db, new_specialist("000001")).await;
    let token = app.specialist_token("000001");
    for (disclosure, version) in [
        (json!({ "name": true, "prefecture": true }), 1),
        (json!({ "name": false }), 2),
        // Saying again what is already so adds nothing.
        (json!({ "prefecture": true }), 3),
    ] {
        let response = app
            .gql(
                Some(&token),
                r#"mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
                    specialist { version } userErrors { message } } }"#,
                json!({ "input": { "expectedVersion": version, "disclosure": disclosure } }),
            )
            .await;
        assert_eq!(
            response["data"]["updateMyProfile"]["userErrors"],
            json!([]),
            "{response}"
        );
    }
    (app, token)
}

/// [`consents_changed`], then the specialist's erasure of their publication carried out by
/// programme staff.
async fn publication_erased() -> (TestApp, String) {
    let (app, token) = consents_changed().await;
    let asked = app
        .gql(
            Some(&token),
            r#"mutation { requestErasure(input: { kind: STOP_OF_USE, parts: [REGISTRY_PUBLICATION],
                reason: "公開をやめたい" }) { request { id } userErrors { message } } }"#,
            json!({}),
        )
        .await;
    let id = asked["data"]["requestErasure"]["request"]["id"].clone();
    let decided = app
        .gql(
            Some(&app.token(kakehashi::domain::Role::ProgramStaff)),
            r#"mutation($id: ID!) { decideErasureRequest(input: { requestId: $id, decision: CARRY_OUT }) {
                request { status } userErrors { message } } }"#,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        decided["data"]["decideErasureRequest"]["request"]["status"], "CARRIED_OUT",
        "{decided}"
    );
    (app, token)
}

#[tokio::test]
async fn a_specialists_consents_are_recorded_as_given_changed_and_withdrawn() {
    let (app, token) = consents_changed().await;
    let mine = app.gql(Some(&token), MY_CONSENTS, json!({})).await;
    let entries = mine["data"]["myConsents"]
        .as_array()
        .unwrap_or_else(|| panic!("{mine}"));
    let seen: Vec<(&str, bool)> = entries
        .iter()
        .map(|e| (e["item"].as_str().unwrap(), e["given"].as_bool().unwrap()))
        .collect();
    // Newest first: the name withdrawn, then the prefecture and the name given.
    assert_eq!(
        seen,
        [("NAME", false), ("PREFECTURE", true), ("NAME", true)],
        "{mine}"
    );
    for entry in entries {
        assert_eq!(entry["purpose"], "REGISTRY_PUBLICATION");
        assert_eq!(entry["termsVersion"], "2026-12");
        assert_eq!(entry["recordedBy"], "specialist-000001", "{entry}");
        assert_eq!(
            entry["audience"],
            if entry["given"] == true {
                json!("PUBLIC")
            } else {
                Value::Null
            }
        );
    }
    assert_columns_follow_the_ledger(&app.db).await;
}

/// Erasure withdraws every publication consent, in the ledger too; staff are named by role
/// in a person's ledger (the audit trail names the member).
#[tokio::test]
async fn erasure_withdraws_every_publication_consent_in_the_ledger() {
    let (app, token) = publication_erased().await;
    let mine = app.gql(Some(&token), MY_CONSENTS, json!({})).await;
    let latest = &mine["data"]["myConsents"][0];
    assert_eq!(
        (latest["item"].as_str(), latest["given"].as_bool()),
        (Some("PREFECTURE"), Some(false)),
        "{mine}"
    );
    assert_eq!(latest["recordedBy"], "PROGRAM_STAFF", "{latest}");
    assert_columns_follow_the_ledger(&app.db).await;
}

#[tokio::test]
async fn the_personal_data_export_carries_the_ledger() {
    let (app, token) = publication_erased().await;
    let export = app.gql(Some(&token), "{ myPersonalData }", json!({})).await;
    assert_eq!(
        export["data"]["myPersonalData"]["consentRecords"]
            .as_array()
            .map(Vec::len),
        Some(4),
        "{export}"
    );
}

#[tokio::test]
async fn the_ledger_is_append_only() {
    let (app, _) = publication_erased().await;
    let forged = app
        .db
        .execute_unprepared("UPDATE consent_records SET given = TRUE")
        .await;
    assert!(forged.is_err());
    let removed = app
        .db
        .execute_unprepared("DELETE FROM consent_records")
        .await;
    assert!(removed.is_err());
}

#[tokio::test]
async fn community_visibility_and_camp_terms_are_recorded_with_their_versions() {
    let app = TestApp::spawn().await;
    let (member, profile) = alumnus_who_joined(
        &app,
        "member",
        "NATIONAL",
        "はなこ",
        json!({ "visibility": [{ "field": "BIO", "visibility": "PUBLIC" },
                               { "field": "LINK", "visibility": "STAFF" }] }),
    )
    .await;
    let mine = app.gql(Some(&member), MY_CONSENTS, json!({})).await;
    let entries = mine["data"]["myConsents"]
        .as_array()
        .unwrap_or_else(|| panic!("{mine}"));
    let find = |purpose: &str, item: &str| {
        entries
            .iter()
            .find(|e| e["purpose"] == purpose && e["item"] == item)
            .cloned()
    };
    assert_eq!(
        find("COMMUNITY_PROFILE", "BIO").map(|e| e["audience"].clone()),
        Some(json!("PUBLIC"))
    );
    // Staff-only is no consent to disclose: nothing given, so nothing recorded.
    assert_eq!(find("COMMUNITY_PROFILE", "LINK"), None);
    let terms = entries
        .iter()
        .find(|e| e["purpose"] == "CAMP_TERMS")
        .unwrap_or_else(|| panic!("the application's terms: {mine}"));
    assert_eq!(terms["given"], true);
    assert_eq!(terms["termsVersion"], "2026-12");
    assert!(terms["item"].as_str().unwrap().starts_with("COHORT_"));

    let left = app
        .gql(
            Some(&member),
            r#"mutation($v: Int!) { leaveCommunity(input: { expectedVersion: $v }) { userErrors { message } } }"#,
            json!({ "v": profile["version"] }),
        )
        .await;
    assert!(left["errors"].is_null(), "{left}");
    assert_columns_follow_the_ledger(&app.db).await;
    let mine = app.gql(Some(&member), MY_CONSENTS, json!({})).await;
    assert_eq!(
        mine["data"]["myConsents"][0]["given"], false,
        "leaving withdraws: {mine}"
    );

    let terms = app
        .gql(
            None,
            "{ consentTerms { purpose version effectiveOn title } }",
            json!({}),
        )
        .await;
    assert_eq!(
        terms["data"]["consentTerms"].as_array().map(Vec::len),
        Some(6),
        "{terms}"
    );
}

#[tokio::test]
async fn consents_held_before_the_ledger_are_entered_when_it_is_created() {
    let app = TestApp::seeded(300).await;
    // Back to the database as it stood before the ledger, with the seeded people and
    // their consents in the columns only; then forward again.
    let migrations = Migrator::migrations();
    let ledger_at = migrations
        .iter()
        .position(|m| m.name().contains("consent_ledger"))
        .unwrap();
    let after = (migrations.len() - ledger_at) as u32;
    Migrator::down(&app.db, Some(after)).await.unwrap();
    Migrator::up(&app.db, None).await.unwrap();
    let records = consent_record::Entity::find().all(&app.db).await.unwrap();
    assert!(records.len() > 300, "{}", records.len());
    assert!(
        records
            .iter()
            .all(|r| r.terms_version == "BEFORE_LEDGER" && r.recorded_by == "migration" && r.given),
        "entered as held before the ledger"
    );
    for purpose in ["REGISTRY_PUBLICATION", "COMMUNITY_PROFILE", "CAMP_TERMS"] {
        assert!(
            records.iter().any(|r| r.purpose.as_str() == purpose),
            "{purpose}"
        );
    }
    assert_columns_follow_the_ledger(&app.db).await;
}

#[tokio::test]
async fn consent_given_under_terms_no_longer_in_force_is_refused() {
    let app = TestApp::spawn().await;
    register(&app.db, new_specialist("000001")).await;
    let token = app.specialist_token("000001");
    let update = |terms: &str| {
        let (app, token) = (&app, &token);
        let terms = terms.to_owned();
        async move {
            app.gql(
                Some(token),
                r#"mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
                    specialist { disclosure { name } } userErrors { field message } } }"#,
                json!({ "input": { "expectedVersion": 1, "disclosure": { "name": true },
                                   "termsVersion": terms } }),
            )
            .await
        }
    };
    let stale = update("BEFORE_LEDGER").await;
    assert_eq!(
        stale["data"]["updateMyProfile"]["userErrors"][0]["field"],
        json!(["input", "termsVersion"]),
        "{stale}"
    );
    assert_eq!(app.count(consent_record::Entity).await, 0);
    let row = specialist::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.disclose_name, "nothing written");
    let current = update("2026-12").await;
    assert_eq!(
        current["data"]["updateMyProfile"]["specialist"]["disclosure"]["name"], true,
        "{current}"
    );
    assert_columns_follow_the_ledger(&app.db).await;
}
