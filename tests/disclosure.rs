//! Small cells stay hidden: the auditor takes every breakdown published for a date and the
//! dates around it, writes down every sum they must satisfy (prefectures within regions,
//! regions and every other breakdown within the national count) and solves for each
//! suppressed cell. None may come out determined.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use kakehashi::domain::{
    Role,
    analytics::breakdown::{Cell, flat, geography, published_on, region_key},
    prefecture::PREFECTURES,
};
use serde_json::json;

use sea_orm::ConnectionTrait;

use crate::support::{
    TestApp,
    auditor::{Auditor, Term},
};

/// The moment these tests run at: a day in the middle of a month, held still, so that
/// the month end before it and the dates around it are always the same.
fn mid_december() -> chrono::DateTime<chrono::Utc> {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 16)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap()
        .and_utc()
}

const DIMENSIONS: [&str; 4] = ["PREFECTURE", "REGION", "AGE_BAND", "INDUSTRY"];

/// A published table: its cells' keys and counts (`None` when suppressed).
type Table = Vec<(String, Option<u64>)>;

fn term(as_of: &str, by: &str, (key, value): &(String, Option<u64>)) -> Term {
    match value {
        Some(n) => Term::Known(*n),
        None => Term::Hidden(format!("{as_of} {by} {key}")),
    }
}

/// Writes down what the tables of one date say: each adds up to the national count, and
/// each region's prefectures add up to the region.
fn equations(auditor: &mut Auditor, as_of: &str, national: u64, tables: &BTreeMap<&str, Table>) {
    for (by, table) in tables {
        auditor.sum(
            table.iter().map(|cell| term(as_of, by, cell)).collect(),
            Term::Known(national),
        );
    }
    let (Some(prefectures), Some(regions)) = (tables.get("PREFECTURE"), tables.get("REGION"))
    else {
        return;
    };
    for region in regions {
        let parts = PREFECTURES
            .iter()
            .zip(prefectures)
            .filter(|(p, _)| region_key(p.region).0 == region.0)
            .map(|(p, cell)| {
                assert_eq!(p.code, cell.0, "prefectures in code order");
                term(as_of, "PREFECTURE", cell)
            })
            .collect();
        auditor.sum(parts, term(as_of, "REGION", region));
    }
}

fn table(cells: &[Cell]) -> Table {
    cells.iter().map(|c| (c.key.clone(), c.value)).collect()
}

async fn published(
    app: &TestApp,
    asked: NaiveDate,
) -> (String, u64, BTreeMap<&'static str, Table>) {
    let analyst = app.token(Role::Analyst);
    let mut as_of = None;
    let mut tables = BTreeMap::new();
    for by in DIMENSIONS {
        let response = app
            .gql(
                Some(&analyst),
                &format!(
                    "query($d: Date!) {{ specialistBreakdown(by: {by}, asOf: $d) {{ asOf total cells {{ key value suppressed }} }} }}"
                ),
                json!({ "d": asked.to_string() }),
            )
            .await;
        let breakdown = &response["data"]["specialistBreakdown"];
        let date = breakdown["asOf"]
            .as_str()
            .unwrap_or_else(|| panic!("{response}"))
            .to_owned();
        assert_eq!(
            *as_of.get_or_insert(date.clone()),
            date,
            "one date for every table"
        );
        let cells: Table = breakdown["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["key"].as_str().unwrap().to_owned(), c["value"].as_u64()))
            .collect();
        tables.insert(by, cells);
    }
    let as_of = as_of.unwrap();
    let count = app
        .gql(
            Some(&analyst),
            "query($d: Date!) { specialistCount(asOf: $d) }",
            json!({ "d": as_of }),
        )
        .await;
    let national = count["data"]["specialistCount"]
        .as_u64()
        .unwrap_or_else(|| panic!("{count}"));
    (as_of, national, tables)
}

#[tokio::test]
async fn no_suppressed_cell_can_be_solved_for_from_the_tables_of_nearby_dates() {
    let app = TestApp::seeded_at(600, mid_december()).await;
    let today = app.today();
    let month_end = published_on(today, today);
    // The last month end, the days either side of it, a day in the month before, and
    // today: every table a caller can ask for around the latest publication.
    let asked = [
        month_end - Duration::days(1),
        month_end,
        month_end + Duration::days(1),
        month_end - Duration::days(20),
        today,
    ];
    let mut by_date: BTreeMap<String, (u64, BTreeMap<&str, Table>)> = BTreeMap::new();
    let mut hidden = 0;
    for day in asked {
        let (as_of, national, tables) = published(&app, day).await;
        let date = NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").unwrap();
        assert_eq!(date, published_on(day, today), "asked {day}");
        assert!(date < today);
        match by_date.get(&as_of) {
            // The same date must give the very same tables, or they could be differenced.
            Some(seen) => assert_eq!(seen, &(national, tables), "{as_of}"),
            None => {
                hidden += tables
                    .values()
                    .flatten()
                    .filter(|(_, v)| v.is_none())
                    .count();
                by_date.insert(as_of, (national, tables));
            }
        }
    }
    assert_eq!(
        by_date.keys().collect::<Vec<_>>(),
        ["2026-10-31", "2026-11-30"],
        "the month ends before 16 December, whatever day the test runs"
    );
    assert!(
        hidden >= 10,
        "600 specialists leave small cells to hide: {hidden}"
    );
    let mut auditor = Auditor::default();
    for (as_of, (national, tables)) in &by_date {
        equations(&mut auditor, as_of, *national, tables);
    }
    let disclosed = auditor.disclosed();
    assert!(disclosed.is_empty(), "cells worked out: {disclosed:?}");
}

#[tokio::test]
async fn a_published_month_end_stays_as_published_when_people_move() {
    let app = TestApp::seeded_at(600, mid_december()).await;
    let today = app.today();
    let (as_of, national, first) = published(&app, today).await;
    // Everyone moves to Aomori and changes employer: the details the month end was
    // computed from are gone.
    app.db
        .execute_unprepared(
            "UPDATE specialists SET prefecture_code = '02', employer_industry = 'A', birth_year = 1950",
        )
        .await
        .unwrap();
    let (again_as_of, again_national, again) = published(&app, today).await;
    assert_eq!((as_of, national), (again_as_of, again_national));
    assert_eq!(first, again, "a published table changed");
    // A month end not yet published is computed from the details as they are now: only
    // Aomori can show a count (the others are empty, and hidden).
    assert!(
        first["PREFECTURE"]
            .iter()
            .any(|(key, v)| key == "13" && v.is_some())
    );
    let earlier = published_on(today, today) - Duration::days(40);
    let (_, _, fresh) = published(&app, earlier).await;
    assert!(
        fresh["PREFECTURE"]
            .iter()
            .all(|(key, value)| value.is_none() || key == "02"),
        "{fresh:?}"
    );
}

/// Counts like a registry's: many large cells, some small, some empty.
fn count(rng: &mut fastrand::Rng) -> u64 {
    match rng.u8(0..10) {
        0 => 0,
        1..=3 => rng.u64(1..10),
        4 => rng.u64(10..14),
        _ => rng.u64(14..400),
    }
}

#[test]
fn the_suppression_rule_leaves_no_cell_determined_in_random_tables() {
    let mut rng = fastrand::Rng::with_seed(0x6b616b65);
    for round in 0..150 {
        let counts: HashMap<&str, u64> = PREFECTURES
            .iter()
            .map(|p| (p.code, count(&mut rng)))
            .collect();
        let national: u64 = counts.values().sum();
        let geography = geography(&counts);
        let cells = (0..rng.usize(2..22))
            .map(|i| (i.to_string(), String::new(), count(&mut rng)))
            .collect::<Vec<_>>();
        let flat_total = cells.iter().map(|(.., n)| n).sum();
        let tables = BTreeMap::from([
            ("PREFECTURE", table(&geography.prefectures)),
            ("REGION", table(&geography.regions)),
        ]);
        let mut auditor = Auditor::default();
        equations(&mut auditor, "random", national, &tables);
        let flat = BTreeMap::from([("FLAT", table(&flat(cells)))]);
        equations(&mut auditor, "random", flat_total, &flat);
        let disclosed = auditor.disclosed();
        assert!(
            disclosed.is_empty(),
            "round {round}: {disclosed:?} from {tables:?} {flat:?}"
        );
    }
}
