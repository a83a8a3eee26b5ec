//! Output types of organizations, companies and consultation requests; those of matches
//! are in `matches`.

use std::collections::BTreeMap;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::{consultation_request, support_organization};

use super::loaders::{Companies, Organizations};
use crate::{
    domain::matching::{
        companies::CompanyView,
        guide::{self, Question},
        organizations::prefectures_of,
        requests::{open_until, theme_ids_of},
        types::{
            OrganizationKind as DomainOrganizationKind, RequestStatus as DomainRequestStatus,
            SecurityAction as DomainSecurityAction, SmeSector as DomainSmeSector,
            SupplyChainTarget as DomainSupplyChainTarget, Urgency as DomainUrgency,
        },
    },
    graphql::{
        active_list::{loaders::themes_in_order, objects::GuidanceTheme},
        connection::connection,
        context::data,
        node::{NodeKind, encode_id},
        reference::{Industry, Prefecture},
        scalars::{Date, DateTime, Yen},
    },
};

mod matches;
mod sessions;

pub use matches::{
    CompletedEngagements, Match, MatchCandidate, MatchConnection, MatchEdge, MatchStatus,
    ScoreParts,
};
pub use sessions::{MatchSession, MatchSessionCorrection, MatchSide, SessionTopic};

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

    /// When the company last changed: what `updatedSince` and the `UPDATED_AT` order
    /// read. Null for a specialist, like the version.
    async fn updated_at(&self) -> Option<DateTime> {
        self.full(DateTime(self.0.row.updated_at))
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

    /// When the request last changed: what `updatedSince` and the `UPDATED_AT` order read.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
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
