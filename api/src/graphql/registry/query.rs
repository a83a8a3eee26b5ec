//! Registry queries.

use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Object};

use super::{
    loaders::prime_status_histories,
    types::{Specialist, SpecialistConnection, SpecialistStatus},
};
use crate::{
    domain::{
        pagination::PageArgs,
        registry::query::{
            self as registry, SpecialistFilter, SpecialistOrder, SpecialistOrderField,
        },
    },
    graphql::{
        connection::{ConnectionData, OrderDirection},
        context::{caller, db},
        error::GqlResultExt,
        scalars::Date,
    },
};

/// Narrows a list of specialists. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct SpecialistFilterInput {
    /// Only these prefectures (JIS X 0401 codes, e.g. `["13", "14"]`). For public callers
    /// this matches only specialists who publish their prefecture.
    pub prefectures: Option<Vec<String>>,
    /// Only these statuses. Public callers only ever see `ACTIVE` registrations.
    pub statuses: Option<Vec<SpecialistStatus>>,
    /// Part of a name, in kanji or kana (spaces ignored). For public callers this matches
    /// only names the specialist publishes.
    pub name_contains: Option<String>,
    /// Registered on or after this date.
    pub registered_from: Option<Date>,
    /// Registered on or before this date.
    pub registered_to: Option<Date>,
}

/// Fields a list of specialists can be ordered by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "SpecialistOrderField")]
pub enum SpecialistOrderBy {
    /// Registration number (the default).
    #[default]
    RegistrationNumber,
    /// Registration date, then creation order.
    RegisteredOn,
    /// Family then given name in kana. Registry staff only.
    NameKana,
}

/// How to order a list of specialists.
#[derive(InputObject, Default)]
pub struct SpecialistOrderInput {
    /// The field to order by.
    #[graphql(default)]
    pub field: SpecialistOrderBy,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl From<SpecialistFilterInput> for SpecialistFilter {
    fn from(input: SpecialistFilterInput) -> Self {
        Self {
            prefectures: input.prefectures.unwrap_or_default(),
            statuses: input
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            name_contains: input.name_contains,
            registered_from: input.registered_from.map(|d| d.0),
            registered_to: input.registered_to.map(|d| d.0),
        }
    }
}

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
    #[graphql(
        complexity = "(first.or(last).unwrap_or(20).clamp(1, 100) as usize) * child_complexity + 1"
    )]
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
