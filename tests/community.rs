//! The alumni community: who joins, per-field visibility for every kind of caller (and
//! through filters), members who leave, activity reports, events with a waitlist and
//! attendance, and the camps' figures.

use chrono::{Duration, Utc};
use entities::community_event;
use kakehashi::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::support::{
    TestApp,
    factories::{
        camp::{graduate, save_person},
        community::{
            EVENT, FIELDS, JOIN, RSVP, a_going_b_waiting, alumnus_who_joined, every_field, join,
            members_and_an_event, online_event, report, rsvp_status, set_visibility,
        },
    },
};

fn profile_selection() -> String {
    FIELDS.iter().map(|(_, f)| *f).collect::<Vec<_>>().join(" ")
}

fn key(selection: &str) -> &str {
    selection.split_whitespace().next().unwrap()
}

/// The profile of `id` as the caller of `token` sees it through `node`, or null.
async fn seen(app: &TestApp, token: Option<&str>, id: &Value) -> Value {
    let query = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on AlumniProfile {{ {} }} }} }}",
        profile_selection()
    );
    let response = app.gql(token, &query, json!({ "id": id })).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["node"].clone()
}

const CANCEL: &str = r#"mutation($id: ID!) { cancelEventRsvp(input: { eventId: $id }) {
  rsvp { status } userErrors { field message code } } }"#;

/// Two graduates of one NATIONAL camp who joined the community, the member "はなこ" having
/// reported a talk, and the peer "たろう".
struct TwoMembers {
    app: TestApp,
    member: String,
    peer: String,
    /// The member's profile.
    id: Value,
    version: Value,
}

async fn two_members() -> TwoMembers {
    let app = TestApp::spawn().await;
    let (member, peer) = (app.person_token("member"), app.person_token("peer"));
    graduate(&app, &[&member, &peer], "NATIONAL").await;
    let profile = join(&app, &member, "はなこ", json!({})).await;
    join(&app, &peer, "たろう", json!({})).await;
    report(&app, &member, "SECCON で登壇").await;
    TwoMembers {
        app,
        member,
        peer,
        id: profile["id"].clone(),
        version: profile["version"].clone(),
    }
}

impl TwoMembers {
    /// Shows the member's display name to the public and every other field only to
    /// `hidden` (`ALUMNI` or `STAFF`), so that the member is listed.
    async fn hide_all_but_the_name(&mut self, hidden: &str) {
        let visibility: Vec<Value> = FIELDS
            .iter()
            .map(|(field, _)| {
                json!({ "field": field, "visibility": if *field == "DISPLAY_NAME" { "PUBLIC" } else { hidden } })
            })
            .collect();
        self.version =
            set_visibility(&self.app, &self.member, &self.version, json!(visibility)).await;
    }

    /// Shows every field of the member's profile to `level`.
    async fn show_every_field(&mut self, level: &str) {
        self.version =
            set_visibility(&self.app, &self.member, &self.version, every_field(level)).await;
    }

    /// Shows every field to the public but the display name, which is for alumni.
    async fn name_for_alumni_only(&mut self) {
        self.show_every_field("PUBLIC").await;
        self.version = set_visibility(
            &self.app,
            &self.member,
            &self.version,
            json!([{ "field": "DISPLAY_NAME", "visibility": "ALUMNI" }]),
        )
        .await;
    }
}

#[tokio::test]
async fn fields_marked_alumni_or_staff_are_withheld_from_anonymous_callers() {
    let mut members = two_members().await;
    let staff = members.app.token(Role::CampStaff);
    for hidden in ["ALUMNI", "STAFF"] {
        members.hide_all_but_the_name(hidden).await;
        let TwoMembers {
            app,
            member,
            peer,
            id,
            ..
        } = &members;
        let anonymous = seen(app, None, id).await;
        let peer_view = seen(app, Some(peer), id).await;
        let staff_view = seen(app, Some(&staff), id).await;
        let own_view = seen(app, Some(member), id).await;
        for (field, selection) in FIELDS {
            let name = key(selection);
            if field == "DISPLAY_NAME" {
                assert_eq!(anonymous[name], "はなこ");
                continue;
            }
            assert_eq!(
                anonymous[name],
                Value::Null,
                "{field} marked {hidden} reached an anonymous caller: {anonymous}"
            );
            assert_eq!(
                peer_view[name].is_null(),
                hidden == "STAFF",
                "{field} marked {hidden}, seen by an alumnus: {peer_view}"
            );
            assert!(
                !staff_view[name].is_null(),
                "{field} for staff: {staff_view}"
            );
            assert!(
                !own_view[name].is_null(),
                "{field} for the member: {own_view}"
            );
        }
    }
}

#[tokio::test]
async fn an_anonymous_caller_finds_a_member_through_no_hidden_field() {
    let mut members = two_members().await;
    for hidden in ["ALUMNI", "STAFF"] {
        members.hide_all_but_the_name(hidden).await;
        let app = &members.app;
        for filter in [
            json!({ "interests": ["web"] }),
            json!({ "openToMentoring": true }),
            json!({ "programs": ["NATIONAL"] }),
        ] {
            let found = app
                .gql(
                    None,
                    "query($f: AlumniFilterInput) { alumni(filter: $f) { totalCount nodes { displayName } } }",
                    json!({ "f": filter }),
                )
                .await;
            assert_eq!(
                found["data"]["alumni"]["totalCount"], 0,
                "{filter} with fields marked {hidden}: {found}"
            );
        }
        let listed = app
            .gql(
                None,
                "{ alumni { nodes { displayName email } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            listed["data"]["alumni"]["nodes"],
            json!([{ "displayName": "はなこ", "email": null }])
        );
        let activities = app
            .gql(None, "{ alumniActivities { totalCount } }", json!({}))
            .await;
        assert_eq!(activities["data"]["alumniActivities"]["totalCount"], 0);
    }
}

#[tokio::test]
async fn fields_made_public_reach_everybody_and_the_filters_find_the_member() {
    let mut members = two_members().await;
    members.show_every_field("PUBLIC").await;
    let app = &members.app;
    let anonymous = seen(app, None, &members.id).await;
    // The words as typed, in their order; the filter matches them whatever the case.
    assert_eq!(anonymous["interests"], json!(["Web", "Reversing"]));
    assert_eq!(anonymous["email"], "hanako@example.jp");
    let found = app
        .gql(
            None,
            r#"{ alumni(filter: { interests: ["WEB"], openToMentoring: true, programs: [NATIONAL] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(found["data"]["alumni"]["totalCount"], 1, "{found}");
}

#[tokio::test]
async fn a_member_whose_display_name_is_for_alumni_is_not_listed_to_the_public() {
    let mut members = two_members().await;
    members.name_for_alumni_only().await;
    let TwoMembers { app, peer, id, .. } = &members;
    assert_eq!(seen(app, None, id).await, Value::Null);
    assert_eq!(
        app.gql(None, "{ alumni { totalCount } }", json!({})).await["data"]["alumni"]["totalCount"],
        0
    );
    assert_eq!(
        app.gql(Some(peer), "{ alumni { totalCount } }", json!({}))
            .await["data"]["alumni"]["totalCount"],
        2
    );
}

#[tokio::test]
async fn another_alumnus_does_not_see_a_members_visibility_choices() {
    let mut members = two_members().await;
    members.name_for_alumni_only().await;
    let TwoMembers { app, peer, id, .. } = &members;
    let choices = app
        .gql(
            Some(peer),
            "query($id: ID!) { node(id: $id) { ... on AlumniProfile { visibility { field } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        choices["data"]["node"]["visibility"],
        Value::Null,
        "{choices}"
    );
}

#[tokio::test]
async fn only_alumni_join_the_community() {
    let app = TestApp::spawn().await;
    let outsider = app.person_token("outsider");
    save_person(&app, &outsider, "2000-01-01").await;
    let refused = app
        .gql(
            Some(&outsider),
            JOIN,
            json!({ "input": { "displayName": "x" } }),
        )
        .await;
    assert!(
        refused["data"]["joinCommunity"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("for alumni"),
        "{refused}"
    );
}

/// A graduate of a MINI camp who joined as "はなこ", showing their name and activities to
/// the public, and reported a patch; returns the app, their token, profile and activity.
async fn member_with_a_report() -> (TestApp, String, Value, Value) {
    let app = TestApp::spawn().await;
    let (member, profile) = alumnus_who_joined(
        &app,
        "member",
        "MINI",
        "はなこ",
        json!({ "visibility": [{ "field": "DISPLAY_NAME", "visibility": "PUBLIC" },
                               { "field": "ACTIVITIES", "visibility": "PUBLIC" }] }),
    )
    .await;
    let activity = report(&app, &member, "OSS にパッチ").await;
    (app, member, profile, activity)
}

/// Features `activity` as camp staff; returns the response.
async fn feature(app: &TestApp, activity: &Value) -> Value {
    app.gql(
        Some(&app.token(Role::CampStaff)),
        r#"mutation($id: ID!) { featureAlumniActivity(input: { activityId: $id }) {
             activity { featured } userErrors { message } } }"#,
        json!({ "id": activity["id"] }),
    )
    .await
}

/// [`member_with_a_report`], the report featured, and the member gone; returns the app,
/// the member's token and profile.
async fn member_who_left() -> (TestApp, String, Value) {
    let (app, member, profile, activity) = member_with_a_report().await;
    feature(&app, &activity).await;
    let left = app
        .gql(
            Some(&member),
            r#"mutation($v: Int!) { leaveCommunity(input: { expectedVersion: $v }) { left userErrors { message } } }"#,
            json!({ "v": profile["version"] }),
        )
        .await;
    assert_eq!(left["data"]["leaveCommunity"]["left"], true, "{left}");
    (app, member, profile)
}

#[tokio::test]
async fn an_alumnus_joins_only_once() {
    let (app, member, _, _) = member_with_a_report().await;
    let twice = app
        .gql(
            Some(&member),
            JOIN,
            json!({ "input": { "displayName": "y" } }),
        )
        .await;
    assert_eq!(
        twice["data"]["joinCommunity"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

#[tokio::test]
async fn an_activity_featured_by_staff_is_in_the_public_spotlight() {
    let (app, _, _, activity) = member_with_a_report().await;
    let featured = feature(&app, &activity).await;
    assert_eq!(
        featured["data"]["featureAlumniActivity"]["activity"]["featured"],
        true
    );
    let spotlight = "{ alumniActivities(filter: { featured: true }) { nodes { title member { displayName } } } }";
    assert_eq!(
        app.gql(None, spotlight, json!({})).await["data"]["alumniActivities"]["nodes"],
        json!([{ "title": "OSS にパッチ", "member": { "displayName": "はなこ" } }])
    );
}

#[tokio::test]
async fn members_who_leave_are_never_listed() {
    let (app, member, profile) = member_who_left().await;
    let staff = app.token(Role::CampStaff);
    for token in [None, Some(staff.as_str()), Some(member.as_str())] {
        let listed = app
            .gql(
                token,
                "{ alumni { totalCount } alumniActivities { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(listed["data"]["alumni"]["totalCount"], 0, "{listed}");
        assert_eq!(listed["data"]["alumniActivities"]["totalCount"], 0);
        assert_eq!(seen(&app, token, &profile["id"]).await, Value::Null);
    }
}

#[tokio::test]
async fn a_member_who_left_reports_no_activity() {
    let (app, member, _) = member_who_left().await;
    let again = app
        .gql(
            Some(&member),
            r#"mutation { reportAlumniActivity(input: { occurredOn: "2026-10-02", kind: CTF, title: "x" }) {
                 activity { id } userErrors { message } } }"#,
            json!({}),
        )
        .await;
    assert!(
        again["data"]["reportAlumniActivity"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a member"),
        "{again}"
    );
}

#[tokio::test]
async fn a_member_who_left_and_joins_again_is_listed_again() {
    let (app, member, _) = member_who_left().await;
    join(
        &app,
        &member,
        "はなこ2",
        json!({ "visibility": [{ "field": "DISPLAY_NAME", "visibility": "PUBLIC" }] }),
    )
    .await;
    assert_eq!(
        app.gql(None, "{ alumni { nodes { displayName } } }", json!({}))
            .await["data"]["alumni"]["nodes"],
        json!([{ "displayName": "はなこ2" }])
    );
}

#[tokio::test]
async fn an_event_with_no_title_a_past_start_an_end_before_it_and_no_place_is_refused() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::CampStaff);
    let bad = app
        .gql(
            Some(&staff),
            EVENT,
            json!({ "input": { "title": "", "startsAt": (Utc::now() - Duration::hours(1)).to_rfc3339(),
                    "endsAt": (Utc::now() - Duration::hours(2)).to_rfc3339(), "capacity": 0 } }),
        )
        .await;
    assert_eq!(
        bad["data"]["createCommunityEvent"]["userErrors"]
            .as_array()
            .unwrap()
            .len(),
        5,
        "{bad}"
    );
}

#[tokio::test]
async fn an_event_fills_up_and_keeps_a_waitlist_of_members_only() {
    let app = TestApp::spawn().await;
    let ([a, b, c], _, id) = members_and_an_event(&app).await;
    let status = rsvp_status;
    let going = app.gql(Some(&a), RSVP, json!({ "id": id })).await;
    assert_eq!(status(&going), "GOING");
    // The payload carries the event as it now stands, for the client's cache.
    assert_eq!(
        going["data"]["rsvpCommunityEvent"]["event"]["placesLeft"], 0,
        "{going}"
    );
    assert_eq!(
        status(&app.gql(Some(&b), RSVP, json!({ "id": id })).await),
        "WAITLISTED"
    );
    let again = app.gql(Some(&b), RSVP, json!({ "id": id })).await;
    assert_eq!(
        again["data"]["rsvpCommunityEvent"]["userErrors"][0]["code"],
        "CONFLICT"
    );
    let not_member = app.gql(Some(&c), RSVP, json!({ "id": id })).await;
    assert!(
        not_member["data"]["rsvpCommunityEvent"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("join the community"),
        "{not_member}"
    );
}

#[tokio::test]
async fn a_cancelled_place_goes_to_the_first_in_line_and_each_caller_sees_what_they_may() {
    let app = TestApp::spawn().await;
    let ([a, b, _], staff, id) = members_and_an_event(&app).await;
    a_going_b_waiting(&app, &a, &b, &id).await;
    let status = rsvp_status;

    // A cancels: B, first in line, takes the place; A answering again waits.
    let cancelled = app.gql(Some(&a), CANCEL, json!({ "id": id })).await;
    assert_eq!(
        cancelled["data"]["cancelEventRsvp"]["rsvp"]["status"],
        "CANCELLED"
    );
    assert_eq!(
        status(&app.gql(Some(&a), RSVP, json!({ "id": id })).await),
        "WAITLISTED"
    );
    let rsvps =
        "query($id: ID!) { node(id: $id) { ... on CommunityEvent { placesLeft myRsvp { status }
        rsvps { status person { name } } } } }";
    let seen_by_b = app.gql(Some(&b), rsvps, json!({ "id": id })).await;
    assert_eq!(
        seen_by_b["data"]["node"],
        json!({ "placesLeft": 0, "myRsvp": { "status": "GOING" },
                "rsvps": [{ "status": "GOING", "person": { "name": "情報 花子" } }] }),
        "{seen_by_b}"
    );
    let seen_by_staff = app.gql(Some(&staff), rsvps, json!({ "id": id })).await;
    let statuses: Vec<&Value> = seen_by_staff["data"]["node"]["rsvps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("GOING"), &json!("WAITLISTED")],
        "{seen_by_staff}"
    );
    let anonymous = app.gql(None, rsvps, json!({ "id": id })).await;
    assert_eq!(anonymous["data"]["node"]["rsvps"], json!([]));
}

#[tokio::test]
async fn attendance_is_recorded_for_those_who_held_a_place_once_the_event_started() {
    let app = TestApp::spawn().await;
    let ([a, b, _], staff, id) = members_and_an_event(&app).await;
    a_going_b_waiting(&app, &a, &b, &id).await;

    // Attendance is for people who held a place, once the event has started.
    let person_ids = app
        .gql(
            Some(&staff),
            "query($id: ID!) { node(id: $id) { ... on CommunityEvent { rsvps { status person { id } } } } }",
            json!({ "id": id }),
        )
        .await;
    let ids: Vec<Value> = person_ids["data"]["node"]["rsvps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["person"]["id"].clone())
        .collect();
    let attendance = r#"mutation($input: RecordEventAttendanceInput!) { recordEventAttendance(input: $input) {
      rsvps { attended } userErrors { field message } } }"#;
    let early = app
        .gql(
            Some(&staff),
            attendance,
            json!({ "input": { "eventId": id, "personIds": [ids[0]] } }),
        )
        .await;
    assert!(
        early["data"]["recordEventAttendance"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("has started"),
        "{early}"
    );
    community_event::Entity::update_many()
        .col_expr(
            community_event::Column::StartsAt,
            Expr::value(Utc::now() - Duration::hours(1)),
        )
        .filter(community_event::Column::Title.eq("もくもく会"))
        .exec(&app.db)
        .await
        .unwrap();
    let waitlisted = app
        .gql(
            Some(&staff),
            attendance,
            json!({ "input": { "eventId": id, "personIds": [ids[0], ids[1]] } }),
        )
        .await;
    assert_eq!(
        waitlisted["data"]["recordEventAttendance"]["userErrors"][0]["field"],
        json!(["input", "personIds", "1"]),
        "{waitlisted}"
    );
    let recorded = app
        .gql(
            Some(&staff),
            attendance,
            json!({ "input": { "eventId": id, "personIds": [ids[0]] } }),
        )
        .await;
    assert_eq!(
        recorded["data"]["recordEventAttendance"]["rsvps"],
        json!([{ "attended": true }]),
        "{recorded}"
    );
    let figures = app
        .gql(
            Some(&app.token(Role::Analyst)),
            "{ campFigures(baselineFiscalYear: 2024) { eventsHeld eventAttendances communityMembers alumni } }",
            json!({}),
        )
        .await;
    assert_eq!(
        figures["data"]["campFigures"],
        json!({ "eventsHeld": 1, "eventAttendances": 1, "communityMembers": 2, "alumni": 3 })
    );
}

#[tokio::test]
async fn figures_count_graduates_per_year_and_program_against_twice_the_baseline() {
    let app = TestApp::spawn().await;
    let tokens: Vec<String> = (0..3).map(|i| app.person_token(&format!("g{i}"))).collect();
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let national = graduate(&app, &refs, "NATIONAL").await;
    graduate(&app, &refs[..1], "MINI").await;
    let year = national["fiscalYear"].as_i64().unwrap();
    let query = "query($y: Int!, $p: [CampProgramKind!]) { campFigures(baselineFiscalYear: $y, programs: $p) {
        graduates { fiscalYear program graduates } baselineGraduates targetGraduates
        years { fiscalYear graduates shareOfTarget } alumni } }";
    let all = app
        .gql(
            Some(&app.token(Role::CampStaff)),
            query,
            json!({ "y": year }),
        )
        .await;
    assert_eq!(
        all["data"]["campFigures"],
        json!({
            "graduates": [
                { "fiscalYear": year, "program": "NATIONAL", "graduates": 3 },
                { "fiscalYear": year, "program": "MINI", "graduates": 1 }
            ],
            "baselineGraduates": 4, "targetGraduates": 8,
            "years": [{ "fiscalYear": year, "graduates": 4, "shareOfTarget": 0.5 }],
            "alumni": 3
        }),
        "{all}"
    );
    let national_only = app
        .gql(
            Some(&app.token(Role::Analyst)),
            query,
            json!({ "y": year, "p": ["NATIONAL"] }),
        )
        .await;
    assert_eq!(national_only["data"]["campFigures"]["targetGraduates"], 6);
    let earlier = app
        .gql(
            Some(&app.token(Role::Analyst)),
            query,
            json!({ "y": year - 1 }),
        )
        .await;
    assert_eq!(earlier["data"]["campFigures"]["targetGraduates"], 0);
}

#[tokio::test]
async fn events_are_listed_soonest_first_across_pages() {
    let app = TestApp::spawn().await;
    for days in [9, 3, 6] {
        let start = Utc::now() + Duration::days(days);
        online_event(&app, &format!("in {days} days"), start, 2, 10).await;
    }
    let page = "query($after: String) { communityEvents(first: 2, after: $after) {
        totalCount nodes { title } pageInfo { hasNextPage endCursor } } }";
    let first = app.gql(None, page, json!({})).await;
    let list = &first["data"]["communityEvents"];
    assert_eq!(list["totalCount"], 3);
    assert_eq!(
        list["nodes"],
        json!([{ "title": "in 3 days" }, { "title": "in 6 days" }])
    );
    let second = app
        .gql(
            None,
            page,
            json!({ "after": list["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(
        second["data"]["communityEvents"]["nodes"],
        json!([{ "title": "in 9 days" }]),
        "{second}"
    );
    assert_eq!(
        second["data"]["communityEvents"]["pageInfo"]["hasNextPage"],
        false
    );
}

#[tokio::test]
async fn a_directory_page_costs_the_same_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    let tokens: Vec<String> = (0..20)
        .map(|i| app.person_token(&format!("m{i}")))
        .collect();
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    graduate(&app, &refs, "NATIONAL").await;
    graduate(&app, &refs[..10], "MINI").await;
    let public = every_field("PUBLIC");
    for (i, token) in refs.iter().enumerate() {
        join(
            &app,
            token,
            &format!("m{i}"),
            json!({ "visibility": public }),
        )
        .await;
        if i % 2 == 0 {
            report(&app, token, "CTF 入賞").await;
        }
    }
    let query = format!(
        "query($first: Int!) {{ alumni(first: $first) {{ totalCount nodes {{ id {} cohorts {{ program {{ kind }} }} }} }} }}",
        profile_selection()
    );
    let (path, sizes) = ("/data/alumni/nodes", &[5, 20]);
    let anonymous = app.assert_constant_cost(None, &query, path, sizes).await;
    let member = app
        .assert_constant_cost(Some(refs[0]), &query, path, sizes)
        .await;
    // Page, total, people, completed cohorts, cohorts, programs, activities; a member
    // adds the two statements that rank them, for the page and again for the total.
    assert!(
        anonymous <= 7,
        "an anonymous page costs {anonymous} statements"
    );
    assert!(member <= 11, "a member's page costs {member} statements");
    for token in [None, Some(refs[0])] {
        let page = app.gql(token, &query, json!({ "first": 5 })).await;
        let first = &page["data"]["alumni"]["nodes"][0];
        assert_eq!(first["cohorts"].as_array().unwrap().len(), 2, "{page}");
        assert_eq!(first["activities"][0]["title"], "CTF 入賞", "{page}");
    }
}
