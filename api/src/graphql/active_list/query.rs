//! Active List queries.

use super::inputs::{
    ActiveListFilterInput, ActiveListOrderBy, ActiveListOrderInput, ActiveListReviewOrderInput,
};
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, Object};
use entities::guidance_theme;

use super::{
    loaders::prime_entries,
    objects::{ActiveListEntry, ActiveListEntryConnection, GuidanceTheme},
};
use crate::{
    domain::{
        active_list::{
            entries::{self, SearchFilter, SearchOrder},
            themes,
        },
        pagination::{Page, PageArgs},
    },
    graphql::{
        connection::{ConnectionData, CountFuture},
        context::{caller, db},
        error::GqlResultExt,
    },
};

async fn connection(
    ctx: &Context<'_>,
    page: Page<entries::EntryView>,
    known_themes: Vec<guidance_theme::Model>,
    counter: crate::graphql::connection::Counter,
) -> async_graphql::Result<ActiveListEntryConnection> {
    let views: Vec<&entries::EntryView> = page.items.iter().map(|(_, v)| v).collect();
    prime_entries(ctx, &views, known_themes).await?;
    Ok(ActiveListEntryConnection(ConnectionData::new(
        page,
        ActiveListEntry,
        counter,
    )))
}

#[derive(Default)]
pub struct ActiveListQuery;

#[Object]
impl ActiveListQuery {
    /// Guidance themes in display order. Public.
    async fn guidance_themes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Include retired themes.", default = false)] include_retired: bool,
    ) -> async_graphql::Result<Vec<GuidanceTheme>> {
        let rows = themes::list(db(ctx)?, include_retired).await.gql()?;
        Ok(rows.into_iter().map(GuidanceTheme).collect())
    }

    /// The published Active List: entries of eligible specialists only, filtered and
    /// ordered, a page at a time. Everybody but analysts. `first` and `last` default to 20
    /// and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn active_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the entries must meet.")] filter: Option<
            ActiveListFilterInput,
        >,
        #[graphql(desc = "How to order the entries; most recently confirmed first when omitted.")]
        order_by: Option<ActiveListOrderInput>,
    ) -> async_graphql::Result<ActiveListEntryConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = SearchFilter {
            theme_codes: filter.themes.unwrap_or_default(),
            theme_match: filter.theme_match.into(),
            prefectures: filter.prefectures.unwrap_or_default(),
            remote_ok: filter.remote_ok,
            industries: filter
                .industries
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            languages: filter.languages.unwrap_or_default(),
            fee_policies: filter
                .fee_policies
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            has_capacity: filter.has_capacity,
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let args = PageArgs::new(first, after, last, before)
            .directed(ActiveListOrderInput::direction_of(&order_by));
        let order = match order_by.and_then(|order| order.field) {
            None | Some(ActiveListOrderBy::RecentlyConfirmed) => SearchOrder::RecentlyConfirmed,
            Some(ActiveListOrderBy::EntryCreated) => SearchOrder::EntryCreated,
            Some(ActiveListOrderBy::UpdatedAt) => SearchOrder::UpdatedAt,
        };
        let found = entries::search(&db, &caller, &filter, order, &args)
            .await
            .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { entries::count(&db, &caller, &filter).await }) as CountFuture
        });
        connection(ctx, found.page, found.themes, counter).await
    }

    /// Entries waiting for review, oldest first, with eligibility and staleness. Registry
    /// staff only. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    async fn active_list_review_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "How to order the entries; oldest submission first when omitted.")]
        order_by: Option<ActiveListReviewOrderInput>,
    ) -> async_graphql::Result<ActiveListEntryConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let args = PageArgs::new(first, after, last, before)
            .directed(ActiveListReviewOrderInput::direction_of(&order_by));
        let page = entries::review_queue(&db, &caller, &args).await.gql()?;
        let counter = Arc::new(move || {
            let (db, caller) = (db.clone(), caller.clone());
            Box::pin(async move { entries::review_queue_count(&db, &caller).await }) as CountFuture
        });
        connection(ctx, page, Vec::new(), counter).await
    }
}
