//! SMEs, support organizations, consultation requests and matching in GraphQL.

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
use crate::domain::matching::{companies, matches, organizations, requests};
use objects::{Company, ConsultationRequest, Match, MatchSession, SupportOrganization};

impl NodeKind {
    pub const SUPPORT_ORGANIZATION: NodeKind = NodeKind::named("SupportOrganization");
    pub const COMPANY: NodeKind = NodeKind::named("Company");
    pub const CONSULTATION_REQUEST: NodeKind = NodeKind::named("ConsultationRequest");
    pub const MATCH: NodeKind = NodeKind::named("Match");
    pub const MATCH_SESSION: NodeKind = NodeKind::named("MatchSession");
}

/// Matching's registration in the schema.
pub const AREA: Area = Area {
    name: "matching",
    nodes: &[
        node_type!(
            SupportOrganization,
            NodeKind::SUPPORT_ORGANIZATION,
            |ctx, keys| {
                let rows = organizations::by_ids(db(ctx)?, &keys).await.gql()?;
                Ok(by_key(&keys, rows, |o| o.id, SupportOrganization))
            }
        ),
        node_type!(Company, NodeKind::COMPANY, |ctx, keys| {
            let rows = companies::by_ids(db(ctx)?, caller(ctx)?, &keys)
                .await
                .gql()?;
            Ok(aligned(rows, Company))
        }),
        node_type!(
            ConsultationRequest,
            NodeKind::CONSULTATION_REQUEST,
            |ctx, keys| {
                let rows = requests::by_ids(db(ctx)?, caller(ctx)?, &keys)
                    .await
                    .gql()?;
                Ok(aligned(rows, ConsultationRequest))
            }
        ),
        node_type!(Match, NodeKind::MATCH, |ctx, keys| {
            let rows = matches::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(aligned(rows, Match))
        }),
        node_type!(MatchSession, NodeKind::MATCH_SESSION, |ctx, keys| {
            let rows = matches::sessions::by_ids(db(ctx)?, caller(ctx)?, &keys)
                .await
                .gql()?;
            Ok(aligned(rows, MatchSession))
        }),
    ],
    attach_loaders: loaders::attach,
    person_level_types: &[
        "CompanyContact",
        "CompletedEngagements",
        "Match",
        "MatchCandidate",
        "MatchSession",
        "MatchSessionCorrection",
        "ScoreParts",
    ],
    analyst_readable_types: &[
        "Company",
        "ConsultationRequest",
        "SelfAssessment",
        "SelfAssessmentAnswer",
        "SelfAssessmentQuestion",
        "SupportOrganization",
    ],
    roots: super::area::roots::<query::MatchingQuery, mutation::MatchingMutation>,
    read_scope: &crate::domain::scopes::MATCHING_READ,
    write_scope: Some(&crate::domain::scopes::MATCHING_WRITE),
};
