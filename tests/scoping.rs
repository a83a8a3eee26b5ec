//! Scope holds through every filter. For every scoped caller (support organizations,
//! companies, specialists, individuals, anonymous callers and staff outside the registry),
//! every list is read with every combination of its filters, each set to values taken from
//! rows that caller may not see, and by node ID; no foreign row comes back, and no count
//! includes one.

use std::collections::{BTreeSet, HashMap};

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use entities::{
    camp_application, company, consultation_request, deemed_attendance_claim, guidance_theme,
    matching, person, request_theme, specialist, support_organization,
};
use kakehashi::domain::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

use crate::support::TestApp;

type Ids = BTreeSet<i64>;

fn global_id(kind: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

fn key_of(id: &str) -> i64 {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).unwrap()).unwrap();
    text.rsplit_once(':').unwrap().1.parse().unwrap()
}

/// A list of the schema and the filters it takes.
struct List {
    field: &'static str,
    input: &'static str,
    /// The node type of its global IDs.
    kind: &'static str,
    /// Its order input.
    order: &'static str,
}

const SPECIALISTS: List = List {
    field: "specialists",
    input: "SpecialistFilterInput",
    kind: "Specialist",
    order: "SpecialistOrderInput",
};
const CLAIMS: List = List {
    field: "deemedAttendanceClaims",
    input: "DeemedAttendanceClaimFilterInput",
    kind: "DeemedAttendanceClaim",
    order: "DeemedAttendanceClaimOrderInput",
};
const COMPANIES: List = List {
    field: "companies",
    input: "CompanyFilterInput",
    kind: "Company",
    order: "CompanyOrderInput",
};
const REQUESTS: List = List {
    field: "consultationRequests",
    input: "ConsultationRequestFilterInput",
    kind: "ConsultationRequest",
    order: "ConsultationRequestOrderInput",
};
const MATCHES: List = List {
    field: "matches",
    input: "MatchFilterInput",
    kind: "Match",
    order: "MatchOrderInput",
};
const APPLICATIONS: List = List {
    field: "campApplications",
    input: "CampApplicationFilterInput",
    kind: "CampApplication",
    order: "CampApplicationOrderInput",
};

/// Every subset of `filters`, as filter objects (the empty one first).
fn combinations(filters: &[(&str, Value)]) -> Vec<Value> {
    (0..(1u32 << filters.len()))
        .map(|mask| {
            let mut object = serde_json::Map::new();
            for (i, (name, value)) in filters.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    object.insert((*name).to_owned(), value.clone());
                }
            }
            Value::Object(object)
        })
        .collect()
}

/// What the database holds, read directly, to judge what each caller may see.
struct World {
    companies: Vec<company::Model>,
    requests: Vec<consultation_request::Model>,
    matches: Vec<matching::Model>,
    sessions: Vec<entities::match_session::Model>,
    claims: Vec<deemed_attendance_claim::Model>,
    applications: Vec<camp_application::Model>,
    specialists: Vec<specialist::Model>,
    request_themes: HashMap<i64, String>,
}

/// Files a deemed-attendance claim for each of the first `n` active specialists with an
/// open cycle (the demo seed files none), so that the claims list has rows to hide.
async fn file_claims(app: &TestApp, n: usize) {
    use entities::{enums::renewal::CycleState, renewal_cycle};
    let open = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::State.eq(CycleState::Open))
        .order_by_asc(renewal_cycle::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let mut filed = 0;
    for cycle in open {
        let Some(holder) = specialist::Entity::find_by_id(cycle.specialist_id)
            .one(&app.db)
            .await
            .unwrap()
            .filter(|s| s.status == entities::enums::registry::SpecialistStatus::Active)
        else {
            continue;
        };
        let to = (cycle.starts_on + chrono::Days::new(30)).min(app.today());
        let response = app
            .gql(
                Some(&app.specialist_token(&holder.registration_number)),
                r#"mutation($id: ID!, $details: ClaimDetailsInput!) {
                  fileDeemedAttendanceClaim(input: { cycleId: $id, requirementCode: "PRACTICAL",
                    details: $details }) { claim { id } userErrors { message } } }"#,
                json!({ "id": global_id("RenewalCycle", cycle.id), "details": {
                    "activity": "Advisory visits to a manufacturer", "beneficiary": "株式会社さくら精機",
                    "periodFrom": cycle.starts_on.to_string(), "periodTo": to.to_string(),
                    "hours": 24.0, "evidenceLinks": ["https://example.jp/report.pdf"] } }),
            )
            .await;
        if !response["data"]["fileDeemedAttendanceClaim"]["claim"].is_null() {
            filed += 1;
            if filed == n {
                return;
            }
        }
    }
    panic!("filed only {filed} of {n} claims");
}

impl World {
    async fn read(app: &TestApp) -> Self {
        let themes: HashMap<i64, String> = guidance_theme::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.id, t.code))
            .collect();
        let mut request_themes = HashMap::new();
        for row in request_theme::Entity::find().all(&app.db).await.unwrap() {
            request_themes
                .entry(row.request_id)
                .or_insert_with(|| themes[&row.theme_id].clone());
        }
        Self {
            companies: company::Entity::find().all(&app.db).await.unwrap(),
            requests: consultation_request::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
            matches: matching::Entity::find().all(&app.db).await.unwrap(),
            sessions: entities::match_session::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
            claims: deemed_attendance_claim::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
            applications: camp_application::Entity::find().all(&app.db).await.unwrap(),
            specialists: specialist::Entity::find().all(&app.db).await.unwrap(),
            request_themes,
        }
    }
}

/// A scoped caller, its token and the rows of each list it may see.
struct Scoped {
    name: String,
    token: Option<String>,
    allowed: HashMap<&'static str, Ids>,
}

impl Scoped {
    fn new(name: String, token: Option<String>) -> Self {
        Self {
            name,
            token,
            allowed: HashMap::new(),
        }
    }
}

fn of_requests(world: &World, requests: &Ids) -> Ids {
    world
        .matches
        .iter()
        .filter(|m| requests.contains(&m.request_id))
        .map(|m| m.id)
        .collect()
}

/// Registrations a caller outside the registry staff may list: the active ones, and a
/// specialist's own.
fn listed(world: &World, own: Option<i64>) -> Ids {
    world
        .specialists
        .iter()
        .filter(|s| {
            s.status == entities::enums::registry::SpecialistStatus::Active || Some(s.id) == own
        })
        .map(|s| s.id)
        .collect()
}

async fn callers(app: &TestApp, world: &World) -> Vec<Scoped> {
    let mut callers = Vec::new();
    let organizations = support_organization::Entity::find()
        .order_by_asc(support_organization::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    // The organizations with the most requests of their companies: the richest scopes.
    let mut by_requests: Vec<(usize, &support_organization::Model)> = organizations
        .iter()
        .map(|o| {
            let companies: Ids = world
                .companies
                .iter()
                .filter(|c| c.support_organization_id == Some(o.id))
                .map(|c| c.id)
                .collect();
            let n = world
                .requests
                .iter()
                .filter(|r| companies.contains(&r.company_id))
                .count();
            (n, o)
        })
        .collect();
    by_requests.sort_by_key(|(n, o)| (std::cmp::Reverse(*n), o.id));
    for (_, org) in by_requests.iter().take(3) {
        let companies: Ids = world
            .companies
            .iter()
            .filter(|c| c.support_organization_id == Some(org.id))
            .map(|c| c.id)
            .collect();
        let requests: Ids = world
            .requests
            .iter()
            .filter(|r| r.organization_id == Some(org.id) || companies.contains(&r.company_id))
            .map(|r| r.id)
            .collect();
        let mut caller = Scoped::new(
            format!("organization {}", org.code),
            Some(app.org_token(&org.code)),
        );
        caller
            .allowed
            .insert("Match", of_requests(world, &requests));
        caller.allowed.insert("Company", companies);
        caller.allowed.insert("ConsultationRequest", requests);
        caller.allowed.insert("Specialist", listed(world, None));
        callers.push(caller);
    }
    // Companies with requests.
    let mut with_requests: Vec<i64> = world.requests.iter().map(|r| r.company_id).collect();
    with_requests.sort_unstable();
    with_requests.dedup();
    for id in with_requests.iter().take(3) {
        let company = world.companies.iter().find(|c| c.id == *id).unwrap();
        let requests: Ids = world
            .requests
            .iter()
            .filter(|r| r.company_id == company.id)
            .map(|r| r.id)
            .collect();
        let mut caller = Scoped::new(
            format!("company {}", company.corporate_number),
            Some(app.company_token(&company.corporate_number)),
        );
        caller
            .allowed
            .insert("Match", of_requests(world, &requests));
        caller.allowed.insert("Company", Ids::from([company.id]));
        caller.allowed.insert("ConsultationRequest", requests);
        caller.allowed.insert("Specialist", listed(world, None));
        callers.push(caller);
    }
    // Specialists with matches, and ones with claims (some of them no longer active).
    let mut specialists: Vec<i64> = world.matches.iter().map(|m| m.specialist_id).collect();
    specialists.sort_unstable();
    specialists.dedup();
    specialists.truncate(2);
    let mut claimants: Vec<i64> = world.claims.iter().map(|c| c.specialist_id).collect();
    claimants.sort_unstable();
    claimants.dedup();
    if let Some(claimant) = claimants.iter().find(|id| !specialists.contains(id)) {
        specialists.push(*claimant);
    }
    if let Some(inactive) = world
        .specialists
        .iter()
        .find(|s| s.status != entities::enums::registry::SpecialistStatus::Active)
    {
        specialists.push(inactive.id);
    }
    for id in specialists {
        let row = world.specialists.iter().find(|s| s.id == id).unwrap();
        let matches: Ids = world
            .matches
            .iter()
            .filter(|m| m.specialist_id == id)
            .map(|m| m.id)
            .collect();
        let requests: Ids = world
            .matches
            .iter()
            .filter(|m| m.specialist_id == id)
            .map(|m| m.request_id)
            .collect();
        let mut caller = Scoped::new(
            format!("specialist {} ({})", row.registration_number, row.status),
            Some(app.specialist_token(&row.registration_number)),
        );
        // The companies of their matches, whose names they see from a proposal on.
        let companies: Ids = world
            .requests
            .iter()
            .filter(|r| requests.contains(&r.id))
            .map(|r| r.company_id)
            .collect();
        caller.allowed.insert("Match", matches);
        caller.allowed.insert("ConsultationRequest", requests);
        caller.allowed.insert("Company", companies);
        caller.allowed.insert(
            "DeemedAttendanceClaim",
            world
                .claims
                .iter()
                .filter(|c| c.specialist_id == id)
                .map(|c| c.id)
                .collect(),
        );
        caller.allowed.insert("Specialist", listed(world, Some(id)));
        callers.push(caller);
    }
    // Individuals with camp applications: two seeded applicants sign in.
    let mut applicants: Vec<i64> = world.applications.iter().map(|a| a.person_id).collect();
    applicants.sort_unstable();
    applicants.dedup();
    assert!(applicants.len() >= 2, "too few applicants seeded");
    for (i, id) in applicants.iter().take(2).enumerate() {
        let mut row: person::ActiveModel = person::Entity::find_by_id(*id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
        row.subject = Set(Some(format!("applicant-{i}")));
        row.update(&app.db).await.unwrap();
    }
    let people = person::Entity::find()
        .filter(person::Column::Subject.is_not_null())
        .order_by_asc(person::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    for person in people
        .iter()
        .filter(|p| world.applications.iter().any(|a| a.person_id == p.id))
        .take(2)
    {
        let subject = person.subject.clone().unwrap();
        let mut caller = Scoped::new(
            format!("person {subject}"),
            Some(app.person_token(&subject)),
        );
        caller.allowed.insert(
            "CampApplication",
            world
                .applications
                .iter()
                .filter(|a| a.person_id == person.id)
                .map(|a| a.id)
                .collect(),
        );
        caller.allowed.insert("Specialist", listed(world, None));
        callers.push(caller);
    }
    // Callers who see only the public registry; camp staff also every application.
    let mut anonymous = Scoped::new("anonymous".to_owned(), None);
    anonymous.allowed.insert("Specialist", listed(world, None));
    callers.push(anonymous);
    let mut camp_staff = Scoped::new("camp staff".to_owned(), Some(app.token(Role::CampStaff)));
    camp_staff.allowed.insert("Specialist", listed(world, None));
    camp_staff.allowed.insert(
        "CampApplication",
        world.applications.iter().map(|a| a.id).collect(),
    );
    callers.push(camp_staff);
    callers
}

async fn enum_values(app: &TestApp, name: &str) -> Value {
    let response = app
        .gql(
            None,
            "query($name: String!) { __type(name: $name) { enumValues { name } } }",
            json!({ "name": name }),
        )
        .await;
    Value::Array(
        response["data"]["__type"]["enumValues"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum {name}"))
            .iter()
            .map(|v| v["name"].clone())
            .collect(),
    )
}

/// The filters of each list, set to values from rows `allowed` leaves out.
async fn foreign_filters(
    app: &TestApp,
    world: &World,
    caller: &Scoped,
) -> Vec<(&'static List, Vec<(&'static str, Value)>)> {
    let outside = |kind: &str, id: i64| !caller.allowed.get(kind).is_some_and(|a| a.contains(&id));
    let mut lists = Vec::new();

    let hidden = world
        .specialists
        .iter()
        .find(|s| outside("Specialist", s.id))
        .unwrap_or(&world.specialists[0]);
    lists.push((
        &SPECIALISTS,
        vec![
            ("statuses", enum_values(app, "SpecialistStatus").await),
            (
                "prefectures",
                Value::Array((1..=47).map(|n| json!(format!("{n:02}"))).collect()),
            ),
            (
                "nameContains",
                json!(hidden.family_name.chars().next().unwrap().to_string()),
            ),
            ("registeredFrom", json!("2000-01-01")),
            ("registeredTo", json!("2035-12-31")),
            ("updatedSince", json!(EPOCH)),
        ],
    ));

    if let Some(claim) = world
        .claims
        .iter()
        .find(|c| outside("DeemedAttendanceClaim", c.id))
    {
        lists.push((
            &CLAIMS,
            vec![
                (
                    "statuses",
                    enum_values(app, "DeemedAttendanceClaimStatus").await,
                ),
                ("cycles", json!([global_id("RenewalCycle", claim.cycle_id)])),
                ("updatedSince", json!(EPOCH)),
            ],
        ));
    }

    if let Some(company) = world.companies.iter().find(|c| outside("Company", c.id)) {
        lists.push((
            &COMPANIES,
            vec![
                ("prefectures", json!([company.prefecture_code])),
                ("industries", enum_values(app, "Industry").await),
                ("isSme", json!(company.is_sme)),
                ("updatedSince", json!(EPOCH)),
            ],
        ));
    }

    if let Some(request) = world
        .requests
        .iter()
        .find(|r| outside("ConsultationRequest", r.id))
    {
        let mut filters = vec![
            (
                "statuses",
                enum_values(app, "ConsultationRequestStatus").await,
            ),
            (
                "companies",
                json!([global_id("Company", request.company_id)]),
            ),
            ("prefectures", json!([request.prefecture_code])),
            ("updatedSince", json!(EPOCH)),
        ];
        if let Some(theme) = world.request_themes.get(&request.id) {
            filters.push(("themes", json!([theme])));
        }
        lists.push((&REQUESTS, filters));
    }

    if let Some(found) = world.matches.iter().find(|m| outside("Match", m.id)) {
        lists.push((
            &MATCHES,
            vec![
                ("statuses", enum_values(app, "MatchStatus").await),
                (
                    "requests",
                    json!([global_id("ConsultationRequest", found.request_id)]),
                ),
                ("updatedSince", json!(EPOCH)),
            ],
        ));
    }

    if let Some(application) = world
        .applications
        .iter()
        .find(|a| outside("CampApplication", a.id))
    {
        let mut filters = vec![
            ("statuses", enum_values(app, "CampApplicationStatus").await),
            (
                "cohorts",
                json!([global_id("CampCohort", application.cohort_id)]),
            ),
            ("updatedSince", json!(EPOCH)),
        ];
        if let Some(track) = world
            .applications
            .iter()
            .filter(|a| outside("CampApplication", a.id))
            .find_map(|a| a.track_id)
        {
            filters.push(("tracks", json!([global_id("CampTrack", track)])));
        }
        lists.push((&APPLICATIONS, filters));
    }
    lists
}

/// The time a sync from the beginning asks for: before every row.
const EPOCH: &str = "2000-01-01T00:00:00Z";

/// Reads one page of a list: its total count and the keys of its nodes; `None` when the
/// caller is refused the list altogether (which shows nothing). A filter with
/// `updatedSince` is read in the `UPDATED_AT` order, as a mirror reads it.
async fn read(
    app: &TestApp,
    token: Option<&str>,
    list: &List,
    filter: &Value,
) -> Option<(u64, Ids)> {
    let query = format!(
        "query($filter: {input}, $order: {order}) {{ {field}(first: 100, filter: $filter, \
         orderBy: $order) {{ totalCount edges {{ node {{ id }} }} }} }}",
        input = list.input,
        order = list.order,
        field = list.field,
    );
    let order = if filter.get("updatedSince").is_some() {
        json!({ "field": "UPDATED_AT" })
    } else {
        Value::Null
    };
    let response = app
        .gql(token, &query, json!({ "filter": filter, "order": order }))
        .await;
    if let Some(errors) = response["errors"].as_array() {
        let code = errors[0]["extensions"]["code"].as_str().unwrap_or_default();
        assert!(
            matches!(code, "FORBIDDEN" | "UNAUTHENTICATED"),
            "{} with {filter}: {response}",
            list.field
        );
        return None;
    }
    let connection = &response["data"][list.field];
    let ids = connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| key_of(e["node"]["id"].as_str().unwrap()))
        .collect();
    Some((connection["totalCount"].as_u64().unwrap(), ids))
}

#[tokio::test]
async fn no_filter_of_any_list_widens_what_a_scoped_caller_sees() {
    let app = TestApp::seeded(300).await;
    file_claims(&app, 3).await;
    let world = World::read(&app).await;
    assert!(!world.requests.is_empty() && !world.matches.is_empty());
    let callers = callers(&app, &world).await;
    assert!(callers.len() >= 10, "{} callers", callers.len());
    assert!(
        callers
            .iter()
            .filter(|c| c.name.starts_with("person"))
            .count()
            == 2,
        "no individuals among the callers"
    );
    let mut reads = 0;
    let mut tried: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for caller in &callers {
        for (list, filters) in foreign_filters(&app, &world, caller).await {
            tried
                .entry(list.input)
                .or_default()
                .extend(filters.iter().map(|(name, _)| *name));
            let allowed = caller.allowed.get(list.kind).cloned().unwrap_or_default();
            for filter in combinations(&filters) {
                reads += 1;
                let Some((total, ids)) = read(&app, caller.token.as_deref(), list, &filter).await
                else {
                    continue;
                };
                let foreign: Vec<&i64> = ids.difference(&allowed).collect();
                assert!(
                    foreign.is_empty(),
                    "{} read foreign {} {foreign:?} with {filter}",
                    caller.name,
                    list.field
                );
                assert!(
                    total <= allowed.len() as u64,
                    "{} counted {total} {} with {filter}; may see {}",
                    caller.name,
                    list.field,
                    allowed.len()
                );
                if total <= 100 {
                    assert_eq!(total, ids.len() as u64, "{} {filter}", caller.name);
                }
            }
        }
    }
    assert!(reads > 300, "only {reads} reads");
    // Every filter the schema offers on these lists was tried: a new one cannot slip by.
    for list in [
        &SPECIALISTS,
        &CLAIMS,
        &COMPANIES,
        &REQUESTS,
        &MATCHES,
        &APPLICATIONS,
    ] {
        let response = app
            .gql(
                None,
                "query($name: String!) { __type(name: $name) { inputFields { name } } }",
                json!({ "name": list.input }),
            )
            .await;
        let offered: BTreeSet<&str> = response["data"]["__type"]["inputFields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            tried.get(list.input).cloned().unwrap_or_default(),
            offered,
            "filters of {} tried against the schema's",
            list.field
        );
    }
}

#[tokio::test]
async fn no_node_id_reaches_a_row_outside_the_callers_scope() {
    let app = TestApp::seeded(300).await;
    file_claims(&app, 3).await;
    let world = World::read(&app).await;
    let mut callers = callers(&app, &world).await;
    // A session is seen by whoever sees its match.
    for caller in &mut callers {
        let matches = caller.allowed.get("Match").cloned().unwrap_or_default();
        let sessions = world
            .sessions
            .iter()
            .filter(|s| matches.contains(&s.match_id))
            .map(|s| s.id)
            .collect();
        caller.allowed.insert("MatchSession", sessions);
    }
    assert!(!world.sessions.is_empty(), "the seed logs no sessions");
    let every: Vec<(&str, Vec<i64>)> = vec![
        (
            "Specialist",
            world.specialists.iter().map(|s| s.id).collect(),
        ),
        ("Company", world.companies.iter().map(|c| c.id).collect()),
        (
            "ConsultationRequest",
            world.requests.iter().map(|r| r.id).collect(),
        ),
        ("Match", world.matches.iter().map(|m| m.id).collect()),
        (
            "MatchSession",
            world.sessions.iter().map(|s| s.id).collect(),
        ),
        (
            "DeemedAttendanceClaim",
            world.claims.iter().map(|c| c.id).collect(),
        ),
        (
            "CampApplication",
            world.applications.iter().map(|a| a.id).collect(),
        ),
    ];
    for caller in &callers {
        for (kind, ids) in &every {
            let allowed = caller.allowed.get(kind).cloned().unwrap_or_default();
            for chunk in ids.chunks(100) {
                let globals: Vec<String> = chunk.iter().map(|id| global_id(kind, *id)).collect();
                let response = app
                    .gql(
                        caller.token.as_deref(),
                        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                        json!({ "ids": globals }),
                    )
                    .await;
                let Some(nodes) = response["data"]["nodes"].as_array() else {
                    // Refused outright (an analyst-like refusal): nothing seen.
                    continue;
                };
                for node in nodes.iter().filter(|n| !n.is_null()) {
                    let key = key_of(node["id"].as_str().unwrap());
                    assert!(
                        allowed.contains(&key),
                        "{} reached {kind} {key} by its node ID",
                        caller.name
                    );
                }
            }
        }
    }
}

/// The part of what is held that a caller of this kind may ask to erase.
fn erasable_part(caller: &Scoped) -> Option<&'static str> {
    let kind = caller.name.split(' ').next().unwrap_or_default();
    match kind {
        "specialist" => Some("ACTIVE_LIST_ENTRY"),
        "person" => Some("COMMUNITY_PROFILE"),
        "company" => Some("COMPANY_CONTACT"),
        _ => None,
    }
}

#[tokio::test]
async fn no_caller_reads_another_persons_erasure_requests() {
    let app = TestApp::seeded(300).await;
    file_claims(&app, 3).await;
    let world = World::read(&app).await;
    let callers = callers(&app, &world).await;
    let staff = app.token(Role::ProgramStaff);
    // Every requester asks once; every other request is refused, so statuses differ.
    let mut own: HashMap<String, i64> = HashMap::new();
    for (i, caller) in callers.iter().enumerate() {
        let Some(part) = erasable_part(caller) else {
            continue;
        };
        let asked = app
            .gql(
                caller.token.as_deref(),
                "mutation($p: ErasurePart!) { requestErasure(input: { kind: STOP_OF_USE,
                 parts: [$p], reason: \"test\" }) { request { id } userErrors { message } } }",
                json!({ "p": part }),
            )
            .await;
        let id = asked["data"]["requestErasure"]["request"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: {asked}", caller.name))
            .to_owned();
        if i % 2 == 0 {
            app.gql(
                Some(&staff),
                "mutation($id: ID!) { decideErasureRequest(input: { requestId: $id,
                 decision: REFUSE, reason: \"test\" }) { userErrors { message } } }",
                json!({ "id": id }),
            )
            .await;
        }
        own.insert(caller.name.clone(), key_of(&id));
    }
    assert!(own.len() >= 8, "{} requesters", own.len());
    let every: Vec<String> = own
        .values()
        .map(|id| global_id("ErasureRequest", *id))
        .collect();
    let statuses = ["REQUESTED", "CARRIED_OUT", "REFUSED"];
    for caller in &callers {
        let allowed: Ids = own.get(&caller.name).into_iter().copied().collect();
        for mask in 0..(1u32 << statuses.len()) {
            let chosen: Vec<&str> = statuses
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, s)| *s)
                .collect();
            let response = app
                .gql(
                    caller.token.as_deref(),
                    "query($s: [ErasureStatus!]) { erasureRequests(first: 100, statuses: $s) {
                     totalCount nodes { id } } }",
                    json!({ "s": chosen }),
                )
                .await;
            let Some(list) = response["data"]["erasureRequests"].as_object() else {
                continue; // refused outright: sees nothing
            };
            let seen: Ids = list["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| key_of(n["id"].as_str().unwrap()))
                .collect();
            assert!(
                seen.is_subset(&allowed),
                "{} read {seen:?} with {chosen:?}",
                caller.name
            );
            assert!(list["totalCount"].as_u64().unwrap() <= allowed.len() as u64);
        }
        let nodes = app
            .gql(
                caller.token.as_deref(),
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({ "ids": every }),
            )
            .await;
        for node in nodes["data"]["nodes"].as_array().into_iter().flatten() {
            if let Some(id) = node["id"].as_str() {
                assert!(
                    allowed.contains(&key_of(id)),
                    "{} reached request {id} by its node ID",
                    caller.name
                );
            }
        }
    }
}

/// The `specialist` edge of a claim and of its cycle names the claimant, and a specialist
/// reaching them through their own claims reads no one else: the nested edges of work
/// items widen nothing.
#[tokio::test]
async fn the_specialist_edges_of_a_specialists_own_work_name_only_them() {
    let app = TestApp::seeded(120).await;
    file_claims(&app, 2).await;
    let world = World::read(&app).await;
    assert!(world.claims.len() >= 2, "{} claims", world.claims.len());
    for claim in &world.claims {
        let holder = world
            .specialists
            .iter()
            .find(|s| s.id == claim.specialist_id)
            .unwrap();
        let number = &holder.registration_number;
        let response = app
            .gql(
                Some(&app.specialist_token(number)),
                "{ deemedAttendanceClaims(first: 100) { nodes {
                     specialist { registrationNumber }
                     cycle { specialist { registrationNumber } } } } }",
                json!({}),
            )
            .await;
        let nodes = response["data"]["deemedAttendanceClaims"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{response}"));
        assert!(!nodes.is_empty(), "{response}");
        for node in nodes {
            assert_eq!(node["specialist"]["registrationNumber"], *number, "{node}");
            assert_eq!(
                node["cycle"]["specialist"]["registrationNumber"], *number,
                "{node}"
            );
        }
    }
}
