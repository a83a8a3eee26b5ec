//! Matching: ranked candidates, the match state machine from proposal to rated completion,
//! refused transitions, capacity under concurrent accepts, the expiry sweep, who sees what.

use chrono::{Days, NaiveDate};
use entities::{active_list_entry, consultation_request, matching};
use kakehashi::domain::{
    Role, calendar::japan_today, holidays::add_business_days, registry::types::SpecialistStatus,
};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::support::{
    Operation, TestApp, assert_authorization, error_code,
    factories::{
        active_list::{REVIEW, entry},
        matching::{
            act, company_input, company_with_request, file_request, number, organization, propose,
            proposed, register_company, specialist_with_entry,
        },
        register_on, set_status,
    },
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const CANDIDATES: &str = r#"query($id: ID!) { matchCandidates(requestId: $id, first: 10) {
  score parts { themeCoverage regionFit industryFit capacityLeft responsiveness pastRatings }
  matchedThemes { code } entry { id specialist { registrationNumber } } } }"#;

async fn request_status(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .gql(
            Some(token),
            r#"query($id: ID!) { node(id: $id) { ... on ConsultationRequest { status } } }"#,
            json!({ "id": id }),
        )
        .await;
    r["data"]["node"]["status"].clone()
}

#[tokio::test]
async fn candidates_are_ranked_with_their_reasons_and_deterministically() {
    let app = TestApp::spawn().await;
    let (token, request) =
        company_with_request(&app, 1, &["BASIC_POLICY", "SECURITY_ACTION_1"]).await;
    // Both themes, Tokyo, manufacturing.
    let best = specialist_with_entry(
        &app,
        "000001",
        entry(&["BASIC_POLICY", "SECURITY_ACTION_1"]),
    )
    .await;
    // One theme, Tokyo.
    let half =
        specialist_with_entry(&app, "000002", entry(&["BASIC_POLICY", "LOG_MONITORING"])).await;
    // Both themes, but only Osaka and not manufacturing.
    let mut far = entry(&["BASIC_POLICY", "SECURITY_ACTION_1"]);
    far["prefectures"] = json!(["27"]);
    far["industries"] = json!([]);
    let far = specialist_with_entry(&app, "000003", far).await;
    // No theme in common: not a candidate. English only: not a candidate.
    specialist_with_entry(&app, "000004", entry(&["LOG_MONITORING"])).await;
    let mut english = entry(&["BASIC_POLICY"]);
    english["languages"] = json!(["en"]);
    specialist_with_entry(&app, "000005", english).await;

    let first = app
        .gql(Some(&token), CANDIDATES, json!({ "id": request }))
        .await;
    assert!(first["errors"].is_null(), "{first}");
    let ranked = first["data"]["matchCandidates"].as_array().unwrap();
    let order: Vec<&str> = ranked
        .iter()
        .map(|c| c["entry"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [best.as_str(), half.as_str(), far.as_str()],
        "{first}"
    );
    assert_eq!(
        ranked[0]["parts"],
        json!({ "themeCoverage": 1.0, "regionFit": 1.0, "industryFit": 1.0,
                "capacityLeft": 1.0, "responsiveness": 0.5, "pastRatings": 0.5 })
    );
    assert_eq!(ranked[0]["score"], 90.0);
    assert_eq!(ranked[1]["parts"]["themeCoverage"], 0.5);
    assert_eq!(
        ranked[1]["matchedThemes"],
        json!([{ "code": "BASIC_POLICY" }])
    );
    assert_eq!(ranked[2]["parts"]["regionFit"], 0.0);
    // The same data, the same answer (what is left of the caller's budget moves on).
    let again = app
        .gql(Some(&token), CANDIDATES, json!({ "id": request }))
        .await;
    assert_eq!(first["data"], again["data"]);
    assert_eq!(first["errors"], again["errors"]);

    // Only those acting for the request see candidates.
    let other = app.company_token(&number(99));
    let refused = app
        .gql(Some(&other), CANDIDATES, json!({ "id": request }))
        .await;
    assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
    for token in [app.specialist_token("000001"), app.token(Role::Analyst)] {
        let refused = app
            .gql(Some(&token), CANDIDATES, json!({ "id": request }))
            .await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    }
    let anonymous = app.gql(None, CANDIDATES, json!({ "id": request })).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
}

/// An engagement is recorded as it happened: started on the day given, not before the
/// proposal was accepted and not in the future.
#[tokio::test]
async fn an_engagement_starts_on_the_day_it_started() {
    let app = TestApp::on_calendar(chrono::Utc::now()).await;
    let accepted_on = app.today();
    let (company, request) = company_with_request(&app, 2, &["BASIC_POLICY"]).await;
    let entry_id = specialist_with_entry(&app, "000011", entry(&["BASIC_POLICY"])).await;
    let proposed = propose(&app, &company, &request, &entry_id).await;
    let m = proposed["match"].clone();
    let accepted = act(
        &app,
        &app.specialist_token("000011"),
        "acceptMatch",
        &m["id"],
        1,
    )
    .await;
    assert_eq!(accepted["match"]["status"], "ACCEPTED", "{accepted}");

    // Three days on, the company records that the engagement started the day after.
    app.travel_to(accepted_on + Days::new(3));
    const START: &str = r#"mutation($input: StartEngagementInput!) { startEngagement(input: $input) {
        match { status startedOn } userErrors { field message } } }"#;
    let start = |on: chrono::NaiveDate| json!({ "input": { "matchId": m["id"], "expectedVersion": 2, "startedOn": on.to_string() } });
    for wrong in [accepted_on - Days::new(1), accepted_on + Days::new(4)] {
        let refused = app.gql(Some(&company), START, start(wrong)).await;
        assert_eq!(
            refused["data"]["startEngagement"]["userErrors"][0]["field"],
            json!(["input", "startedOn"]),
            "{refused}"
        );
    }
    let started = app
        .gql(Some(&company), START, start(accepted_on + Days::new(1)))
        .await;
    assert_eq!(
        started["data"]["startEngagement"]["match"],
        json!({ "status": "ACTIVE", "startedOn": (accepted_on + Days::new(1)).to_string() }),
        "{started}"
    );
}

/// A request (company 2, BASIC_POLICY) with two specialists proposed for it, 000011 first;
/// its methods move the first proposal on as its parties do.
struct Journey {
    app: TestApp,
    company: String,
    request: String,
    /// The token of 000011.
    specialist: String,
    /// The proposal to 000011, as `proposeMatch` answered.
    m: Value,
    /// The proposal to 000012.
    second: Value,
}

impl Journey {
    async fn proposed() -> Self {
        let app = TestApp::spawn().await;
        let (company, request) = company_with_request(&app, 2, &["BASIC_POLICY"]).await;
        let chosen = specialist_with_entry(&app, "000011", entry(&["BASIC_POLICY"])).await;
        let other = specialist_with_entry(&app, "000012", entry(&["BASIC_POLICY"])).await;
        let specialist = app.specialist_token("000011");
        let proposed = propose(&app, &company, &request, &chosen).await;
        assert_eq!(proposed["userErrors"], json!([]), "{proposed}");
        let second = propose(&app, &company, &request, &other).await["match"].clone();
        Self {
            m: proposed["match"].clone(),
            app,
            company,
            request,
            specialist,
            second,
        }
    }

    async fn accept(&self) -> Value {
        act(&self.app, &self.specialist, "acceptMatch", &self.m["id"], 1).await
    }

    async fn start(&self) -> Value {
        act(
            &self.app,
            &self.company,
            "startEngagement",
            &self.m["id"],
            2,
        )
        .await
    }

    /// Logs a session held on `held_on` as the specialist; returns the payload.
    async fn log(&self, held_on: NaiveDate, hours: f64, topic: &str) -> Value {
        let log = r#"mutation($input: LogSessionInput!) { logSession(input: $input) {
          session { hours topic } match { totalHours } userErrors { field code } } }"#;
        self.app
            .gql(
                Some(&self.specialist),
                log,
                json!({ "input": { "matchId": self.m["id"], "heldOn": held_on.to_string(),
                        "hours": hours, "topic": topic, "notes": "訪問" } }),
            )
            .await["data"]["logSession"]
            .clone()
    }

    /// Logs the two sessions of the engagement: 2 hours on risks, 1.5 on the basic policy.
    async fn log_both_sessions(&self) -> Vec<Value> {
        let mut logged = Vec::new();
        for (topic, hours) in [("RISKS", 2.0), ("BASIC_POLICY", 1.5)] {
            logged.push(self.log(japan_today(), hours, topic).await);
        }
        logged
    }

    async fn complete(&self) -> Value {
        let complete = r#"mutation($input: CompleteMatchInput!) { completeMatch(input: $input) {
          match { status totalHours measures guideStepAfter specialistRating version
                  sessions { topic } }
          userErrors { field code } } }"#;
        self.app
            .gql(
                Some(&self.specialist),
                complete,
                json!({ "input": { "matchId": self.m["id"], "expectedVersion": 3,
                        "measures": ["基本方針を策定", "5か条を周知"], "guideStepAfter": 2,
                        "rating": 5, "comment": "熱心な会社でした" } }),
            )
            .await["data"]["completeMatch"]
            .clone()
    }

    /// Accepts, starts, logs both sessions and completes; returns the completion's payload.
    async fn completed() -> Self {
        let journey = Self::proposed().await;
        journey.accept().await;
        journey.start().await;
        journey.log_both_sessions().await;
        let done = journey.complete().await;
        assert_eq!(done["userErrors"], json!([]), "{done}");
        journey
    }

    async fn rate(&self, version: i64, rating: i64, comment: Option<&str>) -> Value {
        let rate = r#"mutation($input: RateMatchInput!) { rateMatch(input: $input) {
          match { companyRating companyComment version } userErrors { field code } } }"#;
        let mut input =
            json!({ "matchId": self.m["id"], "expectedVersion": version, "rating": rating });
        if let Some(comment) = comment {
            input["comment"] = json!(comment);
        }
        self.app
            .gql(Some(&self.company), rate, json!({ "input": input }))
            .await["data"]["rateMatch"]
            .clone()
    }

    async fn request_status(&self) -> Value {
        request_status(&self.app, &self.company, &self.request).await
    }
}

#[tokio::test]
async fn a_proposal_waits_five_business_days_for_an_answer_and_carries_its_score() {
    let journey = Journey::proposed().await;
    let m = &journey.m;
    assert_eq!(m["status"], "PROPOSED");
    assert_eq!(
        m["respondBy"],
        json!(add_business_days(japan_today(), 5).to_string())
    );
    assert_eq!(m["scoreParts"]["themeCoverage"], 1.0);
}

/// The request moves with its match: seeking while proposed, matched once accepted, in
/// progress once started, completed with it.
#[tokio::test]
async fn a_request_follows_its_match_from_proposal_to_completion() {
    let journey = Journey::proposed().await;
    assert_eq!(journey.request_status().await, "MATCHING");
    let accepted = journey.accept().await;
    assert_eq!(accepted["match"]["status"], "ACCEPTED", "{accepted}");
    assert_eq!(journey.request_status().await, "MATCHED");
    let started = journey.start().await;
    assert_eq!(started["match"]["status"], "ACTIVE", "{started}");
    assert_eq!(journey.request_status().await, "IN_PROGRESS");
    journey.log_both_sessions().await;
    let done = journey.complete().await;
    assert_eq!(done["match"]["status"], "COMPLETED", "{done}");
    assert_eq!(journey.request_status().await, "COMPLETED");
}

/// The specialist sees the request and the company, its contact details only once they
/// accept.
#[tokio::test]
async fn the_specialist_sees_the_companys_contact_once_they_accept() {
    let journey = Journey::proposed().await;
    let (app, specialist) = (&journey.app, &journey.specialist);
    let seen = r#"{ matches { nodes { status request { description
        company { name contact { email } } } } } }"#;
    let before = app.gql(Some(specialist), seen, json!({})).await;
    let node = &before["data"]["matches"]["nodes"][0];
    assert_eq!(
        node["request"]["company"]["name"],
        company_input(&number(2))["name"],
        "{before}"
    );
    assert_eq!(node["request"]["company"]["contact"], Value::Null);
    journey.accept().await;
    let after = app.gql(Some(specialist), seen, json!({})).await;
    assert_eq!(
        after["data"]["matches"]["nodes"][0]["request"]["company"]["contact"]["email"],
        company_input(&number(2))["contactEmail"]
    );
}

#[tokio::test]
async fn the_first_accept_wins_and_cancels_the_other_proposals() {
    let journey = Journey::proposed().await;
    let accepted = journey.accept().await;
    assert_eq!(accepted["match"]["status"], "ACCEPTED", "{accepted}");
    let status = r#"query($id: ID!) { node(id: $id) { ... on Match { status cancelReason } } }"#;
    let loser = journey
        .app
        .gql(
            Some(&journey.company),
            status,
            json!({ "id": journey.second["id"] }),
        )
        .await;
    assert_eq!(loser["data"]["node"]["status"], "CANCELLED");
}

/// Each session logged adds its hours, and the payload carries the match with its new
/// total, for the client's cache.
#[tokio::test]
async fn logged_sessions_add_up_on_the_match() {
    let journey = Journey::proposed().await;
    journey.accept().await;
    journey.start().await;
    let logged = journey.log_both_sessions().await;
    for (payload, total) in logged.iter().zip([2.0, 3.5]) {
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
        assert_eq!(payload["match"]["totalHours"], total);
    }
}

#[tokio::test]
async fn a_session_in_the_future_is_refused() {
    let journey = Journey::proposed().await;
    journey.accept().await;
    journey.start().await;
    let tomorrow = japan_today().checked_add_days(Days::new(1)).unwrap();
    let future = journey.log(tomorrow, 1.0, "REVIEW").await;
    assert_eq!(future["userErrors"][0]["field"], json!(["input", "heldOn"]));
}

/// Completing records the hours, the sessions, the measures taken and the rating, and moves
/// the company to the step the specialist gave.
#[tokio::test]
async fn completion_records_the_outcome_and_the_companys_new_step() {
    let journey = Journey::proposed().await;
    journey.accept().await;
    journey.start().await;
    journey.log_both_sessions().await;
    let done = journey.complete().await;
    assert_eq!(done["userErrors"], json!([]), "{done}");
    assert_eq!(done["match"]["status"], "COMPLETED");
    assert_eq!(done["match"]["totalHours"], 3.5);
    assert_eq!(
        done["match"]["sessions"],
        json!([{ "topic": "RISKS" }, { "topic": "BASIC_POLICY" }])
    );
    assert_eq!(done["match"]["specialistRating"], 5);
    let step = journey
        .app
        .gql(
            Some(&journey.company),
            "{ myCompany { guideStep } }",
            json!({}),
        )
        .await;
    assert_eq!(step["data"]["myCompany"]["guideStep"], 2);
}

#[tokio::test]
async fn completion_gives_the_specialists_place_back() {
    let journey = Journey::completed().await;
    let entry_row = active_list_entry::Entity::find()
        .all(&journey.app.db)
        .await
        .unwrap();
    assert!(
        entry_row.iter().all(|e| e.active_matches == 0),
        "places given back"
    );
}

#[tokio::test]
async fn the_company_rates_a_completed_match_once() {
    let journey = Journey::completed().await;
    let rated = journey.rate(4, 4, Some("分かりやすかった")).await;
    assert_eq!(rated["match"]["companyRating"], 4, "{rated}");
    let twice = journey.rate(5, 1, None).await;
    assert_eq!(twice["userErrors"][0]["code"], "INVALID");
}

/// A request (company 3) with a proposal to 000021, and a stranger (000022) registered
/// without an entry.
struct Proposal {
    app: TestApp,
    company: String,
    request: String,
    entry_id: String,
    /// The token of 000021.
    specialist: String,
    /// The token of 000022.
    stranger: String,
    m: Value,
}

impl Proposal {
    async fn made() -> Self {
        let app = TestApp::spawn().await;
        let (company, request) = company_with_request(&app, 3, &["BASIC_POLICY"]).await;
        let entry_id = specialist_with_entry(&app, "000021", entry(&["BASIC_POLICY"])).await;
        let specialist = app.specialist_token("000021");
        register_on(&app, "000022", d(2026, 4, 1)).await;
        let stranger = app.specialist_token("000022");
        let m = propose(&app, &company, &request, &entry_id).await["match"].clone();
        Self {
            app,
            company,
            request,
            entry_id,
            specialist,
            stranger,
            m,
        }
    }

    /// Every move refused while the match is proposed, in turn: the same specialist
    /// proposed again, the engagement started, the proposal accepted by the company, by
    /// another specialist and with a stale version.
    async fn refused_moves(&self) -> RefusedMoves {
        let (app, company, m) = (&self.app, &self.company, &self.m);
        let again = propose(app, company, &self.request, &self.entry_id).await;
        let start = act(app, company, "startEngagement", &m["id"], 1).await;
        let query = r#"mutation($input: AcceptMatchInput!) { acceptMatch(input: $input) {
            match { status } userErrors { code } } }"#;
        let by_company = app
            .gql(
                Some(company),
                query,
                json!({ "input": { "matchId": m["id"], "expectedVersion": 1 } }),
            )
            .await;
        let by_stranger = act(app, &self.stranger, "acceptMatch", &m["id"], 1).await;
        let stale = act(app, &self.specialist, "acceptMatch", &m["id"], 7).await;
        RefusedMoves {
            again,
            start,
            by_company,
            by_stranger,
            stale,
        }
    }

    async fn accept(&self) -> Value {
        act(&self.app, &self.specialist, "acceptMatch", &self.m["id"], 1).await
    }

    /// The number of matches each entry holds.
    async fn places_held(&self) -> Vec<i16> {
        active_list_entry::Entity::find()
            .all(&self.app.db)
            .await
            .unwrap()
            .iter()
            .map(|e| e.active_matches)
            .collect()
    }
}

/// The answers to [`Proposal::refused_moves`].
struct RefusedMoves {
    again: Value,
    start: Value,
    by_company: Value,
    by_stranger: Value,
    stale: Value,
}

#[tokio::test]
async fn proposing_the_same_specialist_again_is_a_conflict() {
    let again = Proposal::made().await.refused_moves().await.again;
    assert_eq!(again["userErrors"][0]["code"], "CONFLICT", "{again}");
}

#[tokio::test]
async fn nothing_runs_before_the_proposal_is_accepted() {
    let start = Proposal::made().await.refused_moves().await.start;
    assert_eq!(
        start["userErrors"][0]["code"], "INVALID",
        "startEngagement: {start}"
    );
}

/// The company cannot answer for the specialist; another specialist does not see the
/// proposal.
#[tokio::test]
async fn only_the_specialist_proposed_answers_a_proposal() {
    let moves = Proposal::made().await.refused_moves().await;
    assert_eq!(error_code(&moves.by_company), "FORBIDDEN");
    assert_eq!(moves.by_stranger["userErrors"][0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn an_answer_with_a_stale_version_is_a_conflict() {
    let stale = Proposal::made().await.refused_moves().await.stale;
    assert_eq!(stale["userErrors"][0]["code"], "CONFLICT", "{stale}");
}

#[tokio::test]
async fn refused_transitions_change_nothing() {
    let proposal = Proposal::made().await;
    proposal.refused_moves().await;
    let unchanged = matching::Entity::find()
        .all(&proposal.app.db)
        .await
        .unwrap();
    assert_eq!(
        unchanged[0].status,
        entities::enums::matching::MatchStatus::Proposed
    );
    assert_eq!(
        proposal.places_held().await[0],
        0,
        "the refused accept gave its place back with its transaction"
    );
}

/// Accepted: the match cannot be accepted, declined or completed; declining needs a
/// proposal.
#[tokio::test]
async fn an_accepted_match_is_not_accepted_declined_or_completed() {
    let proposal = Proposal::made().await;
    let (app, specialist, m) = (&proposal.app, &proposal.specialist, &proposal.m);
    proposal.accept().await;
    for action in ["acceptMatch", "declineMatch"] {
        let r = act(app, specialist, action, &m["id"], 2).await;
        assert_eq!(r["userErrors"][0]["code"], "INVALID", "{action}: {r}");
    }
    let complete = app
        .gql(
            Some(specialist),
            r#"mutation($input: CompleteMatchInput!) { completeMatch(input: $input) {
                userErrors { code } } }"#,
            json!({ "input": { "matchId": m["id"], "expectedVersion": 2, "rating": 3 } }),
        )
        .await;
    assert_eq!(
        complete["data"]["completeMatch"]["userErrors"][0]["code"],
        "INVALID"
    );
}

#[tokio::test]
async fn a_matched_request_is_not_cancelled_only_its_match() {
    let proposal = Proposal::made().await;
    proposal.accept().await;
    let cancel_request = proposal
        .app
        .gql(
            Some(&proposal.company),
            r#"mutation($id: ID!) { cancelConsultationRequest(input: { id: $id, expectedVersion: 3 }) {
                userErrors { code } } }"#,
            json!({ "id": proposal.request }),
        )
        .await;
    assert_eq!(
        cancel_request["data"]["cancelConsultationRequest"]["userErrors"][0]["code"], "INVALID",
        "{cancel_request}"
    );
}

/// [`Proposal::made`], accepted, then cancelled by the company; returns it.
async fn accepted_then_cancelled() -> (Proposal, Value) {
    let proposal = Proposal::made().await;
    proposal.accept().await;
    let cancelled = act(
        &proposal.app,
        &proposal.company,
        "cancelMatch",
        &proposal.m["id"],
        2,
    )
    .await;
    (proposal, cancelled)
}

#[tokio::test]
async fn cancelling_an_accepted_match_gives_the_place_back_and_the_request_seeks_again() {
    let (proposal, cancelled) = accepted_then_cancelled().await;
    assert_eq!(cancelled["match"]["status"], "CANCELLED", "{cancelled}");
    assert_eq!(
        request_status(&proposal.app, &proposal.company, &proposal.request).await,
        "MATCHING"
    );
    assert_eq!(proposal.places_held().await[0], 0);
}

#[tokio::test]
async fn a_paused_entry_receives_no_proposals() {
    let (proposal, _) = accepted_then_cancelled().await;
    let app = &proposal.app;
    let pause = app
        .gql(
            Some(&proposal.specialist),
            r#"mutation { setMyActiveListAvailability(input: { paused: true }) {
                userErrors { code } } }"#,
            json!({}),
        )
        .await;
    assert!(pause["errors"].is_null(), "{pause}");
    let paused = propose(
        app,
        &proposal.company,
        &proposal.request,
        &proposal.entry_id,
    )
    .await;
    assert_eq!(
        paused["userErrors"][0]["field"],
        json!(["input", "entryId"]),
        "{paused}"
    );
}

#[tokio::test]
async fn a_specialist_never_holds_more_matches_than_their_capacity() {
    let app = TestApp::spawn().await;
    let mut input = entry(&["BASIC_POLICY"]);
    input["capacity"] = json!(2);
    let entry_id = specialist_with_entry(&app, "000031", input).await;
    let mut matches = Vec::new();
    for base in 0..6 {
        let (company, request) = company_with_request(&app, 40 + base, &["BASIC_POLICY"]).await;
        let proposed = propose(&app, &company, &request, &entry_id).await;
        matches.push(proposed["match"]["id"].clone());
    }
    // Six accepts at once.
    let specialist = app.specialist_token("000031");
    let results = futures_util::future::join_all(
        matches
            .iter()
            .map(|id| act(&app, &specialist, "acceptMatch", id, 1)),
    )
    .await;
    let accepted = results
        .iter()
        .filter(|r| r["match"]["status"] == "ACCEPTED")
        .count();
    let refused: Vec<&Value> = results.iter().filter(|r| r["match"].is_null()).collect();
    assert_eq!(accepted, 2, "{results:?}");
    assert_eq!(refused.len(), 4);
    assert!(
        refused.iter().all(|r| r["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("capacity")),
        "{refused:?}"
    );
    let row = active_list_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(row[0].active_matches, 2);
    let held = matching::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.status == entities::enums::matching::MatchStatus::Accepted)
        .count();
    assert_eq!(held, 2);
}

#[tokio::test]
async fn the_sweep_expires_unanswered_proposals_and_stale_requests_once() {
    let app = TestApp::spawn().await;
    let (company, request) = company_with_request(&app, 60, &["BASIC_POLICY"]).await;
    let entry_id = specialist_with_entry(&app, "000041", entry(&["BASIC_POLICY"])).await;
    propose(&app, &company, &request, &entry_id).await;
    let (_, old_request) = company_with_request(&app, 61, &["BACKUP_AND_RECOVERY"]).await;

    // The window closed yesterday; the other request was opened 91 days ago.
    let yesterday = japan_today().checked_sub_days(Days::new(1)).unwrap();
    let row = matching::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .remove(0);
    let mut changes: matching::ActiveModel = row.into();
    changes.respond_by = Set(yesterday);
    changes.update(&app.db).await.unwrap();
    for row in consultation_request::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        if row.status == entities::enums::matching::RequestStatus::Open {
            let mut changes: consultation_request::ActiveModel = row.into();
            changes.opened_on = Set(japan_today().checked_sub_days(Days::new(91)).unwrap());
            changes.update(&app.db).await.unwrap();
        }
    }

    let staff = app.token(Role::ProgramStaff);
    let sweep = r#"mutation { sweepMatches(input: {}) { expiredProposals expiredRequests
      userErrors { code } } }"#;
    let first = app.gql(Some(&staff), sweep, json!({})).await;
    assert_eq!(
        first["data"]["sweepMatches"],
        json!({ "expiredProposals": 1, "expiredRequests": 1, "userErrors": [] }),
        "{first}"
    );
    let second = app.gql(Some(&staff), sweep, json!({})).await;
    assert_eq!(
        second["data"]["sweepMatches"],
        json!({ "expiredProposals": 0, "expiredRequests": 0, "userErrors": [] })
    );
    assert_eq!(request_status(&app, &company, &request).await, "MATCHING");
    assert_eq!(
        request_status(&app, &app.token(Role::ProgramStaff), &old_request).await,
        "EXPIRED"
    );
    let m = matching::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(m.status, entities::enums::matching::MatchStatus::Expired);
    // An expired proposal can no longer be accepted.
    let late = act(
        &app,
        &app.specialist_token("000041"),
        "acceptMatch",
        &json!(kakehashi_id("Match", m.id)),
        i64::from(m.version),
    )
    .await;
    assert_eq!(late["userErrors"][0]["code"], "INVALID", "{late}");
    // Not for a future date.
    let future = app
        .gql(
            Some(&staff),
            r#"mutation($d: Date) { sweepMatches(input: { asOf: $d }) { userErrors { field } } }"#,
            json!({ "d": japan_today().checked_add_days(Days::new(1)).unwrap().to_string() }),
        )
        .await;
    assert_eq!(
        future["data"]["sweepMatches"]["userErrors"][0]["field"],
        json!(["input", "asOf"])
    );
}

fn kakehashi_id(kind: &str, id: i64) -> String {
    use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

#[tokio::test]
async fn who_may_call_each_match_operation() {
    let app = TestApp::spawn().await;
    let company_side: &[Role] = &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
    ];
    let parties: &[Role] = &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
        Role::Specialist,
    ];
    let m = kakehashi_id("Match", 999);
    let r = kakehashi_id("ConsultationRequest", 999);
    let e = kakehashi_id("ActiveListEntry", 999);
    let action = |name: &str| {
        format!(
            r#"mutation {{ {name}(input: {{ matchId: "{m}", expectedVersion: 1 }}) {{
                userErrors {{ code }} }} }}"#
        )
    };
    let operations: Vec<Operation<'_>> = vec![
        (
            "proposeMatch",
            format!(
                r#"mutation {{ proposeMatch(input: {{ requestId: "{r}", entryId: "{e}" }}) {{
                    userErrors {{ code }} }} }}"#
            ),
            company_side,
        ),
        ("acceptMatch", action("acceptMatch"), &[Role::Specialist]),
        ("declineMatch", action("declineMatch"), &[Role::Specialist]),
        ("cancelMatch", action("cancelMatch"), parties),
        ("startEngagement", action("startEngagement"), parties),
        (
            "logSession",
            format!(
                r#"mutation {{ logSession(input: {{ matchId: "{m}", heldOn: "2026-11-02",
                    hours: 1, topic: RISKS }}) {{ userErrors {{ code }} }} }}"#
            ),
            parties,
        ),
        (
            "completeMatch",
            format!(
                r#"mutation {{ completeMatch(input: {{ matchId: "{m}", expectedVersion: 1,
                    rating: 5 }}) {{ userErrors {{ code }} }} }}"#
            ),
            parties,
        ),
        (
            "rateMatch",
            format!(
                r#"mutation {{ rateMatch(input: {{ matchId: "{m}", expectedVersion: 1,
                    rating: 5 }}) {{ userErrors {{ code }} }} }}"#
            ),
            parties,
        ),
        ("matches", "{ matches { totalCount } }".into(), parties),
        (
            "sweepMatches",
            r#"mutation { sweepMatches(input: {}) { userErrors { code } } }"#.into(),
            &[Role::Admin, Role::ProgramStaff],
        ),
    ];
    assert_authorization(&app, "000001", &operations).await;
}

/// A request (company 70) and two specialists with entries: 000051 with one place, 000052
/// with three.
struct StateMachine {
    app: TestApp,
    company: String,
    request: String,
    /// The entry of 000051, with one place.
    first: String,
    /// The entry of 000052.
    second: String,
    /// The token of 000051.
    one: String,
    /// The token of 000052.
    two: String,
}

impl StateMachine {
    async fn new() -> Self {
        let app = TestApp::spawn().await;
        let (company, request) = company_with_request(&app, 70, &["BASIC_POLICY"]).await;
        let mut small = entry(&["BASIC_POLICY"]);
        small["capacity"] = json!(1);
        let first = specialist_with_entry(&app, "000051", small).await;
        let second = specialist_with_entry(&app, "000052", entry(&["BASIC_POLICY"])).await;
        Self {
            one: app.specialist_token("000051"),
            two: app.specialist_token("000052"),
            app,
            company,
            request,
            first,
            second,
        }
    }

    /// Proposes `entry` for the request, as the company; returns the match.
    async fn propose(&self, entry: &str) -> Value {
        propose(&self.app, &self.company, &self.request, entry).await["match"].clone()
    }

    async fn request_status(&self) -> Value {
        request_status(&self.app, &self.company, &self.request).await
    }
}

/// PROPOSED → DECLINED, with a reason; the request keeps seeking.
#[tokio::test]
async fn a_proposal_is_declined_with_a_reason_and_the_request_keeps_seeking() {
    let machine = StateMachine::new().await;
    let m1 = machine.propose(&machine.first).await;
    let declined = machine
        .app
        .gql(
            Some(&machine.one),
            r#"mutation($input: DeclineMatchInput!) { declineMatch(input: $input) {
                match { status declineReason } userErrors { code } } }"#,
            json!({ "input": { "matchId": m1["id"], "expectedVersion": 1,
                    "reason": "今月は予定が埋まっています" } }),
        )
        .await;
    assert_eq!(
        declined["data"]["declineMatch"]["match"],
        json!({ "status": "DECLINED", "declineReason": "今月は予定が埋まっています" })
    );
    assert_eq!(machine.request_status().await, "MATCHING");
}

/// PROPOSED → CANCELLED by the company.
#[tokio::test]
async fn the_company_cancels_a_proposal() {
    let machine = StateMachine::new().await;
    let m2 = machine.propose(&machine.second).await;
    let cancelled = act(&machine.app, &machine.company, "cancelMatch", &m2["id"], 1).await;
    assert_eq!(cancelled["match"]["status"], "CANCELLED", "{cancelled}");
}

#[tokio::test]
async fn sessions_and_ratings_need_a_running_or_completed_engagement() {
    let machine = StateMachine::new().await;
    let app = &machine.app;
    let m3 = machine.propose(&machine.second).await;
    let log = app
        .gql(
            Some(&machine.two),
            r#"mutation($input: LogSessionInput!) { logSession(input: $input) {
                userErrors { code } } }"#,
            json!({ "input": { "matchId": m3["id"], "heldOn": japan_today().to_string(),
                    "hours": 1.0, "topic": "RISKS" } }),
        )
        .await;
    assert_eq!(
        log["data"]["logSession"]["userErrors"][0]["code"],
        "INVALID"
    );
    let rate = app
        .gql(
            Some(&machine.company),
            r#"mutation($input: RateMatchInput!) { rateMatch(input: $input) {
                userErrors { code } } }"#,
            json!({ "input": { "matchId": m3["id"], "expectedVersion": 1, "rating": 3 } }),
        )
        .await;
    assert_eq!(
        rate["data"]["rateMatch"]["userErrors"][0]["code"],
        "INVALID"
    );
}

/// ACTIVE → CANCELLED gives the place back and the request seeks again.
#[tokio::test]
async fn cancelling_an_active_match_gives_the_place_back_and_the_request_seeks_again() {
    let machine = StateMachine::new().await;
    let (app, two) = (&machine.app, &machine.two);
    let m3 = machine.propose(&machine.second).await;
    act(app, two, "acceptMatch", &m3["id"], 1).await;
    let started = act(app, two, "startEngagement", &m3["id"], 2).await;
    assert_eq!(started["match"]["status"], "ACTIVE");
    let called_off = act(app, two, "cancelMatch", &m3["id"], 3).await;
    assert_eq!(called_off["match"]["status"], "CANCELLED", "{called_off}");
    assert_eq!(machine.request_status().await, "MATCHING");
    assert!(
        active_list_entry::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .all(|e| e.active_matches == 0)
    );
}

#[tokio::test]
async fn a_proposal_whose_window_has_closed_is_not_accepted_even_before_the_sweep() {
    let machine = StateMachine::new().await;
    let app = &machine.app;
    let m4 = machine.propose(&machine.first).await;
    let row = matching::Entity::find_by_id(kakehashi_key(&m4["id"]))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut changes: matching::ActiveModel = row.into();
    changes.respond_by = Set(japan_today().checked_sub_days(Days::new(1)).unwrap());
    changes.update(&app.db).await.unwrap();
    let late = act(app, &machine.one, "acceptMatch", &m4["id"], 1).await;
    assert_eq!(late["userErrors"][0]["code"], "INVALID", "{late}");
}

#[tokio::test]
async fn an_entry_with_no_place_left_receives_no_proposals() {
    let machine = StateMachine::new().await;
    let app = &machine.app;
    let (other_company, other_request) = company_with_request(app, 71, &["BASIC_POLICY"]).await;
    let m5 = propose(app, &other_company, &other_request, &machine.first).await["match"].clone();
    act(app, &machine.one, "acceptMatch", &m5["id"], 1).await;
    let full = propose(app, &machine.company, &machine.request, &machine.first).await;
    assert_eq!(
        full["userErrors"][0]["field"],
        json!(["input", "entryId"]),
        "{full}"
    );
}

#[tokio::test]
async fn a_cancelled_request_takes_no_proposals() {
    let machine = StateMachine::new().await;
    let app = &machine.app;
    let cancel = app
        .gql(
            Some(&machine.company),
            r#"mutation($id: ID!, $v: Int!) { cancelConsultationRequest(input: {
                id: $id, expectedVersion: $v }) { request { status } userErrors { code } } }"#,
            json!({ "id": machine.request, "v": request_version(app, &machine.request).await }),
        )
        .await;
    assert_eq!(
        cancel["data"]["cancelConsultationRequest"]["request"]["status"], "CANCELLED",
        "{cancel}"
    );
    let closed = propose(app, &machine.company, &machine.request, &machine.second).await;
    assert_eq!(
        closed["userErrors"][0]["field"],
        json!(["input", "requestId"]),
        "{closed}"
    );
}

/// The database key of a global ID.
fn kakehashi_key(id: &Value) -> i64 {
    use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.as_str().unwrap()).unwrap()).unwrap();
    text.rsplit(':').next().unwrap().parse().unwrap()
}

async fn request_version(app: &TestApp, id: &str) -> i64 {
    consultation_request::Entity::find_by_id(kakehashi_key(&json!(id)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .version
        .into()
}

#[tokio::test]
async fn organizations_see_and_act_on_their_companies_matches_only() {
    let app = TestApp::spawn().await;
    let org = organization(&app, "NERIMA").await;
    organization(&app, "SETAGAYA").await;
    let nerima = app.org_token("NERIMA");
    let setagaya = app.org_token("SETAGAYA");
    let corporate = number(80);
    let registered = register_company(&app, &nerima, company_input(&corporate)).await;
    let company_id = registered["company"]["id"].clone();
    assert!(company_id.is_string(), "{registered}{org}");
    let filed = file_request(
        &app,
        &nerima,
        company_id.as_str().unwrap(),
        &["BASIC_POLICY"],
    )
    .await;
    let request = filed["request"]["id"].as_str().unwrap().to_owned();
    let entry_id = specialist_with_entry(&app, "000061", entry(&["BASIC_POLICY"])).await;

    let candidates = app
        .gql(Some(&nerima), CANDIDATES, json!({ "id": request }))
        .await;
    assert_eq!(
        candidates["data"]["matchCandidates"][0]["entry"]["id"],
        json!(entry_id),
        "{candidates}"
    );
    let proposed = propose(&app, &nerima, &request, &entry_id).await;
    assert_eq!(proposed["match"]["status"], "PROPOSED", "{proposed}");
    let elsewhere = propose(&app, &setagaya, &request, &entry_id).await;
    assert_eq!(elsewhere["userErrors"][0]["code"], "NOT_FOUND");

    let list = "{ matches { totalCount } }";
    for (token, expected) in [
        (nerima.clone(), 1),
        (setagaya.clone(), 0),
        (app.company_token(&corporate), 1),
        (app.company_token(&number(81)), 0),
        (app.specialist_token("000061"), 1),
        (app.token(Role::ProgramStaff), 1),
    ] {
        let r = app.gql(Some(&token), list, json!({})).await;
        assert_eq!(r["data"]["matches"]["totalCount"], expected, "{r}");
    }
    let cancel = act(&app, &setagaya, "cancelMatch", &proposed["match"]["id"], 1).await;
    assert_eq!(cancel["userErrors"][0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn a_page_of_matches_costs_the_same_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    let mut entries = Vec::new();
    for i in 0..5 {
        let number = format!("{:06}", 100 + i);
        entries.push(specialist_with_entry(&app, &number, entry(&["BASIC_POLICY"])).await);
    }
    for i in 0..25 {
        let (company, request) = company_with_request(&app, 200 + i, &["BASIC_POLICY"]).await;
        propose(&app, &company, &request, &entries[i as usize % 5]).await;
    }
    let query = r#"query($first: Int) { matches(first: $first) { nodes { status score
        scoreParts { themeCoverage } totalHours sessions { hours }
        specialist { registrationNumber }
        request { themes { code } company { name supportOrganization { code } } } } } }"#;
    let cost = app
        .assert_constant_cost(Some(&staff), query, "/data/matches/nodes", &[5, 20])
        .await;
    // The page, sessions, specialists, requests, themes, companies (no organizations here).
    assert!(cost <= 6, "a page costs {cost} statements");
}

/// What an accept refused must leave as it was: the match, the request, the place.
async fn unchanged(app: &TestApp, request: &str, match_id: &Value) {
    let staff = app.token(Role::ProgramStaff);
    let read = app
        .gql(
            Some(&staff),
            "query($id: ID!) { node(id: $id) { ... on Match { status } } }",
            json!({ "id": match_id }),
        )
        .await;
    assert_eq!(read["data"]["node"]["status"], "PROPOSED", "{read}");
    assert_ne!(request_status(app, &staff, request).await, "MATCHED");
    let held: Vec<i16> = active_list_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.active_matches)
        .collect();
    assert!(held.iter().all(|&n| n == 0), "{held:?}");
}

#[tokio::test]
async fn a_specialist_whose_registration_lapsed_after_the_proposal_cannot_accept_it() {
    let app = TestApp::spawn().await;
    let (request, _, specialist, match_id) = proposed(&app, 41, "000041").await;
    set_status(&app.db, specialist, SpecialistStatus::Lapsed, japan_today()).await;
    let refused = act(
        &app,
        &app.specialist_token("000041"),
        "acceptMatch",
        &match_id,
        1,
    )
    .await;
    assert_eq!(refused["userErrors"][0]["code"], "INVALID", "{refused}");
    assert_eq!(
        refused["userErrors"][0]["field"],
        json!(["input", "matchId"]),
        "{refused}"
    );
    unchanged(&app, &request, &match_id).await;
}

#[tokio::test]
async fn a_specialist_whose_entry_was_suspended_after_the_proposal_cannot_accept_it() {
    let app = TestApp::spawn().await;
    let (request, entry_id, _, match_id) = proposed(&app, 42, "000042").await;
    let staff = app.token(Role::ProgramStaff);
    let suspended = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": entry_id, "d": "SUSPEND", "c": "complaint under review" }),
        )
        .await;
    assert_eq!(
        suspended["data"]["reviewActiveListEntry"]["entry"]["status"], "SUSPENDED",
        "{suspended}"
    );
    let refused = act(
        &app,
        &app.specialist_token("000042"),
        "acceptMatch",
        &match_id,
        1,
    )
    .await;
    let message = refused["userErrors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("SUSPENDED"), "{refused}");
    unchanged(&app, &request, &match_id).await;
}
