//! Deterministic, realistic demo data for the registry.
//!
//! The same `count` always yields the same people. Registrations run from the April 2017
//! round to the latest round; early rounds are the largest (the qualification's first
//! holders), later rounds settle around a thousand. About two thirds live in Kantō, as the
//! published figures say, average age at registration is in the mid thirties, and some
//! registrations have lapsed at a renewal or been given up.

use crate::domain::registry::permissions;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use entities::{specialist, specialist_status_event};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QuerySelect, Set};
use serde_json::json;

use super::{
    commands::publication_consents,
    types::{ExamSeason, SpecialistStatus},
};
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    calendar::japan_date,
    consent,
    industry::Industry,
    prefecture::PREFECTURES,
};

/// The first registration round seeded.
const FIRST_ROUND: (i32, u32) = (2017, 4);

/// Relative weights of prefectures: Kantō (08–14) comes to about 66%, as in the 2022
/// figures (65.6%).
pub(crate) fn prefecture_weight(code: &str) -> u32 {
    match code {
        "13" => 365,
        "14" => 120,
        "11" | "12" => 55,
        "08" => 20,
        "09" | "10" => 13,
        "27" => 70,
        "23" => 50,
        "40" => 30,
        "28" => 25,
        "26" | "01" => 15,
        "22" | "04" => 12,
        "34" => 10,
        // The other 31 prefectures share the rest.
        _ => 3,
    }
}

pub(crate) const FAMILY_NAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("小川", "オガワ"),
    ("前田", "マエダ"),
    ("岡田", "オカダ"),
];

pub(crate) const GIVEN_NAMES: &[(&str, &str)] = &[
    ("翔", "ショウ"),
    ("大輔", "ダイスケ"),
    ("健太", "ケンタ"),
    ("拓也", "タクヤ"),
    ("直樹", "ナオキ"),
    ("亮", "リョウ"),
    ("誠", "マコト"),
    ("達也", "タツヤ"),
    ("美咲", "ミサキ"),
    ("由美", "ユミ"),
    ("陽子", "ヨウコ"),
    ("さくら", "サクラ"),
    ("愛", "アイ"),
    ("真由美", "マユミ"),
    ("彩", "アヤ"),
    ("結衣", "ユイ"),
    ("和也", "カズヤ"),
    ("浩二", "コウジ"),
    ("隆", "タカシ"),
    ("修", "オサム"),
    ("恵", "メグミ"),
    ("智子", "トモコ"),
    ("悠斗", "ユウト"),
    ("蓮", "レン"),
];

const EMPLOYERS: &[&str] = &[
    "株式会社みなと情報システム",
    "さくらネットワークス株式会社",
    "東都セキュリティ株式会社",
    "北斗ソリューションズ株式会社",
    "関西データサービス株式会社",
    "株式会社あおば総研",
    "中部インフォテック株式会社",
    "九州サイバーラボ株式会社",
    "株式会社ひかり製作所",
    "独立（個人事業）",
];

/// Employers' industries (JSIC major divisions) and their weights: most specialists work
/// in information and communications, then manufacturing, finance and professional
/// services. Demo proportions, not a published figure.
const INDUSTRIES: &[(Industry, u32)] = &[
    (Industry::InformationAndCommunications, 520),
    (Industry::Manufacturing, 120),
    (Industry::FinanceAndInsurance, 80),
    (Industry::ProfessionalAndTechnicalServices, 70),
    (Industry::Government, 50),
    (Industry::OtherServices, 40),
    (Industry::Education, 30),
    (Industry::TransportAndPostal, 20),
    (Industry::WholesaleAndRetail, 20),
    (Industry::MedicalAndWelfare, 12),
    (Industry::Utilities, 12),
    (Industry::Construction, 10),
    (Industry::CompoundServices, 5),
    (Industry::RealEstateAndRental, 4),
    (Industry::PersonalServicesAndAmusement, 3),
    (Industry::AccommodationAndFood, 2),
    (Industry::AgricultureAndForestry, 1),
    (Industry::Mining, 1),
];

/// The registration rounds from April 2017 to the latest one on or before `today`.
fn rounds(today: NaiveDate) -> Vec<NaiveDate> {
    let mut rounds = Vec::new();
    let mut round = NaiveDate::from_ymd_opt(FIRST_ROUND.0, FIRST_ROUND.1, 1);
    while let Some(date) = round.filter(|d| *d <= today) {
        rounds.push(date);
        round = date.checked_add_months(Months::new(6));
    }
    rounds
}

/// New registrations in each round from April 2017: a demo profile under which the seeded
/// active count follows the published one (9,181 on 2018-04-01; 19,752 in October 2020; a
/// first fall year on year in October 2021; 20,253 on 2022-04-01, that round adding 1,016;
/// about 24,000 in April 2025). The few registrations of 2020-10 to 2021-10 follow the
/// spring 2020 exam, cancelled in the pandemic. Later rounds add [`LATER_ROUND`] each.
const ROUND_REGISTRATIONS: &[u32] = &[
    4175, 2833, 2173, 2800, 2300, 2600, 2700, 1900, 600, 350, 1016, 1100, 1400, 1200, 1500, 1300,
    1400, 1600, 1400, 1400,
];
const LATER_ROUND: u32 = 1400;

/// Share of registrations lapsing at the end of their first cycle (the first renewal is
/// where most holders drop out), and at later ones; share deregistering during a cycle.
const FIRST_LAPSE_PER_MILLE: u16 = 220;
const LATER_LAPSE_PER_MILLE: u16 = 120;
const DEREGISTER_PER_MILLE: u16 = 20;

/// Relative size of the i-th round.
fn round_weight(i: usize) -> u32 {
    ROUND_REGISTRATIONS.get(i).copied().unwrap_or(LATER_ROUND)
}

/// How many specialists the demo seeds by default: the profile's registrations up to the
/// latest round on or before `today`, so that seeded counts match the published ones.
pub fn demo_specialists(today: NaiveDate) -> u32 {
    (0..rounds(today).len()).map(round_weight).sum()
}

fn pick_weighted<'a, T>(rng: &mut fastrand::Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.u32(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

struct Person {
    row: specialist::ActiveModel,
    number: String,
    events: Vec<(SpecialistStatus, NaiveDate, &'static str)>,
}

fn person(rng: &mut fastrand::Rng, n: u32, registered_on: NaiveDate, now: DateTime<Utc>) -> Person {
    let today = japan_date(now);
    let prefectures: Vec<(&str, u32)> = PREFECTURES
        .iter()
        .map(|p| (p.code, prefecture_weight(p.code)))
        .collect();
    let (family, family_kana) = FAMILY_NAMES[rng.usize(..FAMILY_NAMES.len())];
    let (given, given_kana) = GIVEN_NAMES[rng.usize(..GIVEN_NAMES.len())];
    // Age at registration: roughly normal around 35, between 20 and 64.
    let age = (20 + rng.i32(0..16) + rng.i32(0..16) + rng.i32(0..15)).min(64);
    let birth_year = registered_on.year() - age;
    let birth_month = rng.i16(1..=12);
    // Spring exam results come in June (register October 1 or later); autumn results in
    // December (register April 1 or later). A few wait a round or two.
    let lag = if rng.u8(0..10) < 8 { 0 } else { rng.i32(1..=2) };
    let (exam_year, exam_season) = if registered_on.month() == 10 {
        (registered_on.year() - lag, ExamSeason::Spring)
    } else {
        (registered_on.year() - 1 - lag, ExamSeason::Autumn)
    };
    let number = format!("{n:06}");

    // Status history: a registration lapses at a renewal now and then, or is given up.
    let mut events = vec![(SpecialistStatus::Active, registered_on, "registered")];
    let mut cycle_start = registered_on;
    let mut first_cycle = true;
    while let Some(cycle_end) = cycle_start.checked_add_months(Months::new(36)) {
        if cycle_end > today {
            break;
        }
        let roll = rng.u16(0..1000);
        let lapse = if first_cycle {
            FIRST_LAPSE_PER_MILLE
        } else {
            LATER_LAPSE_PER_MILLE
        };
        first_cycle = false;
        if roll < lapse {
            events.push((
                SpecialistStatus::Lapsed,
                cycle_end,
                "training not completed by the end of the cycle",
            ));
            break;
        } else if roll < lapse + DEREGISTER_PER_MILLE {
            let days = rng.u64(30..1000);
            let on = (cycle_start + chrono::Days::new(days)).min(today);
            events.push((
                SpecialistStatus::Deregistered,
                on,
                "deregistered at the person's request",
            ));
            break;
        } else if roll < lapse + DEREGISTER_PER_MILLE + 3 {
            let on = (cycle_start + chrono::Days::new(rng.u64(100..900))).min(today);
            events.push((
                SpecialistStatus::Suspended,
                on,
                "use of the title suspended by the ministry",
            ));
            if rng.bool() {
                let back = (on + chrono::Days::new(180)).min(today);
                if back > on {
                    events.push((SpecialistStatus::Active, back, "suspension ended"));
                }
            } else {
                break;
            }
        }
        cycle_start = cycle_end;
    }
    let (status, since, _) = *events.last().unwrap_or(&events[0]);
    let phone = rng
        .bool()
        .then(|| format!("03-{:04}-{:04}", rng.u16(1000..10000), rng.u16(0..10000)));
    let prefecture = (*pick_weighted(rng, &prefectures)).to_owned();
    let employer = (rng.u8(0..10) < 8).then(|| EMPLOYERS[rng.usize(..EMPLOYERS.len())].to_owned());
    let row = specialist::ActiveModel {
        registration_number: Set(number.clone()),
        family_name: Set(family.to_owned()),
        given_name: Set(given.to_owned()),
        family_name_kana: Set(family_kana.to_owned()),
        given_name_kana: Set(given_kana.to_owned()),
        birth_year: Set(birth_year),
        birth_month: Set(birth_month),
        email: Set(format!("riss{number}@example.jp")),
        phone: Set(phone),
        prefecture_code: Set(prefecture),
        employer: Set(employer.clone()),
        // From a generator of its own, so the other demo fields stay as they were.
        employer_industry: Set(employer.as_ref().map(|_| {
            let mut own = fastrand::Rng::with_seed(0x15_1C ^ u64::from(n));
            *pick_weighted(&mut own, INDUSTRIES)
        })),
        exam_year: Set(exam_year.max(2016)),
        exam_season: Set(exam_season),
        registered_on: Set(registered_on),
        status: Set(status),
        status_since: Set(since),
        disclose_name: Set(rng.u8(0..100) < 40),
        disclose_kana: Set(rng.u8(0..100) < 35),
        disclose_birth_year_month: Set(rng.u8(0..100) < 15),
        disclose_employer: Set(rng.u8(0..100) < 30),
        disclose_prefecture: Set(rng.u8(0..100) < 60),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Person {
        row,
        number,
        events,
    }
}

/// `count` synthetic specialists registered in the rounds up to `today`, spread over the
/// rounds as [`ROUND_REGISTRATIONS`] are, with their status histories. Deterministic.
fn people(count: u32, now: DateTime<Utc>) -> Vec<Person> {
    let today = japan_date(now);
    let weights: Vec<(NaiveDate, u32)> = rounds(today)
        .into_iter()
        .enumerate()
        .map(|(i, r)| (r, round_weight(i)))
        .collect();
    let total_weight: u32 = weights.iter().map(|(_, w)| w).sum();
    // Registration numbers follow registration order, as the real register's do.
    let mut rng = fastrand::Rng::with_seed(2030);
    let mut people = Vec::with_capacity(count as usize);
    let mut n = 0u32;
    for (i, (round, weight)) in weights.iter().enumerate() {
        let in_round = if i + 1 == weights.len() {
            count - n
        } else {
            (u64::from(count) * u64::from(*weight) / u64::from(total_weight.max(1))) as u32
        };
        for _ in 0..in_round {
            n += 1;
            people.push(person(&mut rng, n, *round, now));
        }
    }
    people
}

/// Fills an empty registry with `count` synthetic specialists and their histories, in one
/// transaction; [`crate::domain::seed::seed_demo`] seeds the other areas after it. `on_progress` is told how many have been written so far.
pub async fn seed_specialists(
    db: &DatabaseConnection,
    caller: &Caller,
    count: u32,
    mut on_progress: impl FnMut(u64),
) -> DomainResult<u64> {
    caller.actor.allow(&permissions::SEED_REGISTRY)?;
    let existing = specialist::Entity::find().count(db).await?;
    if existing > 0 {
        return Err(DomainError::conflict(
            "specialists",
            format!("the registry already holds {existing} specialists; seed an empty database"),
        ));
    }
    let people = people(count, caller.now());

    let txn = begin_write(db).await?;
    let mut written = 0u64;
    for chunk in people.chunks(CHUNK) {
        specialist::Entity::insert_many(chunk.iter().map(|p| p.row.clone()))
            .exec_without_returning(&txn)
            .await?;
        written += chunk.len() as u64;
        on_progress(written);
    }
    let ids: std::collections::HashMap<String, i64> = specialist::Entity::find()
        .select_only()
        .column(specialist::Column::RegistrationNumber)
        .column(specialist::Column::Id)
        .into_tuple::<(String, i64)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    // Each change is recorded on the morning it took effect (09:00 in Japan), as the
    // registry would have recorded it then: figures "as known on" a past date see it.
    let now = caller.now();
    let events: Vec<specialist_status_event::ActiveModel> = people
        .iter()
        .flat_map(|p| {
            let id = ids.get(&p.number).copied().unwrap_or_default();
            p.events.iter().map(
                move |(status, on, reason)| specialist_status_event::ActiveModel {
                    specialist_id: Set(id),
                    status: Set(*status),
                    effective_on: Set(*on),
                    reason: Set((*reason).to_owned()),
                    recorded_at: Set(on.and_time(chrono::NaiveTime::MIN).and_utc().min(now)),
                    recorded_by: Set("seed".to_owned()),
                    request_id: Set(None),
                    ..Default::default()
                },
            )
        })
        .collect();
    for chunk in events.chunks(CHUNK * 2) {
        specialist_status_event::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(&txn)
            .await?;
    }
    // The publication consents the demo people gave, as the ledger holds them.
    let seeded = specialist::Entity::find().all(&txn).await?;
    consent::enter_held(
        &txn,
        "seed",
        consent::Purpose::RegistryPublication,
        seeded.iter().flat_map(|row| {
            publication_consents(row).into_iter().map(|(item, state)| {
                (
                    consent::Holder::Specialist(row.id),
                    item,
                    state,
                    row.created_at,
                )
            })
        }),
    )
    .await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "registry.seed",
            target_type: "Registry",
            target_id: "specialists".to_owned(),
            details: json!({ "specialists": count, "statusEvents": events.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    // Fresh statistics, so the planner sees the tables just filled rather than empty ones.
    db.execute_unprepared("ANALYZE specialists").await?;
    db.execute_unprepared("ANALYZE specialist_status_events")
        .await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Active on `on`: the latest status change effective by then is a registration.
    fn active_on(people: &[Person], on: NaiveDate) -> u32 {
        people
            .iter()
            .filter(|p| {
                p.events
                    .iter()
                    .rfind(|(_, effective, _)| *effective <= on)
                    .is_some_and(|(status, ..)| *status == SpecialistStatus::Active)
            })
            .count() as u32
    }

    #[test]
    fn the_demo_follows_the_published_counts() {
        let today = day(2026, 11, 26);
        let people = people(
            demo_specialists(today),
            today.and_hms_opt(12, 0, 0).unwrap().and_utc(),
        );
        // (date, published count): within 5%.
        for (on, published) in [
            (day(2018, 4, 1), 9_181),
            (day(2020, 10, 1), 19_752),
            (day(2021, 10, 1), 19_450),
            (day(2022, 4, 1), 20_253),
            (day(2025, 4, 1), 24_000),
        ] {
            let seeded = active_on(&people, on);
            let off = (f64::from(seeded) - f64::from(published)).abs() / f64::from(published);
            assert!(off < 0.05, "{on}: seeded {seeded}, published {published}");
        }
        // The first fall year on year, and the 1,016 new registrations of April 2022.
        assert!(active_on(&people, day(2021, 10, 1)) < active_on(&people, day(2020, 10, 1)));
        let new_2022 = people
            .iter()
            .filter(|p| p.events[0].1 == day(2022, 4, 1))
            .count();
        assert_eq!(new_2022, 1_016);
    }
}
