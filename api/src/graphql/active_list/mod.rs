//! The Active List in GraphQL: guidance themes, entries, search and review.

pub mod inputs;
pub mod loaders;
pub mod mutation;
pub mod objects;
pub mod query;

use super::{
    area::Area,
    context::{caller, db},
    error::GqlResultExt,
    node::{NodeKind, aligned, by_key, node_type},
};
use crate::domain::active_list::{entries, themes};
use objects::{ActiveListEntry, GuidanceTheme};

impl NodeKind {
    pub const GUIDANCE_THEME: NodeKind = NodeKind::named("GuidanceTheme");
    pub const ACTIVE_LIST_ENTRY: NodeKind = NodeKind::named("ActiveListEntry");
}

/// The Active List's registration in the schema.
pub const AREA: Area = Area {
    name: "active_list",
    nodes: &[
        node_type!(GuidanceTheme, NodeKind::GUIDANCE_THEME, |ctx, keys| {
            let rows = themes::by_ids(db(ctx)?, &keys).await.gql()?;
            Ok(by_key(&keys, rows, |t| t.id, GuidanceTheme))
        }),
        node_type!(ActiveListEntry, NodeKind::ACTIVE_LIST_ENTRY, |ctx, keys| {
            let rows = entries::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, ActiveListEntry))
        }),
    ],
    attach_loaders: loaders::attach,
    person_level_types: &["ActiveListEntry", "SpecialistContact"],
    analyst_readable_types: &["GuidanceTheme"],
    roots: super::area::roots::<query::ActiveListQuery, mutation::ActiveListMutation>,
    read_scope: &crate::domain::scopes::ACTIVE_LIST_READ,
    write_scope: Some(&crate::domain::scopes::ACTIVE_LIST_WRITE),
};
