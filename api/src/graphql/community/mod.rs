//! The alumni community in GraphQL: the directory of profiles, activity reports and
//! community events with their RSVPs.

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
use crate::domain::community::{activities, events, members};
use objects::{AlumniActivity, AlumniProfile, CommunityEvent};

impl NodeKind {
    pub const ALUMNI_PROFILE: NodeKind = NodeKind::named("AlumniProfile");
    pub const ALUMNI_ACTIVITY: NodeKind = NodeKind::named("AlumniActivity");
    pub const COMMUNITY_EVENT: NodeKind = NodeKind::named("CommunityEvent");
}

/// The community's registration in the schema.
pub const AREA: Area = Area {
    name: "community",
    nodes: &[
        node_type!(AlumniProfile, NodeKind::ALUMNI_PROFILE, |ctx, keys| {
            let rows = members::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, AlumniProfile))
        }),
        node_type!(AlumniActivity, NodeKind::ALUMNI_ACTIVITY, |ctx, keys| {
            let rows = activities::activities_by_ids(db(ctx)?, caller(ctx)?, &keys)
                .await
                .gql()?;
            Ok(aligned(rows, AlumniActivity))
        }),
        node_type!(CommunityEvent, NodeKind::COMMUNITY_EVENT, |ctx, keys| {
            let rows = events::by_ids(db(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, CommunityEvent))
        }),
    ],
    attach_loaders: loaders::attach,
    person_level_types: &[
        "AlumniActivity",
        "AlumniProfile",
        "EventRsvp",
        "FieldVisibility",
    ],
    analyst_readable_types: &["CommunityEvent"],
    roots: super::area::roots::<query::CommunityQuery, mutation::CommunityMutation>,
    read_scope: &crate::domain::scopes::CAMPS_READ,
    write_scope: Some(&crate::domain::scopes::CAMPS_WRITE),
};
