//! The Active List: themes, the entry lifecycle, eligibility, search, who sees what, and
//! what a page costs.

use chrono::NaiveDate;
use entities::{active_list_entry, renewal_cycle};
use kakehashi::domain::{Role, calendar::japan_today, registry::types::SpecialistStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::support::{
    Operation, TestApp, assert_authorization, error_code,
    factories::{
        active_list::{REVIEW, SAVE, SUBMIT, entry, publish, save},
        register_on, set_status,
    },
    japan_morning,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const LIST: &str = r#"query($f: ActiveListFilterInput, $first: Int) {
  activeList(filter: $f, first: $first) {
    totalCount
    nodes { specialist { registrationNumber familyName email } contact { email }
            themes { code } status stale hasCapacity } } }"#;

async fn listed(app: &TestApp, token: Option<&str>, filter: Value) -> Vec<String> {
    let response = app
        .gql(token, LIST, json!({ "f": filter, "first": 100 }))
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let mut numbers: Vec<String> = response["data"]["activeList"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            n["specialist"]["registrationNumber"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    numbers.sort();
    numbers
}

#[tokio::test]
async fn the_starting_themes_are_seeded_and_retiring_one_keeps_it_on_old_entries() {
    let app = TestApp::spawn().await;
    let themes = app
        .gql(
            None,
            r#"{ guidanceThemes { id code category } }"#,
            json!({}),
        )
        .await;
    let all = themes["data"]["guidanceThemes"].as_array().unwrap();
    assert_eq!(all.len(), 20);
    let categories: std::collections::HashSet<&str> = all
        .iter()
        .map(|t| t["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories.len(), 6, "every category has a theme");

    register_on(&app, "000001", d(2026, 4, 1)).await;
    register_on(&app, "000002", d(2026, 4, 1)).await;
    publish(
        &app,
        "000001",
        entry(&["BACKUP_AND_RECOVERY", "BASIC_POLICY"]),
    )
    .await;

    let backup = all
        .iter()
        .find(|t| t["code"] == "BACKUP_AND_RECOVERY")
        .unwrap();
    let admin = app.token(Role::Admin);
    let retired = app
        .gql(
            Some(&admin),
            r#"mutation($id: ID!) { updateGuidanceTheme(input: { id: $id, active: false }) {
              theme { active } userErrors { message } } }"#,
            json!({ "id": backup["id"] }),
        )
        .await;
    assert_eq!(
        retired["data"]["updateGuidanceTheme"]["theme"]["active"],
        false
    );
    let shown = app
        .gql(None, r#"{ guidanceThemes { code } }"#, json!({}))
        .await;
    assert_eq!(
        shown["data"]["guidanceThemes"].as_array().unwrap().len(),
        19
    );
    let with_retired = app
        .gql(
            None,
            r#"{ guidanceThemes(includeRetired: true) { code } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        with_retired["data"]["guidanceThemes"]
            .as_array()
            .unwrap()
            .len(),
        20
    );

    // The entry keeps it (and may be saved with it again); a new entry cannot add it.
    assert_eq!(
        listed(&app, None, json!({ "themes": ["BACKUP_AND_RECOVERY"] })).await,
        ["000001"]
    );
    let resaved = save(
        &app,
        "000001",
        entry(&["BACKUP_AND_RECOVERY", "BASIC_POLICY"]),
    )
    .await;
    assert!(
        resaved["userErrors"].as_array().unwrap().is_empty(),
        "{resaved}"
    );
    let refused = save(&app, "000002", entry(&["BACKUP_AND_RECOVERY"])).await;
    assert_eq!(
        refused["userErrors"][0]["field"],
        json!(["input", "themes"])
    );
    assert!(refused["entry"].is_null());
}

#[tokio::test]
async fn bad_entries_are_user_errors_and_write_nothing() {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    let mut bad = entry(&["NO_SUCH_THEME"]);
    bad["capacity"] = json!(21);
    bad["feePolicy"] = json!("PRO_BONO");
    bad["feeMinYen"] = json!(10000);
    bad["languages"] = json!(["japanese"]);
    bad["prefectures"] = json!(["48"]);
    let saved = save(&app, "000001", bad).await;
    let mut fields: Vec<String> = saved["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["field"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "input.capacity",
            "input.feeMinYen",
            "input.languages.0",
            "input.prefectures.0",
            "input.themes",
        ],
        "{saved}"
    );
    assert_eq!(app.count(active_list_entry::Entity).await, 0);

    // Someone else's entry is out of reach: reviewing is for staff, saving is for yourself.
    let staff_save = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            SAVE,
            json!({ "input": entry(&["BASIC_POLICY"]) }),
        )
        .await;
    assert_eq!(error_code(&staff_save), "FORBIDDEN");
}

/// 000001, registered on 2026-04-01, with a saved entry; returns the app, the specialist's
/// token, a staff token, the entry's global ID and what saving answered.
async fn saved_entry() -> (TestApp, String, String, Value, Value) {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    let own = app.specialist_token("000001");
    let staff = app.token(Role::ProgramStaff);
    let saved = save(&app, "000001", entry(&["BASIC_POLICY"])).await;
    let id = saved["entry"]["id"].clone();
    (app, own, staff, id, saved)
}

/// 000001's entry, published; returns the app, the specialist's token, a staff token and
/// the entry's global ID.
async fn published_entry() -> (TestApp, String, String, Value) {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    let id = json!(publish(&app, "000001", entry(&["BASIC_POLICY"])).await);
    let own = app.specialist_token("000001");
    let staff = app.token(Role::ProgramStaff);
    (app, own, staff, id)
}

#[tokio::test]
async fn a_draft_is_not_listed_and_a_submitted_entry_waits_for_review() {
    let (app, own, staff, _, saved) = saved_entry().await;
    assert_eq!(saved["entry"]["status"], "DRAFT");
    assert!(
        listed(&app, None, json!({})).await.is_empty(),
        "a draft is not listed"
    );
    app.gql(Some(&own), SUBMIT, json!({})).await;
    let queue = app
        .gql(
            Some(&staff),
            r#"{ activeListReviewQueue { totalCount nodes { status eligible stale } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        queue["data"]["activeListReviewQueue"]["totalCount"], 1,
        "{queue}"
    );
    assert_eq!(
        queue["data"]["activeListReviewQueue"]["nodes"][0]["eligible"],
        true
    );
}

/// A rejection needs a comment; the specialist submits again, and the entry once published
/// is listed.
#[tokio::test]
async fn a_rejected_entry_is_resubmitted_and_listed_once_published() {
    let (app, own, staff, id, _) = saved_entry().await;
    app.gql(Some(&own), SUBMIT, json!({})).await;
    let silent = app
        .gql(Some(&staff), REVIEW, json!({ "id": id, "d": "REJECT" }))
        .await;
    assert_eq!(
        silent["data"]["reviewActiveListEntry"]["userErrors"][0]["field"],
        json!(["input", "comment"])
    );
    let rejected = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": id, "d": "REJECT", "c": "add your industries" }),
        )
        .await;
    assert_eq!(
        rejected["data"]["reviewActiveListEntry"]["entry"]["status"],
        "REJECTED"
    );
    let resubmitted = app.gql(Some(&own), SUBMIT, json!({})).await;
    assert_eq!(
        resubmitted["data"]["submitMyActiveListEntry"]["entry"]["status"],
        "PENDING_REVIEW"
    );
    app.gql(Some(&staff), REVIEW, json!({ "id": id, "d": "PUBLISH" }))
        .await;
    assert_eq!(listed(&app, None, json!({})).await, ["000001"]);
}

/// A published entry cannot be published twice; suspend and reinstate move it off the
/// list and back.
#[tokio::test]
async fn a_published_entry_is_suspended_and_reinstated_but_not_published_twice() {
    let (app, _, staff, id) = published_entry().await;
    let twice = app
        .gql(Some(&staff), REVIEW, json!({ "id": id, "d": "PUBLISH" }))
        .await;
    assert_eq!(
        twice["data"]["reviewActiveListEntry"]["userErrors"][0]["field"],
        json!(["input", "decision"])
    );
    app.gql(
        Some(&staff),
        REVIEW,
        json!({ "id": id, "d": "SUSPEND", "c": "complaint under review" }),
    )
    .await;
    assert!(listed(&app, None, json!({})).await.is_empty());
    app.gql(Some(&staff), REVIEW, json!({ "id": id, "d": "REINSTATE" }))
        .await;
    assert_eq!(listed(&app, None, json!({})).await, ["000001"]);
}

#[tokio::test]
async fn editing_what_a_published_entry_says_sends_it_back_to_review() {
    let (app, _, _, _) = published_entry().await;
    let edited = save(
        &app,
        "000001",
        entry(&["BASIC_POLICY", "EMPLOYEE_TRAINING"]),
    )
    .await;
    assert_eq!(edited["entry"]["status"], "PENDING_REVIEW");
    assert!(listed(&app, None, json!({})).await.is_empty());
}

/// Pausing does not send an entry back to review, and hides it from searches for capacity.
#[tokio::test]
async fn a_paused_entry_stays_published_but_out_of_searches_for_capacity() {
    let (app, own, _, _) = published_entry().await;
    let paused = app
        .gql(
            Some(&own),
            r#"mutation { setMyActiveListAvailability(input: { paused: true }) { entry { status paused hasCapacity } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        paused["data"]["setMyActiveListAvailability"]["entry"],
        json!({ "status": "PUBLISHED", "paused": true, "hasCapacity": false })
    );
    assert_eq!(listed(&app, None, json!({})).await, ["000001"]);
    assert!(
        listed(&app, None, json!({ "hasCapacity": true }))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_withdrawn_entry_is_not_listed() {
    let (app, own, _, _) = published_entry().await;
    let withdrawn = app
        .gql(
            Some(&own),
            r#"mutation { withdrawMyActiveListEntry { entry { status } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        withdrawn["data"]["withdrawMyActiveListEntry"]["entry"]["status"],
        "WITHDRAWN"
    );
    assert!(listed(&app, None, json!({})).await.is_empty());
}

#[tokio::test]
async fn an_ineligible_specialist_leaves_the_list_at_once_and_comes_back() {
    let app = TestApp::spawn().await;
    let id = register_on(&app, "000001", d(2026, 4, 1)).await;
    publish(&app, "000001", entry(&["BASIC_POLICY"])).await;
    assert_eq!(listed(&app, None, json!({})).await, ["000001"]);

    let today = japan_today();
    set_status(&app.db, id, SpecialistStatus::Suspended, today).await;
    assert!(
        listed(&app, None, json!({})).await.is_empty(),
        "no stale entry"
    );
    let staff = app.token(Role::ProgramStaff);
    let seen = app
        .gql(
            Some(&staff),
            r#"{ specialist(registrationNumber: "000001") { activeListEntry { status eligible } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        seen["data"]["specialist"]["activeListEntry"],
        json!({ "status": "PUBLISHED", "eligible": false })
    );
    set_status(&app.db, id, SpecialistStatus::Active, today).await;
    assert_eq!(
        listed(&app, None, json!({})).await,
        ["000001"],
        "back when eligible"
    );
}

#[tokio::test]
async fn an_overdue_cycle_keeps_a_specialist_off_the_list() {
    // On 2029-08-15 the cycle from 2026-10-01 was due on 2029-08-01 and ends on 2029-09-30.
    let app = TestApp::on_calendar(japan_morning(d(2029, 8, 15))).await;
    let id = register_on(&app, "000001", d(2026, 10, 1)).await;
    let saved = save(&app, "000001", entry(&["BASIC_POLICY"])).await;
    let entry_id = saved["entry"]["id"].clone();
    assert_eq!(saved["entry"]["eligible"], false);
    let refused = app
        .gql(Some(&app.specialist_token("000001")), SUBMIT, json!({}))
        .await;
    assert_eq!(
        refused["data"]["submitMyActiveListEntry"]["userErrors"][0]["code"], "INVALID",
        "{refused}"
    );

    // Training complete and an application filed in time: eligible, and published.
    let cycle = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::SpecialistId.eq(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut filed: renewal_cycle::ActiveModel = cycle.clone().into();
    filed.missing_requirements = Set(0);
    filed.applied_on = Set(Some(d(2029, 7, 15)));
    filed.update(&app.db).await.unwrap();
    // The fixture wrote the cycle directly; every domain write refreshes eligibility so.
    kakehashi::domain::active_list::eligibility::refresh(&app.db, &[id], app.system().now())
        .await
        .unwrap();
    app.gql(Some(&app.specialist_token("000001")), SUBMIT, json!({}))
        .await;
    let staff = app.token(Role::ProgramStaff);
    app.gql(
        Some(&staff),
        REVIEW,
        json!({ "id": entry_id, "d": "PUBLISH" }),
    )
    .await;
    assert_eq!(listed(&app, None, json!({})).await, ["000001"]);

    // Refusing the application makes the cycle OVERDUE: the entry leaves the list.
    let cycle_id = kakehashi::graphql::node::encode_id(
        kakehashi::graphql::node::NodeKind::RENEWAL_CYCLE,
        cycle.id,
    );
    let decided = app
        .gql(
            Some(&staff),
            r#"mutation($id: ID!) { decideRenewal(input: { cycleId: $id, decision: REFUSE, reason: "training certificates missing" }) {
              cycle { status } userErrors { message } } }"#,
            json!({ "id": cycle_id.0 }),
        )
        .await;
    assert_eq!(
        decided["data"]["decideRenewal"]["cycle"]["status"], "OVERDUE",
        "{decided}"
    );
    assert!(listed(&app, None, json!({})).await.is_empty());
}

#[tokio::test]
async fn search_filters_by_theme_place_industry_language_and_fee() {
    let app = TestApp::spawn().await;
    for n in 1..=4 {
        register_on(&app, &format!("{n:06}"), d(2026, 4, 1)).await;
    }
    publish(
        &app,
        "000001",
        entry(&["BASIC_POLICY", "INCIDENT_RESPONSE_PLAN"]),
    )
    .await;
    let mut remote = entry(&["INCIDENT_RESPONSE_PLAN"]);
    remote["prefectures"] = json!(["27"]);
    remote["remoteOk"] = json!(true);
    remote["languages"] = json!(["ja", "en"]);
    remote["industries"] = json!(["INFORMATION_AND_COMMUNICATIONS"]);
    remote["feePolicy"] = json!("PRO_BONO");
    publish(&app, "000002", remote).await;
    let mut paid = entry(&[
        "BASIC_POLICY",
        "INCIDENT_RESPONSE_PLAN",
        "BACKUP_AND_RECOVERY",
    ]);
    paid["feePolicy"] = json!("PAID");
    paid["feeMinYen"] = json!(50000);
    paid["feeMaxYen"] = json!(200000);
    publish(&app, "000003", paid).await;
    save(&app, "000004", entry(&["BASIC_POLICY"])).await; // a draft

    let all = json!({ "themes": ["BASIC_POLICY", "INCIDENT_RESPONSE_PLAN"], "themeMatch": "ALL" });
    assert_eq!(listed(&app, None, all).await, ["000001", "000003"]);
    let any = json!({ "themes": ["BASIC_POLICY", "INCIDENT_RESPONSE_PLAN"] });
    assert_eq!(
        listed(&app, None, any).await,
        ["000001", "000002", "000003"]
    );
    assert_eq!(
        listed(&app, None, json!({ "prefectures": ["27"] })).await,
        ["000002"]
    );
    assert_eq!(
        listed(
            &app,
            None,
            json!({ "prefectures": ["13"], "remoteOk": true })
        )
        .await,
        ["000001", "000002", "000003"]
    );
    assert_eq!(
        listed(&app, None, json!({ "remoteOk": true })).await,
        ["000002"]
    );
    assert_eq!(
        listed(&app, None, json!({ "industries": ["MANUFACTURING"] })).await,
        ["000001", "000003"]
    );
    assert_eq!(
        listed(&app, None, json!({ "languages": ["EN"] })).await,
        ["000002"]
    );
    assert_eq!(
        listed(&app, None, json!({ "feePolicies": ["PAID", "PRO_BONO"] })).await,
        ["000002", "000003"]
    );
    let unknown = app
        .gql(None, LIST, json!({ "f": { "themes": ["NOPE"] } }))
        .await;
    assert_eq!(error_code(&unknown), "BAD_USER_INPUT");
}

#[tokio::test]
async fn who_sees_what_of_an_entry() {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    publish(&app, "000001", entry(&["BASIC_POLICY"])).await;
    let query = r#"{ activeList { nodes { specialist { registrationNumber familyName email }
      contact { email } status eligible stale version } } }"#;

    let public = app.gql(None, query, json!({})).await;
    let node = &public["data"]["activeList"]["nodes"][0];
    assert_eq!(
        node["specialist"]["familyName"], "山田",
        "consented public field"
    );
    assert!(node["specialist"]["email"].is_null());
    for withheld in ["contact", "status", "eligible", "stale", "version"] {
        assert!(
            node[withheld].is_null(),
            "{withheld} withheld from the public: {node}"
        );
    }
    let org = app
        .gql(Some(&app.token(Role::SupportOrgStaff)), query, json!({}))
        .await;
    let node = &org["data"]["activeList"]["nodes"][0];
    assert_eq!(node["contact"]["email"], "riss000001@example.jp");
    assert!(node["status"].is_null());
    let staff = app
        .gql(Some(&app.token(Role::ProgramStaff)), query, json!({}))
        .await;
    let node = &staff["data"]["activeList"]["nodes"][0];
    assert_eq!(node["status"], "PUBLISHED");
    assert_eq!(node["stale"], false);
    let analyst = app
        .gql(Some(&app.token(Role::Analyst)), query, json!({}))
        .await;
    assert_eq!(error_code(&analyst), "FORBIDDEN");
}

#[tokio::test]
async fn stale_entries_are_flagged_for_staff_and_ranked_last() {
    let app = TestApp::spawn().await;
    let mut first = 0;
    for n in 1..=3 {
        let id = register_on(&app, &format!("{n:06}"), d(2026, 4, 1)).await;
        publish(&app, &format!("{n:06}"), entry(&["BASIC_POLICY"])).await;
        if n == 1 {
            first = id;
        }
    }
    // Entry 1 was last confirmed 13 months ago.
    let old = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::SpecialistId.eq(first))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut aged: active_list_entry::ActiveModel = old.into();
    aged.confirmed_on = Set(japan_today() - chrono::Days::new(400));
    aged.update(&app.db).await.unwrap();

    let staff = app.token(Role::ProgramStaff);
    let response = app
        .gql(
            Some(&staff),
            r#"{ activeList { nodes { specialist { registrationNumber } stale } } }"#,
            json!({}),
        )
        .await;
    let nodes = response["data"]["activeList"]["nodes"].as_array().unwrap();
    let last = nodes.last().unwrap();
    assert_eq!(
        last["specialist"]["registrationNumber"], "000001",
        "{response}"
    );
    assert_eq!(last["stale"], true);
    assert!(nodes[..2].iter().all(|n| n["stale"] == false));
}

#[tokio::test]
async fn a_page_of_entries_costs_the_same_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    for n in 1..=25 {
        let number = format!("{n:06}");
        register_on(&app, &number, d(2026, 4, 1)).await;
        publish(
            &app,
            &number,
            entry(&["BASIC_POLICY", "EMPLOYEE_TRAINING", "BACKUP_AND_RECOVERY"]),
        )
        .await;
    }
    let query = r#"query($first: Int) { activeList(first: $first, filter: {
        themes: ["BASIC_POLICY", "EMPLOYEE_TRAINING", "BACKUP_AND_RECOVERY"], themeMatch: ALL }) {
      totalCount
      nodes { specialist { registrationNumber familyName prefecture { code } }
              themes { code nameJa } prefectures { code } industries languages contact { email } }
    } }"#;
    let token = app.token(Role::SupportOrgStaff);
    let cost = app
        .assert_constant_cost(Some(&token), query, "/data/activeList/nodes", &[5, 20])
        .await;
    // The theme catalogue, the page (postings joined to entries), the specialists; the
    // total count reads the catalogue and counts.
    assert!(cost <= 5, "a page costs {cost} statements");
    let all = app.gql(Some(&token), query, json!({ "first": 1 })).await;
    assert_eq!(all["data"]["activeList"]["totalCount"], 25, "{all}");
}

/// Who may call each Active List operation: `true` where the role passes authorization.
#[tokio::test]
async fn authorization_matrix_of_active_list_operations() {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    let bogus = kakehashi::graphql::node::encode_id(
        kakehashi::graphql::node::NodeKind::ACTIVE_LIST_ENTRY,
        999_999,
    )
    .0;
    let theme = kakehashi::graphql::node::encode_id(
        kakehashi::graphql::node::NodeKind::GUIDANCE_THEME,
        999_999,
    )
    .0;
    let specialist_only: &[Role] = &[Role::Specialist];
    let staff: &[Role] = &[Role::Admin, Role::ProgramStaff];
    let operations: Vec<Operation> = vec![
        ("saveMyActiveListEntry", r#"mutation { saveMyActiveListEntry(input: { themes: [], remoteOk: true, languages: [], feePolicy: PAID, capacity: 0, bioJa: "" }) { userErrors { code } } }"#.into(), specialist_only),
        ("submitMyActiveListEntry", SUBMIT.into(), specialist_only),
        ("setMyActiveListAvailability", r#"mutation { setMyActiveListAvailability(input: { paused: true }) { userErrors { code } } }"#.into(), specialist_only),
        ("withdrawMyActiveListEntry", r#"mutation { withdrawMyActiveListEntry { userErrors { code } } }"#.into(), specialist_only),
        ("reviewActiveListEntry", format!(r#"mutation {{ reviewActiveListEntry(input: {{ entryId: "{bogus}", decision: PUBLISH }}) {{ userErrors {{ code }} }} }}"#), staff),
        ("createGuidanceTheme", r#"mutation { createGuidanceTheme(input: { code: "x", nameJa: "", nameEn: "", description: "", category: RECOVERY }) { userErrors { code } } }"#.into(), staff),
        ("updateGuidanceTheme", format!(r#"mutation {{ updateGuidanceTheme(input: {{ id: "{theme}", active: false }}) {{ userErrors {{ code }} }} }}"#), staff),
        ("activeListReviewQueue", r#"{ activeListReviewQueue { totalCount } }"#.into(), staff),
    ];
    assert_authorization(&app, "000001", &operations).await;
    // The list itself: everybody, anonymous included, but analysts.
    for role in Role::ALL {
        let response = app
            .gql(
                Some(&app.token(role)),
                r#"{ activeList { totalCount } }"#,
                json!({}),
            )
            .await;
        assert_eq!(
            response["errors"].is_null(),
            role != Role::Analyst,
            "{role}: {response}"
        );
    }
    assert!(
        app.gql(None, r#"{ activeList { totalCount } }"#, json!({}))
            .await["errors"]
            .is_null()
    );
}

#[tokio::test]
async fn a_lapse_by_the_sweep_takes_the_entry_off_and_staff_cannot_publish_the_ineligible() {
    use kakehashi::domain::{Caller, renewal::sweep};
    let app = TestApp::spawn().await;
    // The cycle from 2023-10-01 ended on 2026-09-30 without an application.
    let lapsing = register_on(&app, "000001", d(2023, 10, 1)).await;
    register_on(&app, "000002", d(2026, 4, 1)).await;
    publish(&app, "000002", entry(&["BASIC_POLICY"])).await;
    // 000001's entry can only be saved and, refused for review, never listed.
    let saved = save(&app, "000001", entry(&["BASIC_POLICY"])).await;
    let staff = app.token(Role::ProgramStaff);
    let pending = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::SpecialistId.eq(lapsing))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut pending: active_list_entry::ActiveModel = pending.into();
    pending.status = Set(entities::enums::active_list::EntryStatus::PendingReview);
    pending.update(&app.db).await.unwrap();
    let refused = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": saved["entry"]["id"], "d": "PUBLISH" }),
        )
        .await;
    assert_eq!(
        refused["data"]["reviewActiveListEntry"]["userErrors"][0]["code"], "INVALID",
        "{refused}"
    );

    // The sweep lapses 000001; 000002 stays listed.
    sweep::sweep(&app.db, &Caller::system(), japan_today())
        .await
        .unwrap();
    assert_eq!(listed(&app, None, json!({})).await, ["000002"]);
    let entry_of_lapsed = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::SpecialistId.eq(lapsing))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry_of_lapsed.eligible_until, None);
}

#[tokio::test]
async fn seeded_entries_carry_the_eligibility_of_their_specialists() {
    use kakehashi::domain::{Caller, active_list::eligibility, seed::seed_demo};
    let app = TestApp::spawn().await;
    seed_demo(&app.db, &Caller::system(), 2000, |_| {})
        .await
        .unwrap();
    let entries = active_list_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(entries.len() > 300, "{} entries", entries.len());
    let ids: Vec<i64> = entries.iter().map(|e| e.specialist_id).collect();
    let computed = eligibility::eligible_until(&app.db, &ids).await.unwrap();
    for entry in &entries {
        assert_eq!(
            entry.eligible_until,
            computed.get(&entry.specialist_id).copied(),
            "{entry:?}"
        );
    }
    let published = entries
        .iter()
        .filter(|e| e.status == entities::enums::active_list::EntryStatus::Published)
        .count();
    let response = app
        .gql(None, r#"{ activeList { totalCount } }"#, json!({}))
        .await;
    let listed = response["data"]["activeList"]["totalCount"]
        .as_u64()
        .unwrap() as usize;
    assert!(listed > 0 && listed <= published, "{listed} of {published}");
}

#[tokio::test]
async fn an_every_theme_search_pages_in_order_and_follows_changes_to_entries() {
    let app = TestApp::spawn().await;
    let themes = ["BASIC_POLICY", "EMPLOYEE_TRAINING", "BACKUP_AND_RECOVERY"];
    let mut ids = Vec::new();
    for n in 1..=12 {
        let number = format!("{n:06}");
        register_on(&app, &number, d(2026, 4, 1)).await;
        // Entries with only two of the themes never match.
        let held: &[&str] = if n % 4 == 0 { &themes[..2] } else { &themes };
        ids.push(publish(&app, &number, entry(held)).await);
    }
    // Confirmation dates 1..=12 days ago, entry 1 most recent.
    for (i, id) in ids.iter().enumerate() {
        let key = kakehashi::graphql::node::decode_id(id).unwrap().1;
        let row = active_list_entry::Entity::find_by_id(key)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut row: active_list_entry::ActiveModel = row.into();
        row.confirmed_on = Set(japan_today() - chrono::Days::new(i as u64 + 1));
        row.update(&app.db).await.unwrap();
        kakehashi::domain::active_list::postings::sync(&app.db, &[key])
            .await
            .unwrap();
    }
    let query = r#"query($after: String) { activeList(first: 4, after: $after, filter: {
        themes: ["BASIC_POLICY", "EMPLOYEE_TRAINING", "BACKUP_AND_RECOVERY"], themeMatch: ALL }) {
      totalCount pageInfo { hasNextPage endCursor } nodes { specialist { registrationNumber } } } }"#;
    let (seen, total) = read_all(&app, query).await;
    assert_eq!(total, 9);
    assert_eq!(
        seen,
        [
            "000001", "000002", "000003", "000005", "000006", "000007", "000009", "000010",
            "000011"
        ]
    );

    // Confirming moves an entry to the front; suspending takes it out.
    app.gql(
        Some(&app.specialist_token("000011")),
        r#"mutation { setMyActiveListAvailability(input: {}) { entry { confirmedOn } } }"#,
        json!({}),
    )
    .await;
    let staff = app.token(Role::ProgramStaff);
    app.gql(
        Some(&staff),
        REVIEW,
        json!({ "id": ids[1], "d": "SUSPEND", "c": "under review" }),
    )
    .await;
    let (seen, total) = read_all(&app, query).await;
    assert_eq!(total, 8);
    assert_eq!(
        seen,
        [
            "000011", "000001", "000003", "000005", "000006", "000007", "000009", "000010"
        ]
    );
}

/// Reads every page of `query` (an `activeList` with `$after`), four at a time.
async fn read_all(app: &TestApp, query: &str) -> (Vec<String>, u64) {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.gql(None, query, json!({ "after": after })).await;
        let connection = &page["data"]["activeList"];
        for node in connection["nodes"].as_array().unwrap() {
            seen.push(
                node["specialist"]["registrationNumber"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        if connection["pageInfo"]["hasNextPage"] != true {
            return (seen, connection["totalCount"].as_u64().unwrap());
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

/// The review queue is the order entries were sent for review: an entry saved first but
/// submitted last waits behind one submitted before it.
#[tokio::test]
async fn the_review_queue_is_in_the_order_entries_were_submitted() {
    use crate::support::factories::{
        active_list::{SUBMIT, entry, save},
        recent_round, register_on,
    };
    let app = TestApp::on_calendar(chrono::Utc::now()).await;
    let today = app.today();
    for number in ["000051", "000052"] {
        register_on(&app, number, recent_round()).await;
    }
    let saved_first = save(&app, "000051", entry(&["BASIC_POLICY"])).await;
    let saved_second = save(&app, "000052", entry(&["BASIC_POLICY"])).await;
    for (day, number) in [(0, "000052"), (1, "000051")] {
        app.travel_to(today + chrono::Days::new(day));
        let token = app.specialist_token(number);
        let submitted = app.gql(Some(&token), SUBMIT, json!({})).await;
        assert_eq!(
            submitted["data"]["submitMyActiveListEntry"]["entry"]["status"], "PENDING_REVIEW",
            "{submitted}"
        );
    }
    let queue = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            "{ activeListReviewQueue { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        queue["data"]["activeListReviewQueue"]["nodes"],
        json!([{ "id": saved_second["entry"]["id"] }, { "id": saved_first["entry"]["id"] }]),
        "{queue}"
    );
}
