//! Batch loaders of the registry: nested fields of a page cost one statement each.

use std::collections::HashMap;

use async_graphql::{
    Context,
    dataloader::{DataLoader, HashMapCache, Loader},
};
use sea_orm::DatabaseConnection;

use crate::domain::registry::queries::{StatusChange, status_histories};

/// The per-request loader of status histories.
pub type StatusHistories = DataLoader<StatusHistoryLoader, HashMapCache>;

/// Loads status histories by specialist id.
pub struct StatusHistoryLoader {
    pub db: DatabaseConnection,
}

impl Loader<i64> for StatusHistoryLoader {
    type Value = Vec<StatusChange>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        status_histories(&self.db, keys)
            .await
            .map_err(crate::graphql::error::to_graphql)
    }
}

/// Loads the histories of a whole page at once when the query selects them.
///
/// The loader batches keys that arrive within a short delay; a large page can outlast it
/// and split into several statements. Priming it with every id of the page keeps the cost
/// of a page at one statement for its histories, whatever its size.
pub async fn prime_status_histories(ctx: &Context<'_>, ids: Vec<i64>) -> async_graphql::Result<()> {
    let wanted = crate::graphql::connection::nodes_select(ctx, "statusHistory");
    if wanted && !ids.is_empty() {
        crate::graphql::context::data::<StatusHistories>(ctx)?
            .load_many(ids)
            .await?;
    }
    Ok(())
}

crate::graphql::area::loader!(
    /// Specialists by id, as the caller may see them (later areas' objects name theirs).
    Specialists, SpecialistLoader, crate::domain::registry::views::SpecialistView,
    |db, caller, keys| async {
        Ok(crate::graphql::area::keyed(
            crate::domain::registry::queries::by_ids(db, caller, keys).await?,
            |s| s.id(),
        ))
    }.await
);

/// Attaches the registry's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &crate::domain::Caller,
) -> async_graphql::Request {
    let request =
        crate::graphql::area::with_loader(request, StatusHistoryLoader { db: db.clone() });
    crate::graphql::area::with_loader(
        request,
        SpecialistLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    )
}
