//! The specialist registry in GraphQL.

pub mod inputs;
pub mod loaders;
pub mod mutation;
pub mod objects;
pub mod query;

use super::{
    area::Area,
    context::{caller, db},
    error::GqlResultExt,
    node::{NodeKind, aligned, node_type},
};
use crate::domain::registry::queries as registry;
use objects::Specialist;

impl NodeKind {
    pub const SPECIALIST: NodeKind = NodeKind::named("Specialist");
}

/// The registry's registration in the schema.
pub const AREA: Area = Area {
    name: "registry",
    nodes: &[node_type!(Specialist, NodeKind::SPECIALIST, |ctx, keys| {
        let rows = registry::by_ids(db(ctx)?, caller(ctx)?, &keys)
            .await
            .gql()?;
        Ok(aligned(rows, Specialist))
    })],
    attach_loaders: loaders::attach,
    person_level_types: &["DisclosureConsents", "Specialist", "StatusChange"],
    analyst_readable_types: &[],
    roots: super::area::roots::<query::RegistryQuery, mutation::RegistryMutation>,
    read_scope: &crate::domain::scopes::REGISTRY_READ,
    write_scope: Some(&crate::domain::scopes::REGISTRY_WRITE),
};
