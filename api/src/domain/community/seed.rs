//! Deterministic demo data for the community: about a third of the camps' graduates,
//! joined a month after their camp, with a mix of visibility choices, their activity
//! reports, and events of the last year (attendance recorded) and to come. Runs after the
//! camps' seed.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use entities::{
    alumni_activity, camp_application, camp_cohort, community_event, community_member, event_rsvp,
    member_interest,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::{
    members::profile_consents,
    types::{ActivityKind, EventStatus, RsvpStatus, Visibility},
};
use crate::domain::{
    CHUNK, Clock, DomainResult, begin_write,
    camp::{seed::at, types::ApplicationStatus},
    consent,
};

const INTERESTS: &[&str] = &[
    "web",
    "reversing",
    "pwn",
    "crypto",
    "forensics",
    "network",
    "hardware",
    "ai",
    "malware",
    "cloud",
    "ctf",
    "os",
    "compiler",
    "iot",
    "privacy",
];

/// Seeds the community from the graduates the camps' seed wrote.
pub async fn seed_community(db: &DatabaseConnection, clock: Clock) -> DomainResult<()> {
    let (today, now) = (clock.today(), clock.now());
    let first_day = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or(today);
    let mut rng = fastrand::Rng::with_seed(2005);
    let txn = begin_write(db).await?;
    let starts_on: HashMap<i64, NaiveDate> = camp_cohort::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.starts_on))
        .collect();
    let alumni: Vec<(i64, NaiveDate)> = camp_application::Entity::find()
        .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
        .order_by_asc(camp_application::Column::PersonId)
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|a| Some((a.person_id, *starts_on.get(&a.cohort_id)?)))
        .collect();

    // The community: about a third of the alumni, joined after their camp.
    let mut members = Vec::new();
    let mut interests = Vec::new();
    let mut activities = Vec::new();
    let mut joined_people = Vec::new();
    for (id, starts_on) in alumni {
        if rng.u8(0..3) != 0 {
            continue;
        }
        let joined = at(starts_on + Days::new(30), 12).max(at(first_day, 9));
        let mine: Vec<String> = (0..rng.usize(1..4))
            .map(|_| INTERESTS[rng.usize(..INTERESTS.len())].to_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        interests.extend(mine.iter().map(|i| member_interest::ActiveModel {
            person_id: Set(id),
            interest: Set(i.clone()),
        }));
        members.push(community_member::ActiveModel {
            person_id: Set(id),
            display_name: Set(format!("camp{id}")),
            affiliation: Set(None),
            bio: Set(String::new()),
            interests: Set(json!(mine)),
            open_to_mentoring: Set(rng.u8(0..10) < 3),
            link: Set(None),
            display_name_visibility: Set(rank(&mut rng, 60)),
            affiliation_visibility: Set(rank(&mut rng, 30)),
            prefecture_visibility: Set(rank(&mut rng, 30)),
            bio_visibility: Set(rank(&mut rng, 50)),
            interests_visibility: Set(rank(&mut rng, 50)),
            mentoring_visibility: Set(rank(&mut rng, 50)),
            cohorts_visibility: Set(rank(&mut rng, 50)),
            link_visibility: Set(rank(&mut rng, 50)),
            email_visibility: Set(Visibility::Staff.rank()),
            activities_visibility: Set(rank(&mut rng, 50)),
            specialist_visibility: Set(Visibility::Staff.rank()),
            joined_at: Set(joined),
            left_at: Set((rng.u8(0..20) == 0).then_some(now)),
            version: Set(1),
            updated_at: Set(joined),
        });
        joined_people.push(id);
        for _ in 0..rng.usize(0..4) {
            let day = today - Days::new(rng.u64(1..900));
            let kind = ActivityKind::ALL[rng.usize(..ActivityKind::ALL.len())];
            activities.push(alumni_activity::ActiveModel {
                person_id: Set(id),
                occurred_on: Set(day),
                kind: Set(kind),
                title: Set(format!("{} ({day})", kind.as_str().to_lowercase())),
                link: Set(None),
                featured: Set(rng.u8(0..20) == 0),
                featured_at: Set(None),
                created_at: Set(at(day, 20)),
                ..Default::default()
            });
        }
    }
    for chunk in members.chunks(CHUNK / 2) {
        community_member::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    // The profile consents the demo members gave, as the ledger holds them.
    let seeded = community_member::Entity::find().all(&txn).await?;
    consent::enter_held(
        &txn,
        "seed",
        consent::Purpose::CommunityProfile,
        seeded.iter().flat_map(|member| {
            profile_consents(member).into_iter().map(|(item, state)| {
                (
                    consent::Holder::Person(member.person_id),
                    item,
                    state,
                    member.joined_at,
                )
            })
        }),
    )
    .await?;
    for chunk in interests.chunks(CHUNK) {
        member_interest::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in activities.chunks(CHUNK) {
        alumni_activity::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }

    // Events: one a month for the last year (attendance recorded), three to come.
    for month in -12i64..3 {
        let day = today
            .checked_add_signed(chrono::Duration::days(month * 30 + 7))
            .unwrap_or(today);
        let capacity = 30;
        let event = community_event::ActiveModel {
            title: Set(format!("卒業生もくもく会 {day}")),
            description: Set("卒業生同士で学び合う会です。".to_owned()),
            starts_at: Set(at(day, 10)),
            ends_at: Set(at(day, 13)),
            online: Set(month % 2 == 0),
            place: Set((month % 2 != 0).then(|| "コミュニティスペース".to_owned())),
            prefecture_code: Set((month % 2 != 0).then(|| "13".to_owned())),
            capacity: Set(capacity),
            going_count: Set(0),
            status: Set(EventStatus::Scheduled),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut going = 0;
        let mut rsvps = Vec::new();
        let answering = rng.usize(0..=joined_people.len().min(40));
        for (n, person) in joined_people
            .iter()
            .skip(rng.usize(0..joined_people.len().max(1)))
            .take(answering)
            .enumerate()
        {
            let status = if going < capacity {
                RsvpStatus::Going
            } else {
                RsvpStatus::Waitlisted
            };
            if status == RsvpStatus::Going {
                going += 1;
            }
            rsvps.push(event_rsvp::ActiveModel {
                event_id: Set(event.id),
                person_id: Set(*person),
                status: Set(status),
                attended: Set(month < 0 && status == RsvpStatus::Going && rng.u8(0..10) < 8),
                created_at: Set(at(day, 9) - chrono::Duration::days(20 - n as i64 % 20)),
                updated_at: Set(at(day, 9) - chrono::Duration::days(20 - n as i64 % 20)),
                ..Default::default()
            });
        }
        if !rsvps.is_empty() {
            event_rsvp::Entity::insert_many(rsvps)
                .exec_without_returning(&txn)
                .await?;
        }
        let mut event: community_event::ActiveModel = event.into();
        event.going_count = Set(going);
        event.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A visibility rank: public for `public_share` percent of members, alumni for the rest.
fn rank(rng: &mut fastrand::Rng, public_share: u8) -> i16 {
    if rng.u8(0..100) < public_share {
        Visibility::Public.rank()
    } else {
        Visibility::Alumni.rank()
    }
}
