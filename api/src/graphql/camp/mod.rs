//! Security Camp in the schema: programs, cohorts, tracks, people, applications and the
//! figures.

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
use crate::domain::camp::{applications, cohorts, people, programs};
use objects::{CampApplication, CampCohort, CampProgram, CampTrack, Person};

impl NodeKind {
    pub const CAMP_PROGRAM: NodeKind = NodeKind::named("CampProgram");
    pub const CAMP_COHORT: NodeKind = NodeKind::named("CampCohort");
    pub const CAMP_TRACK: NodeKind = NodeKind::named("CampTrack");
    pub const CAMP_APPLICATION: NodeKind = NodeKind::named("CampApplication");
    pub const PERSON: NodeKind = NodeKind::named("Person");
}

/// The camps' registration in the schema.
pub const AREA: Area = Area {
    name: "camp",
    nodes: &[
        node_type!(CampProgram, NodeKind::CAMP_PROGRAM, |ctx, keys| {
            let rows = programs::by_ids(db(ctx)?, &keys).await.gql()?;
            Ok(by_key(&keys, rows, |p| p.id, CampProgram))
        }),
        node_type!(CampCohort, NodeKind::CAMP_COHORT, |ctx, keys| {
            Ok(aligned(
                cohorts::by_ids(db(ctx)?, &keys).await.gql()?,
                CampCohort,
            ))
        }),
        node_type!(CampTrack, NodeKind::CAMP_TRACK, |ctx, keys| {
            let rows = cohorts::tracks_by_ids(db(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, CampTrack))
        }),
        node_type!(CampApplication, NodeKind::CAMP_APPLICATION, |ctx, keys| {
            let rows = applications::by_ids(db(ctx)?, caller(ctx)?, &keys)
                .await
                .gql()?;
            Ok(aligned(rows, CampApplication))
        }),
        node_type!(Person, NodeKind::PERSON, |ctx, keys| {
            let rows = people::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, Person))
        }),
    ],
    attach_loaders: loaders::attach,
    person_level_types: &["CampApplication", "Person"],
    analyst_readable_types: &[
        "ActivityCount",
        "CampCohort",
        "CampCohortMove",
        "CampFigures",
        "CampProgram",
        "CampTrack",
        "GraduateCount",
        "GraduateYear",
    ],
    roots: super::area::roots::<query::CampQuery, mutation::CampMutation>,
    read_scope: &crate::domain::scopes::CAMPS_READ,
    write_scope: Some(&crate::domain::scopes::CAMPS_WRITE),
};
