//! Input objects of matching: the filters, orders and mutation inputs its queries and
//! mutations take.

use super::objects::ConsultationRequestStatus;
use super::objects::MatchStatus;
use super::objects::OrganizationKind;
use super::objects::SecurityAction;
use super::objects::SessionTopic;
use super::objects::SmeSector;
use super::objects::SupplyChainTarget;
use super::objects::Urgency;
use crate::graphql::connection::order_input;
use crate::graphql::reference::Industry;
use crate::graphql::scalars::Date;
use crate::graphql::scalars::DateTime;
use crate::graphql::scalars::Yen;
use async_graphql::ID;
use async_graphql::InputObject;

/// Narrows the list of support organizations.
#[derive(InputObject, Default)]
pub struct SupportOrganizationFilterInput {
    /// Organizations covering any of these prefectures (JIS X 0401 codes, e.g.
    /// `["13", "14"]`).
    pub prefectures: Option<Vec<String>>,
    /// Organizations of any of these kinds.
    pub kinds: Option<Vec<OrganizationKind>>,
}

/// Narrows the list of companies.
#[derive(InputObject, Default)]
pub struct CompanyFilterInput {
    /// Companies in any of these prefectures (JIS X 0401 codes).
    pub prefectures: Option<Vec<String>>,
    /// Companies in any of these industries.
    pub industries: Option<Vec<Industry>>,
    /// Only SMEs (true) or only larger companies (false).
    pub is_sme: Option<bool>,
    /// Only companies changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    pub updated_since: Option<DateTime>,
}

/// Narrows the list of consultation requests.
#[derive(InputObject, Default)]
pub struct ConsultationRequestFilterInput {
    /// Requests in any of these states.
    pub statuses: Option<Vec<ConsultationRequestStatus>>,
    /// Requests of any of these companies (global IDs, at most 100).
    pub companies: Option<Vec<ID>>,
    /// Requests needing any of these guidance themes (their codes).
    pub themes: Option<Vec<String>>,
    /// Requests for any of these prefectures (JIS X 0401 codes).
    pub prefectures: Option<Vec<String>>,
    /// Only requests changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    pub updated_since: Option<DateTime>,
}

/// Narrows the list of matches.
#[derive(InputObject, Default)]
pub struct MatchFilterInput {
    /// Matches in any of these states.
    pub statuses: Option<Vec<MatchStatus>>,
    /// Matches of any of these consultation requests (global IDs, at most 100).
    pub requests: Option<Vec<ID>>,
    /// Only matches changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    pub updated_since: Option<DateTime>,
}

order_input!(SupportOrganizationOrderInput, SupportOrganizationOrderBy, "support organizations", {
        /// When the organization was registered (the default, oldest first).
        Registered,
});

order_input!(CompanyOrderInput, CompanyOrderBy, "companies", {
        /// When the company was registered (the default, oldest first).
        Registered,
        /// The name in kana, in the order of the kana syllabary (ascending by default).
        NameKana,
        /// When it last changed, ties broken by ID (ascending by default): the order a
        /// mirror syncs in with `updatedSince`.
        UpdatedAt,
});

order_input!(ConsultationRequestOrderInput, ConsultationRequestOrderBy, "consultation requests", {
        /// When the request was filed (the default, newest first).
        Filed,
        /// When it last changed, ties broken by ID (ascending by default): the order a
        /// mirror syncs in with `updatedSince`.
        UpdatedAt,
});

order_input!(MatchOrderInput, MatchOrderBy, "matches", {
        /// When the specialist was proposed (the default, newest first).
        Proposed,
        /// The day the specialist must answer by (soonest first): the proposals waiting
        /// longest for an answer.
        RespondBy,
        /// When it last changed, ties broken by ID (ascending by default): the order a
        /// mirror syncs in with `updatedSince`.
        UpdatedAt,
});

/// A new support organization.
#[derive(InputObject)]
pub struct CreateSupportOrganizationInput {
    /// Stable code (A–Z, 0–9, `_`), unique; its staff's tokens carry it as `org_id`.
    pub code: String,
    /// Name.
    pub name: String,
    /// What kind of body it is.
    pub kind: OrganizationKind,
    /// Prefectures it covers (JIS X 0401 codes), at least one.
    pub prefectures: Vec<String>,
    /// Where to write to it.
    pub contact_email: String,
}

/// Changes to a support organization. Omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateSupportOrganizationInput {
    /// The organization's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Name.
    pub name: Option<String>,
    /// What kind of body it is.
    pub kind: Option<OrganizationKind>,
    /// Prefectures it covers, replacing the current ones.
    pub prefectures: Option<Vec<String>>,
    /// Where to write to it.
    pub contact_email: Option<String>,
}

/// A company to register.
#[derive(InputObject)]
pub struct RegisterCompanyInput {
    /// Corporate number (法人番号): 13 digits, the first a check digit.
    pub corporate_number: String,
    /// Name.
    pub name: String,
    /// Name reading in kana.
    pub name_kana: String,
    /// Industry (JSIC major division).
    pub industry: Industry,
    /// The SME Basic Act's sector: required for wholesale and retail (I) and for
    /// accommodation and food (M), which span two; derived otherwise.
    pub sme_sector: Option<SmeSector>,
    /// Regular employees.
    pub employees: i32,
    /// Capital in yen.
    pub capital_yen: Yen,
    /// Where it is (JIS X 0401 code).
    pub prefecture: String,
    /// Its SECURITY ACTION declaration; `NONE` by default.
    pub security_action: Option<SecurityAction>,
    /// The supply-chain assessment level it aims for; `NONE` by default.
    pub supply_chain_target: Option<SupplyChainTarget>,
    /// Whether it uses an お助け隊 service; false by default.
    pub otasuketai: Option<bool>,
    /// Its step on the 4-step guide, 1–4; 1 by default.
    pub guide_step: Option<i32>,
    /// The support organization helping it: registry staff only. Staff of an organization
    /// always register for their own; a company user may not name one (the organization
    /// takes the company on, or registry staff record the support it agreed to).
    pub support_organization_id: Option<ID>,
    /// The person to contact.
    pub contact_name: String,
    /// Their e-mail.
    pub contact_email: String,
    /// Their telephone number.
    pub contact_phone: Option<String>,
}

/// Changes to a company. Omitted fields stay as they are; the corporate number never
/// changes.
#[derive(InputObject)]
pub struct UpdateCompanyInput {
    /// The company's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Name.
    pub name: Option<String>,
    /// Name reading in kana.
    pub name_kana: Option<String>,
    /// Industry.
    pub industry: Option<Industry>,
    /// The SME Basic Act's sector (for I and M).
    pub sme_sector: Option<SmeSector>,
    /// Regular employees.
    pub employees: Option<i32>,
    /// Capital in yen.
    pub capital_yen: Option<Yen>,
    /// Where it is.
    pub prefecture: Option<String>,
    /// Its SECURITY ACTION declaration.
    pub security_action: Option<SecurityAction>,
    /// The supply-chain assessment level it aims for.
    pub supply_chain_target: Option<SupplyChainTarget>,
    /// Whether it uses an お助け隊 service.
    pub otasuketai: Option<bool>,
    /// Its step on the 4-step guide, 1–4.
    pub guide_step: Option<i32>,
    /// The support organization helping it: registry staff only (not organization staff,
    /// who cannot hand a company on, nor company users, who cannot place themselves in an
    /// organization's care).
    pub support_organization_id: Option<ID>,
    /// The person to contact.
    pub contact_name: Option<String>,
    /// Their e-mail.
    pub contact_email: Option<String>,
    /// Their telephone number; an empty string removes it.
    pub contact_phone: Option<String>,
}

/// One answer of a self-assessment.
#[derive(InputObject)]
pub struct SelfAssessmentAnswerInput {
    /// The question's code (see `selfAssessmentQuestions`).
    pub code: String,
    /// Yes (true) or no (false).
    pub answer: bool,
}

/// A self-assessment of a company on the 4-step guide.
#[derive(InputObject)]
pub struct AssessCompanyInput {
    /// The company's global ID.
    pub company_id: ID,
    /// The answers; unanswered questions count as no.
    pub answers: Vec<SelfAssessmentAnswerInput>,
    /// Also make the recommended step the company's `guideStep` (default false: the
    /// assessment is kept, and `adoptRecommendedGuideStep` adopts it later).
    #[graphql(default = false)]
    pub adopt_step: bool,
}

/// Adopting the step a company's latest self-assessment recommends.
#[derive(InputObject)]
pub struct AdoptRecommendedGuideStepInput {
    /// The company's global ID.
    pub company_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// A new consultation request.
#[derive(InputObject)]
pub struct FileConsultationRequestInput {
    /// The company asking (its global ID).
    pub company_id: ID,
    /// Guidance theme codes needed, 1 to 10 (active themes only).
    pub themes: Vec<String>,
    /// What the company needs, in its words (up to 4000 characters).
    pub description: String,
    /// Where the advice is needed (JIS X 0401); the company's prefecture by default.
    pub prefecture: Option<String>,
    /// Whether remote advice is acceptable.
    pub remote_ok: bool,
    /// How soon; `NORMAL` by default.
    pub urgency: Option<Urgency>,
    /// The most the company would pay, in yen.
    pub budget_max_yen: Option<Yen>,
    /// Language of the consultation (ISO 639-1); `ja` by default.
    pub language: Option<String>,
}

/// Cancels a consultation request that nobody has accepted yet.
#[derive(InputObject)]
pub struct CancelConsultationRequestInput {
    /// The request's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// Proposes a specialist for a consultation request.
#[derive(InputObject)]
pub struct ProposeMatchInput {
    /// The request (its global ID).
    pub request_id: ID,
    /// The specialist's Active List entry (its global ID), e.g. from `matchCandidates`.
    pub entry_id: ID,
}

/// An answer to a proposal made to you: accepting it.
#[derive(InputObject)]
pub struct AcceptMatchInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// An answer to a proposal made to you: declining it.
#[derive(InputObject)]
pub struct DeclineMatchInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Why, for the side that proposed (up to 2000 characters).
    pub reason: Option<String>,
}

/// Calling off a match before it completes.
#[derive(InputObject)]
pub struct CancelMatchInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Why, for the other side (up to 2000 characters).
    pub reason: Option<String>,
}

/// The start of the engagement of an accepted match.
#[derive(InputObject)]
pub struct StartEngagementInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// The day the engagement started (today when left out): not before the day the
    /// proposal was accepted, not in the future.
    pub started_on: Option<Date>,
}

/// A correction of a session: the fields to change (those left out keep their value), or
/// its withdrawal, and why.
#[derive(InputObject)]
pub struct CorrectMatchSessionInput {
    /// The session (its global ID).
    pub session_id: ID,
    /// The session's `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Why it is corrected (up to 2000 characters); kept in its history.
    pub reason: String,
    /// The day it was held: from the start of the engagement to its end (or today).
    pub held_on: Option<Date>,
    /// How long, in hours: 0.25 to 12.
    pub hours: Option<f64>,
    /// What it was about.
    pub topic: Option<SessionTopic>,
    /// Notes (up to 4000 characters).
    pub notes: Option<String>,
    /// Withdraws the session as logged by mistake: it stays in the history and counts for
    /// nothing.
    #[graphql(default)]
    pub withdraw: bool,
}

/// A session of a running engagement.
#[derive(InputObject)]
pub struct LogSessionInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The day it was held: from the start of the engagement to today.
    pub held_on: Date,
    /// How long, in hours: 0.25 to 12.
    pub hours: f64,
    /// What it was about.
    pub topic: SessionTopic,
    /// Notes (up to 4000 characters).
    #[graphql(default)]
    pub notes: String,
}

/// The outcome of an engagement and your side's rating.
#[derive(InputObject)]
pub struct CompleteMatchInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Measures put in place (up to 50).
    #[graphql(default)]
    pub measures: Vec<String>,
    /// The company's step on the 4-step guide afterwards, 1–4; updates the company.
    pub guide_step_after: Option<i32>,
    /// Your side's rating, 1–5.
    pub rating: i32,
    /// Your side's comment (up to 2000 characters).
    pub comment: Option<String>,
}

/// The other side's rating of a completed match.
#[derive(InputObject)]
pub struct RateMatchInput {
    /// The match (its global ID).
    pub match_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Your side's rating, 1–5.
    pub rating: i32,
    /// Your side's comment (up to 2000 characters).
    pub comment: Option<String>,
}

/// The day a matching sweep runs as of.
#[derive(InputObject)]
pub struct SweepMatchesInput {
    /// The day (Japan); today by default. Not in the future.
    pub as_of: Option<Date>,
}
