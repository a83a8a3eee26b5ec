//! Queries of organizations, companies and consultation requests.

use super::inputs::{
    CompanyFilterInput, CompanyOrderBy, CompanyOrderInput, ConsultationRequestFilterInput,
    ConsultationRequestOrderBy, ConsultationRequestOrderInput, MatchFilterInput, MatchOrderBy,
    MatchOrderInput, SupportOrganizationFilterInput, SupportOrganizationOrderInput,
};
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use super::loaders::prime_requests;
use super::objects::{
    Company, CompanyConnection, ConsultationRequest, ConsultationRequestConnection, Match,
    MatchCandidate, MatchConnection, SelfAssessmentQuestion, SupportOrganization,
    SupportOrganizationConnection,
};
use crate::graphql::LARGE_READ_COST;
use crate::{
    domain::{
        DomainError,
        active_list::entries,
        matching::{
            candidates,
            companies::{self, CompanyFilter, CompanyOrder},
            guide::QUESTIONS,
            matches::{self, MatchFilter, MatchOrder},
            organizations::{self, OrganizationFilter},
            requests::{self, RequestFilter},
        },
        pagination::{ListOrder, PageArgs},
    },
    graphql::{
        active_list::objects::ActiveListEntry,
        connection::{ConnectionData, CountFuture},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, decode_input_id, decode_input_ids},
    },
};

#[derive(Default)]
pub struct MatchingQuery;

#[Object]
impl MatchingQuery {
    /// Support organizations, in the order they were registered. Public. `first` and
    /// `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn support_organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the organizations must meet.")] filter: Option<
            SupportOrganizationFilterInput,
        >,
        #[graphql(desc = "How to order the support organizations; their own order when omitted.")]
        order_by: Option<SupportOrganizationOrderInput>,
    ) -> async_graphql::Result<SupportOrganizationConnection> {
        let db = db(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = OrganizationFilter {
            prefectures: filter.prefectures.unwrap_or_default(),
            kinds: filter
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        };
        let args = PageArgs::new(first, after, last, before)
            .directed(SupportOrganizationOrderInput::direction_of(&order_by));
        let page = organizations::list(&db, &filter, &args).await.gql()?;
        let counter = Arc::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { organizations::count(&db, &filter).await }) as CountFuture
        });
        Ok(SupportOrganizationConnection(ConnectionData::new(
            page,
            SupportOrganization,
            counter,
        )))
    }

    /// The companies you manage: all for registry staff, those your organization supports
    /// for its staff, your own for a company user. In registration order; `first` and
    /// `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn companies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the companies must meet.")] filter: Option<CompanyFilterInput>,
        #[graphql(desc = "How to order the companies; their own order when omitted.")]
        order_by: Option<CompanyOrderInput>,
    ) -> async_graphql::Result<CompanyConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = CompanyFilter {
            prefectures: filter.prefectures.unwrap_or_default(),
            industries: filter
                .industries
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            is_sme: filter.is_sme,
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let args = PageArgs::new(first, after, last, before)
            .directed(CompanyOrderInput::direction_of(&order_by));
        let order = match order_by.and_then(|order| order.field) {
            None | Some(CompanyOrderBy::Registered) => CompanyOrder::Registered,
            Some(CompanyOrderBy::NameKana) => CompanyOrder::NameKana,
            Some(CompanyOrderBy::UpdatedAt) => CompanyOrder::UpdatedAt,
        };
        let page = companies::list(&db, &caller, &filter, order, &args)
            .await
            .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { companies::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(CompanyConnection(ConnectionData::new(
            page, Company, counter,
        )))
    }

    /// Your company (role `SME_USER`): the one your account's corporate number names, or
    /// null until it is registered.
    async fn my_company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Company>> {
        Ok(companies::mine(db(ctx)?, caller(ctx)?)
            .await
            .gql()?
            .map(Company))
    }

    /// The consultation requests you see: your company's, your organization's, those you
    /// were proposed for as a specialist, or all for registry staff. Newest first; `first`
    /// and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn consultation_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the requests must meet.")] filter: Option<
            ConsultationRequestFilterInput,
        >,
        #[graphql(desc = "How to order the consultation requests; their own order when omitted.")]
        order_by: Option<ConsultationRequestOrderInput>,
    ) -> async_graphql::Result<ConsultationRequestConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let company_ids = decode_input_ids(
            filter.companies,
            NodeKind::COMPANY,
            "filter.companies",
            "company",
        )
        .gql()?;
        let filter = RequestFilter {
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            company_ids,
            theme_codes: filter.themes.unwrap_or_default(),
            prefectures: filter.prefectures.unwrap_or_default(),
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let args = PageArgs::new(first, after, last, before)
            .directed(ConsultationRequestOrderInput::direction_of(&order_by));
        let order = match order_by.and_then(|order| order.field) {
            None | Some(ConsultationRequestOrderBy::Filed) => ListOrder::Own,
            Some(ConsultationRequestOrderBy::UpdatedAt) => ListOrder::UpdatedAt,
        };
        let page = requests::list(&db, &caller, &filter, order, &args)
            .await
            .gql()?;
        let rows: Vec<_> = page.items.iter().map(|(_, row)| row).collect();
        prime_requests(ctx, &rows).await?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { requests::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(ConsultationRequestConnection(ConnectionData::new(
            page,
            ConsultationRequest,
            counter,
        )))
    }

    /// The best Active List candidates for a consultation request you act for (the
    /// company, its organization, registry staff), best first, each with the parts of its
    /// score. Published entries of eligible specialists with capacity left, not paused,
    /// working in the request's language and holding at least one of its themes, not
    /// already proposed for it. The same data always gives the same order.
    #[graphql(complexity = "LARGE_READ_COST + page_cost(Some(first), None, child_complexity)")]
    async fn match_candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request (its global ID).")] request_id: ID,
        #[graphql(desc = "How many, at most 100.", default = 20)] first: i32,
    ) -> async_graphql::Result<Vec<MatchCandidate>> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let request_id = decode_input_id(
            &request_id,
            NodeKind::CONSULTATION_REQUEST,
            "request_id",
            "consultation request",
        )
        .gql()?;
        let first = u64::try_from(first.max(0)).unwrap_or(0);
        let ranked = candidates::candidates(db, caller, request_id, first)
            .await
            .gql()?;
        let ids: Vec<i64> = ranked.iter().map(|c| c.entry_id).collect();
        let entries = entries::by_ids(db, caller, &ids).await.gql()?;
        Ok(ranked
            .into_iter()
            .zip(entries)
            .filter_map(|(candidate, entry)| {
                entry.map(|entry| MatchCandidate {
                    entry: ActiveListEntry(entry),
                    candidate,
                })
            })
            .collect())
    }

    /// The matches you take part in: your company's, your organization's, those proposed
    /// to you as a specialist, or all for registry staff. Newest first; `first` and `last`
    /// default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the matches must meet.")] filter: Option<MatchFilterInput>,
        #[graphql(desc = "How to order the matches; their own order when omitted.")]
        order_by: Option<MatchOrderInput>,
    ) -> async_graphql::Result<MatchConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let request_ids = decode_input_ids(
            filter.requests,
            NodeKind::CONSULTATION_REQUEST,
            "filter.requests",
            "consultation request",
        )
        .gql()?;
        let filter = MatchFilter {
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            request_ids,
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let args = PageArgs::new(first, after, last, before)
            .directed(MatchOrderInput::direction_of(&order_by));
        let order = match order_by.and_then(|order| order.field) {
            None | Some(MatchOrderBy::Proposed) => MatchOrder::Proposed,
            Some(MatchOrderBy::RespondBy) => MatchOrder::RespondBy,
            Some(MatchOrderBy::UpdatedAt) => MatchOrder::UpdatedAt,
        };
        let page = matches::list(&db, &caller, &filter, order, &args)
            .await
            .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { matches::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(MatchConnection(ConnectionData::new(page, Match, counter)))
    }

    /// The questions of the 4-step guide's self-assessment, step by step. Public.
    async fn self_assessment_questions(&self) -> Vec<SelfAssessmentQuestion> {
        QUESTIONS.iter().map(SelfAssessmentQuestion).collect()
    }
}

/// Reads a company's global ID given as input `field`.
pub fn company_id(id: &ID, field: &str) -> Result<i64, DomainError> {
    decode_input_id(id, NodeKind::COMPANY, field, "company")
}
