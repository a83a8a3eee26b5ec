//! Analytics of the registry: the count on a date as the history knew it then, the series,
//! progress towards the target, and who may ask.

use chrono::{Duration, NaiveDate};
use entities::specialist_status_event;
use kakehashi::domain::{
    Caller, Role, calendar::japan_today, registry::types::SpecialistStatus, seed::seed_demo,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::support::{Operation, TestApp, assert_authorization, factories::set_status};

async fn seeded(count: u32) -> TestApp {
    let app = TestApp::spawn().await;
    seed_demo(&app.db, &Caller::system(), count, |_| {})
        .await
        .unwrap();
    app
}

async fn count_on(app: &TestApp, day: NaiveDate) -> i64 {
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            "query($d: Date!) { specialistCount(asOf: $d) }",
            json!({ "d": day.to_string() }),
        )
        .await;
    response["data"]["specialistCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{response}"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn a_change_recorded_today_never_changes_the_count_for_a_past_date() {
    let app = seeded(600).await;
    let past = day(2024, 1, 1);
    let (before_past, before_today) = (
        count_on(&app, past).await,
        count_on(&app, japan_today()).await,
    );
    assert!(
        before_past > 100 && before_today > before_past,
        "{before_past} {before_today}"
    );

    // A specialist active on both dates; the lapse is recorded today, effective in 2023.
    let events = specialist_status_event::Entity::find()
        .order_by_asc(specialist_status_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let candidate = events
        .iter()
        .filter(|e| {
            e.status == entities::enums::registry::SpecialistStatus::Active
                && e.effective_on < day(2023, 1, 1)
        })
        .map(|e| e.specialist_id)
        .find(|id| events.iter().filter(|e| e.specialist_id == *id).count() == 1)
        .expect("an active specialist registered before 2023");
    set_status(
        &app.db,
        candidate,
        SpecialistStatus::Lapsed,
        day(2023, 6, 1),
    )
    .await;
    let recorded = specialist_status_event::Entity::find()
        .filter(specialist_status_event::Column::SpecialistId.eq(candidate))
        .filter(specialist_status_event::Column::Status.eq("LAPSED"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recorded.effective_on, day(2023, 6, 1));

    assert_eq!(
        count_on(&app, past).await,
        before_past,
        "the past figure stays as published"
    );
    assert_eq!(count_on(&app, japan_today()).await, before_today - 1);

    let future = app
        .gql(
            Some(&app.token(Role::Analyst)),
            "query($d: Date!) { specialistCount(asOf: $d) }",
            json!({ "d": (japan_today() + Duration::days(1)).to_string() }),
        )
        .await;
    assert_eq!(
        future["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{future}"
    );
}

/// Month by month, the change of the active count is the flows the series lists.
#[tokio::test]
async fn the_flows_of_each_month_add_up_to_the_change_of_the_active_count() {
    let app = seeded(600).await;
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            r#"{ specialistSeries(from: "2017-04-01", to: "2026-11-30", interval: MONTH) {
                 startsOn activeAtEnd registrations reinstatements suspensions lapses
                 deregistrations revocations endedWhileInactive netFlow } }"#,
            json!({}),
        )
        .await;
    let periods = response["data"]["specialistSeries"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"));
    let n = |p: &Value, f: &str| p[f].as_i64().unwrap();
    let mut suspended = 0;
    let mut wrong = Vec::new();
    for pair in periods.windows(2) {
        let (before, period) = (&pair[0], &pair[1]);
        let listed = n(period, "registrations") + n(period, "reinstatements")
            - n(period, "suspensions")
            - n(period, "lapses")
            - n(period, "deregistrations")
            - n(period, "revocations")
            + n(period, "endedWhileInactive");
        assert_eq!(listed, n(period, "netFlow"), "{period}");
        if n(period, "activeAtEnd") - n(before, "activeAtEnd") != listed {
            wrong.push(period["startsOn"].clone());
        }
        suspended += n(period, "suspensions");
    }
    assert!(
        suspended > 0,
        "the seed suspends some: the test must see them"
    );
    assert!(
        wrong.is_empty(),
        "months whose flows do not add up: {wrong:?}"
    );
}

#[tokio::test]
async fn the_series_agrees_with_the_count_on_each_date() {
    let app = seeded(600).await;
    let response = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            r#"{ specialistSeries(from: "2023-04-01", to: "2024-03-31", interval: MONTH) {
                 startsOn endsOn activeAtEnd registrations renewals lapses deregistrations revocations } }"#,
            json!({}),
        )
        .await;
    let periods = response["data"]["specialistSeries"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"));
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[0]["startsOn"], "2023-04-01");
    assert_eq!(periods[11]["endsOn"], "2024-03-31");
    for period in [&periods[0], &periods[5], &periods[11]] {
        let end: NaiveDate = period["endsOn"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            period["activeAtEnd"].as_i64().unwrap(),
            count_on(&app, end).await
        );
    }
    // Registrations take effect on April 1 and October 1 only.
    let registered: Vec<i64> = periods
        .iter()
        .map(|p| p["registrations"].as_i64().unwrap())
        .collect();
    assert!(registered[0] > 0 && registered[6] > 0, "{registered:?}");
    assert!(
        registered
            .iter()
            .enumerate()
            .all(|(i, n)| *n == 0 || i == 0 || i == 6),
        "{registered:?}"
    );

    let rounds = app
        .gql(
            Some(&app.token(Role::Analyst)),
            r#"{ specialistSeries(from: "2017-04-01", to: "2025-03-31", interval: ROUND) { startsOn activeAtEnd registrations } }"#,
            json!({}),
        )
        .await;
    let rounds = rounds["data"]["specialistSeries"].as_array().unwrap();
    assert_eq!(rounds.len(), 16);
    let total: i64 = rounds
        .iter()
        .map(|p| p["registrations"].as_i64().unwrap())
        .sum();
    let seeded_by_2025: usize = specialist_status_event::Entity::find()
        .filter(specialist_status_event::Column::EffectiveOn.lte(day(2025, 3, 31)))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.specialist_id)
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert_eq!(total as usize, seeded_by_2025);
}

#[tokio::test]
async fn target_progress_projects_the_recent_trend() {
    let app = seeded(600).await;
    let analyst = app.token(Role::Analyst);
    let response = app
        .gql(
            Some(&analyst),
            r#"{ targetProgress(target: 50000, by: "2030-04-01", rounds: 6) {
                 target by current gap monthsLeft neededPerMonth rounds trendPerMonth
                 projectedOnTargetDate projectedDate } }"#,
            json!({}),
        )
        .await;
    let p = &response["data"]["targetProgress"];
    let current = p["current"]
        .as_i64()
        .unwrap_or_else(|| panic!("{response}"));
    assert_eq!(current, count_on(&app, japan_today()).await);
    assert_eq!(p["gap"].as_i64().unwrap(), 50_000 - current);
    assert_eq!(p["rounds"], 6);
    let trend = p["trendPerMonth"].as_f64().unwrap();
    assert!(trend > 0.0, "the seed grows: {p}");
    let projected = p["projectedOnTargetDate"].as_f64().unwrap();
    assert!(projected > current as f64 && projected < 50_000.0, "{p}");
    // 600 specialists never reach 50,000 by 2030 at their pace, but the trend does some day.
    let when: NaiveDate = p["projectedDate"].as_str().unwrap().parse().unwrap();
    assert!(when > day(2030, 4, 1), "{p}");
    let needed = p["neededPerMonth"].as_f64().unwrap();
    assert!(needed > trend, "{p}");
    // The figure a reader checks: the gap over the whole months shown.
    let months = p["monthsLeft"].as_f64().unwrap();
    assert!(
        (needed - p["gap"].as_f64().unwrap() / months).abs() < 1e-9,
        "{p}"
    );

    // A target already met is reached today.
    let met = app
        .gql(
            Some(&analyst),
            "{ targetProgress(target: 10) { gap projectedDate asOf } }",
            json!({}),
        )
        .await;
    assert_eq!(met["data"]["targetProgress"]["gap"], 0);
    assert_eq!(
        met["data"]["targetProgress"]["projectedDate"],
        met["data"]["targetProgress"]["asOf"]
    );
    let bad = app
        .gql(
            Some(&analyst),
            "{ targetProgress(rounds: 1) { gap } }",
            json!({}),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn analytics_are_for_analysts_and_registry_staff() {
    let app = TestApp::spawn().await;
    let readers: &[Role] = &[Role::Admin, Role::ProgramStaff, Role::Analyst];
    let ops: Vec<Operation<'_>> = vec![
        (
            "specialistCount",
            r#"{ specialistCount(asOf: "2024-04-01") }"#.into(),
            readers,
        ),
        (
            "specialistSeries",
            r#"{ specialistSeries(from: "2024-04-01", to: "2024-06-30", interval: MONTH) { activeAtEnd } }"#.into(),
            readers,
        ),
        (
            "targetProgress",
            "{ targetProgress { gap } }".into(),
            readers,
        ),
        (
            "specialistBreakdown",
            r#"{ specialistBreakdown(by: AGE_BAND, asOf: "2024-04-01") { total } }"#.into(),
            readers,
        ),
    ];
    assert_authorization(&app, "000001", &ops).await;
    let empty = app
        .gql(
            Some(&app.token(Role::Analyst)),
            r#"{ specialistCount(asOf: "2024-04-01") }"#,
            json!({}),
        )
        .await;
    assert_eq!(empty["data"]["specialistCount"], Value::from(0));
}

/// Who was active at the end of `day` as the history knew it then, by prefecture and by
/// employer industry: the truth a breakdown of that day must show.
async fn truth_on(app: &TestApp, day: NaiveDate) -> HashMap<(&'static str, String), i64> {
    use entities::specialist;
    let known_by = (day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        - Duration::hours(9);
    let mut latest: HashMap<i64, (NaiveDate, i64, entities::enums::registry::SpecialistStatus)> =
        HashMap::new();
    for e in specialist_status_event::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        if e.effective_on > day || e.recorded_at >= known_by {
            continue;
        }
        let entry = latest
            .entry(e.specialist_id)
            .or_insert((e.effective_on, e.id, e.status));
        if (e.effective_on, e.id) > (entry.0, entry.1) {
            *entry = (e.effective_on, e.id, e.status);
        }
    }
    let mut truth = HashMap::new();
    for s in specialist::Entity::find().all(&app.db).await.unwrap() {
        if latest
            .get(&s.id)
            .is_none_or(|(.., status)| status.as_str() != "ACTIVE")
        {
            continue;
        }
        *truth.entry(("PREFECTURE", s.prefecture_code)).or_default() += 1;
        let industry = s
            .employer_industry
            .map_or_else(|| "NOT_GIVEN".to_owned(), |i| i.as_str().to_owned());
        *truth.entry(("INDUSTRY", industry)).or_default() += 1;
    }
    truth
}

#[tokio::test]
async fn breakdowns_show_the_last_month_end_and_suppress_small_cells() {
    // Held still on a month's first day: the month end before it is yesterday.
    let app = TestApp::seeded_at(
        600,
        day(2026, 12, 1).and_hms_opt(1, 0, 0).unwrap().and_utc(),
    )
    .await;
    let today = app.today();
    let month_end = kakehashi::domain::analytics::breakdown::published_on(today, today);
    assert_eq!(month_end, day(2026, 11, 30));
    let truth = truth_on(&app, month_end).await;
    for by in ["PREFECTURE", "REGION", "AGE_BAND", "INDUSTRY"] {
        let response = app
            .gql(
                Some(&app.token(Role::Analyst)),
                &format!(
                    "query($d: Date!) {{ specialistBreakdown(by: {by}, asOf: $d) {{ asOf total cells {{ key value suppressed }} }} }}"
                ),
                json!({ "d": today.to_string() }),
            )
            .await;
        let breakdown = &response["data"]["specialistBreakdown"];
        assert_eq!(breakdown["asOf"], month_end.to_string(), "{response}");
        let total = breakdown["total"]
            .as_i64()
            .unwrap_or_else(|| panic!("{response}"));
        assert_eq!(total, count_on(&app, month_end).await);
        let cells = breakdown["cells"].as_array().unwrap();
        let shown: Vec<i64> = cells.iter().filter_map(|c| c["value"].as_i64()).collect();
        let hidden = cells.iter().filter(|c| c["suppressed"] == true).count();
        assert!(shown.iter().all(|n| *n >= 10), "{by}: {breakdown}");
        assert_eq!(hidden + shown.len(), cells.len());
        assert!(
            cells
                .iter()
                .all(|c| c["value"].is_null() == (c["suppressed"] == true)),
            "{by}: {breakdown}"
        );
        // The total minus the shown cells is the sum of at least two hidden cells, never
        // a single one (tests/disclosure.rs solves for them across tables).
        assert_ne!(hidden, 1, "{by}: {breakdown}");
        if by == "PREFECTURE" || by == "INDUSTRY" {
            // 47 prefectures; 20 JSIC divisions and NOT_GIVEN.
            assert_eq!(cells.len(), if by == "PREFECTURE" { 47 } else { 21 });
            for cell in cells {
                let real = truth
                    .get(&(by, cell["key"].as_str().unwrap().to_owned()))
                    .copied()
                    .unwrap_or(0);
                match cell["value"].as_i64() {
                    Some(n) => assert_eq!(n, real, "{by}: {cell}"),
                    None => assert!(real < 10 || hidden >= 2, "{cell}"),
                }
                if real < 10 {
                    assert_eq!(cell["suppressed"], true, "{cell}");
                }
            }
            assert!(
                hidden >= 2,
                "600 specialists leave small prefectures and industries: {breakdown}"
            );
            // Most demo specialists work in information and communications.
            if by == "INDUSTRY" {
                let g = cells.iter().find(|c| c["key"] == "G").unwrap();
                assert!(g["value"].as_i64().unwrap() * 3 > total, "{breakdown}");
            }
        }
    }
}

#[tokio::test]
async fn lapse_rates_per_round_agree_with_the_cycles() {
    use entities::renewal_cycle;
    use kakehashi::domain::analytics::registry::{Interval, period_start};
    use std::collections::BTreeMap;

    let app = seeded(600).await;
    let from = NaiveDate::from_ymd_opt(2018, 4, 1).unwrap();
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            r#"query($from: Date!) { renewalHealth(from: $from) {
                cyclesByStatus { status count }
                rounds { startsOn endsOn renewed lapsed lapseRate } } }"#,
            json!({ "from": from.to_string() }),
        )
        .await;
    let health = &response["data"]["renewalHealth"];
    let cycles = renewal_cycle::Entity::find().all(&app.db).await.unwrap();
    // Every cycle has exactly one status.
    let by_status: i64 = health["cyclesByStatus"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(by_status, cycles.len() as i64);
    // Renewed and lapsed cycles by the round their renewal or lapse takes effect in: the
    // day after the cycle's last day.
    let mut truth: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for c in &cycles {
        let takes_effect = c.ends_on.succ_opt().unwrap();
        let round = period_start(Interval::Round, takes_effect).to_string();
        let slot = truth.entry(round).or_default();
        match c.state.as_str() {
            "RENEWED" => slot.0 += 1,
            "LAPSED" => slot.1 += 1,
            _ => {}
        }
    }
    let rounds = health["rounds"].as_array().unwrap();
    assert_eq!(rounds[0]["startsOn"], "2018-04-01");
    let mut lapsed_seen = 0;
    for round in rounds {
        let (renewed, lapsed) = truth
            .get(round["startsOn"].as_str().unwrap())
            .copied()
            .unwrap_or_default();
        assert_eq!(round["renewed"], renewed, "{round}");
        assert_eq!(round["lapsed"], lapsed, "{round}");
        if renewed + lapsed == 0 {
            assert!(round["lapseRate"].is_null());
        } else {
            let rate = round["lapseRate"].as_f64().unwrap();
            assert!((rate - lapsed as f64 / (renewed + lapsed) as f64).abs() < 1e-9);
        }
        lapsed_seen += lapsed;
    }
    assert!(lapsed_seen > 0, "the demo registry has lapses: {health}");
}

#[tokio::test]
async fn supply_and_demand_agree_with_the_list_and_the_requests() {
    use entities::{consultation_request, request_theme};
    use std::collections::HashMap;

    let app = seeded(600).await;
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            "{ activeListSupplyDemand { publishedEntries remoteEntries openRequests
                byTheme { key supply supplySuppressed demand }
                byPrefecture { key supply supplySuppressed demand } } }",
            json!({}),
        )
        .await;
    let figures = &response["data"]["activeListSupplyDemand"];
    // Supply is what the public list shows, searched the same way.
    let listed = |filter: Value| {
        let app = &app;
        async move {
            app.gql(
                None,
                "query($f: ActiveListFilterInput) { activeList(filter: $f) { totalCount } }",
                json!({ "f": filter }),
            )
            .await["data"]["activeList"]["totalCount"]
                .as_i64()
                .unwrap()
        }
    };
    let published = figures["publishedEntries"]
        .as_i64()
        .unwrap_or_else(|| panic!("{response}"));
    assert!(published > 0, "{figures}");
    assert_eq!(published, listed(json!({})).await);
    assert_eq!(
        figures["remoteEntries"].as_i64().unwrap(),
        listed(json!({ "remoteOk": true })).await
    );
    let mut shown = 0;
    for cell in figures["byTheme"].as_array().unwrap() {
        let real = listed(json!({ "themes": [cell["key"]] })).await;
        match cell["supply"].as_i64() {
            Some(n) => {
                assert_eq!(n, real, "{cell}");
                shown += 1;
            }
            None => {
                assert!(real < 10, "{cell}");
                assert_eq!(cell["supplySuppressed"], true);
            }
        }
    }
    assert!(shown > 0, "some theme has 10 or more entries: {figures}");
    // Demand is the requests still looking for a specialist.
    let open: Vec<consultation_request::Model> = consultation_request::Entity::find()
        .filter(consultation_request::Column::Status.is_in(["OPEN", "MATCHING"]))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!open.is_empty());
    assert_eq!(figures["openRequests"].as_i64().unwrap(), open.len() as i64);
    let mut by_prefecture: HashMap<String, i64> = HashMap::new();
    for r in &open {
        *by_prefecture.entry(r.prefecture_code.clone()).or_default() += 1;
    }
    for cell in figures["byPrefecture"].as_array().unwrap() {
        let key = cell["key"].as_str().unwrap();
        assert_eq!(
            cell["demand"].as_i64().unwrap(),
            by_prefecture.get(key).copied().unwrap_or(0),
            "{cell}"
        );
    }
    let open_ids: Vec<i64> = open.iter().map(|r| r.id).collect();
    let theme_demand: i64 = figures["byTheme"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["demand"].as_i64().unwrap())
        .sum();
    let postings = request_theme::Entity::find()
        .filter(request_theme::Column::RequestId.is_in(open_ids))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(theme_demand, postings.len() as i64);
}

#[tokio::test]
async fn matching_performance_agrees_with_the_matches() {
    use entities::{consultation_request, matching};

    let app = seeded(600).await;
    let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            r#"query($from: Date!) { matchingPerformance(from: $from) {
                requestsFiled requestsMatched medianDaysToMatch engagementsEnded
                engagementsCompleted completionRate
                companyRatings { count average distribution }
                specialistRatings { count } } }"#,
            json!({ "from": from.to_string() }),
        )
        .await;
    let figures = &response["data"]["matchingPerformance"];
    let requests = consultation_request::Entity::find()
        .filter(consultation_request::Column::OpenedOn.gte(from))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        figures["requestsFiled"]
            .as_i64()
            .unwrap_or_else(|| panic!("{response}")),
        requests.len() as i64
    );
    let mut days: Vec<f64> = requests
        .iter()
        .filter_map(|r| {
            r.matched_at
                .map(|m| (m - r.created_at).num_seconds() as f64 / 86_400.0)
        })
        .collect();
    assert!(!days.is_empty(), "the demo has matched requests");
    assert_eq!(figures["requestsMatched"], days.len());
    days.sort_by(f64::total_cmp);
    let mid = days.len() / 2;
    let median = if days.len().is_multiple_of(2) {
        (days[mid - 1] + days[mid]) / 2.0
    } else {
        days[mid]
    };
    assert!((figures["medianDaysToMatch"].as_f64().unwrap() - median).abs() < 1e-6);

    let completed: Vec<matching::Model> = matching::Entity::find()
        .filter(matching::Column::Status.eq("COMPLETED"))
        .filter(matching::Column::CompletedOn.gte(from))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!completed.is_empty(), "the demo has completed engagements");
    assert_eq!(figures["engagementsCompleted"], completed.len());
    let ended = figures["engagementsEnded"].as_i64().unwrap();
    let rate = figures["completionRate"].as_f64().unwrap();
    assert!((rate - completed.len() as f64 / ended as f64).abs() < 1e-9);
    let ratings: Vec<i16> = completed.iter().filter_map(|m| m.company_rating).collect();
    assert_eq!(figures["companyRatings"]["count"], ratings.len());
    let distribution: Vec<usize> = (1..=5)
        .map(|stars| ratings.iter().filter(|r| **r == stars).count())
        .collect();
    assert_eq!(
        figures["companyRatings"]["distribution"],
        json!(distribution)
    );
    assert_eq!(
        figures["specialistRatings"]["count"],
        completed
            .iter()
            .filter(|m| m.specialist_rating.is_some())
            .count()
    );
}

/// The columns of the specialist series, in the order of its file.
const SERIES_FIELDS: [&str; 12] = [
    "startsOn",
    "endsOn",
    "activeAtEnd",
    "registrations",
    "renewals",
    "lapses",
    "deregistrations",
    "revocations",
    "suspensions",
    "reinstatements",
    "endedWhileInactive",
    "netFlow",
];

/// The monthly series: a header row, then one row per period with the same figures.
#[tokio::test]
async fn the_specialist_series_file_has_the_graphql_figures_row_by_row() {
    let app = seeded(600).await;
    let analyst = app.token(Role::Analyst);
    let today = japan_today();
    let reply = app
        .get(
            Some(&analyst),
            "/analytics/specialist-series.csv?from=2024-01-01&interval=MONTH",
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "text/csv; charset=utf-8");
    let lines: Vec<&str> = reply.body.lines().collect();
    assert_eq!(
        lines[0],
        "startsOn,endsOn,activeAtEnd,registrations,renewals,lapses,deregistrations,revocations,\
         suspensions,reinstatements,endedWhileInactive,netFlow"
    );
    let series = app
        .gql(
            Some(&analyst),
            &format!(
                r#"query($to: Date!) {{ specialistSeries(from: "2024-01-01", to: $to, interval: MONTH) {{
                    {} }} }}"#,
                SERIES_FIELDS.join(" ")
            ),
            json!({ "to": today.to_string() }),
        )
        .await;
    let periods = series["data"]["specialistSeries"].as_array().unwrap();
    assert_eq!(lines.len(), periods.len() + 1);
    for (line, p) in lines[1..].iter().zip(periods) {
        let expected = SERIES_FIELDS
            .iter()
            .map(|f| match &p[f] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(*line, expected);
    }
    assert!(lines[1].starts_with("2024-01-01,2024-01-31,"), "ISO dates");
}

/// A breakdown: suppressed cells are empty, flagged; labels with commas are quoted.
#[tokio::test]
async fn a_breakdown_file_leaves_suppressed_cells_empty_and_flagged() {
    let app = seeded(600).await;
    let reply = app
        .get(
            Some(&app.token(Role::Analyst)),
            "/analytics/specialist-breakdown.csv?by=INDUSTRY&asOf=2025-04-01",
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["asOf", "key", "label", "value", "suppressed"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 21);
    // Breakdowns describe month ends: the one before April 1.
    assert!(rows.iter().all(|r| &r[0] == "2025-03-31"));
    assert!(rows.iter().all(|r| (&r[4] == "true") == r[3].is_empty()
        && (r[3].is_empty() || r[3].parse::<u64>().unwrap() >= 10)));
}

/// The renewal health, supply and demand, and camp graduates answer with their header rows
/// and their figures; supply and demand has a row per prefecture.
#[tokio::test]
async fn the_other_files_answer_with_their_header_rows() {
    let app = seeded(600).await;
    let analyst = app.token(Role::Analyst);
    for (uri, first) in [
        (
            "/analytics/renewal-health.csv?from=2024-04-01",
            "startsOn,endsOn,renewed,lapsed,lapseRate",
        ),
        (
            "/analytics/supply-demand.csv?by=PREFECTURE",
            "asOf,key,label,supply,supplySuppressed,demand",
        ),
        (
            "/analytics/camp-graduates.csv?baselineFiscalYear=2024&programs=NATIONAL,MINI",
            "fiscalYear,graduates,targetGraduates,shareOfTarget",
        ),
    ] {
        let reply = app.get(Some(&analyst), uri).await;
        assert_eq!(reply.status, 200, "{uri}: {}", reply.body);
        assert!(reply.body.starts_with(first), "{uri}: {}", reply.body);
        assert!(reply.body.lines().count() > 1, "{uri}: {}", reply.body);
    }
    let supply = app
        .get(Some(&analyst), "/analytics/supply-demand.csv?by=PREFECTURE")
        .await;
    assert_eq!(supply.body.lines().count(), 48);
}

/// For spreadsheets that need it, a byte-order mark.
#[tokio::test]
async fn a_file_asked_for_with_a_byte_order_mark_starts_with_one() {
    let app = seeded(600).await;
    let bom = app
        .get(
            Some(&app.token(Role::Analyst)),
            "/analytics/supply-demand.csv?bom=true",
        )
        .await;
    assert!(bom.body.starts_with('\u{feff}'));
}

#[tokio::test]
async fn the_files_take_the_same_token_and_refuse_bad_arguments_clearly() {
    let app = seeded(50).await;
    let series = "/analytics/specialist-series.csv?from=2024-01-01";
    assert_eq!(app.get(None, series).await.status, 401);
    assert_eq!(app.get(Some("not-a-token"), series).await.status, 401);
    let company = app.get(Some(&app.token(Role::SmeUser)), series).await;
    assert_eq!(company.status, 403);
    assert_eq!(
        company.json()["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    assert_eq!(
        app.get(Some(&app.token(Role::Admin)), series).await.status,
        200
    );

    let analyst = app.token(Role::Analyst);
    for (uri, field) in [
        ("/analytics/specialist-series.csv", "from"),
        (
            "/analytics/specialist-series.csv?from=2024-01-01&interval=WEEK",
            "interval",
        ),
        ("/analytics/specialist-series.csv?from=2024-02-30", "from"),
        (
            "/analytics/specialist-series.csv?from=2024-01-01&size=3",
            "size",
        ),
        (
            "/analytics/specialist-series.csv?from=2024-01-01&to=2999-01-01",
            "to",
        ),
        ("/analytics/specialist-breakdown.csv?by=SHOE_SIZE", "by"),
        (
            "/analytics/camp-graduates.csv?baselineFiscalYear=2024&programs=CIRCUS",
            "programs",
        ),
        ("/analytics/target-progress.svg?by=someday", "by"),
    ] {
        let reply = app.get(Some(&analyst), uri).await;
        assert_eq!(reply.status, 400, "{uri}: {}", reply.body);
        let error = &reply.json()["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{uri}");
        assert!(
            error["message"].as_str().unwrap().contains(field),
            "{uri}: {error}"
        );
    }
    let missing = app.get(Some(&analyst), "/analytics/everything.csv").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("specialist-series.csv"),
        "{}",
        missing.body
    );
}

#[tokio::test]
async fn the_target_progress_chart_is_an_svg_with_the_goal() {
    let app = seeded(300).await;
    let analyst = app.token(Role::Analyst);
    let reply = app
        .get(Some(&analyst), "/analytics/target-progress.svg")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "image/svg+xml");
    assert!(reply.body.starts_with("<svg"), "{}", &reply.body[..100]);
    // It scales to the screen, and names the goal and today's count.
    assert!(reply.body.contains("viewBox=\"0 0 640 560\""));
    assert!(reply.body.contains("Goal 50,000 by 2030-04-01"));
    let current = count_on(&app, japan_today()).await;
    assert!(
        reply
            .body
            .contains(&format!("Registered specialists: {current} of 50,000"))
    );
    // The active line has a point per month of the last ten years.
    assert!(reply.body.matches("<polyline").count() >= 1);

    let custom = app
        .get(
            Some(&analyst),
            "/analytics/target-progress.svg?target=1000&by=2028-04-01&from=2020-04-01",
        )
        .await;
    assert_eq!(custom.status, 200, "{}", custom.body);
    assert!(custom.body.contains("Goal 1,000 by 2028-04-01"));
    let company = app
        .get(
            Some(&app.token(Role::SmeUser)),
            "/analytics/target-progress.svg",
        )
        .await;
    assert_eq!(company.status, 403);
}

#[tokio::test]
async fn renewal_health_and_the_series_count_renewals_and_lapses_in_the_same_round() {
    let app = seeded(600).await;
    let query = r#"query($from: Date!, $to: Date!) {
        renewalHealth(from: $from, to: $to) { rounds { startsOn renewed lapsed } }
        specialistSeries(from: $from, to: $to, interval: ROUND) { startsOn renewals lapses } }"#;
    let (from, to) = (day(2018, 4, 1), app.today());
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            query,
            json!({ "from": from.to_string(), "to": to.to_string() }),
        )
        .await;
    let rounds = response["data"]["renewalHealth"]["rounds"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"));
    let series = response["data"]["specialistSeries"].as_array().unwrap();
    assert_eq!(rounds.len(), series.len(), "{response}");
    let (mut renewals, mut lapses) = (0, 0);
    for (round, period) in rounds.iter().zip(series) {
        assert_eq!(round["startsOn"], period["startsOn"]);
        assert_eq!(round["renewed"], period["renewals"], "{round} {period}");
        assert_eq!(round["lapsed"], period["lapses"], "{round} {period}");
        renewals += period["renewals"].as_i64().unwrap();
        lapses += period["lapses"].as_i64().unwrap();
    }
    assert!(renewals > 0 && lapses > 0, "{response}");
}
