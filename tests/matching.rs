//! SMEs, support organizations and consultation requests: registration rules (corporate
//! number, SME Basic Act), the self-assessment, filing and cancelling requests, who sees
//! what, and what a page costs.

use kakehashi::domain::Role;
use serde_json::{Value, json};

use crate::support::{
    Operation, TestApp, assert_authorization, error_code,
    factories::matching::{
        CREATE_ORG, REGISTER_COMPANY, company_input, file_request, number, organization,
        register_company,
    },
};

const REQUESTS: &str = r#"{ consultationRequests(first: 50) { totalCount
  nodes { id status company { corporateNumber contact { email } } } } }"#;

async fn visible_requests(app: &TestApp, token: &str) -> usize {
    let response = app.gql(Some(token), REQUESTS, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let nodes = response["data"]["consultationRequests"]["nodes"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        response["data"]["consultationRequests"]["totalCount"],
        json!(nodes)
    );
    nodes
}

#[tokio::test]
async fn organizations_are_registered_by_staff_and_listed_publicly() {
    let app = TestApp::spawn().await;
    let id = organization(&app, "TOKYO_CCI").await;
    let staff = app.token(Role::ProgramStaff);
    let duplicate = app
        .gql(
            Some(&staff),
            CREATE_ORG,
            json!({ "input": { "code": "TOKYO_CCI", "name": "x", "kind": "OTHER",
                    "prefectures": ["99"], "contactEmail": "not-an-email" } }),
        )
        .await;
    let errors = duplicate["data"]["createSupportOrganization"]["userErrors"]
        .as_array()
        .unwrap();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| {
            e["field"]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        fields.contains(&"0") && fields.contains(&"contactEmail"),
        "{duplicate}"
    );

    let listed = app
        .gql(
            None,
            r#"{ supportOrganizations(filter: { prefectures: ["14"] }) { totalCount
                 nodes { id code prefectures { code } } } }"#,
            json!({}),
        )
        .await;
    let list = &listed["data"]["supportOrganizations"];
    assert_eq!(list["totalCount"], 1, "{listed}");
    assert_eq!(list["nodes"][0]["id"], json!(id));
    assert_eq!(
        list["nodes"][0]["prefectures"],
        json!([{ "code": "13" }, { "code": "14" }])
    );
    let elsewhere = app
        .gql(
            None,
            r#"{ supportOrganizations(filter: { prefectures: ["01"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(elsewhere["data"]["supportOrganizations"]["totalCount"], 0);

    let update = r#"mutation($input: UpdateSupportOrganizationInput!) {
      updateSupportOrganization(input: $input) { organization { name version }
        userErrors { code } } }"#;
    let changed = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": id, "expectedVersion": 1, "name": "東京商工会議所" } }),
        )
        .await;
    assert_eq!(
        changed["data"]["updateSupportOrganization"]["organization"],
        json!({ "name": "東京商工会議所", "version": 2 })
    );
    let stale = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": id, "expectedVersion": 1, "name": "古い名前" } }),
        )
        .await;
    assert_eq!(
        stale["data"]["updateSupportOrganization"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

#[tokio::test]
async fn companies_are_checked_and_classified_under_the_sme_basic_act() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);

    // A wrong check digit, a division spanning two sectors without one named, bad kana:
    // every problem reported, nothing written.
    let mut bad = company_input(&number(1));
    let mut wrong_digit = number(1).into_bytes();
    wrong_digit[0] = if wrong_digit[0] == b'9' {
        b'1'
    } else {
        wrong_digit[0] + 1
    };
    bad["corporateNumber"] = json!(String::from_utf8(wrong_digit).unwrap());
    bad["industry"] = json!("WHOLESALE_AND_RETAIL");
    bad["nameKana"] = json!("kakehashi");
    let refused = register_company(&app, &staff, bad).await;
    let mut fields: Vec<String> = refused["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"][1].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["corporateNumber", "nameKana", "smeSector"],
        "{refused}"
    );
    assert_eq!(app.count(entities::company::Entity).await, 0);

    // Manufacturing: ¥300M or 300 people. 40 people: an SME whatever the capital.
    let mut big_capital = company_input(&number(2));
    big_capital["capitalYen"] = json!(5_000_000_000_i64);
    let made = register_company(&app, &staff, big_capital).await;
    assert_eq!(made["userErrors"], json!([]), "{made}");
    assert_eq!(made["company"]["isSme"], true);
    assert_eq!(made["company"]["smeSector"], "MANUFACTURING_AND_OTHERS");
    assert_eq!(made["company"]["capitalYen"], 5_000_000_000_i64);

    // Retail: ¥50M or 50 people; above both lines it is not an SME.
    let mut shop = company_input(&number(3));
    shop["industry"] = json!("WHOLESALE_AND_RETAIL");
    shop["smeSector"] = json!("RETAIL");
    shop["employees"] = json!(51);
    shop["capitalYen"] = json!(50_000_001);
    let shop = register_company(&app, &staff, shop).await;
    assert_eq!(shop["company"]["isSme"], false, "{shop}");
    // The same company as wholesale (¥100M or 100 people) is one.
    let update = r#"mutation($input: UpdateCompanyInput!) { updateCompany(input: $input) {
      company { isSme smeSector version } userErrors { field code } } }"#;
    let wholesale = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": shop["company"]["id"], "expectedVersion": 1,
                    "smeSector": "WHOLESALE" } }),
        )
        .await;
    assert_eq!(
        wholesale["data"]["updateCompany"]["company"],
        json!({ "isSme": true, "smeSector": "WHOLESALE", "version": 2 }),
        "{wholesale}"
    );
    // A sector that contradicts the division is refused.
    let contradiction = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": made["company"]["id"], "expectedVersion": 1,
                    "smeSector": "RETAIL" } }),
        )
        .await;
    assert_eq!(
        contradiction["data"]["updateCompany"]["userErrors"][0]["field"],
        json!(["input", "smeSector"])
    );

    // The same corporate number twice is a conflict.
    let again = register_company(&app, &staff, company_input(&number(2))).await;
    assert_eq!(again["userErrors"][0]["code"], "CONFLICT", "{again}");
}

/// Two organizations, YOKOHAMA_CCI and OTHER_CCI, the company user of number 10 and the
/// tokens of both organizations' staff.
struct Managers {
    app: TestApp,
    /// The global ID of YOKOHAMA_CCI.
    org: String,
    /// The global ID of OTHER_CCI.
    other: String,
    /// The corporate number of the user's company.
    own: String,
    user: String,
    org_staff: String,
    other_org: String,
}

impl Managers {
    async fn new() -> Self {
        let app = TestApp::spawn().await;
        let org = organization(&app, "YOKOHAMA_CCI").await;
        let other = organization(&app, "OTHER_CCI").await;
        let own = number(10);
        Self {
            user: app.company_token(&own),
            org_staff: app.org_token("YOKOHAMA_CCI"),
            other_org: app.org_token("OTHER_CCI"),
            app,
            org,
            other,
            own,
        }
    }

    /// The user's company, registered by the user; returns the payload.
    async fn register_mine(&self) -> Value {
        register_company(&self.app, &self.user, company_input(&self.own)).await
    }

    /// Puts the company of `mine` (at version 1) in YOKOHAMA_CCI's care as the caller of
    /// `token`; returns the response.
    async fn move_to_org(&self, token: &str, mine: &Value) -> Value {
        let move_to = r#"mutation($input: UpdateCompanyInput!) { updateCompany(input: $input) {
          company { supportOrganization { code } version } userErrors { field code } } }"#;
        let moving = json!({ "input": { "id": mine["company"]["id"], "expectedVersion": 1,
                                        "supportOrganizationId": self.org } });
        self.app.gql(Some(token), move_to, moving).await
    }

    /// The company of number 12, registered by YOKOHAMA_CCI's staff for their
    /// organization; returns the payload.
    async fn register_theirs(&self) -> Value {
        let mut own_named = company_input(&number(12));
        own_named["supportOrganizationId"] = json!(self.org);
        register_company(&self.app, &self.org_staff, own_named).await
    }

    /// The user's company in YOKOHAMA_CCI's care (as registry staff recorded), and the one
    /// YOKOHAMA_CCI registered; returns both payloads.
    async fn both_companies(&self) -> (Value, Value) {
        let mine = self.register_mine().await;
        let staff = self.app.token(Role::ProgramStaff);
        let recorded = self.move_to_org(&staff, &mine).await;
        assert_eq!(
            recorded["data"]["updateCompany"]["userErrors"],
            json!([]),
            "{recorded}"
        );
        (mine, self.register_theirs().await)
    }
}

#[tokio::test]
async fn a_company_user_registers_only_the_company_of_their_account() {
    let managers = Managers::new().await;
    let foreign = managers
        .app
        .gql(
            Some(&managers.user),
            REGISTER_COMPANY,
            json!({ "input": company_input(&number(11)) }),
        )
        .await;
    assert_eq!(error_code(&foreign), "FORBIDDEN", "{foreign}");
}

/// A company cannot place itself in an organization's care (and so in its view): the
/// organization takes it on, or registry staff record the support agreed.
#[tokio::test]
async fn a_company_cannot_place_itself_in_an_organizations_care() {
    let managers = Managers::new().await;
    let mut asking = company_input(&managers.own);
    asking["supportOrganizationId"] = json!(managers.org);
    let refused = managers
        .app
        .gql(
            Some(&managers.user),
            REGISTER_COMPANY,
            json!({ "input": asking }),
        )
        .await;
    assert_eq!(
        refused["data"]["registerCompany"]["userErrors"][0]["field"],
        json!(["input", "supportOrganizationId"]),
        "{refused}"
    );
    let mine = managers.register_mine().await;
    assert!(mine["company"]["supportOrganization"].is_null(), "{mine}");
    let refused = managers.move_to_org(&managers.user, &mine).await;
    assert_eq!(
        refused["data"]["updateCompany"]["userErrors"][0]["field"],
        json!(["input", "supportOrganizationId"]),
        "{refused}"
    );
}

#[tokio::test]
async fn registry_staff_record_the_support_an_organization_agreed() {
    let managers = Managers::new().await;
    let mine = managers.register_mine().await;
    let staff = managers.app.token(Role::ProgramStaff);
    let recorded = managers.move_to_org(&staff, &mine).await;
    assert_eq!(
        recorded["data"]["updateCompany"]["company"]["supportOrganization"]["code"], "YOKOHAMA_CCI",
        "{recorded}"
    );
}

#[tokio::test]
async fn a_company_user_reads_the_company_of_their_account() {
    let managers = Managers::new().await;
    managers.register_mine().await;
    let my_company = managers
        .app
        .gql(
            Some(&managers.user),
            "{ myCompany { corporateNumber } }",
            json!({}),
        )
        .await;
    assert_eq!(
        my_company["data"]["myCompany"]["corporateNumber"],
        json!(managers.own)
    );
}

/// Organization staff register for their own organization: naming another is an error,
/// not quietly ignored.
#[tokio::test]
async fn organization_staff_register_companies_for_their_own_organization_only() {
    let managers = Managers::new().await;
    let mut elsewhere = company_input(&number(12));
    elsewhere["supportOrganizationId"] = json!(managers.other);
    let refused = managers
        .app
        .gql(
            Some(&managers.org_staff),
            REGISTER_COMPANY,
            json!({ "input": elsewhere }),
        )
        .await;
    assert_eq!(
        refused["data"]["registerCompany"]["userErrors"][0]["field"],
        json!(["input", "supportOrganizationId"]),
        "{refused}"
    );
    let theirs = managers.register_theirs().await;
    assert_eq!(
        theirs["company"]["supportOrganization"]["code"],
        "YOKOHAMA_CCI"
    );
}

/// Who sees which company, through node and the list.
#[tokio::test]
async fn each_caller_sees_only_the_companies_they_act_for() {
    let managers = Managers::new().await;
    let (mine, theirs) = managers.both_companies().await;
    let Managers {
        app,
        user,
        org_staff,
        other_org,
        ..
    } = &managers;
    let node = r#"query($id: ID!) { node(id: $id) { ... on Company { corporateNumber } } }"#;
    let sees = |token: String, id: Value| async move {
        let r = app.gql(Some(&token), node, json!({ "id": id })).await;
        assert!(r["errors"].is_null(), "{r}");
        !r["data"]["node"].is_null()
    };
    assert!(sees(user.clone(), mine["company"]["id"].clone()).await);
    assert!(!sees(user.clone(), theirs["company"]["id"].clone()).await);
    assert!(sees(org_staff.clone(), mine["company"]["id"].clone()).await);
    assert!(!sees(other_org.clone(), mine["company"]["id"].clone()).await);
    assert!(!sees(app.token(Role::Specialist), mine["company"]["id"].clone()).await);
    let analyst = app
        .gql(
            Some(&app.token(Role::Analyst)),
            node,
            json!({ "id": mine["company"]["id"] }),
        )
        .await;
    assert_eq!(error_code(&analyst), "FORBIDDEN");
    let list = r#"{ companies { totalCount } }"#;
    for (token, expected) in [
        (org_staff.clone(), 2),
        (other_org.clone(), 0),
        (user.clone(), 1),
        (app.token(Role::ProgramStaff), 2),
    ] {
        let r = app.gql(Some(&token), list, json!({})).await;
        assert_eq!(r["data"]["companies"]["totalCount"], expected, "{r}");
    }
}

/// Another organization cannot edit a company in an organization's care: not found,
/// nothing written; its own organization can.
#[tokio::test]
async fn only_the_organization_caring_for_a_company_edits_it() {
    let managers = Managers::new().await;
    let (mine, _) = managers.both_companies().await;
    let app = &managers.app;
    let update = r#"mutation($input: UpdateCompanyInput!) { updateCompany(input: $input) {
      company { name } userErrors { code } } }"#;
    let input = json!({ "input": { "id": mine["company"]["id"], "expectedVersion": 2,
                                   "name": "乗っ取り株式会社" } });
    let refused = app
        .gql(Some(&managers.other_org), update, input.clone())
        .await;
    assert_eq!(
        refused["data"]["updateCompany"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    let done = app.gql(Some(&managers.org_staff), update, input).await;
    assert_eq!(
        done["data"]["updateCompany"]["company"]["name"],
        "乗っ取り株式会社"
    );
}

const ASSESS: &str = r#"mutation($input: AssessCompanyInput!) { assessCompany(input: $input) {
  assessment { recommendedStep nextTasks { code } }
  company { selfAssessment { recommendedStep } version }
  userErrors { field code } } }"#;

const ADOPT: &str = r#"mutation($input: AdoptRecommendedGuideStepInput!) {
  adoptRecommendedGuideStep(input: $input) { company { guideStep version } userErrors { field code } } }"#;

/// A company (number 20) registered by its user; returns the app, the user's token, the
/// company's global ID and the questions of the self-assessment.
async fn company_to_assess() -> (TestApp, String, Value, Vec<Value>) {
    let app = TestApp::spawn().await;
    let own = number(20);
    let user = app.company_token(&own);
    let company = register_company(&app, &user, company_input(&own)).await;
    let id = company["company"]["id"].clone();
    let questions = app
        .gql(None, "{ selfAssessmentQuestions { code step } }", json!({}))
        .await;
    let questions = questions["data"]["selfAssessmentQuestions"]
        .as_array()
        .unwrap()
        .clone();
    (app, user, id, questions)
}

/// Assesses the company `id` as the caller of `user`: every step-1 question answered yes,
/// the basic policy of step 2 in place but no self-check; returns the response.
async fn assess_step_1_done(app: &TestApp, user: &str, id: &Value, questions: &[Value]) -> Value {
    let mut answers: Vec<Value> = questions
        .iter()
        .filter(|q| q["step"] == 1)
        .map(|q| json!({ "code": q["code"], "answer": true }))
        .collect();
    answers.push(json!({ "code": "S2_POLICY", "answer": true }));
    answers.push(json!({ "code": "S2_SELF_CHECK", "answer": false }));
    app.gql(
        Some(user),
        ASSESS,
        json!({ "input": { "companyId": id, "answers": answers } }),
    )
    .await
}

/// [`company_to_assess`], assessed by [`assess_step_1_done`] (version 2).
async fn assessed_company() -> (TestApp, String, Value, Vec<Value>) {
    let (app, user, id, questions) = company_to_assess().await;
    let done = assess_step_1_done(&app, &user, &id, &questions).await;
    assert_eq!(
        done["data"]["assessCompany"]["userErrors"],
        json!([]),
        "{done}"
    );
    (app, user, id, questions)
}

#[tokio::test]
async fn the_self_assessment_recommends_the_first_step_with_work_left() {
    let (app, user, id, questions) = company_to_assess().await;
    assert!(questions.len() >= 12);
    let done = assess_step_1_done(&app, &user, &id, &questions).await;
    let payload = &done["data"]["assessCompany"];
    assert_eq!(payload["assessment"]["recommendedStep"], 2, "{done}");
    assert_eq!(
        payload["assessment"]["nextTasks"],
        json!([{ "code": "S2_SELF_CHECK" }, { "code": "S2_ASSETS" }, { "code": "S2_INCIDENT_CONTACTS" }])
    );
    assert_eq!(payload["company"]["selfAssessment"]["recommendedStep"], 2);
    assert_eq!(payload["company"]["version"], 2);
}

#[tokio::test]
async fn an_assessment_answering_an_unknown_question_changes_nothing() {
    let (app, user, id, _) = assessed_company().await;
    let unknown = app
        .gql(
            Some(&user),
            ASSESS,
            json!({ "input": { "companyId": id,
                    "answers": [{ "code": "S9_MADE_UP", "answer": true }] } }),
        )
        .await;
    assert_eq!(
        unknown["data"]["assessCompany"]["userErrors"][0]["code"],
        "INVALID"
    );
    let unchanged = app
        .gql(
            Some(&user),
            "{ myCompany { version selfAssessment { recommendedStep } } }",
            json!({}),
        )
        .await;
    assert_eq!(unchanged["data"]["myCompany"]["version"], 2);
}

/// The assessment is kept with its date and answers; the company's own step stays where it
/// was until it adopts the recommended one.
#[tokio::test]
async fn an_assessment_is_kept_and_the_companys_step_waits_for_its_adoption() {
    let (app, user, _, _) = assessed_company().await;
    let kept = app
        .gql(
            Some(&user),
            "{ myCompany { guideStep selfAssessment { recommendedStep assessedAt answers { code answer } } } }",
            json!({}),
        )
        .await;
    let mine = &kept["data"]["myCompany"];
    assert_eq!(mine["guideStep"], 1, "{kept}");
    assert!(mine["selfAssessment"]["assessedAt"].is_string(), "{kept}");
    assert!(
        mine["selfAssessment"]["answers"]
            .as_array()
            .unwrap()
            .contains(&json!({ "code": "S2_POLICY", "answer": true }))
    );
}

#[tokio::test]
async fn the_recommended_step_is_adopted_at_the_current_version() {
    let (app, user, id, _) = assessed_company().await;
    let stale = app
        .gql(
            Some(&user),
            ADOPT,
            json!({ "input": { "companyId": id, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        stale["data"]["adoptRecommendedGuideStep"]["userErrors"][0]["code"], "CONFLICT",
        "{stale}"
    );
    let adopted = app
        .gql(
            Some(&user),
            ADOPT,
            json!({ "input": { "companyId": id, "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(
        adopted["data"]["adoptRecommendedGuideStep"]["company"],
        json!({ "guideStep": 2, "version": 3 }),
        "{adopted}"
    );
}

/// Or in one go: assess and adopt.
#[tokio::test]
async fn an_assessment_may_adopt_its_recommended_step_at_once() {
    let (app, user, id, questions) = assessed_company().await;
    let all_step_1_and_2: Vec<Value> = questions
        .iter()
        .filter(|q| q["step"] == 1 || q["step"] == 2)
        .map(|q| json!({ "code": q["code"], "answer": true }))
        .collect();
    let at_once = app
        .gql(
            Some(&user),
            "mutation($input: AssessCompanyInput!) { assessCompany(input: $input) {
               assessment { recommendedStep } company { guideStep } userErrors { field } } }",
            json!({ "input": { "companyId": id, "answers": all_step_1_and_2, "adoptStep": true } }),
        )
        .await;
    assert_eq!(
        at_once["data"]["assessCompany"]["company"]["guideStep"],
        at_once["data"]["assessCompany"]["assessment"]["recommendedStep"],
        "{at_once}"
    );
    assert_eq!(at_once["data"]["assessCompany"]["company"]["guideStep"], 3);
}

/// KAWASAKI_CCI supporting a company in Kanagawa (number 30), ELSEWHERE_CCI, and a company
/// on its own (number 31) registered by its user.
struct Filers {
    app: TestApp,
    staff: String,
    org_staff: String,
    other_org: String,
    /// The corporate number of the supported company.
    supported: String,
    supported_id: String,
    alone_user: String,
    alone_id: String,
}

impl Filers {
    async fn new() -> Self {
        let app = TestApp::spawn().await;
        let org = organization(&app, "KAWASAKI_CCI").await;
        organization(&app, "ELSEWHERE_CCI").await;
        let staff = app.token(Role::ProgramStaff);
        let supported = number(30);
        let mut input = company_input(&supported);
        input["supportOrganizationId"] = json!(org);
        input["prefecture"] = json!("14");
        let supported_id = register_company(&app, &staff, input).await["company"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let alone = number(31);
        let alone_user = app.company_token(&alone);
        let alone_id = register_company(&app, &alone_user, company_input(&alone)).await["company"]
            ["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Self {
            org_staff: app.org_token("KAWASAKI_CCI"),
            other_org: app.org_token("ELSEWHERE_CCI"),
            app,
            staff,
            supported,
            supported_id,
            alone_user,
            alone_id,
        }
    }

    /// The organization's request for the company it supports; returns the payload.
    async fn file_supported(&self) -> Value {
        file_request(
            &self.app,
            &self.org_staff,
            &self.supported_id,
            &["BASIC_POLICY", "SECURITY_ACTION_1", "BASIC_POLICY"],
        )
        .await
    }

    /// The lone company's own request; returns the payload.
    async fn file_alone(&self) -> Value {
        file_request(
            &self.app,
            &self.alone_user,
            &self.alone_id,
            &["EMPLOYEE_TRAINING"],
        )
        .await
    }
}

/// The organization files for the company it supports: language and prefecture default.
#[tokio::test]
async fn an_organization_files_for_the_company_it_supports_with_defaults_filled_in() {
    let filers = Filers::new().await;
    let filed = filers.file_supported().await;
    assert_eq!(filed["userErrors"], json!([]), "{filed}");
    let request = &filed["request"];
    assert_eq!(request["status"], "OPEN");
    assert_eq!(request["language"], "ja");
    assert_eq!(request["prefecture"]["code"], "14");
    assert_eq!(request["organization"]["code"], "KAWASAKI_CCI");
    assert_eq!(
        request["themes"],
        json!([{ "code": "BASIC_POLICY" }, { "code": "SECURITY_ACTION_1" }])
    );
}

#[tokio::test]
async fn an_organization_files_nothing_for_a_company_it_does_not_support() {
    let filers = Filers::new().await;
    filers.file_supported().await;
    let foreign = file_request(
        &filers.app,
        &filers.org_staff,
        &filers.alone_id,
        &["BASIC_POLICY"],
    )
    .await;
    assert_eq!(foreign["userErrors"][0]["code"], "NOT_FOUND", "{foreign}");
    let count = filers
        .app
        .count(entities::consultation_request::Entity)
        .await;
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_request_for_an_unknown_theme_is_refused_at_that_theme() {
    let filers = Filers::new().await;
    filers.file_supported().await;
    let unknown = file_request(
        &filers.app,
        &filers.alone_user,
        &filers.alone_id,
        &["NO_SUCH_THEME"],
    )
    .await;
    assert_eq!(
        unknown["userErrors"][0]["field"],
        json!(["input", "themes", "0"])
    );
    let count = filers
        .app
        .count(entities::consultation_request::Entity)
        .await;
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_company_on_its_own_files_its_own_requests() {
    let filers = Filers::new().await;
    let own = filers.file_alone().await;
    assert_eq!(own["userErrors"], json!([]), "{own}");
    assert_eq!(own["request"]["organization"], Value::Null);
}

#[tokio::test]
async fn requests_are_seen_only_by_those_acting_for_their_company() {
    let filers = Filers::new().await;
    filers.file_supported().await;
    filers.file_alone().await;
    let app = &filers.app;
    assert_eq!(visible_requests(app, &filers.staff).await, 2);
    assert_eq!(visible_requests(app, &filers.org_staff).await, 1);
    assert_eq!(visible_requests(app, &filers.other_org).await, 0);
    assert_eq!(visible_requests(app, &filers.alone_user).await, 1);
    assert_eq!(
        visible_requests(app, &app.company_token(&filers.supported)).await,
        1
    );
    assert_eq!(visible_requests(app, &app.token(Role::Specialist)).await, 0);
    let analyst = app
        .gql(Some(&app.token(Role::Analyst)), REQUESTS, json!({}))
        .await;
    assert_eq!(error_code(&analyst), "FORBIDDEN");
}

const CANCEL_REQUEST: &str = r#"mutation($input: CancelConsultationRequestInput!) {
  cancelConsultationRequest(input: $input) { request { status } userErrors { code } } }"#;

#[tokio::test]
async fn another_organization_does_not_cancel_a_companys_request() {
    let filers = Filers::new().await;
    let id = filers.file_alone().await["request"]["id"].clone();
    let by_other = filers
        .app
        .gql(
            Some(&filers.other_org),
            CANCEL_REQUEST,
            json!({ "input": { "id": id, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        by_other["data"]["cancelConsultationRequest"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn a_company_cancels_its_request_once() {
    let filers = Filers::new().await;
    let id = filers.file_alone().await["request"]["id"].clone();
    let (app, user) = (&filers.app, &filers.alone_user);
    let cancelled = app
        .gql(
            Some(user),
            CANCEL_REQUEST,
            json!({ "input": { "id": id, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        cancelled["data"]["cancelConsultationRequest"]["request"]["status"],
        "CANCELLED"
    );
    let twice = app
        .gql(
            Some(user),
            CANCEL_REQUEST,
            json!({ "input": { "id": id, "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(
        twice["data"]["cancelConsultationRequest"]["userErrors"][0]["code"],
        "INVALID"
    );
}

#[tokio::test]
async fn a_page_of_requests_costs_the_same_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    let org = organization(&app, "SENDAI_CCI").await;
    let staff = app.token(Role::ProgramStaff);
    for i in 0..25 {
        let mut input = company_input(&number(100 + i));
        input["supportOrganizationId"] = json!(org);
        let id = register_company(&app, &staff, input).await["company"]["id"].clone();
        file_request(
            &app,
            &staff,
            id.as_str().unwrap(),
            &["BASIC_POLICY", "BACKUP_AND_RECOVERY"],
        )
        .await;
    }
    let query = r#"query($first: Int) { consultationRequests(first: $first) {
      nodes { status themes { code nameJa } organization { code }
              company { name supportOrganization { code } contact { email } } } } }"#;
    let cost = app
        .assert_constant_cost(
            Some(&staff),
            query,
            "/data/consultationRequests/nodes",
            &[5, 20],
        )
        .await;
    // The page, its themes, companies and organizations.
    assert!(cost <= 4, "a page costs {cost} statements");
}

#[tokio::test]
async fn who_may_call_each_organization_company_and_request_operation() {
    let app = TestApp::spawn().await;
    let registry: &[Role] = &[Role::Admin, Role::ProgramStaff];
    let managers: &[Role] = &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
    ];
    let readers: &[Role] = &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
        Role::Specialist,
    ];
    let org_id = "U3VwcG9ydE9yZ2FuaXphdGlvbjo5OTk"; // SupportOrganization:999
    let company_id = "Q29tcGFueTo5OTk"; // Company:999
    let request_id = "Q29uc3VsdGF0aW9uUmVxdWVzdDo5OTk"; // ConsultationRequest:999
    let operations: Vec<Operation<'_>> = vec![
        (
            "createSupportOrganization",
            r#"mutation { createSupportOrganization(input: { code: "X", name: "x", kind: OTHER,
                prefectures: ["13"], contactEmail: "x@example.jp" }) { userErrors { code } } }"#
                .into(),
            registry,
        ),
        (
            "updateSupportOrganization",
            format!(
                r#"mutation {{ updateSupportOrganization(input: {{ id: "{org_id}",
                    expectedVersion: 1, name: "y" }}) {{ userErrors {{ code }} }} }}"#
            ),
            registry,
        ),
        (
            "registerCompany",
            r#"mutation { registerCompany(input: { corporateNumber: "1", name: "x",
                nameKana: "エックス", industry: MANUFACTURING, employees: 1, capitalYen: 1,
                prefecture: "13", contactName: "x", contactEmail: "x@example.jp" }) {
                userErrors { code } } }"#
                .into(),
            managers,
        ),
        (
            "updateCompany",
            format!(
                r#"mutation {{ updateCompany(input: {{ id: "{company_id}", expectedVersion: 1,
                    name: "y" }}) {{ userErrors {{ code }} }} }}"#
            ),
            managers,
        ),
        (
            "assessCompany",
            format!(
                r#"mutation {{ assessCompany(input: {{ companyId: "{company_id}", answers: [] }}) {{
                    userErrors {{ code }} }} }}"#
            ),
            managers,
        ),
        ("companies", "{ companies { totalCount } }".into(), managers),
        ("myCompany", "{ myCompany { id } }".into(), &[Role::SmeUser]),
        (
            "fileConsultationRequest",
            format!(
                r#"mutation {{ fileConsultationRequest(input: {{ companyId: "{company_id}",
                    themes: ["BASIC_POLICY"], description: "x", remoteOk: true }}) {{
                    userErrors {{ code }} }} }}"#
            ),
            managers,
        ),
        (
            "cancelConsultationRequest",
            format!(
                r#"mutation {{ cancelConsultationRequest(input: {{ id: "{request_id}",
                    expectedVersion: 1 }}) {{ userErrors {{ code }} }} }}"#
            ),
            managers,
        ),
        (
            "consultationRequests",
            "{ consultationRequests { totalCount } }".into(),
            readers,
        ),
    ];
    assert_authorization(&app, "000001", &operations).await;

    // Public reads need no token.
    for query in [
        "{ supportOrganizations { totalCount } }",
        "{ selfAssessmentQuestions { code } }",
    ] {
        let response = app.gql(None, query, json!({})).await;
        assert!(response["errors"].is_null(), "{query}: {response}");
    }
}
