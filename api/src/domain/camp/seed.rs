//! Deterministic demo data for the camps: national camps every August since FY2004 (about
//! 1,200 graduates up to FY2025, as published), regional mini camps since FY2014, junior
//! and next camps since FY2018, the next national camp planned and a Connect cohort taking
//! applications today. The community's demo data is `community::seed`.
//!
//! The scale follows the registry's: the full figures from 24,000 specialists up (the default
//! demo seeds more), a proportion (at least two graduates a cohort) for smaller seeds. The data keeps the live
//! invariants: places taken equal the selected applications of each track and cohort, and
//! nobody completes the national camp twice.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use entities::{camp_application, camp_cohort, camp_program, camp_track, person, specialist};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::{
    applications,
    types::{ApplicationStatus, CohortStatus, ProgramKind},
};
use crate::domain::{
    CHUNK, Clock, DomainResult, begin_write,
    calendar::fiscal_year,
    consent,
    prefecture::PREFECTURES,
    registry::seed::{FAMILY_NAMES, GIVEN_NAMES},
};

const NATIONAL_TRACKS: &[&str] = &[
    "脆弱性・攻撃手法",
    "ネットワーク",
    "ハードウェア",
    "開発",
    "CTF",
];

/// One cohort the seed writes: program, first day, graduates, applicants turned down, tracks.
struct Plan {
    program: ProgramKind,
    name: String,
    starts_on: NaiveDate,
    days: u64,
    prefecture: &'static str,
    graduates: u32,
    rejected: u32,
    tracks: &'static [&'static str],
    age: (i32, i32),
}

pub(crate) fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
        .and_utc()
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

fn plans(today: NaiveDate, scale: f64) -> Vec<Plan> {
    let scaled = |n: u32| ((f64::from(n) * scale).round() as u32).max(2);
    let last = fiscal_year(today);
    let mut plans = Vec::new();
    for year in 2004..=last {
        plans.push(Plan {
            program: ProgramKind::National,
            name: format!("セキュリティ・キャンプ全国大会{year}"),
            starts_on: date(year, 8, 12),
            days: 4,
            prefecture: "13",
            graduates: scaled(35 + 2 * (year - 2004) as u32),
            rejected: scaled(50 + 3 * (year - 2004) as u32),
            tracks: NATIONAL_TRACKS,
            age: (15, 22),
        });
        if year >= 2014 {
            for (i, prefecture) in ["01", "27", "40", "04"].iter().enumerate() {
                plans.push(Plan {
                    program: ProgramKind::Mini,
                    name: format!("セキュリティ・キャンプ・ミニ{year} #{}", i + 1),
                    starts_on: date(year, 10 + i as u32 % 3, 10 + i as u32),
                    days: 1,
                    prefecture,
                    graduates: scaled(20),
                    rejected: scaled(5),
                    tracks: &["講義", "演習"],
                    age: (16, 25),
                });
            }
        }
        if year >= 2018 {
            plans.push(Plan {
                program: ProgramKind::Junior,
                name: format!("ジュニアキャンプ{year}"),
                starts_on: date(year, 8, 12),
                days: 2,
                prefecture: "13",
                graduates: scaled(15),
                rejected: scaled(10),
                tracks: &["ジュニア"],
                age: (12, 17),
            });
            plans.push(Plan {
                program: ProgramKind::Next,
                name: format!("セキュリティ・ネクストキャンプ{year}"),
                starts_on: date(year, 8, 12),
                days: 4,
                prefecture: "13",
                graduates: scaled(15),
                rejected: scaled(20),
                tracks: &["ネクスト"],
                age: (18, 25),
            });
        }
    }
    // Only cohorts that are over have graduates.
    plans.retain(|p| p.starts_on + Days::new(p.days) < today);
    plans
}

/// Writes the camps' demo data into a database with no cohorts yet; `specialists` is the
/// size of the seeded registry. Returns how many people it wrote.
pub async fn seed_camps(
    db: &DatabaseConnection,
    specialists: u32,
    clock: Clock,
) -> DomainResult<u64> {
    let today = clock.today();
    let scale = (f64::from(specialists) / 24_000.0).clamp(0.0, 1.0);
    let plans = plans(today, scale);
    let mut rng = fastrand::Rng::with_seed(2004);
    let now = clock.now();
    let txn = begin_write(db).await?;
    let programs: HashMap<ProgramKind, i64> = camp_program::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.kind, p.id))
        .collect();
    let program_id = |kind: ProgramKind| programs.get(&kind).copied().unwrap_or_default();

    // People: one per application, named and dated for their cohort.
    let mut people = Vec::new();
    let mut seats = Vec::new(); // (plan index, person index, completed, track position)
    for (i, plan) in plans.iter().enumerate() {
        for n in 0..plan.graduates + plan.rejected {
            let (family, family_kana) = FAMILY_NAMES[rng.usize(..FAMILY_NAMES.len())];
            let (given, given_kana) = GIVEN_NAMES[rng.usize(..GIVEN_NAMES.len())];
            let age = rng.i32(plan.age.0..=plan.age.1);
            let birth = date(
                plan.starts_on.year() - age - 1,
                rng.u32(1..=12),
                rng.u32(1..=28),
            )
            .max(
                date(
                    plan.starts_on.year() - plan.age.1,
                    plan.starts_on.month(),
                    1,
                ) + Days::new(1),
            );
            let number = people.len() + 1;
            people.push(person::ActiveModel {
                subject: Set(None),
                name: Set(format!("{family} {given}")),
                name_kana: Set(format!("{family_kana} {given_kana}")),
                birth_date: Set(birth),
                email: Set(format!("alumni{number:05}@camp.example.jp")),
                prefecture_code: Set(Some(
                    PREFECTURES[rng.usize(..PREFECTURES.len())].code.to_owned(),
                )),
                specialist_id: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            let completed = n < plan.graduates;
            seats.push((
                i,
                people.len() - 1,
                completed,
                n as usize % plan.tracks.len(),
            ));
        }
    }
    // About one in twelve graduates of FY2018 or earlier became a registered specialist.
    let specialist_ids: Vec<i64> = specialist::Entity::find()
        .select_only()
        .column(specialist::Column::Id)
        .order_by_asc(specialist::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    let mut next_specialist = specialist_ids.iter();
    for (plan, index, completed, _) in &seats {
        if *completed && plans[*plan].starts_on.year() <= 2018 && rng.u8(0..12) == 0 {
            match next_specialist.nth(rng.usize(0..3)) {
                Some(id) => people[*index].specialist_id = Set(Some(*id)),
                None => break,
            }
        }
    }
    for chunk in people.chunks(CHUNK) {
        person::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let person_ids: HashMap<String, i64> = person::Entity::find()
        .select_only()
        .column(person::Column::Email)
        .column(person::Column::Id)
        .filter(person::Column::Email.like("alumni%@camp.example.jp"))
        .into_tuple::<(String, i64)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let id_of = |index: usize| {
        person_ids
            .get(&format!("alumni{:05}@camp.example.jp", index + 1))
            .copied()
            .unwrap_or_default()
    };

    // Cohorts and tracks; the places taken are the graduates.
    let mut cohort_ids = Vec::with_capacity(plans.len());
    let mut track_ids: Vec<Vec<i64>> = Vec::with_capacity(plans.len());
    for (i, plan) in plans.iter().enumerate() {
        let mut per_track = vec![0i32; plan.tracks.len()];
        for (p, _, completed, track) in &seats {
            if *p == i && *completed {
                per_track[*track] += 1;
            }
        }
        let capacities: Vec<i32> = per_track.iter().map(|n| n + 2).collect();
        let cohort = camp_cohort::ActiveModel {
            program_id: Set(program_id(plan.program)),
            fiscal_year: Set(fiscal_year(plan.starts_on)),
            name: Set(plan.name.clone()),
            starts_on: Set(plan.starts_on),
            ends_on: Set(plan.starts_on + Days::new(plan.days)),
            online: Set(false),
            venue: Set(Some("研修施設".to_owned())),
            prefecture_code: Set(Some(plan.prefecture.to_owned())),
            capacity: Set(capacities.iter().sum()),
            selected_count: Set(per_track.iter().sum()),
            applications_open_on: Set(plan.starts_on - Days::new(90)),
            applications_close_on: Set(plan.starts_on - Days::new(45)),
            questions: Set(json!([
                "これまでに取り組んだことを書いてください。",
                "キャンプで学びたいことは何ですか。"
            ])),
            status: Set(CohortStatus::Completed),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        camp_track::Entity::insert_many(plan.tracks.iter().enumerate().map(|(t, name)| {
            camp_track::ActiveModel {
                cohort_id: Set(cohort.id),
                position: Set(t as i16),
                name: Set((*name).to_owned()),
                description: Set(String::new()),
                capacity: Set(capacities[t]),
                selected_count: Set(per_track[t]),
                ..Default::default()
            }
        }))
        .exec_without_returning(&txn)
        .await?;
        let tracks: Vec<i64> = camp_track::Entity::find()
            .select_only()
            .column(camp_track::Column::Id)
            .filter(camp_track::Column::CohortId.eq(cohort.id))
            .order_by_asc(camp_track::Column::Position)
            .into_tuple()
            .all(&txn)
            .await?;
        cohort_ids.push(cohort.id);
        track_ids.push(tracks);
    }

    let applications: Vec<camp_application::ActiveModel> = seats
        .iter()
        .map(|(plan, index, completed, track)| {
            let p = &plans[*plan];
            let track_id = track_ids[*plan].get(*track).copied().unwrap_or_default();
            let applied = at(p.starts_on - Days::new(60), 10);
            camp_application::ActiveModel {
                cohort_id: Set(cohort_ids[*plan]),
                person_id: Set(id_of(*index)),
                status: Set(if *completed {
                    ApplicationStatus::Completed
                } else {
                    ApplicationStatus::Rejected
                }),
                preferred_track_ids: Set(json!([track_id])),
                track_id: Set(completed.then_some(track_id)),
                answers: Set(json!([
                    "CTF に参加してきました。",
                    "攻撃と防御の両方を学びたいです。"
                ])),
                applied_at: Set(applied),
                decided_at: Set(Some(at(p.starts_on - Days::new(30), 10))),
                decided_by: Set(Some("seed".to_owned())),
                version: Set(if *completed { 5 } else { 2 }),
                created_at: Set(applied),
                updated_at: Set(at(p.starts_on + Days::new(p.days), 18)),
                ..Default::default()
            }
        })
        .collect();
    for chunk in applications.chunks(CHUNK) {
        camp_application::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    // Each application accepted the camp's terms.
    let applied = camp_application::Entity::find().all(&txn).await?;
    consent::enter_held(
        &txn,
        "seed",
        consent::Purpose::CampTerms,
        applied.iter().map(|a| {
            (
                consent::Holder::Person(a.person_id),
                applications::terms_item(a.cohort_id),
                consent::State::Given(None),
                a.applied_at,
            )
        }),
    )
    .await?;

    // What is coming: next year's national camp, and a Connect cohort taking applications.
    let next_national = date(fiscal_year(today) + 1, 8, 11);
    for (kind, name, starts_on, status, open_on, tracks) in [
        (
            ProgramKind::National,
            format!("セキュリティ・キャンプ全国大会{}", next_national.year()),
            next_national,
            CohortStatus::Planned,
            next_national - Days::new(100),
            NATIONAL_TRACKS,
        ),
        (
            ProgramKind::Connect,
            format!("セキュリティ・キャンプ・コネクト{}", fiscal_year(today)),
            today + Days::new(60),
            CohortStatus::ApplicationsOpen,
            today - Days::new(10),
            &["AI × セキュリティ", "制御システム × セキュリティ"][..],
        ),
    ] {
        let cohort = camp_cohort::ActiveModel {
            program_id: Set(program_id(kind)),
            fiscal_year: Set(fiscal_year(starts_on)),
            name: Set(name),
            starts_on: Set(starts_on),
            ends_on: Set(starts_on + Days::new(4)),
            online: Set(false),
            venue: Set(Some("研修施設".to_owned())),
            prefecture_code: Set(Some("13".to_owned())),
            capacity: Set(30 * tracks.len() as i32),
            selected_count: Set(0),
            applications_open_on: Set(open_on),
            applications_close_on: Set(open_on + Days::new(40)),
            questions: Set(json!(["これまでに取り組んだことを書いてください。"])),
            status: Set(status),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        camp_track::Entity::insert_many(tracks.iter().enumerate().map(|(t, name)| {
            camp_track::ActiveModel {
                cohort_id: Set(cohort.id),
                position: Set(t as i16),
                name: Set((*name).to_owned()),
                description: Set(String::new()),
                capacity: Set(30),
                selected_count: Set(0),
                ..Default::default()
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }

    txn.commit().await?;
    db.execute_unprepared("ANALYZE camp_applications").await?;
    Ok(seats.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_demo_has_about_the_published_national_graduates() {
        let plans = plans(date(2026, 11, 26), 1.0);
        let national: u32 = plans
            .iter()
            .filter(|p| p.program == ProgramKind::National && p.starts_on.year() <= 2025)
            .map(|p| p.graduates)
            .sum();
        // "About 1,200 graduates so far" (DOMAIN.md), counted up to FY2025.
        assert!((1_150..=1_300).contains(&national), "{national}");
        assert!(
            plans
                .iter()
                .all(|p| p.starts_on + Days::new(p.days) < date(2026, 11, 26))
        );
        assert!(plans.iter().any(|p| p.program == ProgramKind::Mini));
    }
}
