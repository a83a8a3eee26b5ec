//! Registry queries.

use super::inputs::{SpecialistFilterInput, SpecialistOrderInput};
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, Object};

use super::{
    loaders::prime_status_histories,
    objects::{Specialist, SpecialistConnection},
};
use crate::{
    domain::{
        pagination::PageArgs,
        registry::queries::{self as registry, SpecialistFilter, SpecialistOrder},
    },
    graphql::{
        connection::{ConnectionData, OrderDirection},
        context::{caller, db},
        error::GqlResultExt,
    },
};

#[derive(Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// A specialist by registration number (`011172`), or null when there is none you may
    /// see. Public callers see only active registrations.
    async fn specialist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Six digits, zero-padded (`011172`).")] registration_number: String,
    ) -> async_graphql::Result<Option<Specialist>> {
        let view = registry::by_registration_number(db(ctx)?, caller(ctx)?, &registration_number)
            .await
            .gql()?;
        Ok(view.map(Specialist))
    }

    /// Specialists you may see, filtered and ordered, a page at a time. `first` and `last`
    /// default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn specialists(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the specialists must meet.")] filter: Option<
            SpecialistFilterInput,
        >,
        #[graphql(desc = "Order of the list; registration number ascending by default.")]
        order_by: Option<SpecialistOrderInput>,
    ) -> async_graphql::Result<SpecialistConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter: SpecialistFilter = filter.unwrap_or_default().into();
        let order_by = order_by.unwrap_or_default();
        let order = SpecialistOrder {
            field: order_by.field.into(),
            descending: order_by.direction == OrderDirection::Desc,
        };
        let args = PageArgs::new(first, after, last, before);
        let page = registry::list(&db, &caller, &filter, order, &args)
            .await
            .gql()?;
        let full: Vec<i64> = page
            .items
            .iter()
            .filter(|(_, view)| view.is_full())
            .map(|(_, view)| view.id())
            .collect();
        prime_status_histories(ctx, full).await?;
        let visible: Vec<i64> = page.items.iter().map(|(_, view)| view.id()).collect();
        crate::graphql::renewal::loaders::prime_specialist_renewal(ctx, visible).await?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { registry::count(&db, &caller, &filter).await })
                as std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send>>
        });
        Ok(SpecialistConnection(ConnectionData::new(
            page, Specialist, counter,
        )))
    }
}
