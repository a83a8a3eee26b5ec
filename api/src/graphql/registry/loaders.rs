//! Batch loaders of the registry: nested fields of a page cost one statement each.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller,
        registry::{
            queries::{self, StatusChange, status_histories},
            views::SpecialistView,
        },
    },
    graphql::area::{keyed, loader, with_loader},
};

loader!(
    /// Status histories, by specialist id.
    StatusHistories, StatusHistoryLoader, Vec<StatusChange>,
    |db, _caller, keys| status_histories(db, keys).await
);

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

loader!(
    /// Specialists by id, as the caller may see them (later areas' objects name theirs).
    Specialists, SpecialistLoader, SpecialistView,
    |db, caller, keys| async {
        Ok(keyed(queries::by_ids(db, caller, keys).await?, |s| s.id()))
    }.await
);

/// Attaches the registry's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    let request = with_loader(request, StatusHistoryLoader::new(db, caller));
    with_loader(request, SpecialistLoader::new(db, caller))
}
