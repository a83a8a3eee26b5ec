//! Erasure and stop of use: requested by the person, decided by registry staff, carried out
//! in one transaction by anonymising in place, so figures and the audit trail stay true.

use entities::{
    active_list_entry, audit_event, camp_application, community_member, company, person, specialist,
};
use kakehashi::domain::{Caller, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::support::{TestApp, error_code};

const REQUEST: &str = r#"mutation($input: RequestErasureInput!) { requestErasure(input: $input) {
    request { id status parts kind } userErrors { field message code } } }"#;
const DECIDE: &str = r#"mutation($input: DecideErasureRequestInput!) {
    decideErasureRequest(input: $input) {
    request { status decisionReason } userErrors { field message code } } }"#;
const LIST: &str = "{ erasureRequests { totalCount nodes { subject status } } }";

async fn seeded() -> TestApp {
    TestApp::seeded(300).await
}

async fn ask(app: &TestApp, token: &str, parts: &[&str]) -> Value {
    let response = app
        .gql(
            Some(token),
            REQUEST,
            json!({ "input": { "kind": "ERASURE", "parts": parts, "reason": "使わなくなったため" } }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["requestErasure"].clone()
}

async fn decide(app: &TestApp, id: &Value, decision: &str, reason: Option<&str>) -> Value {
    let response = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            DECIDE,
            json!({ "input": { "requestId": id, "decision": decision, "reason": reason } }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["decideErasureRequest"].clone()
}

#[tokio::test]
async fn a_specialist_withdraws_publication_and_entry_and_the_record_stays() {
    let app = seeded().await;
    // A listed specialist who publishes their name.
    let entry = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::Status.eq("PUBLISHED"))
        .order_by_asc(active_list_entry::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: specialist::ActiveModel = specialist::Entity::find_by_id(entry.specialist_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.disclose_name = Set(true);
    let own = row.update(&app.db).await.unwrap();
    let token = app.specialist_token(&own.registration_number);
    let public = format!(
        r#"{{ specialist(registrationNumber: "{}") {{ familyName }} }}"#,
        own.registration_number
    );
    assert_eq!(
        app.gql(None, &public, json!({})).await["data"]["specialist"]["familyName"],
        own.family_name
    );

    // Parts that are not a specialist's are refused.
    let wrong = ask(&app, &token, &["COMPANY_CONTACT"]).await;
    assert_eq!(wrong["userErrors"][0]["field"], json!(["input", "parts"]));
    let asked = ask(&app, &token, &["REGISTRY_PUBLICATION", "ACTIVE_LIST_ENTRY"]).await;
    assert_eq!(asked["request"]["status"], "REQUESTED", "{asked}");
    let again = ask(&app, &token, &["ACTIVE_LIST_ENTRY"]).await;
    assert_eq!(again["userErrors"][0]["code"], "CONFLICT");
    // Nothing is changed before staff decide.
    assert_eq!(
        app.gql(None, &public, json!({})).await["data"]["specialist"]["familyName"],
        own.family_name
    );
    // Only registry staff decide.
    let id = asked["request"]["id"].clone();
    let by_self = app
        .gql(
            Some(&token),
            DECIDE,
            json!({ "input": { "requestId": id, "decision": "CARRY_OUT" } }),
        )
        .await;
    assert_eq!(error_code(&by_self), "FORBIDDEN");

    let done = decide(&app, &id, "CARRY_OUT", None).await;
    assert_eq!(done["request"]["status"], "CARRIED_OUT", "{done}");
    // The registration is kept and still public, without the name.
    let shown = app.gql(None, &public, json!({})).await;
    assert!(!shown["data"]["specialist"].is_null(), "{shown}");
    assert!(shown["data"]["specialist"]["familyName"].is_null());
    let kept = specialist::Entity::find_by_id(own.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.family_name, own.family_name);
    let entry = active_list_entry::Entity::find_by_id(entry.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        entry.status,
        entities::enums::active_list::EntryStatus::Withdrawn
    );
    assert!(entry.bio_ja.is_empty());
    let listed = app
        .gql(
            None,
            "{ activeList(first: 100) { totalCount nodes { id } } }",
            json!({}),
        )
        .await;
    assert!(
        !listed
            .to_string()
            .contains(&format!("ActiveListEntry:{}", entry.id)),
        "still listed"
    );
    // Decided once; the decision is audited.
    let twice = decide(&app, &id, "CARRY_OUT", None).await;
    assert_eq!(twice["userErrors"][0]["code"], "CONFLICT");
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("erasure.carry_out"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn an_individual_leaves_the_community_anonymised_and_answers_go() {
    let app = seeded().await;
    let member = community_member::Entity::find()
        .filter(community_member::Column::LeftAt.is_null())
        .order_by_asc(community_member::Column::PersonId)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut someone: person::ActiveModel = person::Entity::find_by_id(member.person_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    someone.subject = Set(Some("member-1".to_owned()));
    someone.update(&app.db).await.unwrap();
    let members_before = app.count(community_member::Entity).await;
    let applications_before = camp_application::Entity::find()
        .filter(camp_application::Column::PersonId.eq(member.person_id))
        .count(&app.db)
        .await
        .unwrap();
    let token = app.person_token("member-1");
    let asked = ask(
        &app,
        &token,
        &[
            "COMMUNITY_PROFILE",
            "ALUMNI_ACTIVITIES",
            "CAMP_APPLICATIONS",
        ],
    )
    .await;
    let id = asked["request"]["id"].clone();
    // A requester sees their own requests; another individual none.
    assert_eq!(
        app.gql(Some(&token), LIST, json!({})).await["data"]["erasureRequests"]["totalCount"],
        1
    );
    assert_eq!(
        app.gql(Some(&app.person_token("other")), LIST, json!({}))
            .await["data"]["erasureRequests"]["totalCount"],
        0
    );
    let refused = decide(&app, &id, "REFUSE", None).await;
    assert_eq!(
        refused["userErrors"][0]["field"],
        json!(["input", "reason"])
    );

    decide(&app, &id, "CARRY_OUT", None).await;
    let after = community_member::Entity::find_by_id(member.person_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(after.left_at.is_some());
    assert_ne!(after.display_name, member.display_name);
    assert!(after.bio.is_empty() && after.link.is_none() && after.affiliation.is_none());
    // Counts stay true: rows are anonymised, not deleted.
    assert_eq!(app.count(community_member::Entity).await, members_before);
    let applications = camp_application::Entity::find()
        .filter(camp_application::Column::PersonId.eq(member.person_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(applications.len() as u64, applications_before);
    assert!(
        applications
            .iter()
            .filter(|a| matches!(
                a.status.as_str(),
                "COMPLETED" | "ATTENDED" | "REJECTED" | "WITHDRAWN"
            ))
            .all(|a| a.answers == json!([]))
    );
}

#[tokio::test]
async fn a_company_user_has_the_contact_removed_and_staff_may_refuse_with_a_reason() {
    let app = seeded().await;
    let firm = company::Entity::find()
        .order_by_asc(company::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let token = app.company_token(&firm.corporate_number);
    let first = ask(&app, &token, &["COMPANY_CONTACT"]).await;
    let refused = decide(
        &app,
        &first["request"]["id"],
        "REFUSE",
        Some("契約中の案件があるため"),
    )
    .await;
    assert_eq!(refused["request"]["status"], "REFUSED");
    assert_eq!(
        company::Entity::find_by_id(firm.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .contact_email,
        firm.contact_email
    );
    let second = ask(&app, &token, &["COMPANY_CONTACT"]).await;
    decide(&app, &second["request"]["id"], "CARRY_OUT", None).await;
    let after = company::Entity::find_by_id(firm.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(after.contact_email.is_empty() && after.contact_phone.is_none());
    assert_eq!(after.name, firm.name);
    // Staff see every request; analysts and anonymous callers none.
    let all = app
        .gql(Some(&app.token(Role::ProgramStaff)), LIST, json!({}))
        .await;
    assert_eq!(all["data"]["erasureRequests"]["totalCount"], 2);
    let analyst = app
        .gql(Some(&app.token(Role::Analyst)), LIST, json!({}))
        .await;
    assert_eq!(error_code(&analyst), "FORBIDDEN");
    assert_eq!(
        error_code(&app.gql(None, LIST, json!({})).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn the_retention_sweep_anonymises_what_has_expired_once() {
    let app = seeded().await;
    let staff = app.token(Role::ProgramStaff);
    let periods = app
        .gql(
            Some(&staff),
            "{ retentionPeriods { kind months } }",
            json!({}),
        )
        .await;
    assert_eq!(
        periods["data"]["retentionPeriods"],
        json!([{ "kind": "CAMP_APPLICATION_ANSWERS", "months": 36 },
                { "kind": "LEFT_COMMUNITY_PROFILES", "months": 12 }])
    );
    // A member who left two years ago, and one who left yesterday.
    let members = community_member::Entity::find()
        .order_by_asc(community_member::Column::PersonId)
        .all(&app.db)
        .await
        .unwrap();
    let (old, recent) = (&members[0], &members[1]);
    let now = chrono::Utc::now();
    for (member, ago) in [(old, 730), (recent, 1)] {
        let mut row: community_member::ActiveModel = member.clone().into();
        row.left_at = Set(Some(now - chrono::Duration::days(ago)));
        row.update(&app.db).await.unwrap();
    }
    let today = kakehashi::domain::calendar::japan_today();
    let first = kakehashi::domain::retention::sweep(&app.db, &Caller::system(), today, now)
        .await
        .unwrap();
    assert!(first.community_profiles >= 1, "{first:?}");
    assert!(first.application_answers > 0, "{first:?}");
    let read = |id: i64| {
        let app = &app;
        async move {
            community_member::Entity::find_by_id(id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    assert_ne!(read(old.person_id).await.display_name, old.display_name);
    assert_eq!(
        read(recent.person_id).await.display_name,
        recent.display_name
    );
    // Old camps' decided answers are gone; the applications and their statuses stay.
    let total = app.count(camp_application::Entity).await;
    let second = kakehashi::domain::retention::sweep(&app.db, &Caller::system(), today, now)
        .await
        .unwrap();
    assert_eq!(second, Default::default(), "idempotent");
    assert_eq!(app.count(camp_application::Entity).await, total);

    // Administrators change a period; program staff may not.
    const SET: &str = r#"mutation($m: Int!) { updateRetentionPeriod(input: {
        kind: LEFT_COMMUNITY_PROFILES, months: $m }) { retentionPeriod { months }
        userErrors { field } } }"#;
    let refused = app.gql(Some(&staff), SET, json!({ "m": 6 })).await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let admin = app.token(Role::Admin);
    let bad = app.gql(Some(&admin), SET, json!({ "m": 0 })).await;
    assert_eq!(
        bad["data"]["updateRetentionPeriod"]["userErrors"][0]["field"],
        json!(["input", "months"])
    );
    let set = app.gql(Some(&admin), SET, json!({ "m": 6 })).await;
    assert_eq!(
        set["data"]["updateRetentionPeriod"]["retentionPeriod"]["months"],
        6
    );
}

#[tokio::test]
async fn answers_of_an_application_still_in_selection_are_not_erased_until_it_settles() {
    let app = seeded().await;
    // An alumnus applies again, to the cohort taking applications now.
    let done = camp_application::Entity::find()
        .filter(camp_application::Column::Status.eq("COMPLETED"))
        .order_by_asc(camp_application::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let cohort = entities::camp_cohort::Entity::find()
        .filter(entities::camp_cohort::Column::Status.eq("APPLICATIONS_OPEN"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the seed has a cohort taking applications");
    let open = camp_application::ActiveModel {
        id: sea_orm::NotSet,
        cohort_id: Set(cohort.id),
        status: Set(entities::enums::camp::ApplicationStatus::Applied),
        answers: Set(json!(["AI とセキュリティの両方を学びたい"])),
        decided_at: Set(None),
        decided_by: Set(None),
        track_id: Set(None),
        ..done.clone().into()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let mut someone: person::ActiveModel = person::Entity::find_by_id(open.person_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    someone.subject = Set(Some("applicant-1".to_owned()));
    someone.update(&app.db).await.unwrap();
    let token = app.person_token("applicant-1");
    let refused = ask(&app, &token, &["CAMP_APPLICATIONS"]).await;
    assert!(refused["request"].is_null(), "{refused}");
    assert_eq!(refused["userErrors"][0]["field"], json!(["input", "parts"]));
    assert!(
        refused["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("still in selection"),
        "{refused}"
    );

    // Asked while every application had settled, decided after one went back into
    // selection: the decision is refused, and the request waits.
    let mut settled: camp_application::ActiveModel = open.clone().into();
    settled.status = Set(entities::enums::camp::ApplicationStatus::Withdrawn);
    settled.update(&app.db).await.unwrap();
    let asked = ask(&app, &token, &["CAMP_APPLICATIONS"]).await;
    let id = asked["request"]["id"].clone();
    assert!(id.is_string(), "{asked}");
    let mut reopened: camp_application::ActiveModel = open.clone().into();
    reopened.status = Set(open.status);
    reopened.update(&app.db).await.unwrap();
    let decided = decide(&app, &id, "CARRY_OUT", None).await;
    assert_eq!(
        decided["userErrors"][0]["field"],
        json!(["input", "decision"]),
        "{decided}"
    );
    let still = camp_application::Entity::find_by_id(open.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.answers, open.answers);
    let listed = app.gql(Some(&token), LIST, json!({})).await;
    assert_eq!(
        listed["data"]["erasureRequests"]["nodes"][0]["status"], "REQUESTED",
        "{listed}"
    );
}
