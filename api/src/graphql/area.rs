//! How an area plugs into the schema. Each area declares one [`Area`] in its module: the
//! node kinds it owns (with the loaders `node` and `nodes` use), the per-request
//! DataLoaders its objects need, and which of its object types describe a person and
//! which an analyst may read.
//! [`AREAS`](super::AREAS) lists the areas; nothing else names an area's types.

use std::collections::HashMap;

use async_graphql::{
    OutputType, Request,
    dataloader::{DataLoader, HashMapCache, Loader},
    registry::Registry,
};
use sea_orm::DatabaseConnection;

use super::node::NodeType;
use crate::domain::{Caller, scopes::Scope};

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
    /// The area's object types an analyst may read: aggregates, reference data,
    /// organizations and companies (not people). Every object type of the schema is in
    /// one of the two lists, or in [`SHARED_ANALYST_READABLE`](super::privacy::SHARED_ANALYST_READABLE);
    /// a test checks it.
    pub analyst_readable_types: &'static [&'static str],
    /// The area's root fields: its part of `Query` and of `Mutation` (see [`roots`]).
    pub roots: fn() -> Roots,
    /// The scope a system's token needs to read the area: its root query fields and every
    /// field of its object types (see `scopes`).
    pub read_scope: &'static Scope,
    /// The scope a system's token needs for the area's mutations.
    pub write_scope: Option<&'static Scope>,
}

/// The names of an area's root fields.
#[derive(Debug, Default)]
pub struct Roots {
    pub query: Vec<String>,
    pub mutation: Vec<String>,
}

/// The field names of one object type of the schema.
fn field_names<T: OutputType>() -> Vec<String> {
    Registry::default()
        .create_fake_output_type::<T>()
        .fields()
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default()
}

/// The roots of an area with a query object `Q` and a mutation object `M`.
pub fn roots<Q: OutputType, M: OutputType>() -> Roots {
    Roots {
        query: field_names::<Q>(),
        mutation: field_names::<M>(),
    }
}

/// The roots of an area that only reads.
pub fn query_roots<Q: OutputType>() -> Roots {
    Roots {
        query: field_names::<Q>(),
        mutation: Vec::new(),
    }
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

/// Declares a per-request loader keyed by id: its alias, struct, value, and the domain call
/// that loads a batch (`db`, `caller` and `keys` in scope) into a `HashMap`. An area's
/// `attach` adds it with `with_loader(request, Name::new(db, caller))`.
macro_rules! loader {
    ($(#[$meta:meta])* $alias:ident, $name:ident, $value:ty, |$db:ident, $caller:ident, $keys:ident| $load:expr) => {
        $(#[$meta])*
        pub type $alias = async_graphql::dataloader::DataLoader<$name, async_graphql::dataloader::HashMapCache>;

        $(#[$meta])*
        pub struct $name {
            pub db: sea_orm::DatabaseConnection,
            pub caller: $crate::domain::Caller,
        }

        impl $name {
            /// A fresh loader for one request.
            pub fn new(db: &sea_orm::DatabaseConnection, caller: &$crate::domain::Caller) -> Self {
                Self {
                    db: db.clone(),
                    caller: caller.clone(),
                }
            }
        }

        impl async_graphql::dataloader::Loader<i64> for $name {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(
                &self,
                keys: &[i64],
            ) -> Result<std::collections::HashMap<i64, $value>, Self::Error> {
                let ($db, $caller, $keys) = (&self.db, &self.caller, keys);
                let loaded: $crate::domain::DomainResult<std::collections::HashMap<i64, $value>> =
                    $load;
                loaded.map_err($crate::graphql::error::to_graphql)
            }
        }
    };
}
pub(crate) use loader;

/// Rows the domain returned aligned with their keys, by key.
pub fn keyed<T>(rows: Vec<Option<T>>, key: impl Fn(&T) -> i64) -> HashMap<i64, T> {
    rows.into_iter()
        .flatten()
        .map(|row| (key(&row), row))
        .collect()
}

/// An answer for every key, the default for those with nothing: a loader caches only the
/// keys it returns, so a key left out would be asked for again.
pub fn every_key<T: Default>(keys: &[i64], mut found: HashMap<i64, T>) -> HashMap<i64, T> {
    keys.iter()
        .map(|key| (*key, found.remove(key).unwrap_or_default()))
        .collect()
}

/// Rows grouped under their key, every key answered (an empty list for one with none), in
/// the order the rows came.
pub fn grouped<T>(keys: &[i64], rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut by_key: HashMap<i64, Vec<T>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        by_key.entry(key(&row)).or_default().push(row);
    }
    by_key
}
