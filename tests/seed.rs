//! Demo data: deterministic and shaped like the published figures.

use entities::specialist;
use kakehashi::domain::{Caller, DomainError, calendar::is_registration_round, seed::seed_demo};
use sea_orm::{EntityTrait, QueryOrder};

use crate::support::TestApp;

async fn seeded(count: u32) -> (TestApp, Vec<specialist::Model>) {
    let app = TestApp::spawn().await;
    let written = seed_demo(&app.db, &Caller::system(), count, |_| {})
        .await
        .unwrap();
    assert_eq!(written, u64::from(count));
    let rows = specialist::Entity::find()
        .order_by_asc(specialist::Column::RegistrationNumber)
        .all(&app.db)
        .await
        .unwrap();
    (app, rows)
}

#[tokio::test]
async fn the_same_count_seeds_the_same_people() {
    let (_a, first) = seeded(300).await;
    let (_b, second) = seeded(300).await;
    let key = |r: &specialist::Model| {
        (
            r.registration_number.clone(),
            r.family_name.clone(),
            r.prefecture_code.clone(),
            r.registered_on,
            r.status,
        )
    };
    assert_eq!(
        first.iter().map(key).collect::<Vec<_>>(),
        second.iter().map(key).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn seeded_people_look_like_the_real_registry() {
    let (_app, rows) = seeded(3000).await;
    assert_eq!(rows.len(), 3000);
    assert!(rows.iter().all(|r| is_registration_round(r.registered_on)));
    let kanto = rows
        .iter()
        .filter(|r| {
            matches!(
                r.prefecture_code.as_str(),
                "08" | "09" | "10" | "11" | "12" | "13" | "14"
            )
        })
        .count() as f64
        / rows.len() as f64;
    assert!((0.60..0.72).contains(&kanto), "Kantō share {kanto}");
    let active = rows
        .iter()
        .filter(|r| r.status == entities::enums::registry::SpecialistStatus::Active)
        .count() as f64
        / rows.len() as f64;
    assert!((0.70..0.92).contains(&active), "active share {active}");
    for status in ["LAPSED", "DEREGISTERED"] {
        assert!(
            rows.iter().any(|r| r.status.as_str() == status),
            "some {status}"
        );
    }
    // Registration numbers follow registration order.
    assert!(
        rows.windows(2)
            .all(|w| w[0].registered_on <= w[1].registered_on)
    );
}

#[tokio::test]
async fn seeding_refuses_a_registry_that_is_not_empty() {
    let (app, _) = seeded(10).await;
    let err = seed_demo(&app.db, &Caller::system(), 10, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DomainError::Conflict(_)), "{err:?}");
}

#[tokio::test]
async fn seeded_registrations_get_cycles_that_follow_their_history() {
    use entities::renewal_cycle;
    use kakehashi::domain::{calendar::japan_today, renewal::cycles::status_of};
    use std::collections::{HashMap, HashSet};

    let (app, rows) = seeded(1500).await;
    let today = japan_today();
    let cycles = renewal_cycle::Entity::find()
        .order_by_asc(renewal_cycle::Column::Sequence)
        .all(&app.db)
        .await
        .unwrap();
    let mut by_person: HashMap<i64, Vec<renewal_cycle::Model>> = HashMap::new();
    for cycle in cycles {
        by_person
            .entry(cycle.specialist_id)
            .or_default()
            .push(cycle);
    }
    let mut statuses = HashSet::new();
    for person in &rows {
        let own = by_person
            .get(&person.id)
            .expect("every registration has cycles");
        assert_eq!(own[0].starts_on, person.registered_on);
        for pair in own.windows(2) {
            assert_eq!(pair[0].ends_on.succ_opt(), Some(pair[1].starts_on));
            assert_eq!(pair[0].state, entities::enums::renewal::CycleState::Renewed);
        }
        let last = own.last().unwrap();
        match person.status.as_str() {
            "ACTIVE" | "SUSPENDED" => {
                assert_eq!(
                    last.state,
                    entities::enums::renewal::CycleState::Open,
                    "{person:?}"
                );
                assert!(last.starts_on <= today && today <= last.ends_on);
            }
            "LAPSED" => assert_eq!(last.state, entities::enums::renewal::CycleState::Lapsed),
            _ => assert_eq!(last.state, entities::enums::renewal::CycleState::Closed),
        }
        statuses.insert(status_of(last, today).as_str());
    }
    for expected in ["ON_TRACK", "COMPLETE", "LAPSED", "CLOSED"] {
        assert!(
            statuses.contains(expected),
            "{expected} missing from {statuses:?}"
        );
    }
}

#[tokio::test]
async fn seeded_matching_keeps_the_invariants_of_the_live_service() {
    use entities::{active_list_entry, company, consultation_request, matching};
    use kakehashi::domain::matching::corporate_number;
    use std::collections::HashMap;

    let (app, _) = seeded(3000).await;
    let entries = active_list_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let matches = matching::Entity::find().all(&app.db).await.unwrap();
    let requests = consultation_request::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let companies = company::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(companies.len(), 300);
    assert!(
        companies
            .iter()
            .all(|c| corporate_number::parse(&c.corporate_number).is_ok())
    );
    assert!(requests.len() > 200, "{} requests", requests.len());

    // Every entry's count of held places matches its accepted and running matches, within
    // its capacity, and only published entries were proposed.
    let mut held: HashMap<i64, i16> = HashMap::new();
    for m in &matches {
        if m.status == entities::enums::matching::MatchStatus::Accepted
            || m.status == entities::enums::matching::MatchStatus::Active
        {
            *held.entry(m.entry_id).or_default() += 1;
        }
    }
    for e in &entries {
        assert_eq!(
            e.active_matches,
            held.get(&e.id).copied().unwrap_or(0),
            "entry {}",
            e.id
        );
        assert!(e.active_matches <= e.capacity, "entry {}", e.id);
    }
    let published: Vec<i64> = entries
        .iter()
        .filter(|e| e.status == entities::enums::active_list::EntryStatus::Published)
        .map(|e| e.id)
        .collect();
    assert!(matches.iter().all(|m| published.contains(&m.entry_id)));

    // A request's status agrees with its matches.
    for r in &requests {
        let of: Vec<&str> = matches
            .iter()
            .filter(|m| m.request_id == r.id)
            .map(|m| m.status.as_str())
            .collect();
        let expected = match r.status.as_str() {
            "IN_PROGRESS" => of.contains(&"ACTIVE"),
            "COMPLETED" => of.contains(&"COMPLETED"),
            "OPEN" | "CANCELLED" => of.is_empty(),
            "MATCHING" => of.iter().all(|s| *s == "PROPOSED" || *s == "DECLINED"),
            "EXPIRED" => !of
                .iter()
                .any(|s| ["PROPOSED", "ACCEPTED", "ACTIVE"].contains(s)),
            _ => false,
        };
        assert!(
            expected,
            "request {} is {} with matches {of:?}",
            r.id, r.status
        );
    }
    assert!(
        [
            "OPEN",
            "MATCHING",
            "IN_PROGRESS",
            "COMPLETED",
            "CANCELLED",
            "EXPIRED"
        ]
        .iter()
        .all(|s| requests.iter().any(|r| r.status.as_str() == *s)),
        "every state appears in the demo data"
    );
}

#[tokio::test]
async fn seeded_camps_keep_the_invariants_of_the_live_service() {
    use entities::{
        camp_application, camp_cohort, camp_program, camp_track, community_event, event_rsvp,
    };
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    use std::collections::{HashMap, HashSet};

    let (app, _) = seeded(3000).await;
    let applications = camp_application::Entity::find().all(&app.db).await.unwrap();
    let cohorts = camp_cohort::Entity::find().all(&app.db).await.unwrap();
    let tracks = camp_track::Entity::find().all(&app.db).await.unwrap();
    let national = camp_program::Entity::find()
        .filter(camp_program::Column::Kind.eq("NATIONAL"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(cohorts.len() > 40, "{} cohorts", cohorts.len());

    // Places taken are the selected, attending and completed applications of each track and
    // cohort, within their capacities.
    let holds = |a: &&camp_application::Model| {
        ["SELECTED", "ATTENDED", "COMPLETED"].contains(&a.status.as_str())
    };
    let mut per_track: HashMap<i64, i32> = HashMap::new();
    let mut per_cohort: HashMap<i64, i32> = HashMap::new();
    for a in applications.iter().filter(holds) {
        *per_track.entry(a.track_id.unwrap()).or_default() += 1;
        *per_cohort.entry(a.cohort_id).or_default() += 1;
    }
    for t in &tracks {
        assert_eq!(
            t.selected_count,
            per_track.get(&t.id).copied().unwrap_or(0),
            "track {}",
            t.id
        );
        assert!(t.selected_count <= t.capacity);
    }
    for c in &cohorts {
        assert_eq!(
            c.selected_count,
            per_cohort.get(&c.id).copied().unwrap_or(0),
            "cohort {}",
            c.id
        );
        assert!(c.selected_count <= c.capacity);
    }
    // Nobody completed the national camp twice, and one cohort takes applications today.
    let national_cohorts: HashSet<i64> = cohorts
        .iter()
        .filter(|c| c.program_id == national.id)
        .map(|c| c.id)
        .collect();
    let mut completed = HashSet::new();
    for a in applications.iter().filter(|a| {
        a.status == entities::enums::camp::ApplicationStatus::Completed
            && national_cohorts.contains(&a.cohort_id)
    }) {
        assert!(
            completed.insert(a.person_id),
            "person {} twice",
            a.person_id
        );
    }
    let open = app
        .gql(
            None,
            "query($on: Date!) { campCohorts(filter: { acceptingOn: $on }) { nodes { program { kind } } } }",
            serde_json::json!({ "on": kakehashi::domain::calendar::japan_today().to_string() }),
        )
        .await;
    assert_eq!(
        open["data"]["campCohorts"]["nodes"],
        serde_json::json!([{ "program": { "kind": "CONNECT" } }]),
        "{open}"
    );
    // Events never hold more people than they take.
    for event in community_event::Entity::find().all(&app.db).await.unwrap() {
        let going = event_rsvp::Entity::find()
            .filter(event_rsvp::Column::EventId.eq(event.id))
            .filter(event_rsvp::Column::Status.eq("GOING"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(going as i32, event.going_count);
        assert!(event.going_count <= event.capacity);
    }
}
