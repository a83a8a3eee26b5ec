//! Bulk data: CSV files of companies imported as jobs, in UTF-8 (with or without a
//! byte-order mark) and Shift_JIS; rejected rows with their row, column and reason; the
//! same file again is the same job; who may import, and into which organization.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use entities::{bulk_job, company};
use kakehashi::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::support::{
    Reply, TestApp, error_code,
    factories::matching::{number, organization},
};

const HEADER: &str = "corporate_number,name,name_kana,industry,employees,capital_yen,prefecture,contact_name,contact_email";

/// A valid row: a manufacturer in Tokyo, an SME.
fn row(base: u64, name: &str) -> String {
    format!(
        "{},{name},カケハシ,E,40,30000000,13,山田 花子,desk{base}@example.jp",
        number(base)
    )
}

fn csv(rows: &[String]) -> String {
    let mut text = format!("{HEADER}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text
}

/// `text` as a Japanese spreadsheet saves it in Shift_JIS.
fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

async fn upload(app: &TestApp, token: Option<&str>, content_type: &str, body: Vec<u8>) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/bulk/companies")
        .header(header::CONTENT_TYPE, content_type);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

const JOB: &str = r#"query($id: ID!) { bulkJob(id: $id) {
  id kind status rowsTotal rowsDone rowsRejected finishedAt
  rejections(first: 100) { totalCount nodes { row field reason } } } }"#;

/// Uploads a file that must be accepted as a new job, and waits for the job to end.
async fn import(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> Value {
    let reply = upload(app, Some(token), content_type, body).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let id = reply.json()["job"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        reply.headers[header::LOCATION].to_str().unwrap(),
        format!("/bulk/jobs/{id}")
    );
    finished(app, token, &id).await
}

/// Polls the job until it is `DONE` or `FAILED` (the job runs on the test's runtime, which
/// each poll yields to).
async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..2_000 {
        let response = app.gql(Some(token), JOB, json!({ "id": id })).await;
        let job = response["data"]["bulkJob"].clone();
        assert!(job.is_object(), "{response}");
        if job["status"] == "DONE" || job["status"] == "FAILED" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("job {id} did not end");
}

async fn company_named(app: &TestApp, base: u64) -> Option<company::Model> {
    company::Entity::find()
        .filter(company::Column::CorporateNumber.eq(number(base)))
        .one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn organization_staff_import_utf8_companies_into_their_own_organization() {
    let app = TestApp::spawn().await;
    organization(&app, "CCI_TOKYO").await;
    let staff = app.org_token("CCI_TOKYO");
    let file = csv(&[
        row(7_000_001, "株式会社かけはし製作所"),
        row(7_000_002, "有限会社橋本工業"),
    ]);

    let job = import(&app, &staff, "text/csv", file.into_bytes()).await;

    assert_eq!(job["status"], "DONE");
    assert_eq!(job["kind"], "COMPANIES");
    assert_eq!(
        (job["rowsTotal"].clone(), job["rowsDone"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(job["rowsRejected"], 0);
    assert!(job["finishedAt"].is_string());
    let imported = company_named(&app, 7_000_002).await.unwrap();
    assert_eq!(imported.name, "有限会社橋本工業");
    assert!(imported.is_sme);
    let org = entities::support_organization::Entity::find()
        .filter(entities::support_organization::Column::Code.eq("CCI_TOKYO"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(imported.support_organization_id, Some(org.id));
}

#[tokio::test]
async fn a_byte_order_mark_and_shift_jis_are_read_as_japanese_spreadsheets_write_them() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    let bom = [
        b"\xEF\xBB\xBF".to_vec(),
        csv(&[row(7_000_011, "株式会社ＢＯＭ")]).into_bytes(),
    ]
    .concat();
    let sjis = shift_jis(&csv(&[row(7_000_012, "株式会社シフトジス")]));
    let declared = shift_jis(&csv(&[row(7_000_013, "合同会社宣言済")]));

    for (content_type, body) in [
        ("text/csv", bom),
        ("text/csv", sjis),
        ("text/csv; charset=Shift_JIS", declared),
    ] {
        let job = import(&app, &staff, content_type, body).await;
        assert_eq!(job["rowsDone"], 1, "{job}");
    }

    assert_eq!(
        company_named(&app, 7_000_011).await.unwrap().name,
        "株式会社ＢＯＭ"
    );
    assert_eq!(
        company_named(&app, 7_000_012).await.unwrap().name,
        "株式会社シフトジス"
    );
    assert_eq!(
        company_named(&app, 7_000_013).await.unwrap().name,
        "合同会社宣言済"
    );
}

#[tokio::test]
async fn bad_rows_are_rejected_with_row_field_and_reason_and_good_rows_are_applied() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    import(
        &app,
        &staff,
        "text/csv",
        csv(&[row(7_000_021, "既存株式会社")]).into_bytes(),
    )
    .await;
    let file = csv(&[
        row(7_000_022, "株式会社よい行"),
        row(7_000_021, "株式会社重複"), // already registered
        row(7_000_023, "株式会社従業員").replace(",40,", ",たくさん,"),
        row(7_000_024, "株式会社メール").replace("desk7000024@example.jp", "not-an-email"),
        format!(
            "{},,カケハシ,E,40,30000000,13,山田,a@example.jp",
            number(7_000_025)
        ),
        "1234".into(),
        row(7_000_026, "株式会社最後"),
    ]);

    let job = import(&app, &staff, "text/csv", file.into_bytes()).await;

    assert_eq!(job["status"], "DONE");
    assert_eq!(
        (job["rowsDone"].clone(), job["rowsRejected"].clone()),
        (json!(2), json!(5))
    );
    let rejections: Vec<(i64, String)> = job["rejections"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().unwrap(),
                r["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rejections,
        [
            (3, "corporate_number".to_owned()),
            (4, "employees".to_owned()),
            (5, "contact_email".to_owned()),
            (6, "name".to_owned()),
            (7, String::new()),
        ]
    );
    let reasons = job["rejections"]["nodes"].to_string();
    assert!(reasons.contains("already registered"), "{reasons}");
    assert!(
        reasons.contains("`たくさん` is not a whole number"),
        "{reasons}"
    );
    assert!(company_named(&app, 7_000_022).await.is_some());
    assert!(company_named(&app, 7_000_026).await.is_some());
    assert!(company_named(&app, 7_000_023).await.is_none());
    assert_eq!(
        company_named(&app, 7_000_021).await.unwrap().name,
        "既存株式会社"
    );
}

#[tokio::test]
async fn the_same_file_again_is_the_same_job_and_applies_nothing_twice() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    let file = csv(&[row(7_000_031, "株式会社一度")]).into_bytes();
    let first = import(&app, &staff, "text/csv", file.clone()).await;

    let again = upload(&app, Some(&staff), "text/csv", file).await;

    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["job"]["id"], first["id"]);
    let job = finished(&app, &staff, first["id"].as_str().unwrap()).await;
    assert_eq!(
        (job["rowsDone"].clone(), job["rowsRejected"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(app.count(bulk_job::Entity).await, 1);
    assert_eq!(app.count(company::Entity).await, 1);
}

#[tokio::test]
async fn organization_staff_cannot_import_into_an_organization_not_theirs() {
    let app = TestApp::spawn().await;
    organization(&app, "CCI_OSAKA").await;
    organization(&app, "CCI_KOBE").await;
    let osaka = app.org_token("CCI_OSAKA");
    let file = format!(
        "{HEADER},support_organization_code\r\n{},CCI_KOBE\r\n{},CCI_OSAKA\r\n",
        row(7_000_041, "株式会社よそ"),
        row(7_000_042, "株式会社うち")
    );

    let job = import(&app, &osaka, "text/csv", file.into_bytes()).await;

    assert_eq!(
        (job["rowsDone"].clone(), job["rowsRejected"].clone()),
        (json!(1), json!(1))
    );
    let rejection = &job["rejections"]["nodes"][0];
    assert_eq!(rejection["row"], 2);
    assert_eq!(rejection["field"], "support_organization_code");
    assert!(company_named(&app, 7_000_041).await.is_none());
    assert!(company_named(&app, 7_000_042).await.is_some());
    // Another organization's staff do not see the job; registry staff do.
    let kobe = app.org_token("CCI_KOBE");
    let seen = app.gql(Some(&kobe), JOB, json!({ "id": job["id"] })).await;
    assert_eq!(seen["data"]["bulkJob"], Value::Null, "{seen}");
    let staff = app.token(Role::ProgramStaff);
    let seen = app.gql(Some(&staff), JOB, json!({ "id": job["id"] })).await;
    assert_eq!(seen["data"]["bulkJob"]["id"], job["id"]);
}

#[tokio::test]
async fn company_users_specialists_analysts_and_anonymous_callers_are_refused() {
    let app = TestApp::spawn().await;
    let file = || csv(&[row(7_000_051, "株式会社だめ")]).into_bytes();
    for role in [
        Role::SmeUser,
        Role::Specialist,
        Role::Analyst,
        Role::CampStaff,
    ] {
        let reply = upload(&app, Some(&app.token(role)), "text/csv", file()).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{role}: {}",
            reply.body
        );
        assert_eq!(error_code(&reply.json()), "FORBIDDEN");
    }
    let reply = upload(&app, None, "text/csv", file()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(app.count(bulk_job::Entity).await, 0);
    assert_eq!(app.count(company::Entity).await, 0);
}

#[tokio::test]
async fn a_service_account_imports_only_with_the_matching_write_scope() {
    let app = TestApp::spawn().await;
    let file = || csv(&[row(7_000_061, "株式会社システム")]).into_bytes();
    let reader = app.scoped_token(Role::ProgramStaff, "matching:read registry:write");

    let refused = upload(&app, Some(&reader), "text/csv", file()).await;

    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("matching:write"), "{}", refused.body);
    assert_eq!(app.count(bulk_job::Entity).await, 0);
    let writer = app.scoped_token(Role::ProgramStaff, "matching:write");
    let job = import(&app, &writer, "text/csv", file()).await;
    assert_eq!(job["rowsDone"], 1);
}

#[tokio::test]
async fn files_too_large_too_long_malformed_or_not_csv_are_refused_before_any_job() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);

    let huge = vec![b'a'; 20 * 1024 * 1024 + 1];
    let reply = upload(&app, Some(&staff), "text/csv", huge).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );

    let mut long = format!("{HEADER}\n");
    long.push_str(&"x\n".repeat(50_001));
    let reply = upload(&app, Some(&staff), "text/csv", long.into_bytes()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("50000"), "{}", reply.body);

    let reply = upload(&app, Some(&staff), "text/csv", b"name,colour\n".to_vec()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("colour"), "{}", reply.body);

    let reply = upload(&app, Some(&staff), "application/json", b"{}".to_vec()).await;
    assert_eq!(
        reply.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        reply.body
    );

    let reply = upload(
        &app,
        Some(&staff),
        "text/csv; charset=euc-jp",
        b"a".to_vec(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        reply.body
    );

    assert_eq!(app.count(bulk_job::Entity).await, 0);
}
