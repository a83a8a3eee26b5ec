//! Renewal in GraphQL: policies, the course catalogue, cycles, training completions,
//! deemed-attendance claims and reminders.

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
use crate::domain::renewal::{claims, courses, cycles};
use objects::{Course, DeemedAttendanceClaim, RenewalCycle};

impl NodeKind {
    pub const COURSE: NodeKind = NodeKind::named("Course");
    pub const RENEWAL_CYCLE: NodeKind = NodeKind::named("RenewalCycle");
    pub const DEEMED_ATTENDANCE_CLAIM: NodeKind = NodeKind::named("DeemedAttendanceClaim");
}

/// Renewal's registration in the schema.
pub const AREA: Area = Area {
    name: "renewal",
    nodes: &[
        node_type!(Course, NodeKind::COURSE, |ctx, keys| {
            Ok(aligned(
                courses::by_ids(db(ctx)?, &keys).await.gql()?,
                Course,
            ))
        }),
        node_type!(RenewalCycle, NodeKind::RENEWAL_CYCLE, |ctx, keys| {
            let rows = cycles::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, RenewalCycle))
        }),
        node_type!(
            DeemedAttendanceClaim,
            NodeKind::DEEMED_ATTENDANCE_CLAIM,
            |ctx, keys| {
                let rows = claims::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
                Ok(aligned(rows, DeemedAttendanceClaim))
            }
        ),
    ],
    attach_loaders: loaders::attach,
    person_level_types: &[
        "CycleRequirement",
        "DeemedAttendanceClaim",
        "RejectedRow",
        "RenewalCycle",
        "RenewalReminder",
        "TrainingCompletion",
    ],
    analyst_readable_types: &[
        "Course",
        "DeemedAttendanceSavings",
        "PolicyRequirement",
        "RequirementPolicy",
    ],
    roots: super::area::roots::<query::RenewalQuery, mutation::RenewalMutation>,
    read_scope: &crate::domain::scopes::RENEWAL_READ,
    write_scope: Some(&crate::domain::scopes::RENEWAL_WRITE),
};
