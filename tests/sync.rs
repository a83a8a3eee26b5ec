//! Syncing a mirror by update time: every mirrored list takes `updatedSince` and the
//! `UPDATED_AT` order, pages exactly across rows that share an update time, and a mirror
//! resuming from its last cursor after a change sees every row changed since, once.

use std::collections::BTreeSet;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use kakehashi::domain::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::support::{TestApp, error_code, japan_morning};

/// A mirrored list: its field, filter and order input types, and its table.
struct Mirrored {
    field: &'static str,
    filter: &'static str,
    order: &'static str,
    table: &'static str,
}

const LISTS: [Mirrored; 8] = [
    Mirrored {
        field: "specialists",
        filter: "SpecialistFilterInput",
        order: "SpecialistOrderInput",
        table: "specialists",
    },
    Mirrored {
        field: "activeList",
        filter: "ActiveListFilterInput",
        order: "ActiveListOrderInput",
        table: "active_list_entries",
    },
    Mirrored {
        field: "companies",
        filter: "CompanyFilterInput",
        order: "CompanyOrderInput",
        table: "companies",
    },
    Mirrored {
        field: "consultationRequests",
        filter: "ConsultationRequestFilterInput",
        order: "ConsultationRequestOrderInput",
        table: "consultation_requests",
    },
    Mirrored {
        field: "matches",
        filter: "MatchFilterInput",
        order: "MatchOrderInput",
        table: "matches",
    },
    Mirrored {
        field: "renewalCycles",
        filter: "RenewalCycleFilterInput",
        order: "RenewalCycleOrderInput",
        table: "renewal_cycles",
    },
    Mirrored {
        field: "deemedAttendanceClaims",
        filter: "DeemedAttendanceClaimFilterInput",
        order: "DeemedAttendanceClaimOrderInput",
        table: "deemed_attendance_claims",
    },
    Mirrored {
        field: "campApplications",
        filter: "CampApplicationFilterInput",
        order: "CampApplicationOrderInput",
        table: "camp_applications",
    },
];

fn key_of(id: &str) -> i64 {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).unwrap()).unwrap();
    text.rsplit_once(':').unwrap().1.parse().unwrap()
}

/// One page of `list` changed at or after `since`, by update time, after `after`.
async fn page(
    app: &TestApp,
    token: &str,
    list: &Mirrored,
    since: &str,
    after: Option<&str>,
    size: i32,
) -> Value {
    let query = format!(
        "query($f: {filter}, $o: {order}, $after: String, $n: Int) {{ {field}(first: $n, \
         after: $after, filter: $f, orderBy: $o) {{ totalCount \
         edges {{ cursor node {{ id }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
        filter = list.filter,
        order = list.order,
        field = list.field,
    );
    app.gql(
        Some(token),
        &query,
        json!({ "f": { "updatedSince": since }, "o": { "field": "UPDATED_AT" },
                "after": after, "n": size }),
    )
    .await
}

/// Reads the whole list from `after` on in pages of `size`: the ids in order and the
/// last cursor (`after` when nothing followed).
async fn drain(
    app: &TestApp,
    token: &str,
    list: &Mirrored,
    since: &str,
    mut after: Option<String>,
    size: i32,
) -> (Vec<i64>, Option<String>) {
    let mut ids = Vec::new();
    loop {
        let response = page(app, token, list, since, after.as_deref(), size).await;
        let connection = &response["data"][list.field];
        let edges = connection["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: {response}", list.field));
        for edge in edges {
            ids.push(key_of(edge["node"]["id"].as_str().unwrap()));
            after = Some(edge["cursor"].as_str().unwrap().to_owned());
        }
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (ids, after);
        }
    }
}

/// The ids the list shows the caller in its own order: what a mirror may hold.
async fn listed(app: &TestApp, token: &str, list: &Mirrored) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let response = app
            .gql(
                Some(token),
                &format!(
                    "query($after: String) {{ {}(first: 100, after: $after) {{ edges {{ cursor \
                     node {{ id }} }} pageInfo {{ hasNextPage }} }} }}",
                    list.field
                ),
                json!({ "after": after }),
            )
            .await;
        let connection = &response["data"][list.field];
        for edge in connection["edges"].as_array().unwrap() {
            ids.insert(key_of(edge["node"]["id"].as_str().unwrap()));
            after = Some(edge["cursor"].as_str().unwrap().to_owned());
        }
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return ids;
        }
    }
}

/// The ids of `table` whose update time is at or after `since`, by update time then id,
/// as the database holds them (read as the mirror should see them).
async fn changed_since(app: &TestApp, table: &str, since: DateTime<Utc>) -> Vec<(String, i64)> {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            format!(
                "SELECT updated_at::text AS t, id FROM {table} WHERE updated_at >= $1 ORDER BY updated_at, id"
            )
        }
        _ => format!(
            "SELECT CAST(updated_at AS TEXT) AS t, id FROM {table} WHERE updated_at >= ? ORDER BY updated_at, id"
        ),
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [since.into()]))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get::<String>("", "t").unwrap(),
                row.try_get::<i64>("", "id").unwrap(),
            )
        })
        .collect()
}

/// Files one deemed-attendance claim for the first active specialist with an open cycle.
async fn file_a_claim(app: &TestApp) {
    use entities::{enums::renewal::CycleState, renewal_cycle, specialist};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let open = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::State.eq(CycleState::Open))
        .order_by_asc(renewal_cycle::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    for cycle in open {
        let Some(holder) = specialist::Entity::find_by_id(cycle.specialist_id)
            .one(&app.db)
            .await
            .unwrap()
            .filter(|s| s.status == entities::enums::registry::SpecialistStatus::Active)
        else {
            continue;
        };
        let to = (cycle.starts_on + chrono::Days::new(30)).min(app.today());
        let id = URL_SAFE_NO_PAD.encode(format!("RenewalCycle:{}", cycle.id));
        let response = app
            .gql(
                Some(&app.specialist_token(&holder.registration_number)),
                r#"mutation($id: ID!, $details: ClaimDetailsInput!) {
                  fileDeemedAttendanceClaim(input: { cycleId: $id, requirementCode: "PRACTICAL",
                    details: $details }) { claim { id } } }"#,
                json!({ "id": id, "details": {
                    "activity": "Advisory visits to a manufacturer", "beneficiary": "株式会社さくら精機",
                    "periodFrom": cycle.starts_on.to_string(), "periodTo": to.to_string(),
                    "hours": 24.0, "evidenceLinks": ["https://example.jp/report.pdf"] } }),
            )
            .await;
        if !response["data"]["fileDeemedAttendanceClaim"]["claim"].is_null() {
            return;
        }
    }
    panic!("no claim could be filed");
}

#[tokio::test]
async fn a_mirror_pages_every_list_by_update_time_and_resumes_with_exactly_the_changes() {
    let start = japan_morning(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let app = TestApp::on_calendar(start).await;
    app.seed(120).await;
    // Two claims filed at the same moment: rows that share an update time.
    file_a_claim(&app).await;
    file_a_claim(&app).await;
    let admin = app.token(Role::Admin);
    let epoch = "2000-01-01T00:00:00Z";
    let epoch_at: DateTime<Utc> = epoch.parse().unwrap();

    // First sync: everything, in pages small enough to split rows that share a time.
    let mut cursors = Vec::new();
    for list in &LISTS {
        let shown = listed(&app, &admin, list).await;
        let expected: Vec<(String, i64)> = changed_since(&app, list.table, epoch_at)
            .await
            .into_iter()
            .filter(|(_, id)| shown.contains(id))
            .collect();
        assert!(!expected.is_empty(), "{} has no rows", list.table);
        let ties = expected.windows(2).filter(|w| w[0].0 == w[1].0).count();
        assert!(ties > 0, "{}: no rows share an update time", list.field);
        let (ids, last) = drain(&app, &admin, list, epoch, None, 3).await;
        let wanted: Vec<i64> = expected.iter().map(|(_, id)| *id).collect();
        assert_eq!(ids, wanted, "{} in update-time order", list.field);
        cursors.push(last);
    }

    // Months later, past the fiscal year's end, the sweeps run, one more claim is filed, and every list is resumed.
    let later = chrono::NaiveDate::from_ymd_opt(2027, 4, 12).unwrap();
    app.travel_to(later);
    let since = japan_morning(later);
    let renewals = app
        .gql(
            Some(&admin),
            "mutation($d: Date!) { sweepRenewals(input: { asOf: $d }) { lapsedCycles userErrors { message } } }",
            json!({ "d": later.to_string() }),
        )
        .await;
    assert!(renewals["errors"].is_null(), "{renewals}");
    let matches = app
        .gql(
            Some(&admin),
            "mutation { sweepMatches(input: {}) { expiredProposals userErrors { message } } }",
            json!({}),
        )
        .await;
    assert!(matches["errors"].is_null(), "{matches}");
    file_a_claim(&app).await;
    let mut moved = BTreeSet::new();
    for (list, cursor) in LISTS.iter().zip(cursors) {
        // Rows that left the list (an entry no longer eligible) reach a mirror through the
        // events feed, not through the list.
        let shown = listed(&app, &admin, list).await;
        let changed: Vec<i64> = changed_since(&app, list.table, since)
            .await
            .into_iter()
            .map(|(_, id)| id)
            .filter(|id| shown.contains(id))
            .collect();
        let (resumed, _) = drain(&app, &admin, list, epoch, cursor, 4).await;
        assert_eq!(
            resumed, changed,
            "{} resumed from the last cursor",
            list.field
        );
        if !changed.is_empty() {
            moved.insert(list.field);
        }
        // The same rows come back to a fresh sync from the time of the change.
        let since_text = since.to_rfc3339();
        let (fresh, _) = drain(&app, &admin, list, &since_text, None, 50).await;
        assert_eq!(fresh, changed, "{} since the change", list.field);
    }
    // A filed claim, lapsed cycles and registrations.
    for field in ["deemedAttendanceClaims", "renewalCycles", "specialists"] {
        assert!(
            moved.contains(field),
            "nothing changed in {field}: {moved:?}"
        );
    }
}

#[tokio::test]
async fn an_update_moves_one_row_into_the_update_time_results() {
    let start = japan_morning(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let app = TestApp::on_calendar(start).await;
    app.seed(40).await;
    let admin = app.token(Role::Admin);
    let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    app.travel_to(later);
    let since = japan_morning(later).to_rfc3339();
    let companies = &LISTS[2];
    let (before, _) = drain(&app, &admin, companies, &since, None, 10).await;
    assert!(before.is_empty(), "{before:?}");
    let first = app
        .gql(
            Some(&admin),
            "{ companies(first: 1) { nodes { id version } } }",
            json!({}),
        )
        .await;
    let node = &first["data"]["companies"]["nodes"][0];
    let updated = app
        .gql(
            Some(&admin),
            "mutation($id: ID!, $v: Int!) { updateCompany(input: { id: $id, expectedVersion: $v,
             employees: 42 }) { company { id updatedAt } userErrors { field message } } }",
            json!({ "id": node["id"], "v": node["version"] }),
        )
        .await;
    assert!(
        updated["data"]["updateCompany"]["userErrors"]
            .as_array()
            .is_some_and(|e| e.is_empty()),
        "{updated}"
    );
    assert_eq!(
        updated["data"]["updateCompany"]["company"]["updatedAt"],
        json!(since.replace("+00:00", "Z")),
        "{updated}"
    );
    let (after, _) = drain(&app, &admin, companies, &since, None, 10).await;
    assert_eq!(after, vec![key_of(node["id"].as_str().unwrap())]);
}

#[tokio::test]
async fn the_public_lists_refuse_update_time_sync_to_the_public_and_bad_cursors_are_bad_input() {
    let app = TestApp::seeded(30).await;
    let epoch = "2000-01-01T00:00:00Z";
    for list in &LISTS[..2] {
        let refused = page(
            &app,
            &app.token(Role::SupportOrgStaff),
            list,
            epoch,
            None,
            5,
        )
        .await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
        let anonymous = app
            .gql(
                None,
                &format!(
                    "{{ {}(first: 1, orderBy: {{ field: UPDATED_AT }}) {{ totalCount }} }}",
                    list.field
                ),
                json!({}),
            )
            .await;
        assert!(
            matches!(error_code(&anonymous), "FORBIDDEN" | "UNAUTHENTICATED"),
            "{anonymous}"
        );
    }
    let admin = app.token(Role::Admin);
    for list in &LISTS {
        // A cursor of the list's own order does not resume the update-time order.
        let own = app
            .gql(
                Some(&admin),
                &format!("{{ {}(first: 1) {{ edges {{ cursor }} }} }}", list.field),
                json!({}),
            )
            .await;
        let Some(cursor) = own["data"][list.field]["edges"][0]["cursor"].as_str() else {
            continue;
        };
        let response = page(&app, &admin, list, epoch, Some(cursor), 5).await;
        assert_eq!(
            error_code(&response),
            "BAD_USER_INPUT",
            "{}: {response}",
            list.field
        );
        assert!(
            response["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("cursor"),
            "{response}"
        );
    }
}
