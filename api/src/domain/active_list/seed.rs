//! Deterministic demo entries for the Active List: about three in ten active specialists
//! offers advice, most of them published, some stale, some paused.

use chrono::Days;
use entities::{
    active_list_entry, entry_industry, entry_language, entry_prefecture, entry_theme,
    guidance_theme, specialist,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::types::{EntryStatus, FeePolicy};
use crate::domain::{CHUNK, Clock, DomainResult, begin_write, industry::Industry};

/// Themes most asked for come first; the seed picks them more often.
const POPULAR: &[&str] = &[
    "BASIC_POLICY",
    "SECURITY_ACTION_1",
    "SECURITY_ACTION_2",
    "INCIDENT_RESPONSE_PLAN",
    "EMPLOYEE_TRAINING",
    "BACKUP_AND_RECOVERY",
];

const DOMAINS: &[&str] = &[
    "工場のネットワーク",
    "医療機関の情報システム",
    "ECサイトの運用",
    "クラウド移行",
    "小売店舗のPOS",
    "建設現場のIT",
    "会計事務所のデータ管理",
];

type Lists = (Vec<i64>, Vec<String>, Vec<String>, Vec<Industry>);

/// Two to five themes (mostly popular ones), the home prefecture (and sometimes another),
/// Japanese (sometimes English), one to three industries.
fn lists_for(
    rng: &mut fastrand::Rng,
    themes: &[guidance_theme::Model],
    popular: &[i64],
    home: &str,
) -> Lists {
    let mut chosen: Vec<i64> = Vec::new();
    for _ in 0..rng.usize(2..=5) {
        let pick = if rng.u8(0..100) < 60 && !popular.is_empty() {
            popular[rng.usize(..popular.len())]
        } else {
            themes[rng.usize(..themes.len())].id
        };
        if !chosen.contains(&pick) {
            chosen.push(pick);
        }
    }
    let mut prefectures = vec![home.to_owned()];
    if rng.u8(0..100) < 30 {
        let other = format!("{:02}", rng.u8(1..=47));
        if !prefectures.contains(&other) {
            prefectures.push(other);
        }
    }
    prefectures.sort();
    let mut languages = vec!["ja".to_owned()];
    if rng.u8(0..100) < 15 {
        languages.push("en".to_owned());
    }
    let mut industries: Vec<Industry> = Vec::new();
    for _ in 0..rng.usize(1..=3) {
        let industry = Industry::ALL[rng.usize(..Industry::ALL.len())];
        if !industries.contains(&industry) {
            industries.push(industry);
        }
    }
    industries.sort_unstable();
    (chosen, prefectures, languages, industries)
}

/// Writes entries for active specialists of an unlisted registry. Returns how many.
pub async fn seed_entries(db: &DatabaseConnection, clock: Clock) -> DomainResult<u64> {
    let today = clock.today();
    let txn = begin_write(db).await?;
    let themes = guidance_theme::Entity::find()
        .filter(guidance_theme::Column::Active.eq(true))
        .order_by_asc(guidance_theme::Column::DisplayOrder)
        .all(&txn)
        .await?;
    let popular: Vec<i64> = themes
        .iter()
        .filter(|t| POPULAR.contains(&t.code.as_str()))
        .map(|t| t.id)
        .collect();
    let people = specialist::Entity::find()
        .filter(specialist::Column::Status.eq("ACTIVE"))
        .order_by_asc(specialist::Column::Id)
        .all(&txn)
        .await?;
    let now = clock.now();
    let mut rng = fastrand::Rng::with_seed(2030);
    let mut written = 0u64;
    for chunk in people.chunks(CHUNK) {
        let mut entries = Vec::new();
        let mut lists = Vec::new();
        for person in chunk {
            if rng.u8(0..100) >= 30 {
                continue;
            }
            let status = match rng.u8(0..100) {
                0..=89 => EntryStatus::Published,
                90..=94 => EntryStatus::PendingReview,
                _ => EntryStatus::Draft,
            };
            let fee = match rng.u8(0..100) {
                0..=49 => FeePolicy::Subsidised,
                50..=84 => FeePolicy::Paid,
                _ => FeePolicy::ProBono,
            };
            let (min, max) = match fee {
                FeePolicy::Paid => (Some(30_000), Some(30_000 + 10_000 * rng.i32(1..20))),
                _ => (None, None),
            };
            let (themes_chosen, prefectures, languages, industries) =
                lists_for(&mut rng, &themes, &popular, &person.prefecture_code);
            entries.push(active_list_entry::ActiveModel {
                specialist_id: Set(person.id),
                theme_ids: Set(json!(themes_chosen)),
                prefecture_codes: Set(json!(prefectures)),
                industry_codes: Set(json!(industries)),
                language_codes: Set(json!(languages)),
                status: Set(status),
                remote_ok: Set(rng.u8(0..100) < 60),
                domains: Set(json!([DOMAINS[rng.usize(..DOMAINS.len())]])),
                fee_policy: Set(fee),
                fee_min_yen: Set(min),
                fee_max_yen: Set(max),
                capacity: Set(rng.i16(1..=5)),
                paused: Set(rng.u8(0..100) < 10),
                bio_ja: Set(format!(
                    "{}の中小企業を中心に、情報セキュリティ対策の立ち上げを支援しています。",
                    crate::domain::prefecture::PrefectureCode::parse(&person.prefecture_code)
                        .map(|p| p.prefecture().name_ja)
                        .unwrap_or("全国")
                )),
                bio_en: Set(None),
                // Confirmed within the last 18 months: about a third are stale.
                confirmed_on: Set(today - Days::new(rng.u64(0..540))),
                submitted_at: Set(Some(now)),
                published_at: Set((status == EntryStatus::Published).then_some(now)),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            lists.push((person.id, themes_chosen, prefectures, languages, industries));
        }
        if entries.is_empty() {
            continue;
        }
        active_list_entry::Entity::insert_many(entries)
            .exec_without_returning(&txn)
            .await?;
        let ids: std::collections::HashMap<i64, active_list_entry::Model> =
            active_list_entry::Entity::find()
                .filter(
                    active_list_entry::Column::SpecialistId
                        .is_in(lists.iter().map(|(s, ..)| *s).collect::<Vec<_>>()),
                )
                .all(&txn)
                .await?
                .into_iter()
                .map(|e| (e.specialist_id, e))
                .collect();
        let (mut t, mut p, mut l, mut i) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (specialist_id, themes, prefectures, languages, industries) in &lists {
            let Some(row) = ids.get(specialist_id) else {
                continue;
            };
            let entry = row.id;
            t.extend(super::postings::postings(row, themes));
            p.extend(
                prefectures
                    .iter()
                    .map(|code| entry_prefecture::ActiveModel {
                        entry_id: Set(entry),
                        prefecture_code: Set(code.clone()),
                    }),
            );
            l.extend(languages.iter().map(|code| entry_language::ActiveModel {
                entry_id: Set(entry),
                language: Set(code.clone()),
            }));
            i.extend(industries.iter().map(|code| entry_industry::ActiveModel {
                entry_id: Set(entry),
                industry: Set(*code),
            }));
        }
        entry_theme::Entity::insert_many(t)
            .exec_without_returning(&txn)
            .await?;
        entry_prefecture::Entity::insert_many(p)
            .exec_without_returning(&txn)
            .await?;
        entry_language::Entity::insert_many(l)
            .exec_without_returning(&txn)
            .await?;
        entry_industry::Entity::insert_many(i)
            .exec_without_returning(&txn)
            .await?;
        written += lists.len() as u64;
    }
    let listed: Vec<i64> = people.iter().map(|p| p.id).collect();
    super::eligibility::refresh(&txn, &listed, now).await?;
    for table in [
        "active_list_entries",
        "entry_themes",
        "entry_prefectures",
        "entry_languages",
        "entry_industries",
    ] {
        txn.execute_unprepared(&format!("ANALYZE {table}")).await?;
    }
    txn.commit().await?;
    Ok(written)
}
