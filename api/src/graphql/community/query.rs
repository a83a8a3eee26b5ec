//! Queries of the alumni community.

use super::inputs::{
    AlumniActivityFilterInput, AlumniActivityOrderInput, AlumniFilterInput, AlumniOrderInput,
    CommunityEventFilterInput, CommunityEventOrderInput,
};
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, Object};

use crate::{
    domain::{
        community::{
            activities::{self, ActivityFilter},
            events::{self, EventFilter},
            members::{self, AlumniFilter},
        },
        pagination::PageArgs,
    },
    graphql::{
        community::{
            loaders::prime_profiles,
            objects::{
                AlumniActivity, AlumniActivityConnection, AlumniProfile, AlumniProfileConnection,
                CommunityEvent, CommunityEventConnection,
            },
        },
        connection::{ConnectionData, CountFuture},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, decode_input_ids},
    },
};

#[derive(Default)]
pub struct CommunityQuery;

#[Object]
impl CommunityQuery {
    /// Your own community profile, when you are a member.
    async fn my_community_profile(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<AlumniProfile>> {
        Ok(members::mine(db(ctx)?, caller(ctx)?)
            .await
            .gql()?
            .map(AlumniProfile))
    }

    /// The alumni directory: current community members, in the order they joined, each
    /// as you may see them. A member is listed only to those who may see their display
    /// name; filters match only fields the member lets you see. `first` and `last` default
    /// to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn alumni(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the members must meet.")] filter: Option<AlumniFilterInput>,
        #[graphql(desc = "How to order the community members; their own order when omitted.")]
        order_by: Option<AlumniOrderInput>,
    ) -> async_graphql::Result<AlumniProfileConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = AlumniFilter {
            cohort_ids: decode_input_ids(
                filter.cohorts,
                NodeKind::CAMP_COHORT,
                "filter.cohorts",
                "cohort",
            )
            .gql()?,
            programs: filter
                .programs
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            interests: filter.interests.unwrap_or_default(),
            open_to_mentoring: filter.open_to_mentoring,
        };
        let page = members::list(
            &db,
            &caller,
            &filter,
            &PageArgs::new(first, after, last, before)
                .directed(AlumniOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let views: Vec<_> = page.items.iter().map(|(_, view)| view).collect();
        prime_profiles(ctx, &views).await?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { members::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(AlumniProfileConnection(ConnectionData::new(
            page,
            AlumniProfile,
            counter,
        )))
    }

    /// Activity reports of current members who let you see their activities, latest
    /// first. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn alumni_activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the reports must meet.")] filter: Option<
            AlumniActivityFilterInput,
        >,
        #[graphql(desc = "How to order the activity reports; their own order when omitted.")]
        order_by: Option<AlumniActivityOrderInput>,
    ) -> async_graphql::Result<AlumniActivityConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = ActivityFilter {
            featured: filter.featured,
            kinds: filter
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            person_ids: decode_input_ids(
                filter.members,
                NodeKind::ALUMNI_PROFILE,
                "filter.members",
                "community profile",
            )
            .gql()?,
        };
        let page = activities::activities(
            &db,
            &caller,
            &filter,
            &PageArgs::new(first, after, last, before)
                .directed(AlumniActivityOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { activities::count_activities(&db, &caller, &filter).await })
                as CountFuture
        });
        Ok(AlumniActivityConnection(ConnectionData::new(
            page,
            AlumniActivity,
            counter,
        )))
    }

    /// Community events, soonest first; upcoming ones unless `filter.from` says otherwise.
    /// Public. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn community_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the events must meet.")] filter: Option<
            CommunityEventFilterInput,
        >,
        #[graphql(desc = "How to order the community events; their own order when omitted.")]
        order_by: Option<CommunityEventOrderInput>,
    ) -> async_graphql::Result<CommunityEventConnection> {
        let db = db(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = EventFilter {
            from: Some(match filter.from {
                Some(from) => from.0,
                None => caller(ctx)?.now(),
            }),
            until: filter.until.map(|d| d.0),
            include_cancelled: filter.include_cancelled.unwrap_or(false),
        };
        let page = events::list(
            &db,
            &filter,
            &PageArgs::new(first, after, last, before)
                .directed(CommunityEventOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { events::count(&db, &filter).await }) as CountFuture
        });
        Ok(CommunityEventConnection(ConnectionData::new(
            page,
            CommunityEvent,
            counter,
        )))
    }
}
