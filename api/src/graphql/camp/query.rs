//! Queries of the camps.

use super::inputs::{
    CampApplicationFilterInput, CampApplicationOrderBy, CampApplicationOrderInput,
    CampCohortFilterInput, CampCohortOrderInput,
};
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, Object};

use crate::{
    domain::{
        analytics::camp as figures,
        camp::{
            applications::{self, ApplicationFilter},
            cohorts::{self, CohortFilter},
            people::{self},
            programs::{self},
        },
        pagination::{ListOrder, PageArgs},
    },
    graphql::{
        LARGE_READ_COST,
        camp::{
            loaders::prime_applications,
            objects::{
                CampApplication, CampApplicationConnection, CampCohort, CampCohortConnection,
                CampFigures, CampProgram, CampProgramKind, Person,
            },
        },
        connection::{ConnectionData, CountFuture},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, decode_input_ids},
    },
};

#[derive(Default)]
pub struct CampQuery;

#[Object]
impl CampQuery {
    /// The Security Camp programs and their eligibility rules. Public.
    async fn camp_programs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CampProgram>> {
        Ok(programs::list(db(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(CampProgram)
            .collect())
    }

    /// Cohorts, latest first. Public. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn camp_cohorts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the cohorts must meet.")] filter: Option<
            CampCohortFilterInput,
        >,
        #[graphql(desc = "How to order the cohorts; their own order when omitted.")]
        order_by: Option<CampCohortOrderInput>,
    ) -> async_graphql::Result<CampCohortConnection> {
        let db = db(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = CohortFilter {
            programs: filter
                .programs
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            fiscal_years: filter.fiscal_years.unwrap_or_default(),
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            accepting_on: filter.accepting_on.map(|d| d.0),
        };
        let page = cohorts::list(
            &db,
            &filter,
            &PageArgs::new(first, after, last, before)
                .directed(CampCohortOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { cohorts::count(&db, &filter).await }) as CountFuture
        });
        Ok(CampCohortConnection(ConnectionData::new(
            page, CampCohort, counter,
        )))
    }

    /// Applications: every one for camp staff, your own for an applicant (`PERSON` or
    /// `SPECIALIST` token); other roles are refused. In the order they came in; `first`
    /// and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn camp_applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the applications must meet.")] filter: Option<
            CampApplicationFilterInput,
        >,
        #[graphql(desc = "How to order the camp applications; their own order when omitted.")]
        order_by: Option<CampApplicationOrderInput>,
    ) -> async_graphql::Result<CampApplicationConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = ApplicationFilter {
            cohort_ids: decode_input_ids(
                filter.cohorts,
                NodeKind::CAMP_COHORT,
                "filter.cohorts",
                "cohort",
            )
            .gql()?,
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            track_ids: decode_input_ids(
                filter.tracks,
                NodeKind::CAMP_TRACK,
                "filter.tracks",
                "track",
            )
            .gql()?,
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let order = match order_by.and_then(|order| order.field) {
            None | Some(CampApplicationOrderBy::Received) => ListOrder::Own,
            Some(CampApplicationOrderBy::UpdatedAt) => ListOrder::UpdatedAt,
        };
        let page = applications::list(
            &db,
            &caller,
            &filter,
            order,
            &PageArgs::new(first, after, last, before)
                .directed(CampApplicationOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let rows: Vec<_> = page
            .items
            .iter()
            .map(|(_, application)| application)
            .collect();
        prime_applications(ctx, &rows).await?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { applications::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(CampApplicationConnection(ConnectionData::new(
            page,
            CampApplication,
            counter,
        )))
    }

    /// Your own person record (`PERSON` or `SPECIALIST` token), or null when you have not
    /// saved one.
    async fn my_person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(people::own(db(ctx)?, caller(ctx)?).await.gql()?.map(Person))
    }

    /// The camps' figures: graduates per fiscal year and program against twice the
    /// baseline year, the community's size and its activity. Camp and program staff,
    /// administrators and analysts.
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
    async fn camp_figures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fiscal year whose graduates are doubled for the target.")]
        baseline_fiscal_year: i32,
        #[graphql(desc = "The programs counted towards the target; every program by default.")]
        programs: Option<Vec<CampProgramKind>>,
    ) -> async_graphql::Result<CampFigures> {
        let programs: Vec<_> = programs
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        Ok(
            figures::camp_figures(db(ctx)?, caller(ctx)?, baseline_fiscal_year, &programs)
                .await
                .gql()?
                .into(),
        )
    }
}
