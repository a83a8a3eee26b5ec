//! Community fixtures through the API: alumni who joined, the visibility of their
//! profiles, their activity reports, and events with their RSVPs.

use chrono::{DateTime, Duration, Utc};
use kakehashi::domain::Role;
use serde_json::{Value, json};

use super::camp::graduate;
use crate::support::TestApp;

pub const JOIN: &str = r#"mutation($input: JoinCommunityInput!) {
  joinCommunity(input: $input) { profile { id version displayName } userErrors { field message code } } }"#;

pub const UPDATE: &str = r#"mutation($input: UpdateCommunityProfileInput!) {
  updateCommunityProfile(input: $input) { profile { id version } userErrors { field message code } } }"#;

/// Every field of a profile whose visibility a member chooses, with the GraphQL field that
/// shows it.
pub const FIELDS: [(&str, &str); 11] = [
    ("DISPLAY_NAME", "displayName"),
    ("AFFILIATION", "affiliation"),
    ("PREFECTURE", "prefecture { code }"),
    ("BIO", "bio"),
    ("INTERESTS", "interests"),
    ("OPEN_TO_MENTORING", "openToMentoring"),
    ("COHORTS", "cohorts { name }"),
    ("LINK", "link"),
    ("EMAIL", "email"),
    ("ACTIVITIES", "activities { title }"),
    ("SPECIALIST", "isRegisteredSpecialist"),
];

/// Every field of [`FIELDS`] shown to `level` (`PUBLIC`, `ALUMNI` or `STAFF`).
pub fn every_field(level: &str) -> Value {
    let visibility: Vec<Value> = FIELDS
        .iter()
        .map(|(field, _)| json!({ "field": field, "visibility": level }))
        .collect();
    json!(visibility)
}

/// Joins the community as the caller of `token` (an alumnus) under `name`, with a full
/// profile and whatever `extra` adds or overrides; returns the profile.
pub async fn join(app: &TestApp, token: &str, name: &str, extra: Value) -> Value {
    let mut input = json!({ "displayName": name, "affiliation": "情報大学", "bio": "CTF が好きです。",
        "interests": ["Web", "Reversing"], "openToMentoring": true, "link": "https://example.jp/me" });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            input.insert(k.clone(), v.clone());
        }
    }
    let response = app.gql(Some(token), JOIN, json!({ "input": input })).await;
    let payload = &response["data"]["joinCommunity"];
    assert_eq!(payload["userErrors"], json!([]), "{response}");
    payload["profile"].clone()
}

/// Makes the individual `subject` an alumnus of a new cohort of `kind` who joined the
/// community as [`join`] does; returns their token and profile.
pub async fn alumnus_who_joined(
    app: &TestApp,
    subject: &str,
    kind: &str,
    name: &str,
    extra: Value,
) -> (String, Value) {
    let token = app.person_token(subject);
    graduate(app, &[&token], kind).await;
    let profile = join(app, &token, name, extra).await;
    (token, profile)
}

/// Sets the visibility of the fields named in `visibility` for the member of `token`, whose
/// profile is at `version`; returns the new version.
pub async fn set_visibility(
    app: &TestApp,
    token: &str,
    version: &Value,
    visibility: Value,
) -> Value {
    let response = app
        .gql(
            Some(token),
            UPDATE,
            json!({ "input": { "expectedVersion": version, "visibility": visibility } }),
        )
        .await;
    let payload = &response["data"]["updateCommunityProfile"];
    assert_eq!(payload["userErrors"], json!([]), "{response}");
    payload["profile"]["version"].clone()
}

/// Reports a talk titled `title` as the member of `token`; returns the activity.
pub async fn report(app: &TestApp, token: &str, title: &str) -> Value {
    let response = app
        .gql(
            Some(token),
            r#"mutation($input: ReportAlumniActivityInput!) { reportAlumniActivity(input: $input) {
                 activity { id title } userErrors { field message } } }"#,
            json!({ "input": { "occurredOn": "2026-10-01", "kind": "TALK", "title": title,
                    "link": "https://example.jp/talk" } }),
        )
        .await;
    let payload = &response["data"]["reportAlumniActivity"];
    assert_eq!(payload["userErrors"], json!([]), "{response}");
    payload["activity"].clone()
}

pub const EVENT: &str = r#"mutation($input: CreateCommunityEventInput!) {
  createCommunityEvent(input: $input) { event { id placesLeft version } userErrors { field message } } }"#;

/// Creates an online event (camp staff) starting at `start` and lasting `hours`, with
/// `capacity` places; returns its global ID.
pub async fn online_event(
    app: &TestApp,
    title: &str,
    start: DateTime<Utc>,
    hours: i64,
    capacity: i32,
) -> Value {
    let created = app
        .gql(
            Some(&app.token(Role::CampStaff)),
            EVENT,
            json!({ "input": { "title": title, "startsAt": start.to_rfc3339(),
                    "endsAt": (start + Duration::hours(hours)).to_rfc3339(), "online": true,
                    "capacity": capacity } }),
        )
        .await;
    let payload = &created["data"]["createCommunityEvent"];
    assert_eq!(payload["userErrors"], json!([]), "{created}");
    assert!(payload["event"]["id"].is_string(), "{created}");
    payload["event"]["id"].clone()
}

pub const RSVP: &str = r#"mutation($id: ID!) { rsvpCommunityEvent(input: { eventId: $id }) {
  rsvp { status } event { placesLeft } userErrors { field message code } } }"#;

/// The status of the RSVP a `rsvpCommunityEvent` payload carries.
pub fn rsvp_status(response: &Value) -> Value {
    response["data"]["rsvpCommunityEvent"]["rsvp"]["status"].clone()
}

/// Three graduates of a MINI camp, of whom A and B joined the community, and an online
/// event in 7 days with one place; returns the three tokens, a camp staff token and the
/// event's global ID.
pub async fn members_and_an_event(app: &TestApp) -> ([String; 3], String, Value) {
    let (a, b, c) = (
        app.person_token("a"),
        app.person_token("b"),
        app.person_token("c"),
    );
    graduate(app, &[&a, &b, &c], "MINI").await;
    for (token, name) in [(&a, "A"), (&b, "B")] {
        join(app, token, name, json!({})).await;
    }
    let staff = app.token(Role::CampStaff);
    let id = online_event(app, "もくもく会", Utc::now() + Duration::days(7), 3, 1).await;
    ([a, b, c], staff, id)
}

/// A holds the event's one place and B waits for it.
pub async fn a_going_b_waiting(app: &TestApp, a: &str, b: &str, id: &Value) {
    let going = app.gql(Some(a), RSVP, json!({ "id": id })).await;
    assert_eq!(rsvp_status(&going), "GOING", "{going}");
    let waiting = app.gql(Some(b), RSVP, json!({ "id": id })).await;
    assert_eq!(rsvp_status(&waiting), "WAITLISTED", "{waiting}");
}
