//! Deterministic demo data for renewal: a course catalogue from fiscal year 2016 and the
//! training of every open cycle, so that cycles of every status appear.

use chrono::{Datelike, Days, NaiveDate, Utc};
use entities::{course, renewal_cycle, training_completion};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{
    cycles::{self, CHUNK},
    types::{CourseKind, CycleState, fiscal_year},
};
use crate::domain::{Clock, DomainResult, begin_write};

/// The first fiscal year of the catalogue.
const FIRST_FISCAL_YEAR: i32 = 2016;

/// The seeded providers: (name, code) — the code is what a provider's token carries as
/// `provider_id`.
const IPA: (&str, &str) = ("IPA", "IPA");

fn catalogue(last_fiscal_year: i32, now: chrono::DateTime<Utc>) -> Vec<course::ActiveModel> {
    let mut rows = Vec::new();
    for fy in FIRST_FISCAL_YEAR..=last_fiscal_year {
        let mut add = |code: String, name: String, provider: (&str, &str), kind, fee, hours| {
            rows.push(course::ActiveModel {
                code: Set(code),
                name: Set(name),
                provider: Set(provider.0.to_owned()),
                provider_code: Set(Some(provider.1.to_owned())),
                kind: Set(kind),
                fiscal_year: Set(fy),
                fee_yen: Set(fee),
                hours: Set(hours),
                created_at: Set(now),
                ..Default::default()
            });
        };
        add(
            format!("IPA-ONLINE-{fy}"),
            format!("オンライン講習 {fy}年度"),
            IPA,
            CourseKind::Online,
            20_000,
            6.0,
        );
        add(
            format!("IPA-PRACTICAL-{fy}"),
            format!("実践講習 {fy}年度"),
            IPA,
            CourseKind::Practical,
            80_000,
            6.5,
        );
        add(
            format!("SPECIFIED-{fy}-A"),
            format!("インシデント対応演習（特定講習） {fy}年度"),
            ("セキュリティ人材育成協会", "SEC_TRAINING_ASSOC"),
            CourseKind::Specified,
            150_000,
            14.0,
        );
        if fy >= 2026 {
            add(
                format!("IPA-ETHICS-{fy}"),
                format!("倫理・行動規範講習 {fy}年度"),
                IPA,
                CourseKind::Ethics,
                0,
                1.0,
            );
        }
    }
    rows
}

/// Adds the catalogue and the training of every open cycle. Returns the number of
/// completions written.
pub async fn seed_training(db: &DatabaseConnection, clock: Clock) -> DomainResult<u64> {
    let today = clock.today();
    let txn = begin_write(db).await?;
    course::Entity::insert_many(catalogue(fiscal_year(today), clock.now()))
        .exec_without_returning(&txn)
        .await?;
    let courses: std::collections::HashMap<(CourseKind, i32), i64> = course::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| ((c.kind, c.fiscal_year), c.id))
        .collect();
    let course_for =
        |kind: CourseKind, on: NaiveDate| courses.get(&(kind, fiscal_year(on))).copied();
    let open = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
        .all(&txn)
        .await?;
    let now = clock.now();
    let mut rows = Vec::new();
    for cycle in &open {
        let mut rng = fastrand::Rng::with_seed(2030 ^ cycle.id as u64);
        let diligence = rng.u8(0..100);
        let mut take = |kind: CourseKind, on: NaiveDate| {
            if on <= today
                && let Some(course_id) = course_for(kind, on)
            {
                rows.push(training_completion::ActiveModel {
                    specialist_id: Set(cycle.specialist_id),
                    course_id: Set(course_id),
                    completed_on: Set(on),
                    recorded_at: Set(now),
                    recorded_by: Set("seed".to_owned()),
                    request_id: Set(None),
                    ..Default::default()
                });
            }
        };
        for year in 0..3u32 {
            let Some(year_start) = cycle
                .starts_on
                .with_year(cycle.starts_on.year() + year as i32)
            else {
                continue;
            };
            // Most take the online course every year, some fall behind.
            if rng.u8(0..100) < 95 - (diligence / 4) {
                take(CourseKind::Online, year_start + Days::new(rng.u64(20..330)));
            }
        }
        if rng.u8(0..100) < 70 {
            let kind = if rng.u8(0..100) < 80 {
                CourseKind::Practical
            } else {
                CourseKind::Specified
            };
            take(kind, cycle.starts_on + Days::new(rng.u64(200..900)));
        }
        if cycle.starts_on >= NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or(today) {
            take(
                CourseKind::Ethics,
                cycle.starts_on + Days::new(rng.u64(10..200)),
            );
        }
    }
    let written = rows.len() as u64;
    for chunk in rows.chunks(CHUNK) {
        training_completion::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.execute_unprepared("ANALYZE training_completions")
        .await?;
    let ids: Vec<i64> = open.iter().map(|c| c.specialist_id).collect();
    cycles::refresh_specialists(&txn, &ids, now).await?;
    txn.commit().await?;
    Ok(written)
}
