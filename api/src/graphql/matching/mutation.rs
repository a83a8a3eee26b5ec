//! Mutations of organizations, companies and consultation requests. Each takes one `input`
//! and returns a payload whose `userErrors` lists every problem with the input; when it is
//! non-empty nothing was written.

use super::inputs::{
    AcceptMatchInput, AdoptRecommendedGuideStepInput, AssessCompanyInput,
    CancelConsultationRequestInput, CancelMatchInput, CompleteMatchInput, CorrectMatchSessionInput,
    CreateSupportOrganizationInput, DeclineMatchInput, FileConsultationRequestInput,
    LogSessionInput, ProposeMatchInput, RateMatchInput, RegisterCompanyInput, StartEngagementInput,
    SweepMatchesInput, UpdateCompanyInput, UpdateSupportOrganizationInput,
};
use std::collections::BTreeMap;

use async_graphql::{Context, ID, Object, SimpleObject};

use super::{
    objects::{
        Company, ConsultationRequest, Match, MatchSession, SelfAssessment, SupportOrganization,
    },
    query::company_id,
};
use crate::{
    domain::{
        DomainResult,
        matching::{
            companies::{self, CompanyInput, CompanyView},
            matches::{self, Outcome, SessionCorrection, SessionInput},
            organizations::{self, OrganizationInput},
            requests::{self, RequestInput},
        },
    },
    graphql::{
        context::{caller, db},
        error::{GqlResultExt, UserError, payload},
        node::{NodeKind, decode_input_id},
        payload::record_payloads,
    },
};

record_payloads! {
    "The organization after the change, or null when `userErrors` is not empty."
    organization as "organization": SupportOrganization from entities::support_organization::Model;
    /// The result of `createSupportOrganization`.
    CreateSupportOrganizationPayload,
    /// The result of `updateSupportOrganization`.
    UpdateSupportOrganizationPayload,
}

record_payloads! {
    "The company after the change, or null when `userErrors` is not empty."
    company as "company": Company from CompanyView;
    /// The result of `registerCompany`.
    RegisterCompanyPayload,
    /// The result of `updateCompany`.
    UpdateCompanyPayload,
    /// The result of `adoptRecommendedGuideStep`.
    AdoptRecommendedGuideStepPayload,
}

record_payloads! {
    "The request after the change, or null when `userErrors` is not empty."
    request as "request": ConsultationRequest from entities::consultation_request::Model;
    /// The result of `fileConsultationRequest`.
    FileConsultationRequestPayload,
    /// The result of `cancelConsultationRequest`.
    CancelConsultationRequestPayload,
}

record_payloads! {
    "The match after the change, or null when `userErrors` is not empty."
    matched as "match": Match from entities::matching::Model;
    /// The result of `proposeMatch`.
    ProposeMatchPayload,
    /// The result of `acceptMatch`.
    AcceptMatchPayload,
    /// The result of `declineMatch`.
    DeclineMatchPayload,
    /// The result of `cancelMatch`.
    CancelMatchPayload,
    /// The result of `startEngagement`.
    StartEngagementPayload,
    /// The result of `completeMatch`.
    CompleteMatchPayload,
    /// The result of `rateMatch`.
    RateMatchPayload,
}

/// The result of `assessCompany`.
#[derive(SimpleObject)]
pub struct AssessCompanyPayload {
    /// The company with its new assessment, or null when `userErrors` is not empty.
    pub company: Option<Company>,
    /// What the answers yield: the recommended step and the next tasks.
    pub assessment: Option<SelfAssessment>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

fn organization_id(id: &ID, field: &str) -> DomainResult<i64> {
    decode_input_id(
        id,
        NodeKind::SUPPORT_ORGANIZATION,
        field,
        "support organization",
    )
}

/// A small number (a guide step, a rating) from GraphQL's `Int`; out-of-range values stay
/// out of range, for the domain to refuse.
fn small(value: i32) -> i16 {
    i16::try_from(value).unwrap_or(i16::MAX)
}

/// The result of `logSession`.
#[derive(SimpleObject)]
pub struct LogSessionPayload {
    /// The session logged, or null when `userErrors` is not empty.
    pub session: Option<MatchSession>,
    /// The match after the change (its sessions and total hours), for a client's cache;
    /// null when `userErrors` is not empty.
    #[graphql(name = "match")]
    pub engagement: Option<Match>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// The result of `correctMatchSession`.
#[derive(SimpleObject)]
pub struct CorrectMatchSessionPayload {
    /// The session after the correction, or null when `userErrors` is not empty.
    pub session: Option<MatchSession>,
    /// The match after the change (its sessions and total hours), for a client's cache;
    /// null when `userErrors` is not empty.
    #[graphql(name = "match")]
    pub engagement: Option<Match>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// A session after a change, and its match as it now stands.
type SessionChange = (Option<MatchSession>, Option<Match>, Vec<UserError>);

async fn session_change(
    db: &sea_orm::DatabaseConnection,
    caller: &crate::domain::Caller,
    result: DomainResult<entities::match_session::Model>,
) -> async_graphql::Result<SessionChange> {
    let (session, user_errors) = payload(result)?;
    let engagement = match &session {
        Some(session) => matches::by_ids(db, caller, &[session.match_id])
            .await
            .gql()?
            .pop()
            .flatten()
            .map(Match),
        None => None,
    };
    Ok((session.map(MatchSession), engagement, user_errors))
}

/// What a matching sweep changed.
#[derive(SimpleObject)]
pub struct SweepMatchesPayload {
    /// Proposals not answered in time, now `EXPIRED`.
    pub expired_proposals: Option<u64>,
    /// Requests left unmatched past their open period, now `EXPIRED`.
    pub expired_requests: Option<u64>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

fn match_id(id: &ID) -> DomainResult<i64> {
    decode_input_id(id, NodeKind::MATCH, "match_id", "match")
}

#[derive(Default)]
pub struct MatchingMutation;

#[Object]
impl MatchingMutation {
    /// Registers a support organization. Registry staff only.
    async fn create_support_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization.")] input: CreateSupportOrganizationInput,
    ) -> async_graphql::Result<CreateSupportOrganizationPayload> {
        let input = OrganizationInput {
            code: Some(input.code),
            name: Some(input.name),
            kind: Some(input.kind.into()),
            prefectures: Some(input.prefectures),
            contact_email: Some(input.contact_email),
        };
        CreateSupportOrganizationPayload::from_result(
            organizations::create(db(ctx)?, caller(ctx)?, input).await,
        )
    }

    /// Changes a support organization. Registry staff only.
    async fn update_support_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateSupportOrganizationInput,
    ) -> async_graphql::Result<UpdateSupportOrganizationPayload> {
        let changes = OrganizationInput {
            code: None,
            name: input.name,
            kind: input.kind.map(Into::into),
            prefectures: input.prefectures,
            contact_email: input.contact_email,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = organization_id(&input.id, "id")?;
            organizations::update(db, caller, id, input.expected_version, changes).await
        }
        .await;
        UpdateSupportOrganizationPayload::from_result(result)
    }

    /// Registers a company: a company user their own (the corporate number of their
    /// account), organization staff a company they support, registry staff any. Whether it
    /// is an SME is derived from the SME Basic Act.
    async fn register_company(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The company.")] input: RegisterCompanyInput,
    ) -> async_graphql::Result<RegisterCompanyPayload> {
        let organization = match &input.support_organization_id {
            Some(id) => match organization_id(id, "support_organization_id") {
                Ok(id) => Some(id),
                Err(err) => return RegisterCompanyPayload::from_result(Err(err)),
            },
            None => None,
        };
        let input = CompanyInput {
            corporate_number: Some(input.corporate_number),
            name: Some(input.name),
            name_kana: Some(input.name_kana),
            industry: Some(input.industry.into()),
            sme_sector: input.sme_sector.map(Into::into),
            employees: Some(input.employees),
            capital_yen: Some(input.capital_yen.0),
            prefecture: Some(input.prefecture),
            security_action: input.security_action.map(Into::into),
            supply_chain_target: input.supply_chain_target.map(Into::into),
            otasuketai: input.otasuketai,
            guide_step: input.guide_step.map(small),
            support_organization_id: organization,
            contact_name: Some(input.contact_name),
            contact_email: Some(input.contact_email),
            contact_phone: input.contact_phone,
        };
        RegisterCompanyPayload::from_result(
            companies::register(db(ctx)?, caller(ctx)?, input).await,
        )
    }

    /// Changes a company you manage: your own, one your organization supports, or any for
    /// registry staff.
    async fn update_company(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCompanyInput,
    ) -> async_graphql::Result<UpdateCompanyPayload> {
        let organization = match &input.support_organization_id {
            Some(id) => match organization_id(id, "support_organization_id") {
                Ok(id) => Some(id),
                Err(err) => return UpdateCompanyPayload::from_result(Err(err)),
            },
            None => None,
        };
        let changes = CompanyInput {
            corporate_number: None,
            name: input.name,
            name_kana: input.name_kana,
            industry: input.industry.map(Into::into),
            sme_sector: input.sme_sector.map(Into::into),
            employees: input.employees,
            capital_yen: input.capital_yen.map(|y| y.0),
            prefecture: input.prefecture,
            security_action: input.security_action.map(Into::into),
            supply_chain_target: input.supply_chain_target.map(Into::into),
            otasuketai: input.otasuketai,
            guide_step: input.guide_step.map(small),
            support_organization_id: organization,
            contact_name: input.contact_name,
            contact_email: input.contact_email,
            contact_phone: input.contact_phone,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = company_id(&input.id, "id")?;
            companies::update(db, caller, id, input.expected_version, changes).await
        }
        .await;
        UpdateCompanyPayload::from_result(result)
    }

    /// Makes the step the company's latest self-assessment recommends its `guideStep`:
    /// the company itself, its support organization or registry staff.
    async fn adopt_recommended_guide_step(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The company and the version you read.")]
        input: AdoptRecommendedGuideStepInput,
    ) -> async_graphql::Result<AdoptRecommendedGuideStepPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = company_id(&input.company_id, "company_id")?;
            companies::adopt_step(db, caller, id, input.expected_version).await
        }
        .await;
        AdoptRecommendedGuideStepPayload::from_result(result)
    }

    /// Records a self-assessment of a company you manage on the 4-step guide, and returns
    /// the step to work on and its next tasks.
    async fn assess_company(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The answers.")] input: AssessCompanyInput,
    ) -> async_graphql::Result<AssessCompanyPayload> {
        let answers: BTreeMap<String, bool> = input
            .answers
            .into_iter()
            .map(|a| (a.code, a.answer))
            .collect();
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = company_id(&input.company_id, "company_id")?;
            companies::assess(db, caller, id, answers, input.adopt_step).await
        }
        .await;
        let (done, user_errors) = payload(result)?;
        let (company, assessment) = match done {
            Some((view, _)) => {
                let assessment = view
                    .row
                    .assessment_answers
                    .as_ref()
                    .and_then(|a| serde_json::from_value(a.clone()).ok())
                    .map(|answers| SelfAssessment {
                        answers,
                        assessed_at: view.row.assessed_at,
                    });
                (Some(Company(view)), assessment)
            }
            None => (None, None),
        };
        Ok(AssessCompanyPayload {
            company,
            assessment,
            user_errors,
        })
    }

    /// Files a consultation request for a company you act for: your own company, one your
    /// organization supports, or any for registry staff.
    async fn file_consultation_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request.")] input: FileConsultationRequestInput,
    ) -> async_graphql::Result<FileConsultationRequestPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let company_id = company_id(&input.company_id, "company_id")?;
            let request = RequestInput {
                company_id,
                theme_codes: input.themes,
                description: input.description,
                prefecture: input.prefecture,
                remote_ok: input.remote_ok,
                urgency: input
                    .urgency
                    .map(Into::into)
                    .unwrap_or(crate::domain::matching::types::Urgency::Normal),
                budget_max_yen: input.budget_max_yen.map(|y| y.0),
                language: input.language,
            };
            requests::file(db, caller, request).await
        }
        .await;
        FileConsultationRequestPayload::from_result(result)
    }

    /// Proposes the specialist of a published Active List entry for a request you act for
    /// (the company, its organization, registry staff). The specialist must be eligible,
    /// not paused and with capacity left; they have five business days to answer.
    async fn propose_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The proposal.")] input: ProposeMatchInput,
    ) -> async_graphql::Result<ProposeMatchPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let request = decode_input_id(
                &input.request_id,
                NodeKind::CONSULTATION_REQUEST,
                "request_id",
                "consultation request",
            )?;
            let entry = decode_input_id(
                &input.entry_id,
                NodeKind::ACTIVE_LIST_ENTRY,
                "entry_id",
                "Active List entry",
            )?;
            matches::propose(db, caller, request, entry).await
        }
        .await;
        ProposeMatchPayload::from_result(result)
    }

    /// Accepts a proposal made to you (role `SPECIALIST`) within its window, if you are
    /// still on the Active List (entry published, registration active, cycle not overdue),
    /// have capacity left and the request still seeks a specialist. The request's other
    /// proposals are cancelled.
    async fn accept_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The match.")] input: AcceptMatchInput,
    ) -> async_graphql::Result<AcceptMatchPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            matches::accept(db, caller, id, input.expected_version).await
        }
        .await;
        AcceptMatchPayload::from_result(result)
    }

    /// Declines a proposal made to you (role `SPECIALIST`), optionally saying why.
    async fn decline_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The match.")] input: DeclineMatchInput,
    ) -> async_graphql::Result<DeclineMatchPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            matches::decline(db, caller, id, input.expected_version, input.reason).await
        }
        .await;
        DeclineMatchPayload::from_result(result)
    }

    /// Calls off a match before it completes (either side). A place it held is given back
    /// and the request seeks a specialist again.
    async fn cancel_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The match.")] input: CancelMatchInput,
    ) -> async_graphql::Result<CancelMatchPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            matches::cancel(db, caller, id, input.expected_version, input.reason).await
        }
        .await;
        CancelMatchPayload::from_result(result)
    }

    /// Starts the engagement of an accepted match (either side), today or on the day it
    /// started (`startedOn`), as it happened.
    async fn start_engagement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The match.")] input: StartEngagementInput,
    ) -> async_graphql::Result<StartEngagementPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            let on = input.started_on.map(|d| d.0);
            matches::start(db, caller, id, input.expected_version, on).await
        }
        .await;
        StartEngagementPayload::from_result(result)
    }

    /// Logs a session of a running engagement (either side).
    async fn log_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session.")] input: LogSessionInput,
    ) -> async_graphql::Result<LogSessionPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            let session = SessionInput {
                held_on: input.held_on.0,
                hours: input.hours,
                topic: input.topic.into(),
                notes: input.notes,
            };
            matches::log_session(db, caller, id, session).await
        }
        .await;
        let (session, engagement, user_errors) = session_change(db, caller, result).await?;
        Ok(LogSessionPayload {
            session,
            engagement,
            user_errors,
        })
    }

    /// Corrects a session as it happened (its day, length, topic or notes), or withdraws
    /// one logged by mistake, saying why: either side while the engagement runs, registry
    /// staff after it ended. The values replaced stay in the session's `corrections`.
    async fn correct_match_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The correction.")] input: CorrectMatchSessionInput,
    ) -> async_graphql::Result<CorrectMatchSessionPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.session_id,
                NodeKind::MATCH_SESSION,
                "session_id",
                "session",
            )?;
            let correction = SessionCorrection {
                expected_version: input.expected_version,
                reason: Some(input.reason),
                held_on: input.held_on.map(|d| d.0),
                hours: input.hours,
                topic: input.topic.map(Into::into),
                notes: input.notes,
                withdraw: input.withdraw,
            };
            matches::correct_session(db, caller, id, correction).await
        }
        .await;
        let (session, engagement, user_errors) = session_change(db, caller, result).await?;
        Ok(CorrectMatchSessionPayload {
            session,
            engagement,
            user_errors,
        })
    }

    /// Completes a running engagement with its outcome and your side's rating (either
    /// side). The place is given back, the request completed, the company's guide step
    /// updated.
    async fn complete_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The outcome.")] input: CompleteMatchInput,
    ) -> async_graphql::Result<CompleteMatchPayload> {
        let outcome = Outcome {
            measures: input.measures,
            guide_step_after: input.guide_step_after.map(small),
            rating: small(input.rating),
            comment: input.comment,
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            matches::complete(db, caller, id, input.expected_version, outcome).await
        }
        .await;
        CompleteMatchPayload::from_result(result)
    }

    /// Rates a completed match from your side, once.
    async fn rate_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rating.")] input: RateMatchInput,
    ) -> async_graphql::Result<RateMatchPayload> {
        let outcome = Outcome {
            rating: small(input.rating),
            comment: input.comment,
            ..Outcome::default()
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = match_id(&input.match_id)?;
            matches::rate(db, caller, id, input.expected_version, outcome).await
        }
        .await;
        RateMatchPayload::from_result(result)
    }

    /// Expires proposals not answered within their window and requests left unmatched
    /// past their open period. Registry staff; `kakehashi matches sweep` does the same for
    /// a scheduler. Idempotent.
    async fn sweep_matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day.")] input: SweepMatchesInput,
    ) -> async_graphql::Result<SweepMatchesPayload> {
        let caller = caller(ctx)?;
        let as_of = input.as_of.map_or_else(|| caller.today(), |d| d.0);
        let (report, user_errors) = payload(matches::sweep(db(ctx)?, caller, as_of).await)?;
        Ok(SweepMatchesPayload {
            expired_proposals: report.map(|r| r.expired_proposals),
            expired_requests: report.map(|r| r.expired_requests),
            user_errors,
        })
    }

    /// Cancels a consultation request nobody has accepted yet; pending proposals are
    /// cancelled with it. The company, its organization or registry staff.
    async fn cancel_consultation_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request.")] input: CancelConsultationRequestInput,
    ) -> async_graphql::Result<CancelConsultationRequestPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.id,
                NodeKind::CONSULTATION_REQUEST,
                "id",
                "consultation request",
            )?;
            requests::cancel(db, caller, id, input.expected_version).await
        }
        .await;
        CancelConsultationRequestPayload::from_result(result)
    }
}
