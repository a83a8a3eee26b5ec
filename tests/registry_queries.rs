//! Reading the registry: pages, filters, orders, global IDs and the cost of a page.

use chrono::{Datelike, Days, Months};
use kakehashi::domain::{
    Role,
    registry::{commands::NewSpecialist, types::SpecialistStatus},
};
use serde_json::{Value, json};

use crate::support::{
    TestApp, error_code,
    factories::{all_disclosed, recent_round, register, register_many, set_status, specialist},
};

const PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String, $filter: SpecialistFilterInput, $orderBy: SpecialistOrderInput) {
  specialists(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { registrationNumber registeredOn } }
  }
}"#;

fn numbers(response: &Value) -> Vec<String> {
    response["data"]["specialists"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .iter()
        .map(|e| e["node"]["registrationNumber"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn paging_forwards_visits_every_specialist_once_in_order() {
    let app = TestApp::spawn().await;
    register_many(&app.db, 23).await;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let response = app
            .gql(None, PAGE, json!({ "first": 5, "after": after }))
            .await;
        let connection = &response["data"]["specialists"];
        assert_eq!(connection["totalCount"], 23);
        seen.extend(numbers(&response));
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    let expected: Vec<String> = (1..=23).map(|i| format!("{i:06}")).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn paging_backwards_from_the_end() {
    let app = TestApp::spawn().await;
    register_many(&app.db, 12).await;
    let last = app.gql(None, PAGE, json!({ "last": 5 })).await;
    assert_eq!(
        numbers(&last),
        ["000008", "000009", "000010", "000011", "000012"]
    );
    assert_eq!(
        last["data"]["specialists"]["pageInfo"]["hasPreviousPage"],
        true
    );
    let before = last["data"]["specialists"]["pageInfo"]["startCursor"].clone();
    let previous = app
        .gql(None, PAGE, json!({ "last": 5, "before": before }))
        .await;
    assert_eq!(
        numbers(&previous),
        ["000003", "000004", "000005", "000006", "000007"]
    );
    assert_eq!(
        previous["data"]["specialists"]["pageInfo"]["hasNextPage"],
        true
    );
}

#[tokio::test]
async fn filters_narrow_the_list_and_the_total() {
    let app = TestApp::spawn().await;
    register_many(&app.db, 6).await; // odd numbers in 13, even in 27
    // The round before the others'.
    let earlier = recent_round() - Months::new(6);
    register(
        &app.db,
        NewSpecialist {
            registered_on: earlier,
            exam_year: earlier.year() - 1,
            disclosure: all_disclosed(),
            family_name: "佐々木".into(),
            family_name_kana: "ササキ".into(),
            ..specialist("000007")
        },
    )
    .await;
    let staff = app.token(Role::ProgramStaff);
    set_status(
        &app.db,
        1,
        SpecialistStatus::Lapsed,
        recent_round() + Days::new(30),
    )
    .await;

    let query = |filter: Value| {
        let staff = staff.clone();
        let app = &app;
        async move {
            app.gql(Some(&staff), PAGE, json!({ "filter": filter }))
                .await
        }
    };
    let osaka = query(json!({ "prefectures": ["27"] })).await;
    assert_eq!(numbers(&osaka), ["000002", "000004", "000006"]);
    assert_eq!(osaka["data"]["specialists"]["totalCount"], 3);

    let lapsed = query(json!({ "statuses": ["LAPSED"] })).await;
    assert_eq!(numbers(&lapsed), ["000001"]);

    let around = json!({
        "registeredFrom": (earlier - Months::new(1)).to_string(),
        "registeredTo": (earlier + Months::new(1)).to_string(),
    });
    assert_eq!(numbers(&query(around).await), ["000007"]);

    let by_kana = query(json!({ "nameContains": "ササ" })).await;
    assert_eq!(numbers(&by_kana), ["000007"]);
    let by_full_name = query(json!({ "nameContains": "佐々木 花子" })).await;
    assert_eq!(numbers(&by_full_name), ["000007"]);
    let wildcard = query(json!({ "nameContains": "%" })).await;
    assert_eq!(
        numbers(&wildcard),
        Vec::<String>::new(),
        "LIKE wildcards are matched literally"
    );

    let bad = query(json!({ "prefectures": ["99"] })).await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    let backwards =
        query(json!({ "registeredFrom": "2024-01-01", "registeredTo": "2023-01-01" })).await;
    assert_eq!(error_code(&backwards), "BAD_USER_INPUT");
}

#[tokio::test]
async fn lists_can_be_ordered_and_cursors_belong_to_their_order() {
    let app = TestApp::spawn().await;
    // All within their first cycle: now, two years and one year before.
    for (number, months) in [("000001", 0), ("000002", 24), ("000003", 12)] {
        let on = recent_round() - Months::new(months);
        register(
            &app.db,
            NewSpecialist {
                registered_on: on,
                exam_year: on.year() - 1,
                ..specialist(number)
            },
        )
        .await;
    }
    let newest_first = app
        .gql(
            None,
            PAGE,
            json!({ "orderBy": { "field": "REGISTERED_ON", "direction": "DESC" }, "first": 2 }),
        )
        .await;
    assert_eq!(numbers(&newest_first), ["000001", "000003"]);
    let cursor = newest_first["data"]["specialists"]["pageInfo"]["endCursor"].clone();
    let rest = app
        .gql(None, PAGE, json!({ "orderBy": { "field": "REGISTERED_ON", "direction": "DESC" }, "after": cursor }))
        .await;
    assert_eq!(numbers(&rest), ["000002"]);

    let mixed = app.gql(None, PAGE, json!({ "after": cursor })).await;
    assert_eq!(error_code(&mixed), "BAD_USER_INPUT");
    let garbage = app
        .gql(None, PAGE, json!({ "after": "not-a-cursor" }))
        .await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
    let both = app.gql(None, PAGE, json!({ "first": 1, "last": 1 })).await;
    assert_eq!(error_code(&both), "BAD_USER_INPUT");
}

#[tokio::test]
async fn objects_are_fetched_by_global_id() {
    let app = TestApp::spawn().await;
    register_many(&app.db, 3).await;
    let ids: Vec<Value> = app
        .gql(None, "{ specialists { nodes { id } } }", json!({}))
        .await["data"]["specialists"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();

    let one = app
        .gql(
            None,
            "query($id: ID!) { node(id: $id) { id ... on Specialist { registrationNumber } } }",
            json!({ "id": ids[1] }),
        )
        .await;
    assert_eq!(one["data"]["node"]["registrationNumber"], "000002");

    let unknown =
        kakehashi::graphql::node::encode_id(kakehashi::graphql::node::NodeKind::SPECIALIST, 999);
    let many = app
        .gql(
            None,
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Specialist { registrationNumber } } }",
            json!({ "ids": [ids[2], unknown, ids[0]] }),
        )
        .await;
    assert_eq!(
        many["data"]["nodes"],
        json!([{ "registrationNumber": "000003" }, null, { "registrationNumber": "000001" }])
    );

    let too_many: Vec<Value> = (0..101).map(|_| ids[0].clone()).collect();
    let refused = app
        .gql(
            None,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": too_many }),
        )
        .await;
    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    let malformed = app
        .gql(None, r#"{ node(id: "bm9wZQ") { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&malformed), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_page_costs_the_same_few_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    register_many(&app.db, 60).await;
    let token = app.token(Role::Admin);
    let query = r#"query($first: Int) { specialists(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node {
        id registrationNumber familyName familyNameKana prefecture { code nameJa region }
        email disclosure { name } status statusSince version
        statusHistory { status effectiveOn reason recordedAt }
      } }
    } }"#;
    let cost = app
        .assert_constant_cost(Some(&token), query, "/data/specialists/edges", &[5, 50])
        .await;
    assert!(
        cost <= 3,
        "a page with its nested fields costs {cost} statements"
    );
}
