//! Bulk data in GraphQL: following the jobs that apply uploaded files.

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
use crate::domain::bulk::jobs;
use objects::BulkJob;

impl NodeKind {
    pub const BULK_JOB: NodeKind = NodeKind::named("BulkJob");
}

/// Bulk data's registration in the schema. Jobs import companies and support
/// organizations, so reading them takes matching's read scope.
pub const AREA: Area = Area {
    name: "bulk",
    nodes: &[node_type!(BulkJob, NodeKind::BULK_JOB, |ctx, keys| {
        let rows = jobs::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
        Ok(aligned(rows, BulkJob))
    })],
    attach_loaders: loaders::attach,
    person_level_types: &["BulkJob", "BulkJobRejection"],
    analyst_readable_types: &[],
    roots: super::area::query_roots::<query::BulkQuery>,
    read_scope: &crate::domain::scopes::MATCHING_READ,
    write_scope: None,
};
