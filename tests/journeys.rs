//! Journeys: one per kind of user, each walking the whole path through the GraphQL API as
//! that user's client would, and asserting at every step what each party sees and what the
//! others must not. Nothing is set up behind the API's back: the clock is the only thing
//! moved from outside (`TestApp::on_calendar`, `app.travel_to`), and every party signs in
//! with the token its role carries. Read them as the product's documentation by example.

use chrono::NaiveDate;
use kakehashi::domain::{Role, matching::corporate_number::with_check_digit};
use serde_json::{Value, json};

use crate::support::{TestApp, error_code, japan_morning};

// ---------------------------------------------------------------------------------------
// GraphQL documents, as a client sends them.
// ---------------------------------------------------------------------------------------

// The registry and the Active List.
const REGISTER_SPECIALIST: &str = r#"mutation($input: RegisterSpecialistInput!) {
  registerSpecialist(input: $input) {
    specialist { registrationNumber status currentCycle { id sequence status startsOn endsOn
      applicationDueOn missingRequirements policy { code } } }
    userErrors { field message code } } }"#;
const SAVE_ENTRY: &str = r#"mutation($input: SaveMyActiveListEntryInput!) {
  saveMyActiveListEntry(input: $input) { entry { id status } userErrors { field message code } } }"#;
const SUBMIT_ENTRY: &str = r#"mutation { submitMyActiveListEntry {
  entry { status } userErrors { field message code } } }"#;
const REVIEW_ENTRY: &str = r#"mutation($input: ReviewActiveListEntryInput!) {
  reviewActiveListEntry(input: $input) { entry { status } userErrors { field message code } } }"#;
const ENTRY: &str = r#"query($id: ID!) { node(id: $id) { ... on ActiveListEntry {
  capacity capacityLeft hasCapacity } } }"#;

// Support organizations, companies and consultation requests.
const CREATE_ORG: &str = r#"mutation($input: CreateSupportOrganizationInput!) {
  createSupportOrganization(input: $input) { organization { id code }
    userErrors { field message code } } }"#;
const REGISTER_COMPANY: &str = r#"mutation($input: RegisterCompanyInput!) {
  registerCompany(input: $input) {
    company { id name isSme guideStep version supportOrganization { code } }
    userErrors { field message code } } }"#;
const MY_COMPANY: &str = "{ myCompany { name guideStep supportOrganization { code } } }";
const QUESTIONS: &str = "{ selfAssessmentQuestions { code step } }";
const ASSESS: &str = r#"mutation($input: AssessCompanyInput!) { assessCompany(input: $input) {
  assessment { recommendedStep nextTasks { code step } } company { guideStep version }
  userErrors { field message code } } }"#;
const ADOPT_STEP: &str = r#"mutation($input: AdoptRecommendedGuideStepInput!) {
  adoptRecommendedGuideStep(input: $input) { company { guideStep version }
    userErrors { field message code } } }"#;
const FILE_REQUEST: &str = r#"mutation($input: FileConsultationRequestInput!) {
  fileConsultationRequest(input: $input) {
    request { id status organization { code } themes { code } }
    userErrors { field message code } } }"#;
const REQUEST_STATUS: &str =
    "query($id: ID!) { node(id: $id) { ... on ConsultationRequest { status } } }";
const CANDIDATES: &str = r#"query($id: ID!) { matchCandidates(requestId: $id, first: 5) {
  score matchedThemes { code } entry { id specialist { registrationNumber } } } }"#;
const WHAT_I_SEE: &str = "{ consultationRequests { totalCount } matches { totalCount } }";

// Matches. Every action returns the match's ID, state and version, the version being
// what the next action gives back as `expectedVersion`.
const PROPOSE: &str = r#"mutation($input: ProposeMatchInput!) { proposeMatch(input: $input) {
  match { id status version respondBy } userErrors { field message code } } }"#;
const ACCEPT: &str = r#"mutation($input: AcceptMatchInput!) { acceptMatch(input: $input) {
  match { id status version } userErrors { field message code } } }"#;
const DECLINE: &str = r#"mutation($input: DeclineMatchInput!) { declineMatch(input: $input) {
  match { id status version declineReason } userErrors { field message code } } }"#;
const CANCEL: &str = r#"mutation($input: CancelMatchInput!) { cancelMatch(input: $input) {
  match { id status version cancelReason } userErrors { field message code } } }"#;
const START: &str = r#"mutation($input: StartEngagementInput!) { startEngagement(input: $input) {
  match { id status version startedOn } userErrors { field message code } } }"#;
const LOG: &str = r#"mutation($input: LogSessionInput!) { logSession(input: $input) {
  session { id version loggedBy } match { id status version totalHours }
  userErrors { field message code } } }"#;
const CORRECT: &str = r#"mutation($input: CorrectMatchSessionInput!) {
  correctMatchSession(input: $input) {
    session { hours version corrections { version reason correctedBy withdrew heldOnBefore
      hoursBefore topicBefore } }
    match { id status version totalHours } userErrors { field message code } } }"#;
const COMPLETE: &str = r#"mutation($input: CompleteMatchInput!) { completeMatch(input: $input) {
  match { id status version completedOn } userErrors { field message code } } }"#;
const RATE: &str = r#"mutation($input: RateMatchInput!) { rateMatch(input: $input) {
  match { id status version } userErrors { field message code } } }"#;
const SWEEP_MATCHES: &str = r#"mutation { sweepMatches(input: {}) {
  expiredProposals expiredRequests userErrors { field message code } } }"#;
/// A match as a party sees it: the company behind it, and its contact once accepted.
const MATCH: &str = r#"query($id: ID!) { node(id: $id) { ... on Match {
  status request { status company { name contact { email } } } } } }"#;
/// The outcome of a match, as a party sees it.
const OUTCOME: &str = r#"query($id: ID!) { node(id: $id) { ... on Match {
  status sessions { hours } totalHours companyRating specialistRating request { status } } } }"#;

// Renewal and deemed attendance.
const CREATE_COURSE: &str = r#"mutation($input: CreateCourseInput!) { createCourse(input: $input) {
  course { id } userErrors { field message code } } }"#;
const RECORD_TRAINING: &str = r#"mutation($input: TrainingCompletionInput!) {
  recordTrainingCompletion(input: $input) { recorded userErrors { field message code } } }"#;
const MY_CYCLES: &str = r#"{ viewer { specialist {
  renewalCount latestRenewalOn renewalDeadline
  currentCycle { sequence status startsOn missingRequirements }
  nextCycle { sequence startsOn endsOn status policy { code } } } } }"#;
const PUBLIC_RENEWAL: &str = r#"query($n: String!) { specialist(registrationNumber: $n) {
  renewalCount latestRenewalOn renewalDeadline currentCycle { sequence } } }"#;
const APPLY_RENEWAL: &str = r#"mutation($input: ApplyForRenewalInput!) {
  applyForRenewal(input: $input) { cycle { status appliedOn } userErrors { field message code } } }"#;
const DECIDE_RENEWAL: &str = r#"mutation($input: DecideRenewalInput!) {
  decideRenewal(input: $input) {
    cycle { sequence status } nextCycle { sequence startsOn endsOn status policy { code } }
    userErrors { field message code } } }"#;
const MY_ENGAGEMENTS: &str = r#"{ viewer { specialist {
  completedEngagements { count totalHours matches { id } }
  currentCycle { id requirements { requirement { code } satisfied satisfiedByClaim { id } } } } } }"#;
const FILE_CLAIM: &str = r#"mutation($input: FileDeemedAttendanceClaimInput!) {
  fileDeemedAttendanceClaim(input: $input) {
    claim { id status citedEngagements { id totalHours } }
    userErrors { field message code } } }"#;
const REVIEW_CLAIM: &str = r#"mutation($input: ReviewDeemedAttendanceClaimInput!) {
  reviewDeemedAttendanceClaim(input: $input) { claim { status feeSavedYen }
    userErrors { field message code } } }"#;

// Security Camp and the alumni community.
const PROGRAMS: &str = "{ campPrograms { id kind } }";
const CREATE_COHORT: &str = r#"mutation($input: CreateCampCohortInput!) {
  createCampCohort(input: $input) { cohort { id status version tracks { id name } }
    userErrors { field message code } } }"#;
const ADVANCE_COHORT: &str = r#"mutation($input: AdvanceCampCohortInput!) {
  advanceCampCohort(input: $input) { cohort { id status version }
    userErrors { field message code } } }"#;
const OPEN_COHORTS: &str = r#"{ campCohorts(filter: { statuses: [APPLICATIONS_OPEN] }) {
  nodes { name acceptingApplications } } }"#;
const SAVE_PERSON: &str = r#"mutation($input: SaveMyPersonInput!) { saveMyPerson(input: $input) {
  person { id name isAlumnus } userErrors { field message code } } }"#;
const APPLY_TO_CAMP: &str = r#"mutation($input: ApplyToCampCohortInput!) {
  applyToCampCohort(input: $input) { application { id status }
    userErrors { field message code } } }"#;
const MY_APPLICATIONS: &str = "{ campApplications { totalCount nodes { status track { name } } } }";
const DECIDE_APPLICATIONS: &str = r#"mutation($input: DecideCampApplicationsInput!) {
  decideCampApplications(input: $input) { applications { status track { name } }
    userErrors { field message code } } }"#;
const ME_AS_PERSON: &str = "{ myPerson { isAlumnus completedCohorts { name } } }";
const JOIN_COMMUNITY: &str = r#"mutation($input: JoinCommunityInput!) {
  joinCommunity(input: $input) { profile { displayName } userErrors { field message code } } }"#;
const ALUMNI: &str = "{ alumni { totalCount nodes { displayName } } }";
const CREATE_EVENT: &str = r#"mutation($input: CreateCommunityEventInput!) {
  createCommunityEvent(input: $input) { event { id placesLeft }
    userErrors { field message code } } }"#;
const RSVP: &str = r#"mutation($input: RsvpCommunityEventInput!) {
  rsvpCommunityEvent(input: $input) { rsvp { status } event { placesLeft }
    userErrors { field message code } } }"#;
const EVENTS: &str = "{ communityEvents { nodes { title myRsvp { status } } } }";

// Analytics.
const PEOPLE: &str = "{ specialists(first: 1) { nodes { id registrationNumber } } }";
const FIGURES: &str = r#"query($today: Date!, $monthEnd: Date!) {
  targetProgress(target: 50000, by: "2030-04-01") { asOf current gap }
  today: specialistCount(asOf: $today)
  monthEnd: specialistCount(asOf: $monthEnd)
  specialistSeries(from: "2026-01-01", to: $monthEnd, interval: MONTH) {
    endsOn activeAtEnd netFlow }
  region: specialistBreakdown(by: REGION, asOf: $today) { asOf total cells { value suppressed } }
  prefecture: specialistBreakdown(by: PREFECTURE, asOf: $today) {
    asOf total cells { value suppressed } }
  matchingPerformance(from: "2020-04-01") { requestsFiled requestsMatched engagementsEnded
    engagementsCompleted completionRate companyRatings { count distribution } } }"#;

// ---------------------------------------------------------------------------------------
// Small helpers: a step that must succeed, one that must be refused, a read.
// ---------------------------------------------------------------------------------------

fn d(date: &str) -> NaiveDate {
    date.parse().unwrap()
}

/// The service with a clock showing 09:00 in Japan on `date`, moved on by `travel_to`.
async fn app_on(date: &str) -> TestApp {
    TestApp::on_calendar(japan_morning(d(date))).await
}

/// The payload of the one field a response carries; no request-level error.
fn payload(response: &Value) -> Value {
    assert!(response["errors"].is_null(), "{response}");
    response["data"]
        .as_object()
        .and_then(|data| data.values().next())
        .cloned()
        .unwrap_or_else(|| panic!("no data: {response}"))
}

/// Runs a mutation that must succeed, with no user error; returns its payload.
async fn step(app: &TestApp, token: &str, document: &str, variables: Value) -> Value {
    let response = app.gql(Some(token), document, variables).await;
    let payload = payload(&response);
    assert_eq!(payload["userErrors"], json!([]), "{response}");
    payload
}

/// Runs a mutation that must be refused with a user error; returns the first one.
async fn refused(app: &TestApp, token: &str, document: &str, variables: Value) -> Value {
    let response = app.gql(Some(token), document, variables).await;
    let error = payload(&response)["userErrors"][0].clone();
    assert!(error.is_object(), "expected a user error: {response}");
    error
}

/// Runs a query that must succeed; returns its `data`.
async fn read(app: &TestApp, token: Option<&str>, document: &str, variables: Value) -> Value {
    let response = app.gql(token, document, variables).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"].clone()
}

/// The object `base` with the fields of `extra` added.
fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    base
}

/// The item of `list` whose value at `key` (a JSON pointer) is `value`.
fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    let item = items
        .iter()
        .find(|item| item.pointer(key) == Some(&json!(value)));
    item.unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// Moves match `m` on with `document` (accept, start, complete, …) at the version read,
/// with the input's other fields in `extra`; returns the match after it.
async fn act(app: &TestApp, token: &str, document: &str, m: &Value, extra: Value) -> Value {
    let input = with(
        json!({ "matchId": m["id"], "expectedVersion": m["version"] }),
        extra,
    );
    step(app, token, document, json!({ "input": input })).await["match"].clone()
}

/// The same action, which must be refused: its first user error.
async fn act_refused(app: &TestApp, token: &str, document: &str, m: &Value) -> Value {
    let input = json!({ "matchId": m["id"], "expectedVersion": m["version"] });
    refused(app, token, document, json!({ "input": input })).await
}

/// The state of a request as the caller of `token` sees it (null when they may not).
async fn request_status(app: &TestApp, token: &str, request: &Value) -> Value {
    let data = read(app, Some(token), REQUEST_STATUS, json!({ "id": request })).await;
    data["node"]["status"].clone()
}

/// Match `id` read with `document` (`MATCH`, `OUTCOME`) by the caller of `token`: null
/// when they may not see it.
async fn seen(app: &TestApp, token: &str, document: &str, id: &Value) -> Value {
    read(app, Some(token), document, json!({ "id": id })).await["node"].clone()
}

/// Registry staff register specialist `number` on the round date `on`; returns the
/// registration as the payload shows it.
async fn register_specialist(app: &TestApp, number: &str, on: &str) -> Value {
    let year: i32 = on[..4].parse().unwrap();
    let input = json!({
        "registrationNumber": number, "familyName": "情報", "givenName": "太郎",
        "familyNameKana": "ジョウホウ", "givenNameKana": "タロウ", "birthYearMonth": "1985-04",
        "email": format!("riss{number}@example.jp"), "prefecture": "13",
        "examPassedYear": year - 1, "examPassedSeason": "AUTUMN", "registeredOn": on,
    });
    let staff = app.token(Role::ProgramStaff);
    let registered = step(app, &staff, REGISTER_SPECIALIST, json!({ "input": input })).await;
    assert_eq!(registered["specialist"]["status"], "ACTIVE", "{registered}");
    registered["specialist"].clone()
}

/// Specialist `number`, registered by staff on `on`, saves an Active List entry for
/// `themes` (Tokyo, manufacturing, `capacity` companies at once) and submits it; registry
/// staff publish it. Returns the entry's global ID.
async fn listed(app: &TestApp, number: &str, on: &str, themes: &[&str], capacity: i32) -> Value {
    register_specialist(app, number, on).await;
    let own = app.specialist_token(number);
    let input = json!({
        "themes": themes, "industries": ["MANUFACTURING"], "domains": ["工場のネットワーク"],
        "prefectures": ["13"], "remoteOk": true, "languages": ["ja"],
        "feePolicy": "SUBSIDISED", "capacity": capacity,
        "bioJa": "中小製造業の情報セキュリティ支援を続けています。",
    });
    let saved = step(app, &own, SAVE_ENTRY, json!({ "input": input })).await;
    assert_eq!(saved["entry"]["status"], "DRAFT");
    let submitted = step(app, &own, SUBMIT_ENTRY, json!({})).await;
    assert_eq!(submitted["entry"]["status"], "PENDING_REVIEW");
    let id = saved["entry"]["id"].clone();
    let review = json!({ "input": { "entryId": id, "decision": "PUBLISH" } });
    let published = step(app, &app.token(Role::ProgramStaff), REVIEW_ENTRY, review).await;
    assert_eq!(published["entry"]["status"], "PUBLISHED");
    id
}

/// Registers a small Tokyo manufacturer with the corporate number `with_check_digit(base)`
/// as the caller of `token`; returns its global ID.
async fn register_company(app: &TestApp, token: &str, base: u64, name: &str) -> Value {
    let input = json!({
        "corporateNumber": with_check_digit(base), "name": name, "nameKana": "テスト",
        "industry": "MANUFACTURING", "employees": 25, "capitalYen": 10_000_000,
        "prefecture": "13", "contactName": "佐藤 一郎", "contactEmail": format!("desk{base}@example.jp"),
    });
    let registered = step(app, token, REGISTER_COMPANY, json!({ "input": input })).await;
    assert_eq!(registered["company"]["isSme"], true, "{registered}");
    registered["company"]["id"].clone()
}

/// Files a request for a basic policy and SECURITY ACTION ★ for `company`; returns its ID.
async fn file_request(app: &TestApp, token: &str, company: &Value) -> Value {
    let input = json!({
        "companyId": company, "themes": ["BASIC_POLICY", "SECURITY_ACTION_1"],
        "description": "取引先から対策状況を聞かれたが、何から始めればよいか分からない。",
        "remoteOk": true, "urgency": "HIGH", "budgetMaxYen": 200_000,
    });
    let filed = step(app, token, FILE_REQUEST, json!({ "input": input })).await;
    assert_eq!(filed["request"]["status"], "OPEN", "{filed}");
    filed["request"]["id"].clone()
}

/// The registration numbers of the candidates ranked for `request`, best first.
async fn ranked(app: &TestApp, token: &str, request: &Value) -> Vec<String> {
    let data = read(app, Some(token), CANDIDATES, json!({ "id": request })).await;
    let candidates = data["matchCandidates"].as_array().unwrap().iter();
    let number = |c: &Value| c["entry"]["specialist"]["registrationNumber"].to_string();
    candidates
        .map(|c| number(c).trim_matches('"').to_owned())
        .collect()
}

/// Proposes the specialist of `entry` for `request`; returns the match.
async fn propose(app: &TestApp, token: &str, request: &Value, entry: &Value) -> Value {
    let input = json!({ "requestId": request, "entryId": entry });
    let proposed = step(app, token, PROPOSE, json!({ "input": input })).await;
    assert_eq!(proposed["match"]["status"], "PROPOSED", "{proposed}");
    proposed["match"].clone()
}

// ---------------------------------------------------------------------------------------
// 1. A support organization brings one of its companies and a specialist together.
// ---------------------------------------------------------------------------------------

/// Who takes part in a support organization's consultation, and what they made.
struct Consultation {
    /// Staff of the organization (NERIMA_SCI).
    org: String,
    /// The company's own user.
    company: String,
    /// The specialist proposed (100001).
    specialist: String,
    request: Value,
    proposal: Value,
}

/// Chapter 1, on Monday 2027-05-10: registry staff register two organizations; the first
/// one's staff register a company it supports, file its request, read the ranked
/// candidates and propose the best, who has five business days to answer.
async fn an_organization_proposes_a_specialist(app: &TestApp) -> Consultation {
    let both = ["BASIC_POLICY", "SECURITY_ACTION_1"];
    let best = listed(app, "100001", "2026-10-01", &both, 3).await;
    listed(app, "100002", "2026-10-01", &["BASIC_POLICY"], 3).await;
    let staff = app.token(Role::ProgramStaff);
    for code in ["NERIMA_SCI", "SETAGAYA_SCI"] {
        let input = json!({ "code": code, "name": format!("{code} 商工会"),
                            "kind": "SOCIETY_OF_COMMERCE", "prefectures": ["13"],
                            "contactEmail": "desk@shokokai.example.jp" });
        step(app, &staff, CREATE_ORG, json!({ "input": input })).await;
    }
    let org = app.org_token("NERIMA_SCI");

    // The organization registers a company it supports, and the company is in its care.
    let company = register_company(app, &org, 1001, "練馬精工株式会社").await;
    let company_user = app.company_token(&with_check_digit(1001));
    let mine = read(app, Some(&company_user), MY_COMPANY, json!({})).await;
    assert_eq!(
        mine["myCompany"]["supportOrganization"]["code"],
        "NERIMA_SCI"
    );

    // It files the company's request, reads the candidates (both themes before one) and
    // proposes the best.
    let request = file_request(app, &org, &company).await;
    assert_eq!(ranked(app, &org, &request).await, ["100001", "100002"]);
    let proposal = propose(app, &org, &request, &best).await;
    assert_eq!(proposal["respondBy"], "2027-05-17", "five business days");

    Consultation {
        org,
        company: company_user,
        specialist: app.specialist_token("100001"),
        request,
        proposal,
    }
}

/// Chapter 2, from 2027-05-11 to 2027-06-02: the specialist accepts; the organization
/// starts the engagement; four visits are logged by whichever side kept the notes; the
/// company corrects one, saying why; the specialist completes it with the outcome and
/// their rating, and the company rates back. Returns the match and its sessions as logged.
async fn the_engagement_runs_its_course(app: &TestApp, c: &Consultation) -> (Value, Vec<Value>) {
    app.travel_to(d("2027-05-11"));
    let m = act(app, &c.specialist, ACCEPT, &c.proposal, json!({})).await;
    app.travel_to(d("2027-05-12"));
    let m = act(app, &c.org, START, &m, json!({})).await;
    assert_eq!(m["startedOn"], "2027-05-12");
    assert_eq!(
        request_status(app, &c.company, &c.request).await,
        "IN_PROGRESS"
    );

    // Four visits, each logged on its day.
    let mut sessions = Vec::new();
    for (day, hours, topic, token) in [
        ("2027-05-12", 2.0, "RISKS", &c.specialist),
        ("2027-05-19", 2.0, "BASIC_POLICY", &c.company),
        ("2027-05-26", 1.5, "RULES", &c.specialist),
        ("2027-06-02", 2.0, "REVIEW", &c.org),
    ] {
        app.travel_to(d(day));
        let input = json!({ "matchId": m["id"], "heldOn": day, "hours": hours, "topic": topic,
                            "notes": "訪問して説明" });
        sessions.push(step(app, token, LOG, json!({ "input": input })).await["session"].clone());
    }
    let sides: Vec<&Value> = sessions.iter().map(|s| &s["loggedBy"]).collect();
    assert_eq!(
        json!(sides),
        json!(["SPECIALIST", "COMPANY", "SPECIALIST", "COMPANY"])
    );

    // The second visit ran an hour longer: the company corrects it, saying why. The
    // session keeps what the correction replaced, and the total follows.
    let why = "議事録を確認したところ3時間でした";
    let input = json!({ "sessionId": sessions[1]["id"], "expectedVersion": sessions[1]["version"],
                        "reason": why, "hours": 3.0 });
    let corrected = step(app, &c.company, CORRECT, json!({ "input": input })).await;
    assert_eq!(
        corrected["session"],
        json!({ "hours": 3.0, "version": 2, "corrections": [{
            "version": 2, "reason": why, "correctedBy": "COMPANY", "withdrew": false,
            "heldOnBefore": "2027-05-19", "hoursBefore": 2.0, "topicBefore": "BASIC_POLICY" }] }),
        "{corrected}"
    );
    assert_eq!(corrected["match"]["totalHours"], 8.5);

    // The specialist completes it; the company rates back.
    let outcome = json!({ "measures": ["基本方針を策定", "5か条を周知"], "guideStepAfter": 2,
                          "rating": 5, "comment": "熱心に取り組まれました" });
    let m = act(app, &c.specialist, COMPLETE, &corrected["match"], outcome).await;
    assert_eq!(m["completedOn"], "2027-06-02");
    let rating = json!({ "rating": 4, "comment": "分かりやすかった" });
    (act(app, &c.company, RATE, &m, rating).await, sessions)
}

#[tokio::test]
async fn a_support_organization_matches_its_company_with_a_specialist() {
    let app = app_on("2027-05-10").await;
    let c = an_organization_proposes_a_specialist(&app).await;
    let id = &c.proposal["id"];

    // Proposed: the specialist sees the company, not yet its contact; the company sees
    // its request being matched.
    let before = seen(&app, &c.specialist, MATCH, id).await;
    assert_eq!(
        before,
        json!({ "status": "PROPOSED", "request": { "status": "MATCHING",
                "company": { "name": "練馬精工株式会社", "contact": null } } })
    );
    assert_eq!(
        request_status(&app, &c.company, &c.request).await,
        "MATCHING"
    );

    // The next day the specialist accepts, and now sees whom to call; the company and
    // the organization see the request matched.
    app.travel_to(d("2027-05-11"));
    let accepted = act(&app, &c.specialist, ACCEPT, &c.proposal, json!({})).await;
    let after = seen(&app, &c.specialist, MATCH, id).await;
    assert_eq!(
        after["request"]["company"]["contact"]["email"],
        "desk1001@example.jp"
    );
    assert_eq!(
        request_status(&app, &c.company, &c.request).await,
        "MATCHED"
    );
    assert_eq!(request_status(&app, &c.org, &c.request).await, "MATCHED");

    // The other organization has a company of its own, and proposes the other specialist.
    let setagaya = app.org_token("SETAGAYA_SCI");
    let theirs = register_company(&app, &setagaya, 1003, "世田谷電機株式会社").await;
    let their_request = file_request(&app, &setagaya, &theirs).await;
    let candidates = read(
        &app,
        Some(&setagaya),
        CANDIDATES,
        json!({ "id": their_request }),
    )
    .await;
    let number = "/entry/specialist/registrationNumber";
    let other_entry = &find(&candidates["matchCandidates"], number, "100002")["entry"]["id"];
    propose(&app, &setagaya, &their_request, other_entry).await;

    // Who sees what: each party its own request and match, staff both; nobody else's,
    // not even by ID.
    let stranger = app.company_token(&with_check_digit(1002));
    let other_specialist = app.specialist_token("100002");
    for (who, token, requests_and_matches, sees_this_one) in [
        ("organization", &c.org, 1, true),
        ("its company", &c.company, 1, true),
        ("the specialist", &c.specialist, 1, true),
        ("registry staff", &app.token(Role::ProgramStaff), 2, true),
        ("the other organization", &setagaya, 1, false),
        ("another company", &stranger, 0, false),
        ("the other specialist", &other_specialist, 1, false),
    ] {
        let n = requests_and_matches;
        let lists = read(&app, Some(token), WHAT_I_SEE, json!({})).await;
        let expected = json!({ "consultationRequests": { "totalCount": n },
                               "matches": { "totalCount": n } });
        assert_eq!(lists, expected, "{who}");
        let node = seen(&app, token, MATCH, id).await;
        assert_eq!(node.is_object(), sees_this_one, "{who}: {node}");
        let request = request_status(&app, token, &c.request).await;
        assert_eq!(request.is_string(), sees_this_one, "{who}: {request}");
    }
    // … nor may the other organization act on it.
    let error = act_refused(&app, &setagaya, CANCEL, &accepted).await;
    assert_eq!(error["code"], "NOT_FOUND", "{error}");
}

#[tokio::test]
async fn a_supported_company_s_engagement_is_completed_rated_and_counts_for_renewal() {
    let app = app_on("2027-05-10").await;
    let c = an_organization_proposes_a_specialist(&app).await;
    let (m, sessions) = the_engagement_runs_its_course(&app, &c).await;
    let staff = app.token(Role::ProgramStaff);

    // Every party sees the same outcome (the sessions as corrected), and the request
    // completed; the company moved on to the step the engagement reached. The other
    // organization sees nothing of it.
    for token in [&c.company, &c.specialist, &c.org] {
        assert_eq!(
            seen(&app, token, OUTCOME, &m["id"]).await,
            json!({ "status": "COMPLETED", "totalHours": 8.5, "companyRating": 4,
                    "sessions": [{ "hours": 2.0 }, { "hours": 3.0 }, { "hours": 1.5 }, { "hours": 2.0 }],
                    "specialistRating": 5, "request": { "status": "COMPLETED" } })
        );
    }
    let company = read(&app, Some(&c.company), MY_COMPANY, json!({})).await;
    assert_eq!(company["myCompany"]["guideStep"], 2);
    let setagaya = app.org_token("SETAGAYA_SCI");
    assert_eq!(seen(&app, &setagaya, OUTCOME, &m["id"]).await, Value::Null);

    // Once it has ended, only registry staff correct a session (here its notes), saying why.
    let note = json!({ "input": { "sessionId": sessions[3]["id"], "expectedVersion": 1,
                       "reason": "報告書の表記に合わせる", "notes": "振り返りと来期の計画" } });
    let response = app.gql(Some(&c.company), CORRECT, note.clone()).await;
    assert_eq!(error_code(&response), "FORBIDDEN", "{response}");
    let corrected = step(&app, &staff, CORRECT, note).await;
    assert_eq!(corrected["session"]["version"], 2);
    assert_eq!(corrected["match"]["totalHours"], 8.5);

    // The specialist sees the engagement among their completed ones, and cites it in a
    // deemed-attendance claim for the practical course of their cycle.
    let me = read(&app, Some(&c.specialist), MY_ENGAGEMENTS, json!({})).await;
    let me = &me["viewer"]["specialist"];
    assert_eq!(
        me["completedEngagements"],
        json!({ "count": 1, "totalHours": 8.5, "matches": [{ "id": m["id"] }] })
    );
    let details = json!({ "activity": "中小製造業への4回の訪問支援（リスク、基本方針、規程、振り返り）",
        "beneficiary": "練馬精工株式会社", "periodFrom": "2027-05-12", "periodTo": "2027-06-02",
        "hours": 8.5, "matchIds": [m["id"]] });
    let input = json!({ "cycleId": me["currentCycle"]["id"], "requirementCode": "PRACTICAL",
                        "details": details });
    let filed = step(&app, &c.specialist, FILE_CLAIM, json!({ "input": input })).await;
    let claim = &filed["claim"];
    assert_eq!(claim["status"], "SUBMITTED");
    assert_eq!(
        claim["citedEngagements"],
        json!([{ "id": m["id"], "totalHours": 8.5 }])
    );

    // Registry staff approve it: the requirement is met and the course fee saved.
    let review = json!({ "input": { "claimId": claim["id"], "decision": "APPROVE" } });
    let approved = step(&app, &staff, REVIEW_CLAIM, review).await;
    assert_eq!(
        approved["claim"],
        json!({ "status": "APPROVED", "feeSavedYen": 80_000 })
    );
    let me = read(&app, Some(&c.specialist), MY_ENGAGEMENTS, json!({})).await;
    let requirements = &me["viewer"]["specialist"]["currentCycle"]["requirements"];
    assert_eq!(
        find(requirements, "/requirement/code", "PRACTICAL"),
        &json!({ "requirement": { "code": "PRACTICAL" }, "satisfied": true,
                 "satisfiedByClaim": { "id": claim["id"] } })
    );
}

// ---------------------------------------------------------------------------------------
// 2. A company user on their own.
// ---------------------------------------------------------------------------------------

/// The company assesses itself on the 4-step guide (step 1 done, step 2 not yet) and
/// adopts the step recommended.
async fn assess_and_adopt(app: &TestApp, token: &str, company: &Value) {
    let questions = read(app, None, QUESTIONS, json!({})).await;
    let answers: Vec<Value> = questions["selfAssessmentQuestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| json!({ "code": q["code"], "answer": q["step"] == 1 }))
        .collect();
    let input = json!({ "companyId": company, "answers": answers });
    let assessed = step(app, token, ASSESS, json!({ "input": input })).await;
    assert_eq!(assessed["assessment"]["recommendedStep"], 2, "{assessed}");
    let tasks = assessed["assessment"]["nextTasks"].as_array().unwrap();
    assert!(
        !tasks.is_empty() && tasks.iter().all(|t| t["step"] == 2),
        "{assessed}"
    );
    // The company's step moves only when it adopts the recommendation.
    assert_eq!(assessed["company"]["guideStep"], 1);
    let input = json!({ "companyId": company, "expectedVersion": assessed["company"]["version"] });
    let adopted = step(app, token, ADOPT_STEP, json!({ "input": input })).await;
    assert_eq!(adopted["company"]["guideStep"], 2);
}

#[tokio::test]
async fn a_company_user_registers_assesses_and_sees_a_consultation_through() {
    let app = app_on("2027-06-07").await;
    let entry = listed(&app, "200001", "2027-04-01", &["BASIC_POLICY"], 2).await;
    let specialist = app.specialist_token("200001");
    let me = app.company_token(&with_check_digit(2001));

    // Until it is registered the user has no company; they register their own, which
    // no organization supports, and assess it.
    assert_eq!(
        read(&app, Some(&me), MY_COMPANY, json!({})).await["myCompany"],
        Value::Null
    );
    let company = register_company(&app, &me, 2001, "有限会社かけはし工業").await;
    assess_and_adopt(&app, &me, &company).await;
    assert_eq!(
        read(&app, Some(&me), MY_COMPANY, json!({})).await["myCompany"],
        json!({ "name": "有限会社かけはし工業", "guideStep": 2, "supportOrganization": null })
    );

    // Another company, with a request of its own.
    let theirs = app.company_token(&with_check_digit(2002));
    let their_company = register_company(&app, &theirs, 2002, "株式会社となり製作所").await;
    let their_request = file_request(&app, &theirs, &their_company).await;

    // The user files a request, reads the candidates and proposes the specialist.
    let request = file_request(&app, &me, &company).await;
    assert_eq!(ranked(&app, &me, &request).await, ["200001"]);
    let m = propose(&app, &me, &request, &entry).await;

    // The specialist accepts; the company starts the engagement; one session; the company
    // completes it (reaching step 3) and the specialist rates back.
    app.travel_to(d("2027-06-08"));
    let m = act(&app, &specialist, ACCEPT, &m, json!({})).await;
    assert_eq!(request_status(&app, &me, &request).await, "MATCHED");
    let m = act(&app, &me, START, &m, json!({})).await;
    let input =
        json!({ "matchId": m["id"], "heldOn": "2027-06-08", "hours": 2.0, "topic": "RISKS" });
    let m = step(&app, &specialist, LOG, json!({ "input": input })).await["match"].clone();
    let outcome = json!({ "measures": ["5か条を周知"], "guideStepAfter": 3, "rating": 5 });
    let m = act(&app, &me, COMPLETE, &m, outcome).await;
    let m = act(&app, &specialist, RATE, &m, json!({ "rating": 4 })).await;

    // The company sees it through: the outcome, the request completed, its new step.
    assert_eq!(
        seen(&app, &me, OUTCOME, &m["id"]).await,
        json!({ "status": "COMPLETED", "sessions": [{ "hours": 2.0 }], "totalHours": 2.0,
                "companyRating": 5, "specialistRating": 4, "request": { "status": "COMPLETED" } })
    );
    assert_eq!(
        read(&app, Some(&me), MY_COMPANY, json!({})).await["myCompany"]["guideStep"],
        3
    );

    // Neither company sees the other's request or match, nor may it act on them.
    assert_eq!(request_status(&app, &me, &their_request).await, Value::Null);
    assert_eq!(request_status(&app, &theirs, &request).await, Value::Null);
    assert_eq!(seen(&app, &theirs, OUTCOME, &m["id"]).await, Value::Null);
    assert_eq!(
        read(&app, Some(&theirs), WHAT_I_SEE, json!({})).await,
        json!({ "consultationRequests": { "totalCount": 1 }, "matches": { "totalCount": 0 } })
    );
    let response = app
        .gql(Some(&me), CANDIDATES, json!({ "id": their_request }))
        .await;
    assert_eq!(error_code(&response), "NOT_FOUND", "{response}");
    let input = json!({ "requestId": their_request, "entryId": entry });
    let error = refused(&app, &me, PROPOSE, json!({ "input": input })).await;
    assert_eq!(error["code"], "NOT_FOUND", "{error}");
}

// ---------------------------------------------------------------------------------------
// 3. Proposals that do not become engagements: declined, cancelled, expired.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_proposal_is_declined_another_cancelled_after_acceptance_and_a_third_expires() {
    let app = app_on("2027-06-07").await;
    let a = listed(&app, "300001", "2027-04-01", &["BASIC_POLICY"], 1).await;
    let b = listed(&app, "300002", "2027-04-01", &["BASIC_POLICY"], 1).await;
    let c = listed(&app, "300003", "2027-04-01", &["BASIC_POLICY"], 1).await;
    let me = app.company_token(&with_check_digit(3001));
    let company = register_company(&app, &me, 3001, "株式会社みなと鋳造").await;
    let request = file_request(&app, &me, &company).await;
    let places = |entry: &Value| read(&app, Some(&me), ENTRY, json!({ "id": entry }));

    // Declined, with a reason: the request seeks again among the others.
    let m = propose(&app, &me, &request, &a).await;
    let why = json!("今月は予定が埋まっています");
    let first = app.specialist_token("300001");
    let declined = act(&app, &first, DECLINE, &m, json!({ "reason": why })).await;
    assert_eq!(
        (&declined["status"], &declined["declineReason"]),
        (&json!("DECLINED"), &why)
    );
    assert_eq!(request_status(&app, &me, &request).await, "MATCHING");
    let seeking = ranked(&app, &me, &request).await;
    assert!(
        seeking.contains(&"300002".into()) && seeking.contains(&"300003".into()),
        "{seeking:?}"
    );

    // Accepted, then cancelled by the company: the specialist's place is given back and
    // the request seeks again.
    let m = propose(&app, &me, &request, &b).await;
    let accepted = act(&app, &app.specialist_token("300002"), ACCEPT, &m, json!({})).await;
    assert_eq!(request_status(&app, &me, &request).await, "MATCHED");
    let full = json!({ "capacity": 1, "capacityLeft": 0, "hasCapacity": false });
    assert_eq!(places(&b).await["node"], full);
    let why = json!("社内の体制が変わったため");
    let cancelled = act(&app, &me, CANCEL, &accepted, json!({ "reason": why })).await;
    assert_eq!(
        (&cancelled["status"], &cancelled["cancelReason"]),
        (&json!("CANCELLED"), &why)
    );
    let free = json!({ "capacity": 1, "capacityLeft": 1, "hasCapacity": true });
    assert_eq!(places(&b).await["node"], free);
    assert_eq!(request_status(&app, &me, &request).await, "MATCHING");

    // Unanswered: on its last day the proposal still stands; the day after, registry
    // staff's sweep expires it, once, and it can no longer be accepted.
    let m = propose(&app, &me, &request, &c).await;
    assert_eq!(m["respondBy"], "2027-06-14");
    let staff = app.token(Role::ProgramStaff);
    let expired =
        || async { step(&app, &staff, SWEEP_MATCHES, json!({})).await["expiredProposals"].clone() };
    app.travel_to(d("2027-06-14"));
    assert_eq!(expired().await, 0);
    app.travel_to(d("2027-06-15"));
    assert_eq!(expired().await, 1);
    assert_eq!(expired().await, 0, "once");
    assert_eq!(seen(&app, &me, MATCH, &m["id"]).await["status"], "EXPIRED");
    let late = act_refused(&app, &app.specialist_token("300003"), ACCEPT, &m).await;
    assert_eq!(late["code"], "INVALID", "{late}");
    assert_eq!(request_status(&app, &me, &request).await, "MATCHING");
    assert_eq!(places(&c).await["node"], free);
}

// ---------------------------------------------------------------------------------------
// 4. A specialist's renewal.
// ---------------------------------------------------------------------------------------

/// Registry staff add a course of `kind` for fiscal year `fy` to the catalogue and record
/// that specialist `number` completed it today.
async fn complete_course(app: &TestApp, number: &str, kind: &str, fy: i32, fee: i64) {
    let staff = app.token(Role::ProgramStaff);
    let input = json!({ "code": format!("IPA-{kind}-{fy}"), "name": format!("{kind} {fy}"),
                        "provider": "IPA", "kind": kind, "fiscalYear": fy, "feeYen": fee,
                        "hours": 6.0 });
    let created = step(app, &staff, CREATE_COURSE, json!({ "input": input })).await;
    let input = json!({ "registrationNumber": number, "courseId": created["course"]["id"],
                        "completedOn": app.today().to_string() });
    let recorded = step(app, &staff, RECORD_TRAINING, json!({ "input": input })).await;
    assert_eq!(recorded["recorded"], true, "{recorded}");
}

/// Their own registration's renewal, as the specialist of `token` reads it.
async fn my_cycles(app: &TestApp, token: &str) -> Value {
    read(app, Some(token), MY_CYCLES, json!({})).await["viewer"]["specialist"].clone()
}

#[tokio::test]
async fn a_specialist_trains_applies_and_is_renewed_into_the_next_cycle() {
    // Registered on 2024-10-01: the cycle runs to 2027-09-30, the application is due 60
    // days before, and the 2020 rules apply: an online course each year, a practical one.
    let app = app_on("2025-01-06").await;
    let cycle = register_specialist(&app, "400001", "2024-10-01").await["currentCycle"].clone();
    let expected = json!({ "id": cycle["id"], "sequence": 1, "status": "ON_TRACK",
        "startsOn": "2024-10-01", "endsOn": "2027-09-30", "applicationDueOn": "2027-08-01",
        "missingRequirements": 4, "policy": { "code": "STANDARD_2020" } });
    assert_eq!(cycle, expected);
    let own = app.specialist_token("400001");

    // Training, recorded by registry staff as each course is completed.
    for (day, kind, fy, fee) in [
        ("2025-02-10", "ONLINE", 2024, 20_000),
        ("2025-11-15", "PRACTICAL", 2025, 80_000),
        ("2026-01-20", "ONLINE", 2025, 20_000),
    ] {
        app.travel_to(d(day));
        complete_course(&app, "400001", kind, fy, fee).await;
    }
    // Incomplete, and before the window opens (a year before the deadline): refused.
    assert_eq!(
        my_cycles(&app, &own).await["currentCycle"]["missingRequirements"],
        1
    );
    let apply = json!({ "input": { "cycleId": cycle["id"] } });
    assert_eq!(
        refused(&app, &own, APPLY_RENEWAL, apply.clone()).await["code"],
        "INVALID"
    );

    // The third year's online course completes the cycle; the specialist applies.
    app.travel_to(d("2026-11-10"));
    complete_course(&app, "400001", "ONLINE", 2026, 20_000).await;
    let current = &my_cycles(&app, &own).await["currentCycle"];
    assert_eq!(
        (&current["status"], &current["missingRequirements"]),
        (&json!("COMPLETE"), &json!(0))
    );
    let applied = step(&app, &own, APPLY_RENEWAL, apply).await;
    assert_eq!(applied["cycle"]["appliedOn"], "2026-11-10", "{applied}");

    // Registry staff renew: the next cycle opens on 2027-10-01, under the 2026 rules.
    app.travel_to(d("2026-11-20"));
    let decision = json!({ "input": { "cycleId": cycle["id"], "decision": "RENEW" } });
    let staff = app.token(Role::ProgramStaff);
    let renewed = step(&app, &staff, DECIDE_RENEWAL, decision).await;
    let next = json!({ "sequence": 2, "startsOn": "2027-10-01", "endsOn": "2030-09-30",
                       "status": "ON_TRACK", "policy": { "code": "DEEMED_2026" } });
    assert_eq!(
        renewed["cycle"],
        json!({ "sequence": 1, "status": "RENEWED" }),
        "{renewed}"
    );
    assert_eq!(renewed["nextCycle"], next);

    // What the specialist sees: until then the renewed cycle is current and the new one
    // next; from 2027-10-01 the new one is current, with all its requirements to meet.
    assert_eq!(
        my_cycles(&app, &own).await,
        json!({ "renewalCount": 1, "latestRenewalOn": null, "renewalDeadline": "2030-09-30",
                "currentCycle": { "sequence": 1, "status": "RENEWED", "startsOn": "2024-10-01",
                                  "missingRequirements": 0 },
                "nextCycle": next })
    );
    app.travel_to(d("2027-10-01"));
    assert_eq!(
        my_cycles(&app, &own).await,
        json!({ "renewalCount": 1, "latestRenewalOn": "2027-10-01", "renewalDeadline": "2030-09-30",
                "currentCycle": { "sequence": 2, "status": "ON_TRACK", "startsOn": "2027-10-01",
                                  "missingRequirements": 5 },
                "nextCycle": null })
    );

    // The public registry, and another specialist, see the renewal and the new deadline,
    // never the cycle itself.
    let public = json!({ "renewalCount": 1, "latestRenewalOn": "2027-10-01",
                         "renewalDeadline": "2030-09-30", "currentCycle": null });
    let number = json!({ "n": "400001" });
    assert_eq!(
        read(&app, None, PUBLIC_RENEWAL, number.clone()).await["specialist"],
        public
    );
    register_specialist(&app, "400002", "2027-10-01").await;
    let other = app.specialist_token("400002");
    assert_eq!(
        read(&app, Some(&other), PUBLIC_RENEWAL, number).await["specialist"],
        public
    );
}

// ---------------------------------------------------------------------------------------
// 5. From camp applicant to alumnus.
// ---------------------------------------------------------------------------------------

/// Camp staff plan the 2027 national camp (applications 04-01 to 05-31, camp 08-10 to
/// 08-14, tracks Web and Reversing) and open applications on their first day; returns the
/// cohort with its tracks.
async fn national_camp_2027(app: &TestApp) -> Value {
    let programs = read(app, None, PROGRAMS, json!({})).await;
    let national = &find(&programs["campPrograms"], "/kind", "NATIONAL")["id"];
    let input = json!({ "programId": national, "name": "全国大会2027",
        "startsOn": "2027-08-10", "endsOn": "2027-08-14", "venue": "東京都内の研修施設",
        "prefecture": "13", "capacity": 40,
        "applicationsOpenOn": "2027-04-01", "applicationsCloseOn": "2027-05-31",
        "questions": ["志望動機を書いてください。"],
        "tracks": [{ "name": "Web", "description": "講義と演習", "capacity": 20 },
                   { "name": "Reversing", "description": "講義と演習", "capacity": 20 }] });
    let staff = app.token(Role::CampStaff);
    let created = step(app, &staff, CREATE_COHORT, json!({ "input": input })).await;
    let cohort = advance(app, &created["cohort"], "APPLICATIONS_OPEN").await;
    with(cohort, json!({ "tracks": created["cohort"]["tracks"] }))
}

/// Camp staff move `cohort` on to `status`, on its date; returns the cohort after it.
async fn advance(app: &TestApp, cohort: &Value, status: &str) -> Value {
    let input = json!({ "cohortId": cohort["id"], "expectedVersion": cohort["version"],
                        "status": status });
    let staff = app.token(Role::CampStaff);
    let moved = step(app, &staff, ADVANCE_COHORT, json!({ "input": input })).await;
    assert_eq!(moved["cohort"]["status"], status, "{moved}");
    moved["cohort"].clone()
}

/// The camp applications the caller of `token` sees.
async fn applications(app: &TestApp, token: &str) -> Value {
    read(app, Some(token), MY_APPLICATIONS, json!({})).await["campApplications"].clone()
}

/// Camp staff decide `application`: `status`; returns the application after it.
async fn decide(app: &TestApp, application: &Value, status: &str) -> Value {
    let input = json!({ "decisions": [{ "applicationId": application, "status": status }] });
    let staff = app.token(Role::CampStaff);
    let decided = step(app, &staff, DECIDE_APPLICATIONS, json!({ "input": input })).await;
    decided["applications"][0].clone()
}

#[tokio::test]
async fn a_camp_applicant_is_selected_completes_and_joins_the_alumni_community() {
    let app = app_on("2027-04-01").await;
    let cohort = national_camp_2027(&app).await;
    let open = read(&app, None, OPEN_COHORTS, json!({})).await;
    assert_eq!(
        open["campCohorts"]["nodes"],
        json!([{ "name": "全国大会2027", "acceptingApplications": true }])
    );

    // Two people save their details once; one of them applies, with her answers. She
    // sees her own application; the other sees none.
    let (hanako, taro) = (app.person_token("hanako"), app.person_token("taro"));
    for (token, name) in [(&hanako, "情報 花子"), (&taro, "情報 太郎")] {
        let details = json!({ "name": name, "nameKana": "ジョウホウ", "birthDate": "2006-05-01",
                              "email": "person@example.jp", "prefecture": "27" });
        step(&app, token, SAVE_PERSON, json!({ "input": details })).await;
    }
    let input = json!({ "cohortId": cohort["id"], "preferredTrackIds": [cohort["tracks"][0]["id"]],
                        "answers": ["Webアプリの脆弱性診断を学びたいです。"] });
    let applied = step(&app, &hanako, APPLY_TO_CAMP, json!({ "input": input })).await;
    let application = applied["application"]["id"].clone();
    let mine = json!({ "totalCount": 1, "nodes": [{ "status": "APPLIED", "track": null }] });
    assert_eq!(applications(&app, &hanako).await, mine);
    assert_eq!(applications(&app, &taro).await["totalCount"], 0);

    // Applications closed, selection opens the day after; she is selected in the track
    // she preferred.
    app.travel_to(d("2027-06-01"));
    let cohort = advance(&app, &cohort, "SELECTING").await;
    decide(&app, &application, "SELECTED").await;
    let mine =
        json!({ "totalCount": 1, "nodes": [{ "status": "SELECTED", "track": { "name": "Web" } }] });
    assert_eq!(applications(&app, &hanako).await, mine);

    // The camp runs from its first day; she attends and, on its last day, completes it.
    app.travel_to(d("2027-08-10"));
    let cohort = advance(&app, &cohort, "IN_SESSION").await;
    decide(&app, &application, "ATTENDED").await;
    app.travel_to(d("2027-08-14"));
    assert_eq!(
        decide(&app, &application, "COMPLETED").await["status"],
        "COMPLETED"
    );
    advance(&app, &cohort, "COMPLETED").await;
    assert_eq!(
        read(&app, Some(&hanako), ME_AS_PERSON, json!({})).await["myPerson"],
        json!({ "isAlumnus": true, "completedCohorts": [{ "name": "全国大会2027" }] })
    );

    // The alumna joins the community. Members see her; the public does not (a display name
    // is for alumni by default); someone who is no alumnus cannot join.
    let profile = json!({ "displayName": "はなこ", "interests": ["Web"], "openToMentoring": true });
    step(&app, &hanako, JOIN_COMMUNITY, json!({ "input": profile })).await;
    assert_eq!(
        read(&app, Some(&hanako), ALUMNI, json!({})).await["alumni"],
        json!({ "totalCount": 1, "nodes": [{ "displayName": "はなこ" }] })
    );
    assert_eq!(
        read(&app, None, ALUMNI, json!({})).await["alumni"]["totalCount"],
        0
    );
    let join = json!({ "input": { "displayName": "たろう" } });
    let not_alumnus = refused(&app, &taro, JOIN_COMMUNITY, join).await;
    assert!(
        not_alumnus["message"].as_str().unwrap().contains("alumn"),
        "{not_alumnus}"
    );

    // Camp staff schedule a reunion; she answers and holds a place; a non-member cannot.
    let input = json!({ "title": "全国大会2027 同窓会", "startsAt": "2027-09-11T01:00:00Z",
                        "endsAt": "2027-09-11T04:00:00Z", "online": true, "capacity": 30 });
    let staff = app.token(Role::CampStaff);
    let event =
        step(&app, &staff, CREATE_EVENT, json!({ "input": input })).await["event"]["id"].clone();
    let answer = json!({ "input": { "eventId": event } });
    let rsvp = step(&app, &hanako, RSVP, answer.clone()).await;
    assert_eq!(
        (&rsvp["rsvp"]["status"], &rsvp["event"]["placesLeft"]),
        (&json!("GOING"), &json!(29))
    );
    assert_eq!(
        read(&app, Some(&hanako), EVENTS, json!({})).await["communityEvents"]["nodes"],
        json!([{ "title": "全国大会2027 同窓会", "myRsvp": { "status": "GOING" } }])
    );
    let not_member = refused(&app, &taro, RSVP, answer).await;
    assert!(
        not_member["message"].as_str().unwrap().contains("member"),
        "{not_member}"
    );
}

// ---------------------------------------------------------------------------------------
// 6. An analyst.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_analysts_figures_agree_with_each_other() {
    // The demo data, on the first day of a month: the last month end is yesterday.
    let app = TestApp::seeded_at(600, japan_morning(d("2026-12-01"))).await;
    let analyst = app.token(Role::Analyst);
    let dates = json!({ "today": "2026-12-01", "monthEnd": "2026-11-30" });
    let figures = read(&app, Some(&analyst), FIGURES, dates).await;

    // Today's count, the target's progress and its gap agree.
    let progress = &figures["targetProgress"];
    assert_eq!(
        (&progress["asOf"], &progress["current"]),
        (&json!("2026-12-01"), &figures["today"])
    );
    let current = progress["current"].as_i64().unwrap();
    assert_eq!(progress["gap"].as_i64().unwrap(), 50_000 - current);

    // The series ends on the month end with that day's count, and each month's net flow
    // is the change of the count.
    let series = figures["specialistSeries"].as_array().unwrap();
    let last = series.last().unwrap();
    assert_eq!(
        (&last["endsOn"], &last["activeAtEnd"]),
        (&json!("2026-11-30"), &figures["monthEnd"])
    );
    for pair in series.windows(2) {
        let count = |p: &Value| p["activeAtEnd"].as_i64().unwrap();
        assert_eq!(
            count(&pair[1]) - count(&pair[0]),
            pair[1]["netFlow"].as_i64().unwrap(),
            "{pair:?}"
        );
    }

    // The breakdowns describe that month end: their total is its count; the cells shown
    // add up to it, but for what is withheld: nothing, or at least 10 people in two cells.
    for by in ["region", "prefecture"] {
        let table = &figures[by];
        assert_eq!(
            (&table["asOf"], &table["total"]),
            (&json!("2026-11-30"), &figures["monthEnd"])
        );
        let cells = table["cells"].as_array().unwrap();
        let shown: i64 = cells.iter().filter_map(|c| c["value"].as_i64()).sum();
        let withheld = cells.iter().filter(|c| c["suppressed"] == true).count();
        let rest = table["total"].as_i64().unwrap() - shown;
        assert!(
            (withheld == 0 && rest == 0) || (withheld >= 2 && rest >= 10),
            "{by}: {table}"
        );
    }

    // Matching: matched within filed, completed within ended, the rate their quotient,
    // and the ratings' distribution adds up to their count.
    let m = &figures["matchingPerformance"];
    let n = |field: &str| m[field].as_i64().unwrap();
    assert!(n("requestsMatched") <= n("requestsFiled"), "{m}");
    assert!(
        n("engagementsEnded") > 0,
        "the demo data has ended engagements: {m}"
    );
    let rate = n("engagementsCompleted") as f64 / n("engagementsEnded") as f64;
    assert!(
        (m["completionRate"].as_f64().unwrap() - rate).abs() < 1e-9,
        "{m}"
    );
    let stars = m["companyRatings"]["distribution"].as_array().unwrap();
    let rated: i64 = stars.iter().map(|v| v.as_i64().unwrap()).sum();
    assert_eq!(json!(rated), m["companyRatings"]["count"], "{m}");
}

#[tokio::test]
async fn an_analyst_never_reaches_a_person() {
    let app = TestApp::seeded_at(100, japan_morning(d("2026-12-01"))).await;
    let analyst = app.token(Role::Analyst);
    let staff = app.token(Role::ProgramStaff);
    let listed = read(&app, Some(&staff), PEOPLE, json!({})).await;
    let person = &listed["specialists"]["nodes"][0];
    let variables = json!({ "n": person["registrationNumber"], "id": person["id"] });

    // Every list of people, one person by number or by ID, a person behind a public
    // object, and the analyst's own personal data: refused, even where anonymous callers
    // may read it.
    for document in [
        "{ specialists(first: 1) { totalCount } }",
        "{ activeList(first: 1) { totalCount } }",
        "{ matches(first: 1) { totalCount } }",
        "{ consultationRequests(first: 1) { totalCount } }",
        "{ campApplications(first: 1) { totalCount } }",
        "{ alumni(first: 1) { totalCount } }",
        "{ deemedAttendanceClaims(first: 1) { totalCount } }",
        "query($n: String!) { specialist(registrationNumber: $n) { registrationNumber } }",
        "query($id: ID!) { node(id: $id) { id } }",
        r#"{ communityEvents(first: 1, filter: { from: "2000-01-01T00:00:00Z" }) {
             nodes { rsvps { status } } } }"#,
        "{ myPersonalData }",
    ] {
        let response = app.gql(Some(&analyst), document, variables.clone()).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{document}: {response}");
    }
    // The figures themselves are the analyst's.
    let count = read(
        &app,
        Some(&analyst),
        r#"{ specialistCount(asOf: "2026-12-01") }"#,
        json!({}),
    )
    .await;
    assert!(count["specialistCount"].as_i64().unwrap() > 0, "{count}");
}
