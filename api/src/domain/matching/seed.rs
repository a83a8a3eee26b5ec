//! Deterministic demo data for matching: two support organizations per prefecture,
//! companies (one for every ten specialists), consultation requests over the last two years,
//! and their matches in every state, with sessions and ratings for completed engagements.
//!
//! The data keeps every invariant of the live service: a specialist never holds more
//! accepted or running matches than their capacity (`active_matches` is set from them), a
//! request's status agrees with its matches, and only published entries are proposed.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use entities::{
    active_list_entry, company, consultation_request, guidance_theme, match_session, matching,
    organization_prefecture, request_theme, support_organization,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde_json::json;

use super::{
    corporate_number::with_check_digit,
    guide,
    types::{
        MatchSide, MatchStatus, OrganizationKind, RequestStatus, SecurityAction, SessionTopic,
        SupplyChainTarget, Urgency,
    },
};
use crate::domain::{
    CHUNK, Clock, DomainResult, active_list::types::EntryStatus, begin_write,
    holidays::add_business_days, industry::Industry, prefecture::PREFECTURES,
    registry::seed::prefecture_weight,
};

const POPULAR: &[&str] = &[
    "BASIC_POLICY",
    "SECURITY_ACTION_1",
    "SECURITY_ACTION_2",
    "INCIDENT_RESPONSE_PLAN",
    "EMPLOYEE_TRAINING",
    "BACKUP_AND_RECOVERY",
];

const NAMES: &[(&str, &str)] = &[
    ("製作所", "セイサクショ"),
    ("工業", "コウギョウ"),
    ("商事", "ショウジ"),
    ("建設", "ケンセツ"),
    ("運輸", "ウンユ"),
    ("食品", "ショクヒン"),
    ("印刷", "インサツ"),
    ("電機", "デンキ"),
];

const TOPICS: [SessionTopic; 4] = [
    SessionTopic::Risks,
    SessionTopic::BasicPolicy,
    SessionTopic::Rules,
    SessionTopic::Review,
];

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
        .and_utc()
}

fn weighted_prefecture(rng: &mut fastrand::Rng) -> &'static str {
    let total: u32 = PREFECTURES.iter().map(|p| prefecture_weight(p.code)).sum();
    let mut roll = rng.u32(0..total.max(1));
    for p in PREFECTURES.iter() {
        let w = prefecture_weight(p.code);
        if roll < w {
            return p.code;
        }
        roll -= w;
    }
    "13"
}

/// What the seed knows of an entry it may propose.
struct Offer {
    id: i64,
    specialist_id: i64,
    capacity: i16,
    held: i16,
}

/// Writes the demo matching data into a registry with Active List entries and no
/// companies yet. Returns how many requests it wrote.
pub async fn seed_matching(
    db: &DatabaseConnection,
    specialists: u32,
    clock: Clock,
) -> DomainResult<u64> {
    let today = clock.today();
    let txn = begin_write(db).await?;
    let now = clock.now();
    let mut rng = fastrand::Rng::with_seed(2027);

    // Two organizations per prefecture: its chamber of commerce and its SME support centre.
    let mut organizations = Vec::new();
    for p in PREFECTURES.iter() {
        for (prefix, name, kind) in [
            ("CCI", "商工会議所", OrganizationKind::ChamberOfCommerce),
            (
                "YOROZU",
                "よろず支援拠点",
                OrganizationKind::SmeSupportCenter,
            ),
        ] {
            organizations.push(support_organization::ActiveModel {
                code: Set(format!("{prefix}_{}", p.code)),
                name: Set(format!("{}{name}", p.name_ja)),
                kind: Set(kind),
                prefecture_codes: Set(json!([p.code])),
                contact_email: Set(format!(
                    "{}{}@support.example.jp",
                    prefix.to_lowercase(),
                    p.code
                )),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        }
    }
    support_organization::Entity::insert_many(organizations)
        .exec_without_returning(&txn)
        .await?;
    let organizations = support_organization::Entity::find()
        .order_by_asc(support_organization::Column::Id)
        .all(&txn)
        .await?;
    organization_prefecture::Entity::insert_many(organizations.iter().map(|o| {
        organization_prefecture::ActiveModel {
            organization_id: Set(o.id),
            prefecture_code: Set(o.code.rsplit('_').next().unwrap_or("13").to_owned()),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    let org_of = |prefecture: &str, kind: usize| -> Option<i64> {
        organizations
            .iter()
            .filter(|o| o.code.ends_with(&format!("_{prefecture}")))
            .nth(kind)
            .map(|o| o.id)
    };

    // Companies.
    let count = (specialists / 10).max(20);
    let mut companies = Vec::new();
    for n in 0..count {
        let industry = Industry::ALL[rng.usize(..Industry::ALL.len() - 2)];
        let sector = match guide::sector_of(industry) {
            Some(sector) => sector,
            None => {
                let choices = guide::sectors_for(industry);
                choices[rng.usize(..choices.len())]
            }
        };
        let employees = (rng.i32(1..40) * rng.i32(1..12)).min(900);
        let capital = i64::from(rng.i32(1..100)) * 1_000_000 * i64::from(rng.i32(1..6));
        let prefecture = weighted_prefecture(&mut rng);
        let (suffix, kana) = NAMES[rng.usize(..NAMES.len())];
        companies.push(company::ActiveModel {
            corporate_number: Set(with_check_digit(3_000_000_000 + u64::from(n))),
            name: Set(format!("株式会社デモ{suffix}{n}")),
            name_kana: Set(format!("デモ{kana}")),
            industry: Set(industry),
            employees: Set(employees),
            capital_yen: Set(capital),
            prefecture_code: Set(prefecture.to_owned()),
            sme_sector: Set(sector),
            is_sme: Set(guide::is_sme(sector, capital, employees)),
            security_action: Set([
                SecurityAction::None,
                SecurityAction::None,
                SecurityAction::OneStar,
                SecurityAction::TwoStar,
            ][rng.usize(..4)]),
            supply_chain_target: Set([
                SupplyChainTarget::None,
                SupplyChainTarget::None,
                SupplyChainTarget::Star3,
                SupplyChainTarget::Star4,
            ][rng.usize(..4)]),
            otasuketai: Set(rng.u8(0..100) < 15),
            guide_step: Set(rng.i16(1..=2)),
            support_organization_id: Set(if rng.u8(0..100) < 70 {
                org_of(prefecture, rng.usize(..2))
            } else {
                None
            }),
            contact_name: Set("デモ 担当".to_owned()),
            contact_email: Set(format!("contact{n}@company.example.jp")),
            contact_phone: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    for chunk in companies.chunks(CHUNK) {
        company::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let companies = company::Entity::find()
        .order_by_asc(company::Column::Id)
        .all(&txn)
        .await?;

    let themes: Vec<i64> = guidance_theme::Entity::find()
        .filter(guidance_theme::Column::Code.is_in(POPULAR.iter().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut offers: Vec<Offer> = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::Status.eq(EntryStatus::Published.as_str()))
        .order_by_asc(active_list_entry::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| Offer {
            id: e.id,
            specialist_id: e.specialist_id,
            capacity: e.capacity,
            held: 0,
        })
        .collect();

    // Requests, each with its story.
    struct Story {
        request: consultation_request::ActiveModel,
        themes: Vec<i64>,
        matches: Vec<(usize, MatchStatus, NaiveDate)>,
    }
    let mut stories = Vec::new();
    for c in &companies {
        let requests = match rng.u8(0..100) {
            0..=39 => 0,
            40..=84 => 1,
            _ => 2,
        };
        for _ in 0..requests {
            let opened = today - Days::new(rng.u64(0..720));
            let age = (today - opened).num_days();
            let mut chosen = Vec::new();
            for _ in 0..rng.usize(1..=3) {
                let t = themes[rng.usize(..themes.len().max(1))];
                if !chosen.contains(&t) {
                    chosen.push(t);
                }
            }
            let mut matches = Vec::new();
            let pick = |rng: &mut fastrand::Rng| rng.usize(..offers.len().max(1));
            let proposed_on = opened + Days::new(1);
            let status = if offers.is_empty() {
                RequestStatus::Open
            } else if age < 14 {
                if rng.bool() {
                    RequestStatus::Open
                } else {
                    matches.push((pick(&mut rng), MatchStatus::Proposed, proposed_on));
                    RequestStatus::Matching
                }
            } else {
                match rng.u8(0..100) {
                    0..=9 => RequestStatus::Cancelled,
                    10..=19 if age > 90 => {
                        matches.push((pick(&mut rng), MatchStatus::Expired, proposed_on));
                        RequestStatus::Expired
                    }
                    _ => {
                        if rng.u8(0..100) < 20 {
                            matches.push((pick(&mut rng), MatchStatus::Declined, proposed_on));
                        }
                        let accepted_on = proposed_on + Days::new(rng.u64(1..6));
                        let (match_status, request_status) = if age < 120 {
                            (MatchStatus::Active, RequestStatus::InProgress)
                        } else {
                            (MatchStatus::Completed, RequestStatus::Completed)
                        };
                        matches.push((pick(&mut rng), match_status, accepted_on));
                        request_status
                    }
                }
            };
            // Places: an accepted or running match needs capacity left on its entry.
            let mut status = status;
            for (offer, match_status, _) in matches.iter_mut() {
                if !match_status.holds_capacity() {
                    continue;
                }
                let free = (0..offers.len())
                    .map(|k| (*offer + k) % offers.len())
                    .find(|k| offers[*k].held < offers[*k].capacity);
                match free {
                    Some(k) => {
                        offers[k].held += 1;
                        *offer = k;
                    }
                    None => {
                        *match_status = MatchStatus::Completed;
                        status = RequestStatus::Completed;
                    }
                }
            }
            let matched_at = matches
                .iter()
                .find(|(_, s, _)| {
                    matches!(
                        s,
                        MatchStatus::Active | MatchStatus::Completed | MatchStatus::Accepted
                    )
                })
                .map(|(_, _, on)| at(*on, 2));
            let closed = matches!(
                status,
                RequestStatus::Completed | RequestStatus::Cancelled | RequestStatus::Expired
            );
            stories.push(Story {
                request: consultation_request::ActiveModel {
                    company_id: Set(c.id),
                    organization_id: Set(c.support_organization_id),
                    status: Set(status),
                    theme_ids: Set(json!(chosen)),
                    description: Set(
                        "情報セキュリティ対策を何から始めればよいか相談したい。".to_owned()
                    ),
                    prefecture_code: Set(c.prefecture_code.clone()),
                    remote_ok: Set(rng.u8(0..100) < 50),
                    urgency: Set(Urgency::ALL[rng.usize(..Urgency::ALL.len())]),
                    budget_max_yen: Set(Some(rng.i32(5..50) * 10_000)),
                    language: Set("ja".to_owned()),
                    filed_by: Set(format!("seed:{}", stories.len())),
                    opened_on: Set(opened),
                    matched_at: Set(matched_at),
                    closed_at: Set(
                        closed.then(|| at(opened + Days::new(age.min(150) as u64 / 2), 3))
                    ),
                    version: Set(1),
                    created_at: Set(at(opened, 1)),
                    updated_at: Set(now),
                    ..Default::default()
                },
                themes: chosen,
                matches,
            });
        }
    }
    let written = stories.len() as u64;
    for chunk in stories.chunks(CHUNK) {
        consultation_request::Entity::insert_many(chunk.iter().map(|s| s.request.clone()))
            .exec_without_returning(&txn)
            .await?;
    }
    let ids: HashMap<String, i64> = consultation_request::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.filed_by, r.id))
        .collect();
    let mut request_themes = Vec::new();
    let mut matches = Vec::new();
    for (n, story) in stories.iter().enumerate() {
        let Some(request_id) = ids.get(&format!("seed:{n}")).copied() else {
            continue;
        };
        request_themes.extend(story.themes.iter().map(|t| request_theme::ActiveModel {
            request_id: Set(request_id),
            theme_id: Set(*t),
        }));
        for (offer, status, on) in &story.matches {
            let Some(offer) = offers.get(*offer) else {
                continue;
            };
            let answered = !matches!(status, MatchStatus::Proposed | MatchStatus::Expired);
            let completed = *status == MatchStatus::Completed;
            let started = matches!(status, MatchStatus::Active | MatchStatus::Completed);
            let company_rating = completed.then(|| rng.i16(3..=5));
            matches.push(matching::ActiveModel {
                request_id: Set(request_id),
                entry_id: Set(offer.id),
                specialist_id: Set(offer.specialist_id),
                status: Set(*status),
                score: Set(json!({})),
                proposed_by: Set(format!("seed:{n}")),
                proposed_at: Set(at(*on, 1)),
                respond_by: Set(add_business_days(*on, 5)),
                responded_at: Set(answered.then(|| at(*on, 5))),
                started_on: Set(started.then(|| *on + Days::new(7))),
                completed_on: Set(completed.then(|| *on + Days::new(90))),
                measures: Set(
                    completed.then(|| json!(["基本方針を策定", "情報セキュリティ5か条を周知"]))
                ),
                guide_step_after: Set(completed.then_some(2)),
                company_rating: Set(company_rating),
                specialist_rating: Set(completed.then(|| rng.i16(4..=5))),
                version: Set(1),
                created_at: Set(at(*on, 1)),
                updated_at: Set(now),
                ..Default::default()
            });
        }
    }
    for chunk in request_themes.chunks(CHUNK) {
        request_theme::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in matches.chunks(CHUNK) {
        matching::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    // Four sessions of two hours for every engagement that ran (risks, basic policy, rules,
    // review; as many as fit for those still running).
    let ran = matching::Entity::find()
        .filter(matching::Column::StartedOn.is_not_null())
        .all(&txn)
        .await?;
    let mut sessions = Vec::new();
    for m in &ran {
        let Some(started) = m.started_on else {
            continue;
        };
        for (k, topic) in TOPICS.iter().enumerate() {
            let held = started + Days::new(20 * k as u64);
            if held > today {
                break;
            }
            sessions.push(match_session::ActiveModel {
                match_id: Set(m.id),
                held_on: Set(held),
                minutes: Set(120),
                topic: Set(*topic),
                notes: Set(String::new()),
                logged_by: Set("seed".to_owned()),
                logged_by_side: Set(Some(MatchSide::Specialist)),
                created_at: Set(at(held, 8)),
                version: Set(1),
                withdrawn_at: Set(None),
                ..Default::default()
            });
        }
    }
    for chunk in sessions.chunks(CHUNK) {
        match_session::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for offer in offers.iter().filter(|o| o.held > 0) {
        active_list_entry::Entity::update_many()
            .col_expr(
                active_list_entry::Column::ActiveMatches,
                Expr::value(offer.held),
            )
            .filter(active_list_entry::Column::Id.eq(offer.id))
            .exec(&txn)
            .await?;
    }
    for table in [
        "support_organizations",
        "companies",
        "consultation_requests",
        "request_themes",
        "matches",
        "match_sessions",
    ] {
        txn.execute_unprepared(&format!("ANALYZE {table}")).await?;
    }
    txn.commit().await?;
    Ok(written)
}
