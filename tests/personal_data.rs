//! The right of access: a specialist, an individual and a company user each download
//! everything held about them, and nothing about anyone else.

use axum::http::StatusCode;
use entities::{
    camp_application, company, consultation_request, matching, person, renewal_cycle, specialist,
};
use kakehashi::domain::Role;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::support::{TestApp, error_code};

const MINE: &str = "{ myPersonalData }";

async fn seeded() -> TestApp {
    TestApp::seeded(300).await
}

async fn held(app: &TestApp, token: &str) -> Value {
    let response = app.gql(Some(token), MINE, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["myPersonalData"].clone()
}

fn rows(held: &Value, key: &str) -> Vec<Value> {
    held[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {held}"))
        .clone()
}

#[tokio::test]
async fn a_specialist_gets_their_registration_and_all_that_hangs_on_it() {
    let app = seeded().await;
    let with_match = matching::Entity::find()
        .order_by_asc(matching::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let own = specialist::Entity::find_by_id(with_match.specialist_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let token = app.specialist_token(&own.registration_number);
    let held = held(&app, &token).await;
    assert_eq!(held["role"], "SPECIALIST");
    assert_eq!(
        held["specialist"]["registration_number"],
        own.registration_number
    );
    assert_eq!(held["specialist"]["email"], own.email);
    assert!(!rows(&held, "statusHistory").is_empty());
    let cycles = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::SpecialistId.eq(own.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(rows(&held, "renewalCycles").len() as u64, cycles);
    let matches = rows(&held, "matches");
    let stored = matching::Entity::find()
        .filter(matching::Column::SpecialistId.eq(own.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(matches.len() as u64, stored);
    assert!(matches.iter().all(|m| m["specialist_id"] == own.id));
    for key in [
        "statusHistory",
        "renewalCycles",
        "trainingCompletions",
        "deemedAttendanceClaims",
        "renewalReminders",
    ] {
        assert!(
            rows(&held, key)
                .iter()
                .all(|row| row["specialist_id"] == own.id),
            "{key} holds another specialist's row"
        );
    }

    // The same document as a file to keep.
    let reply = app.get(Some(&token), "/me/personal-data.json").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let mut file = reply.json();
    let mut shown = held.clone();
    file["generatedAt"] = Value::Null;
    shown["generatedAt"] = Value::Null;
    assert_eq!(file, shown);
}

#[tokio::test]
async fn an_individual_gets_their_person_record_and_applications() {
    let app = seeded().await;
    let applicants: Vec<i64> = camp_application::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    // A seeded applicant, signing in for the first time.
    let mut own: person::ActiveModel = person::Entity::find_by_id(applicants[0])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    own.subject = Set(Some("applicant-1".to_owned()));
    let own = own.update(&app.db).await.unwrap();
    let subject = own.subject.clone().unwrap();
    let held = held(&app, &app.person_token(&subject)).await;
    assert_eq!(held["person"]["id"], own.id);
    assert_eq!(held["person"]["email"], own.email);
    let applications = rows(&held, "campApplications");
    assert!(!applications.is_empty());
    assert!(applications.iter().all(|a| a["person_id"] == own.id));
    assert!(held.get("specialist").is_none());
}

#[tokio::test]
async fn a_company_user_gets_their_company_and_its_requests_only() {
    let app = seeded().await;
    let request = consultation_request::Entity::find()
        .order_by_asc(consultation_request::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let own = company::Entity::find_by_id(request.company_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let held = held(&app, &app.company_token(&own.corporate_number)).await;
    assert_eq!(held["company"]["corporate_number"], own.corporate_number);
    let requests = rows(&held, "consultationRequests");
    let stored = consultation_request::Entity::find()
        .filter(consultation_request::Column::CompanyId.eq(own.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(requests.len() as u64, stored);
    assert!(requests.iter().all(|r| r["company_id"] == own.id));
    // The matches on them hold the specialists' data, not the company's.
    assert!(held.get("matches").is_none());
}

#[tokio::test]
async fn staff_analysts_and_anonymous_callers_have_no_personal_record_here() {
    let app = TestApp::spawn().await;
    for role in [
        Role::Admin,
        Role::ProgramStaff,
        Role::Analyst,
        Role::CampStaff,
    ] {
        let token = app.token(role);
        let response = app.gql(Some(&token), MINE, json!({})).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{role}: {response}");
        let reply = app.get(Some(&token), "/me/personal-data.json").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role}");
    }
    let anonymous = app.gql(None, MINE, json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let reply = app.get(None, "/me/personal-data.json").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}
