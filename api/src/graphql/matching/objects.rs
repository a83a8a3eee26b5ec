//! Output types of organizations, companies and consultation requests.

use std::collections::BTreeMap;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::{consultation_request, match_session, matching, support_organization};

use super::loaders::{Companies, Organizations, Requests, Sessions};
use crate::{
    domain::matching::{
        candidates::{Candidate, ScoreParts as DomainScoreParts},
        companies::CompanyView,
        guide::{self, Question},
        matches::Engagements,
        organizations::prefectures_of,
        requests::{open_until, theme_ids_of},
        types::{
            MatchStatus as DomainMatchStatus, OrganizationKind as DomainOrganizationKind,
            RequestStatus as DomainRequestStatus, SecurityAction as DomainSecurityAction,
            SessionTopic as DomainSessionTopic, SmeSector as DomainSmeSector,
            SupplyChainTarget as DomainSupplyChainTarget, Urgency as DomainUrgency,
        },
    },
    graphql::{
        active_list::{
            loaders::{EntrySpecialists, themes_in_order},
            objects::{ActiveListEntry, GuidanceTheme, Industry},
        },
        connection::connection,
        context::data,
        node::{NodeKind, encode_id},
        registry::objects::{Prefecture, Specialist},
        scalars::{Date, DateTime, Yen},
    },
};

/// What kind of body a support organization is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainOrganizationKind")]
pub enum OrganizationKind {
    /// A chamber of commerce and industry (商工会議所).
    ChamberOfCommerce,
    /// A society of commerce and industry (商工会).
    SocietyOfCommerce,
    /// An SME support centre (よろず支援拠点, prefectural centres).
    SmeSupportCenter,
    /// An industry association.
    IndustryAssociation,
    /// A prefecture or municipality.
    LocalGovernment,
    /// Another kind of body.
    Other,
}

/// A company's SECURITY ACTION self-declaration.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainSecurityAction")]
pub enum SecurityAction {
    /// Not declared.
    None,
    /// ★: the five basic rules.
    OneStar,
    /// ★★: the self-check and a published basic policy.
    TwoStar,
}

/// The supply-chain security assessment level a company aims for.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainSupplyChainTarget")]
pub enum SupplyChainTarget {
    /// None.
    None,
    /// ★3.
    Star3,
    /// ★4.
    Star4,
}

/// The sectors of the SME Basic Act, each with its own lines.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainSmeSector")]
pub enum SmeSector {
    /// Manufacturing, construction, transport and the rest: ¥300 million or 300 people.
    ManufacturingAndOthers,
    /// Wholesale: ¥100 million or 100 people.
    Wholesale,
    /// Services: ¥50 million or 100 people.
    Services,
    /// Retail, including eating and drinking places: ¥50 million or 50 people.
    Retail,
}

/// Where a consultation request stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRequestStatus")]
pub enum ConsultationRequestStatus {
    /// Filed; nobody proposed yet.
    Open,
    /// Specialists have been proposed; none has accepted yet.
    Matching,
    /// A specialist accepted.
    Matched,
    /// The engagement is running.
    InProgress,
    /// The engagement is over.
    Completed,
    /// Withdrawn.
    Cancelled,
    /// Nobody was matched in time.
    Expired,
}

/// How soon the company needs help.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainUrgency")]
pub enum Urgency {
    /// Within a few months.
    Low,
    /// Within weeks.
    Normal,
    /// Within days.
    High,
    /// Now: an incident or a deadline.
    Urgent,
}

/// A regional body that brings SMEs and specialists together. Public.
pub struct SupportOrganization(pub support_organization::Model);

/// A regional body that brings SMEs and specialists together. Public.
#[Object]
impl SupportOrganization {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::SUPPORT_ORGANIZATION, self.0.id)
    }

    /// Stable code; the `org_id` claim of the organization's staff tokens.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What kind of body it is.
    async fn kind(&self) -> OrganizationKind {
        self.0.kind.into()
    }

    /// Prefectures it covers.
    async fn prefectures(&self) -> Vec<Prefecture> {
        prefectures_of(&self.0)
            .iter()
            .filter_map(|code| Prefecture::of_code(code))
            .collect()
    }

    /// Where to write to it.
    async fn contact_email(&self) -> &str {
        &self.0.contact_email
    }

    /// Version for optimistic concurrency (`expectedVersion` of updates).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// How to reach a company.
#[derive(SimpleObject)]
pub struct CompanyContact {
    /// The person to contact.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Telephone number, if given.
    pub phone: Option<String>,
}

/// A question of the 4-step guide's self-assessment.
pub struct SelfAssessmentQuestion(pub &'static Question);

/// A yes/no question of the 4-step guide's self-assessment; "no" makes its task one to do.
#[Object]
impl SelfAssessmentQuestion {
    /// Stable code, as used in answers.
    async fn code(&self) -> &str {
        self.0.code
    }

    /// The guide's step (1–4) it belongs to.
    async fn step(&self) -> i32 {
        i32::from(self.0.step)
    }

    /// The question in Japanese.
    async fn text_ja(&self) -> &str {
        self.0.text_ja
    }

    /// The question in English.
    async fn text_en(&self) -> &str {
        self.0.text_en
    }

    /// What to do when the answer is no.
    async fn task(&self) -> &str {
        self.0.task
    }
}

/// One answer of a self-assessment.
#[derive(SimpleObject)]
pub struct SelfAssessmentAnswer {
    /// The question's code.
    pub code: String,
    /// Yes (true) or no (false).
    pub answer: bool,
}

/// A company's latest self-assessment and what it yields.
pub struct SelfAssessment {
    pub answers: BTreeMap<String, bool>,
    pub assessed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A company's latest self-assessment on the 4-step guide and what it yields.
#[Object]
impl SelfAssessment {
    /// The answers given, by question code; unanswered questions count as no.
    async fn answers(&self) -> Vec<SelfAssessmentAnswer> {
        self.answers
            .iter()
            .map(|(code, answer)| SelfAssessmentAnswer {
                code: code.clone(),
                answer: *answer,
            })
            .collect()
    }

    /// The step to work on: the first with something left to do (4 when all is done).
    async fn recommended_step(&self) -> i32 {
        i32::from(guide::assess(&self.answers).recommended_step)
    }

    /// The tasks of the recommended step still to do, in the guide's order.
    async fn next_tasks(&self) -> Vec<SelfAssessmentQuestion> {
        guide::assess(&self.answers)
            .next_tasks
            .into_iter()
            .map(SelfAssessmentQuestion)
            .collect()
    }

    /// When it was made.
    async fn assessed_at(&self) -> Option<DateTime> {
        self.assessed_at.map(DateTime)
    }
}

/// A company, identified by its corporate number.
///
/// Visible to the company's users, the organization supporting it, registry staff, and a
/// specialist proposed for one of its requests; contact details and the self-assessment
/// to the first three, and to the specialist once they accepted.
pub struct Company(pub CompanyView);

impl Company {
    fn full<T>(&self, value: T) -> Option<T> {
        self.0.full.then_some(value)
    }
}

/// A company, identified by its corporate number.
///
/// Visible to the company's users, the organization supporting it, registry staff, and a
/// specialist proposed for one of its requests; contact details and the self-assessment
/// to the first three, and to the specialist once they accepted.
#[Object]
impl Company {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::COMPANY, self.0.row.id)
    }

    /// Corporate number (法人番号), 13 digits.
    async fn corporate_number(&self) -> &str {
        &self.0.row.corporate_number
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.row.name
    }

    /// Name reading in kana.
    async fn name_kana(&self) -> &str {
        &self.0.row.name_kana
    }

    /// Industry (JSIC major division).
    async fn industry(&self) -> Industry {
        self.0.row.industry.into()
    }

    /// The SME Basic Act's sector it falls in.
    async fn sme_sector(&self) -> SmeSector {
        self.0.row.sme_sector.into()
    }

    /// Whether it is an SME under the SME Basic Act: its capital or its regular employees
    /// at or below its sector's line.
    async fn is_sme(&self) -> bool {
        self.0.row.is_sme
    }

    /// Regular employees.
    async fn employees(&self) -> i32 {
        self.0.row.employees
    }

    /// Capital in yen.
    async fn capital_yen(&self) -> Yen {
        Yen(self.0.row.capital_yen)
    }

    /// Where it is.
    async fn prefecture(&self) -> Option<Prefecture> {
        Prefecture::of_code(&self.0.row.prefecture_code)
    }

    /// Its SECURITY ACTION declaration.
    async fn security_action(&self) -> SecurityAction {
        self.0.row.security_action.into()
    }

    /// The supply-chain assessment level it aims for.
    async fn supply_chain_target(&self) -> SupplyChainTarget {
        self.0.row.supply_chain_target.into()
    }

    /// Whether it uses an お助け隊 service.
    async fn otasuketai(&self) -> bool {
        self.0.row.otasuketai
    }

    /// Its step on the 4-step guide, 1–4.
    async fn guide_step(&self) -> i32 {
        i32::from(self.0.row.guide_step)
    }

    /// The support organization helping it.
    async fn support_organization(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<SupportOrganization>> {
        let Some(id) = self.0.row.support_organization_id else {
            return Ok(None);
        };
        Ok(data::<Organizations>(ctx)?
            .load_one(id)
            .await?
            .map(SupportOrganization))
    }

    /// How to reach it; null for a specialist who has not accepted one of its requests.
    async fn contact(&self) -> Option<CompanyContact> {
        self.full(CompanyContact {
            name: self.0.row.contact_name.clone(),
            email: self.0.row.contact_email.clone(),
            phone: self.0.row.contact_phone.clone(),
        })
    }

    /// Its latest self-assessment, if any; null for a specialist who has not accepted one
    /// of its requests.
    async fn self_assessment(&self) -> Option<SelfAssessment> {
        let answers = self.0.row.assessment_answers.as_ref()?;
        let answers: BTreeMap<String, bool> = serde_json::from_value(answers.clone()).ok()?;
        self.full(SelfAssessment {
            answers,
            assessed_at: self.0.row.assessed_at,
        })
    }

    /// Version for optimistic concurrency; null for a specialist.
    async fn version(&self) -> Option<i32> {
        self.full(self.0.row.version)
    }
}

/// What a company needs advice on.
///
/// Visible to the company, the organization supporting it or handling the request,
/// registry staff, and the specialists proposed for it.
pub struct ConsultationRequest(pub consultation_request::Model);

/// What a company needs advice on.
///
/// Visible to the company, the organization supporting it or handling the request,
/// registry staff, and the specialists proposed for it.
#[Object]
impl ConsultationRequest {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::CONSULTATION_REQUEST, self.0.id)
    }

    /// The company asking.
    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Company>> {
        Ok(data::<Companies>(ctx)?
            .load_one(self.0.company_id)
            .await?
            .map(Company))
    }

    /// The support organization handling it, if any.
    async fn organization(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<SupportOrganization>> {
        let Some(id) = self.0.organization_id else {
            return Ok(None);
        };
        Ok(data::<Organizations>(ctx)?
            .load_one(id)
            .await?
            .map(SupportOrganization))
    }

    /// Where it stands.
    async fn status(&self) -> ConsultationRequestStatus {
        self.0.status.into()
    }

    /// The guidance themes needed, in display order.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<GuidanceTheme>> {
        themes_in_order(ctx, theme_ids_of(&self.0)).await
    }

    /// What the company needs, in its words.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Where the advice is needed.
    async fn prefecture(&self) -> Option<Prefecture> {
        Prefecture::of_code(&self.0.prefecture_code)
    }

    /// Whether remote advice is acceptable.
    async fn remote_ok(&self) -> bool {
        self.0.remote_ok
    }

    /// How soon.
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }

    /// The most the company would pay, in yen, if it said.
    async fn budget_max_yen(&self) -> Option<Yen> {
        self.0.budget_max_yen.map(|y| Yen(y.into()))
    }

    /// Language of the consultation, ISO 639-1.
    async fn language(&self) -> &str {
        &self.0.language
    }

    /// The day it was filed (Japan).
    async fn opened_on(&self) -> Date {
        Date(self.0.opened_on)
    }

    /// The last day it may be matched; unmatched after it, it expires.
    async fn open_until(&self) -> Date {
        Date(open_until(self.0.opened_on))
    }

    /// When a specialist accepted it.
    async fn matched_at(&self) -> Option<DateTime> {
        self.0.matched_at.map(DateTime)
    }

    /// When it was completed, cancelled or expired.
    async fn closed_at(&self) -> Option<DateTime> {
        self.0.closed_at.map(DateTime)
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection!(
    SupportOrganizationConnection,
    SupportOrganizationEdge,
    SupportOrganization,
    "support organizations"
);
connection!(CompanyConnection, CompanyEdge, Company, "companies");
connection!(
    ConsultationRequestConnection,
    ConsultationRequestEdge,
    ConsultationRequest,
    "consultation requests"
);

/// Where a match stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainMatchStatus")]
pub enum MatchStatus {
    /// Proposed to the specialist, waiting for an answer until `respondBy`.
    Proposed,
    /// Accepted by the specialist; holds one place of their capacity.
    Accepted,
    /// The engagement is running; holds one place of their capacity.
    Active,
    /// The engagement is over, with its outcome.
    Completed,
    /// Declined by the specialist.
    Declined,
    /// Called off before completion.
    Cancelled,
    /// Not answered within the response window.
    Expired,
}

/// What a session of an engagement was about; the classic plan is four visits.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainSessionTopic")]
pub enum SessionTopic {
    /// Finding the risks.
    Risks,
    /// Drafting the basic policy.
    BasicPolicy,
    /// Rules and procedures.
    Rules,
    /// Reviewing what was put in place.
    Review,
    /// Anything else.
    Other,
}

/// The parts of a candidate's score, each from 0 to 1; the score is their weighted sum
/// (themes 40, region 20, industry, capacity, responsiveness and ratings 10 each).
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ScoreParts {
    /// Share of the request's themes the entry holds.
    pub theme_coverage: f64,
    /// 1 when the entry serves the prefecture in person, 0.7 when both sides accept remote
    /// work, 0.4 when it serves the same region, else 0.
    pub region_fit: f64,
    /// 1 when the entry is strong in the company's industry.
    pub industry_fit: f64,
    /// Share of the specialist's capacity still free.
    pub capacity_left: f64,
    /// Share of the last two years' proposals the specialist answered in time (0.5 without
    /// history).
    pub responsiveness: f64,
    /// Companies' average rating of the specialist, 1–5 mapped to 0–1 (0.5 without
    /// ratings).
    pub past_ratings: f64,
}

impl From<DomainScoreParts> for ScoreParts {
    fn from(p: DomainScoreParts) -> Self {
        Self {
            theme_coverage: p.theme_coverage,
            region_fit: p.region_fit,
            industry_fit: p.industry_fit,
            capacity_left: p.capacity_left,
            responsiveness: p.responsiveness,
            past_ratings: p.past_ratings,
        }
    }
}

/// A specialist ranked for a consultation request.
pub struct MatchCandidate {
    pub entry: ActiveListEntry,
    pub candidate: Candidate,
}

/// A specialist ranked for a consultation request, with the parts of their score.
#[Object]
impl MatchCandidate {
    /// The specialist's Active List entry (and through it, the specialist).
    async fn entry(&self) -> &ActiveListEntry {
        &self.entry
    }

    /// The score, 0 to 100.
    async fn score(&self) -> f64 {
        self.candidate.score
    }

    /// Why: the parts of the score.
    async fn parts(&self) -> ScoreParts {
        self.candidate.parts.into()
    }

    /// The request's themes the entry holds.
    async fn matched_themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<GuidanceTheme>> {
        themes_in_order(ctx, self.candidate.matched_theme_ids.iter().copied()).await
    }
}

/// A session of an engagement.
pub struct MatchSession(pub match_session::Model);

/// A session (visit or call) of an engagement.
#[Object]
impl MatchSession {
    /// The day it was held.
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }

    /// How long, in hours.
    async fn hours(&self) -> f64 {
        f64::from(self.0.minutes) / 60.0
    }

    /// What it was about.
    async fn topic(&self) -> SessionTopic {
        self.0.topic.into()
    }

    /// Notes.
    async fn notes(&self) -> &str {
        &self.0.notes
    }
}

/// A specialist proposed for a consultation request, from proposal to completed
/// engagement.
///
/// Seen by the company, its organization, the specialist and registry staff.
pub struct Match(pub matching::Model);

/// A specialist proposed for a consultation request, from proposal to completed
/// engagement.
///
/// Seen by the company, its organization, the specialist and registry staff.
#[Object]
impl Match {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::MATCH, self.0.id)
    }

    /// The request.
    async fn request(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ConsultationRequest>> {
        Ok(data::<Requests>(ctx)?
            .load_one(self.0.request_id)
            .await?
            .map(ConsultationRequest))
    }

    /// The specialist, with the fields you may see of them.
    async fn specialist(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Specialist>> {
        let loaded = data::<EntrySpecialists>(ctx)?
            .load_one(self.0.specialist_id)
            .await?;
        Ok(loaded.and_then(|(view, _)| view).map(Specialist))
    }

    /// Where it stands.
    async fn status(&self) -> MatchStatus {
        self.0.status.into()
    }

    /// The candidate's score when proposed, 0 to 100.
    async fn score(&self) -> Option<f64> {
        self.0
            .score
            .get("score")
            .and_then(serde_json::Value::as_f64)
    }

    /// The parts of that score.
    async fn score_parts(&self) -> Option<ScoreParts> {
        self.0
            .score
            .get("parts")
            .and_then(|p| serde_json::from_value::<DomainScoreParts>(p.clone()).ok())
            .map(Into::into)
    }

    /// When it was proposed.
    async fn proposed_at(&self) -> DateTime {
        DateTime(self.0.proposed_at)
    }

    /// The last day the specialist may answer (five business days, Japanese public
    /// holidays excluded).
    async fn respond_by(&self) -> Date {
        Date(self.0.respond_by)
    }

    /// When the specialist answered.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(DateTime)
    }

    /// Why the specialist declined, if they said.
    async fn decline_reason(&self) -> Option<&str> {
        self.0.decline_reason.as_deref()
    }

    /// Why it was cancelled, if said.
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }

    /// The day the engagement started.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }

    /// The day it was completed.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }

    /// The sessions of the engagement, in date order.
    async fn sessions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MatchSession>> {
        Ok(data::<Sessions>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MatchSession)
            .collect())
    }

    /// Hours of all its sessions.
    async fn total_hours(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        let sessions = data::<Sessions>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(f64::from(sessions.iter().map(|s| s.minutes).sum::<i32>()) / 60.0)
    }

    /// Measures put in place, when completed.
    async fn measures(&self) -> Vec<String> {
        self.0
            .measures
            .as_ref()
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default()
    }

    /// The company's step on the 4-step guide after the engagement.
    async fn guide_step_after(&self) -> Option<i32> {
        self.0.guide_step_after.map(i32::from)
    }

    /// The company's rating of the engagement, 1–5.
    async fn company_rating(&self) -> Option<i32> {
        self.0.company_rating.map(i32::from)
    }

    /// The company's comment.
    async fn company_comment(&self) -> Option<&str> {
        self.0.company_comment.as_deref()
    }

    /// The specialist's rating of the engagement, 1–5.
    async fn specialist_rating(&self) -> Option<i32> {
        self.0.specialist_rating.map(i32::from)
    }

    /// The specialist's comment.
    async fn specialist_comment(&self) -> Option<&str> {
        self.0.specialist_comment.as_deref()
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection!(MatchConnection, MatchEdge, Match, "matches");

/// A specialist's completed engagements: evidence for deemed attendance.
pub struct CompletedEngagements(pub Engagements);

/// A specialist's completed engagements through matching, newest first: the evidence a
/// deemed-attendance claim cites (`matchIds`).
#[Object]
impl CompletedEngagements {
    /// How many.
    async fn count(&self) -> usize {
        self.0.matches.len()
    }

    /// Hours of all their sessions.
    async fn total_hours(&self) -> f64 {
        self.0.minutes as f64 / 60.0
    }

    /// The engagements.
    async fn matches(&self) -> Vec<Match> {
        self.0.matches.iter().cloned().map(Match).collect()
    }
}
