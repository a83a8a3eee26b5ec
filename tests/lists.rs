//! One convention for every list: plural filters (any of the values given, each checked,
//! at most 100) and an `orderBy` whose direction turns the list's own order around.

use kakehashi::domain::Role;
use serde_json::{Value, json};

use crate::support::TestApp;

/// A list with an `orderBy`, the arguments it needs, and who reads it.
struct Ordered {
    field: &'static str,
    input: &'static str,
    arguments: &'static str,
    role: Role,
}

const ORDERED: [Ordered; 16] = [
    Ordered {
        field: "courses",
        input: "CourseOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "renewalCycles",
        input: "RenewalCycleOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "deemedAttendanceClaims",
        input: "DeemedAttendanceClaimOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "supportOrganizations",
        input: "SupportOrganizationOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "companies",
        input: "CompanyOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "consultationRequests",
        input: "ConsultationRequestOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "matches",
        input: "MatchOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "campCohorts",
        input: "CampCohortOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "campApplications",
        input: "CampApplicationOrderInput",
        arguments: "",
        role: Role::CampStaff,
    },
    Ordered {
        field: "alumni",
        input: "AlumniOrderInput",
        arguments: "",
        role: Role::CampStaff,
    },
    Ordered {
        field: "alumniActivities",
        input: "AlumniActivityOrderInput",
        arguments: "",
        role: Role::CampStaff,
    },
    Ordered {
        field: "communityEvents",
        input: "CommunityEventOrderInput",
        arguments: r#"filter: { from: "2000-01-01T00:00:00Z" },"#,
        role: Role::CampStaff,
    },
    Ordered {
        field: "auditEvents",
        input: "AuditEventOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "erasureRequests",
        input: "ErasureRequestOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "activeListReviewQueue",
        input: "ActiveListReviewOrderInput",
        arguments: "",
        role: Role::Admin,
    },
    Ordered {
        field: "activeList",
        input: "ActiveListOrderInput",
        arguments: "",
        role: Role::Admin,
    },
];

/// The IDs of one page of `list`, read with `page` (`first: 100`) in `order`.
async fn ids(app: &TestApp, list: &Ordered, page: &str, order: Value) -> Vec<String> {
    let query = format!(
        "query($order: {input}) {{ {field}({arguments} {page}, orderBy: $order) \
         {{ totalCount nodes {{ id }} }} }}",
        input = list.input,
        field = list.field,
        arguments = list.arguments,
    );
    let token = app.token(list.role);
    let response = app
        .gql(Some(&token), &query, json!({ "order": order }))
        .await;
    let nodes = response["data"][list.field]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: {response}", list.field));
    nodes
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_ordered_list_reads_the_other_way_round_when_asked() {
    let app = TestApp::seeded(300).await;
    let mut nonempty = 0;
    for list in &ORDERED {
        let natural = ids(&app, list, "first: 100", Value::Null).await;
        let ascending = ids(&app, list, "first: 100", json!({ "direction": "ASC" })).await;
        // The last 100 read descending are the first 100 ascending, the other way round.
        let mut descending_tail =
            ids(&app, list, "last: 100", json!({ "direction": "DESC" })).await;
        descending_tail.reverse();
        assert_eq!(ascending, descending_tail, "{}", list.field);
        let descending = ids(&app, list, "first: 100", json!({ "direction": "DESC" })).await;
        assert!(
            natural == ascending || natural == descending,
            "{}: the list's own order is neither direction",
            list.field
        );
        if ascending.len() > 1 {
            nonempty += 1;
            assert_ne!(ascending, descending, "{}", list.field);
        }
    }
    assert!(nonempty >= 10, "only {nonempty} lists had rows to order");
}

#[tokio::test]
async fn a_cursor_of_one_direction_is_refused_by_the_other() {
    let app = TestApp::seeded(100).await;
    let staff = app.token(Role::Admin);
    let page = |direction: &'static str, after: Option<String>| {
        let (app, staff) = (&app, &staff);
        async move {
            app.gql(
                Some(staff),
                "query($d: OrderDirection, $after: String) {
                   companies(first: 2, after: $after, orderBy: { direction: $d }) {
                     edges { cursor node { id } } } }",
                json!({ "d": direction, "after": after }),
            )
            .await
        }
    };
    let first = page("DESC", None).await;
    let cursor = first["data"]["companies"]["edges"][1]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = page("DESC", Some(cursor.clone())).await;
    assert!(next["errors"].is_null(), "{next}");
    let crossed = page("ASC", Some(cursor)).await;
    assert_eq!(
        crossed["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{crossed}"
    );
}

#[tokio::test]
async fn companies_read_in_kana_order() {
    let app = TestApp::seeded(300).await;
    let staff = app.token(Role::Admin);
    let read = |direction: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            let response = app
                .gql(
                    Some(staff),
                    "query($d: OrderDirection) { companies(first: 100,
                       orderBy: { field: NAME_KANA, direction: $d }) { nodes { nameKana } } }",
                    json!({ "d": direction }),
                )
                .await;
            response["data"]["companies"]["nodes"]
                .as_array()
                .unwrap_or_else(|| panic!("{response}"))
                .iter()
                .map(|n| n["nameKana"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let ascending = read("ASC").await;
    assert!(ascending.len() > 10, "{} companies", ascending.len());
    assert!(ascending.is_sorted(), "{ascending:?}");
    let descending = read("DESC").await;
    assert!(descending.iter().rev().is_sorted(), "{descending:?}");
}

/// The total count of `field` with `filter`, as `role`.
async fn total(app: &TestApp, role: Role, field: &str, input: &str, filter: Value) -> Value {
    let token = app.token(role);
    app.gql(
        Some(&token),
        &format!("query($f: {input}) {{ {field}(filter: $f) {{ totalCount }} }}"),
        json!({ "f": filter }),
    )
    .await
}

#[tokio::test]
async fn a_plural_filter_matches_any_of_its_values() {
    let app = TestApp::seeded(300).await;
    let count = |filter: Value| {
        let app = &app;
        async move {
            let response = total(app, Role::Admin, "companies", "CompanyFilterInput", filter).await;
            response["data"]["companies"]["totalCount"]
                .as_u64()
                .unwrap_or_else(|| panic!("{response}"))
        }
    };
    let tokyo = count(json!({ "prefectures": ["13"] })).await;
    let osaka = count(json!({ "prefectures": ["27"] })).await;
    assert!(tokyo > 0 && osaka > 0, "{tokyo} {osaka}");
    assert_eq!(
        count(json!({ "prefectures": ["13", "27", "13"] })).await,
        tokyo + osaka
    );
    assert_eq!(
        count(json!({ "prefectures": [] })).await,
        count(json!({})).await
    );
}

#[tokio::test]
async fn a_bad_or_overlong_filter_list_names_the_value_at_fault() {
    let app = TestApp::seeded(20).await;
    let refused = |field: &'static str, input: &'static str, filter: Value| {
        let app = &app;
        async move {
            let response = total(app, Role::Admin, field, input, filter).await;
            let error = &response["errors"][0];
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{response}");
            assert!(response["data"].is_null(), "{response}");
            error["message"].as_str().unwrap().to_owned()
        }
    };
    let message = refused(
        "consultationRequests",
        "ConsultationRequestFilterInput",
        json!({ "prefectures": ["13", "99"] }),
    )
    .await;
    assert!(message.contains("filter.prefectures.1"), "{message}");
    let message = refused(
        "consultationRequests",
        "ConsultationRequestFilterInput",
        json!({ "themes": ["NO_SUCH_THEME"] }),
    )
    .await;
    assert!(message.contains("filter.themes.0"), "{message}");
    let many: Vec<String> = (0..101).map(|_| "Q29tcGFueTox".to_owned()).collect();
    let message = refused(
        "consultationRequests",
        "ConsultationRequestFilterInput",
        json!({ "companies": many }),
    )
    .await;
    assert!(message.contains("at most 100"), "{message}");
    let message = refused(
        "matches",
        "MatchFilterInput",
        json!({ "requests": ["Q29tcGFueTox"] }),
    )
    .await;
    assert!(message.contains("filter.requests.0"), "{message}");
    let years: Vec<i32> = (1900..2001).collect();
    let message = refused(
        "courses",
        "CourseFilterInput",
        json!({ "fiscalYears": years }),
    )
    .await;
    assert!(message.contains("filter.fiscalYears"), "{message}");
}

#[tokio::test]
async fn no_filter_input_of_the_schema_takes_a_single_value_where_a_list_would_do() {
    let app = TestApp::spawn().await;
    let response = app
        .gql(
            None,
            "{ __schema { types { name kind inputFields { name type { kind ofType { kind } } } } } }",
            json!({}),
        )
        .await;
    // Conditions that are one value by nature: a switch, a bound, a search text, a mode.
    let single = [
        "themeMatch",
        "remoteOk",
        "hasCapacity",
        "isSme",
        "openToMentoring",
        "featured",
        "includeCancelled",
        "awaitingDecision",
        "nameContains",
        "registeredFrom",
        "registeredTo",
        "deadlineBefore",
        "updatedSince",
        "acceptingOn",
        "from",
        "until",
    ];
    let mut offenders = Vec::new();
    for ty in response["data"]["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if ty["kind"] != "INPUT_OBJECT" || !name.ends_with("FilterInput") {
            continue;
        }
        for field in ty["inputFields"].as_array().unwrap() {
            let field_name = field["name"].as_str().unwrap();
            let is_list =
                field["type"]["kind"] == "LIST" || field["type"]["ofType"]["kind"] == "LIST";
            if !is_list && !single.contains(&field_name) {
                offenders.push(format!("{name}.{field_name}"));
            }
        }
    }
    assert!(offenders.is_empty(), "single-valued filters: {offenders:?}");
}

const REGISTER_COMPANY: &str = r#"mutation($input: RegisterCompanyInput!) {
  registerCompany(input: $input) { company { id } userErrors { message } } }"#;

const FILE_REQUEST: &str = r#"mutation($company: ID!) {
  fileConsultationRequest(input: { companyId: $company, themes: ["BASIC_POLICY"],
    description: "基本方針を作りたい。", remoteOk: true }) {
    request { id openedOn } userErrors { message } } }"#;

/// "Newest first" means the date a person means, not the order rows were written: a
/// request recorded later but opened earlier (entered after the fact) comes after one
/// opened since.
#[tokio::test]
async fn newest_first_follows_the_date_a_request_was_opened_not_its_row() {
    let app = TestApp::on_calendar(chrono::Utc::now()).await;
    let staff = app.token(Role::Admin);
    let number = kakehashi::domain::matching::corporate_number::with_check_digit(7);
    let company = app
        .gql(
            Some(&staff),
            REGISTER_COMPANY,
            json!({ "input": {
                "corporateNumber": number, "name": "株式会社順序", "nameKana": "ジュンジョ",
                "industry": "MANUFACTURING", "employees": 8, "capitalYen": 1_000_000,
                "prefecture": "13", "contactName": "山田 花子",
                "contactEmail": "yamada@order.example.jp" } }),
        )
        .await["data"]["registerCompany"]["company"]["id"]
        .clone();
    assert!(company.is_string(), "{company}");
    let today = app.today();
    let opened_today = app
        .gql(Some(&staff), FILE_REQUEST, json!({ "company": company }))
        .await["data"]["fileConsultationRequest"]["request"]
        .clone();
    app.travel_to(today - chrono::Days::new(5));
    let opened_earlier = app
        .gql(Some(&staff), FILE_REQUEST, json!({ "company": company }))
        .await["data"]["fileConsultationRequest"]["request"]
        .clone();
    app.travel_to(today);
    let listed = app
        .gql(
            Some(&staff),
            "{ consultationRequests(first: 10) { nodes { id openedOn } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["consultationRequests"]["nodes"],
        json!([opened_today, opened_earlier]),
        "{listed}"
    );
}
