//! How an area plugs into the schema. Each area declares one [`Area`] in its module: the
//! node kinds it owns (with the loaders `node` and `nodes` use), the per-request
//! DataLoaders its objects need, and which of its object types describe a person.
//! [`AREAS`](super::AREAS) lists the areas; nothing else names an area's types.

use async_graphql::{
    Request,
    dataloader::{DataLoader, HashMapCache, Loader},
};
use sea_orm::DatabaseConnection;

use super::node::NodeType;
use crate::domain::Caller;

/// What an area registers.
pub struct Area {
    /// The area's name, as in `domain::<name>`.
    pub name: &'static str,
    /// The node kinds the area owns.
    pub nodes: &'static [NodeType],
    /// Attaches the area's per-request loaders to a request.
    pub attach_loaders: fn(Request, &DatabaseConnection, &Caller) -> Request,
    /// The area's person-level object types (see `privacy`): their connections and edges
    /// count as them.
    pub person_level_types: &'static [&'static str],
}

impl Area {
    /// An area without loaders of its own.
    pub fn no_loaders(request: Request, _db: &DatabaseConnection, _caller: &Caller) -> Request {
        request
    }
}

/// Adds one fresh per-request loader to a request.
pub fn with_loader<K, L>(request: Request, loader: L) -> Request
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K>,
{
    request.data(DataLoader::with_cache(
        loader,
        tokio::spawn,
        HashMapCache::default(),
    ))
}
