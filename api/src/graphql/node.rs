//! Global object identification: opaque IDs, the `Node` interface, `node` and `nodes`.
//!
//! A global ID is URL-safe base64 of `Type:key`. Clients must treat it as opaque.

use async_graphql::{Context, ID, Interface, Object};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{
    active_list::types::{ActiveListEntry, GuidanceTheme},
    audit::AuditEvent,
    camp::types::{
        AlumniActivity, AlumniProfile, CampApplication, CampCohort, CampProgram, CampTrack,
        CommunityEvent, Person,
    },
    context::{caller, db},
    error::{ErrorCode, GqlResultExt, coded},
    matching::types::{Company, ConsultationRequest, Match, SupportOrganization},
    registry::types::Specialist,
    renewal::types::{Course, DeemedAttendanceClaim, RenewalCycle},
    rights::ErasureRequest,
};
use crate::domain::{
    active_list::{search as entries, themes},
    audit,
    camp::{applications, cohorts, community, events, people, programs},
    erasure,
    matching::{companies, matches, organizations, requests},
    registry::query as registry,
    renewal::{claims, courses, cycles},
};

/// The most IDs `nodes` takes at once.
pub const MAX_NODES: usize = 100;

/// Kinds of object that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Specialist,
    Course,
    RenewalCycle,
    DeemedAttendanceClaim,
    GuidanceTheme,
    ActiveListEntry,
    SupportOrganization,
    Company,
    ConsultationRequest,
    Match,
    CampProgram,
    CampCohort,
    CampTrack,
    CampApplication,
    Person,
    AlumniProfile,
    AlumniActivity,
    CommunityEvent,
    AuditEvent,
    ErasureRequest,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Specialist => "Specialist",
            NodeKind::Course => "Course",
            NodeKind::RenewalCycle => "RenewalCycle",
            NodeKind::DeemedAttendanceClaim => "DeemedAttendanceClaim",
            NodeKind::GuidanceTheme => "GuidanceTheme",
            NodeKind::ActiveListEntry => "ActiveListEntry",
            NodeKind::SupportOrganization => "SupportOrganization",
            NodeKind::Company => "Company",
            NodeKind::ConsultationRequest => "ConsultationRequest",
            NodeKind::Match => "Match",
            NodeKind::CampProgram => "CampProgram",
            NodeKind::CampCohort => "CampCohort",
            NodeKind::CampTrack => "CampTrack",
            NodeKind::CampApplication => "CampApplication",
            NodeKind::Person => "Person",
            NodeKind::AlumniProfile => "AlumniProfile",
            NodeKind::AlumniActivity => "AlumniActivity",
            NodeKind::CommunityEvent => "CommunityEvent",
            NodeKind::AuditEvent => "AuditEvent",
            NodeKind::ErasureRequest => "ErasureRequest",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "Specialist" => Some(NodeKind::Specialist),
            "Course" => Some(NodeKind::Course),
            "RenewalCycle" => Some(NodeKind::RenewalCycle),
            "DeemedAttendanceClaim" => Some(NodeKind::DeemedAttendanceClaim),
            "GuidanceTheme" => Some(NodeKind::GuidanceTheme),
            "ActiveListEntry" => Some(NodeKind::ActiveListEntry),
            "SupportOrganization" => Some(NodeKind::SupportOrganization),
            "Company" => Some(NodeKind::Company),
            "ConsultationRequest" => Some(NodeKind::ConsultationRequest),
            "Match" => Some(NodeKind::Match),
            "CampProgram" => Some(NodeKind::CampProgram),
            "CampCohort" => Some(NodeKind::CampCohort),
            "CampTrack" => Some(NodeKind::CampTrack),
            "CampApplication" => Some(NodeKind::CampApplication),
            "Person" => Some(NodeKind::Person),
            "AlumniProfile" => Some(NodeKind::AlumniProfile),
            "AlumniActivity" => Some(NodeKind::AlumniActivity),
            "CommunityEvent" => Some(NodeKind::CommunityEvent),
            "AuditEvent" => Some(NodeKind::AuditEvent),
            "ErasureRequest" => Some(NodeKind::ErasureRequest),
            _ => None,
        }
    }
}

pub fn encode_id(kind: NodeKind, key: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", kind.as_str())))
}

/// Reads a global ID; `None` when it is not one of ours.
pub fn decode_id(id: &str) -> Option<(NodeKind, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((NodeKind::parse(kind)?, key.parse().ok()?))
}

/// Reads a global ID that must name an object of `kind`.
pub fn decode_id_of(id: &ID, kind: NodeKind) -> Option<i64> {
    match decode_id(id) {
        Some((found, key)) if found == kind => Some(key),
        _ => None,
    }
}

/// Reads a global ID given as input `field`, which must name a `what` of `kind`; anything
/// else is an invalid input.
pub fn decode_input_id(
    id: &ID,
    kind: NodeKind,
    field: &str,
    what: &str,
) -> Result<i64, crate::domain::DomainError> {
    decode_id_of(id, kind).ok_or_else(|| {
        crate::domain::DomainError::invalid(field, format!("is not the ID of a {what}"))
    })
}

/// Reads the global IDs of a filter's list `field`, each of which must name a `what` of
/// `kind`; at most [`MAX_FILTER_VALUES`](crate::domain::pagination::MAX_FILTER_VALUES).
/// A missing list is an empty one (no condition).
pub fn decode_input_ids(
    ids: Option<Vec<ID>>,
    kind: NodeKind,
    field: &str,
    what: &str,
) -> Result<Vec<i64>, crate::domain::DomainError> {
    let ids = ids.unwrap_or_default();
    crate::domain::pagination::check_filter_len(field, &ids)?;
    let mut decoded = ids
        .iter()
        .enumerate()
        .map(|(i, id)| decode_input_id(id, kind, &format!("{field}.{i}"), what))
        .collect::<Result<Vec<_>, _>>()?;
    decoded.sort_unstable();
    decoded.dedup();
    Ok(decoded)
}

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Opaque global ID, stable for the life of the object."
))]
pub enum Node {
    Specialist(Specialist),
    Course(Course),
    RenewalCycle(RenewalCycle),
    DeemedAttendanceClaim(DeemedAttendanceClaim),
    GuidanceTheme(GuidanceTheme),
    ActiveListEntry(ActiveListEntry),
    SupportOrganization(SupportOrganization),
    Company(Company),
    ConsultationRequest(ConsultationRequest),
    Match(Match),
    CampProgram(CampProgram),
    CampCohort(CampCohort),
    CampTrack(CampTrack),
    CampApplication(CampApplication),
    Person(Person),
    AlumniProfile(AlumniProfile),
    AlumniActivity(AlumniActivity),
    CommunityEvent(CommunityEvent),
    AuditEvent(AuditEvent),
    ErasureRequest(ErasureRequest),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global ID, or null when it does not exist or you may not see it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as read from any object's `id`.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let mut found = load_nodes(ctx, &[id]).await?;
        Ok(found.pop().flatten())
    }

    /// The objects with these global IDs, in the same order; null for each one that does
    /// not exist or that you may not see. At most 100 IDs.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 100 global IDs.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(coded(
                ErrorCode::BadUserInput,
                format!("nodes takes at most {MAX_NODES} IDs, not {}", ids.len()),
            ));
        }
        load_nodes(ctx, &ids).await
    }
}

/// Loads objects of any kind with one statement per kind.
async fn load_nodes(ctx: &Context<'_>, ids: &[ID]) -> async_graphql::Result<Vec<Option<Node>>> {
    let decoded: Vec<(NodeKind, i64)> = ids
        .iter()
        .map(|id| {
            decode_id(id).ok_or_else(|| {
                coded(
                    ErrorCode::BadUserInput,
                    format!("\"{}\" is not a Kakehashi ID", id.as_str()),
                )
            })
        })
        .collect::<async_graphql::Result<_>>()?;
    let keys = |wanted: NodeKind| -> Vec<i64> {
        decoded
            .iter()
            .filter(|(kind, _)| *kind == wanted)
            .map(|(_, key)| *key)
            .collect()
    };
    let (db, caller) = (db(ctx)?, caller(ctx)?);
    let mut specialists = registry::by_ids(db, caller, &keys(NodeKind::Specialist))
        .await
        .gql()?
        .into_iter();
    let mut courses = courses::by_ids(db, &keys(NodeKind::Course))
        .await
        .gql()?
        .into_iter();
    let mut cycles = cycles::by_ids(db, caller, &keys(NodeKind::RenewalCycle))
        .await
        .gql()?
        .into_iter();
    let mut claims = claims::by_ids(db, caller, &keys(NodeKind::DeemedAttendanceClaim))
        .await
        .gql()?
        .into_iter();
    let theme_keys = keys(NodeKind::GuidanceTheme);
    let themes = if theme_keys.is_empty() {
        Vec::new()
    } else {
        themes::by_ids(db, &theme_keys).await.gql()?
    };
    let mut entries = entries::by_ids(db, caller, &keys(NodeKind::ActiveListEntry))
        .await
        .gql()?
        .into_iter();
    let organization_keys = keys(NodeKind::SupportOrganization);
    let organizations = if organization_keys.is_empty() {
        Vec::new()
    } else {
        organizations::by_ids(db, &organization_keys).await.gql()?
    };
    let mut companies = companies::by_ids(db, caller, &keys(NodeKind::Company))
        .await
        .gql()?
        .into_iter();
    let mut requests = requests::by_ids(db, caller, &keys(NodeKind::ConsultationRequest))
        .await
        .gql()?
        .into_iter();
    let mut matches = matches::by_ids(db, caller, &keys(NodeKind::Match))
        .await
        .gql()?
        .into_iter();
    let camp_programs = {
        let keys = keys(NodeKind::CampProgram);
        if keys.is_empty() {
            Vec::new()
        } else {
            programs::by_ids(db, &keys).await.gql()?
        }
    };
    let mut camp_cohorts = cohorts::by_ids(db, &keys(NodeKind::CampCohort))
        .await
        .gql()?
        .into_iter();
    let mut camp_tracks = cohorts::tracks_by_ids(db, &keys(NodeKind::CampTrack))
        .await
        .gql()?
        .into_iter();
    let mut camp_applications = applications::by_ids(db, caller, &keys(NodeKind::CampApplication))
        .await
        .gql()?
        .into_iter();
    let mut people = people::by_ids(db, caller, &keys(NodeKind::Person))
        .await
        .gql()?
        .into_iter();
    let mut profiles = community::by_ids(db, caller, &keys(NodeKind::AlumniProfile))
        .await
        .gql()?
        .into_iter();
    let mut activities = community::activities_by_ids(db, caller, &keys(NodeKind::AlumniActivity))
        .await
        .gql()?
        .into_iter();
    let mut community_events = events::by_ids(db, &keys(NodeKind::CommunityEvent))
        .await
        .gql()?
        .into_iter();
    let mut audit_events = audit::by_ids(db, caller, &keys(NodeKind::AuditEvent))
        .await
        .gql()?
        .into_iter();
    let mut erasure_requests = erasure::by_ids(db, caller, &keys(NodeKind::ErasureRequest))
        .await
        .gql()?
        .into_iter();
    Ok(decoded
        .iter()
        .map(|(kind, key)| match kind {
            NodeKind::CampProgram => camp_programs
                .iter()
                .find(|p| p.id == *key)
                .map(|p| Node::CampProgram(CampProgram(p.clone()))),
            NodeKind::CampCohort => camp_cohorts
                .next()
                .flatten()
                .map(|c| Node::CampCohort(CampCohort(c))),
            NodeKind::CampTrack => camp_tracks
                .next()
                .flatten()
                .map(|t| Node::CampTrack(CampTrack(t))),
            NodeKind::CampApplication => camp_applications
                .next()
                .flatten()
                .map(|a| Node::CampApplication(CampApplication(a))),
            NodeKind::Person => people.next().flatten().map(|p| Node::Person(Person(p))),
            NodeKind::AlumniProfile => profiles
                .next()
                .flatten()
                .map(|p| Node::AlumniProfile(AlumniProfile(p))),
            NodeKind::AlumniActivity => activities
                .next()
                .flatten()
                .map(|a| Node::AlumniActivity(AlumniActivity(a))),
            NodeKind::CommunityEvent => community_events
                .next()
                .flatten()
                .map(|e| Node::CommunityEvent(CommunityEvent(e))),
            NodeKind::AuditEvent => audit_events
                .next()
                .flatten()
                .map(|e| Node::AuditEvent(AuditEvent(e))),
            NodeKind::ErasureRequest => erasure_requests
                .next()
                .flatten()
                .map(|r| Node::ErasureRequest(ErasureRequest(r))),
            NodeKind::GuidanceTheme => themes
                .iter()
                .find(|t| t.id == *key)
                .map(|t| Node::GuidanceTheme(GuidanceTheme(t.clone()))),
            NodeKind::ActiveListEntry => entries
                .next()
                .flatten()
                .map(|e| Node::ActiveListEntry(ActiveListEntry(e))),
            NodeKind::SupportOrganization => organizations
                .iter()
                .find(|o| o.id == *key)
                .map(|o| Node::SupportOrganization(SupportOrganization(o.clone()))),
            NodeKind::Company => companies
                .next()
                .flatten()
                .map(|c| Node::Company(Company(c))),
            NodeKind::ConsultationRequest => requests
                .next()
                .flatten()
                .map(|r| Node::ConsultationRequest(ConsultationRequest(r))),
            NodeKind::Match => matches.next().flatten().map(|m| Node::Match(Match(m))),
            NodeKind::Specialist => specialists
                .next()
                .flatten()
                .map(|v| Node::Specialist(Specialist(v))),
            NodeKind::Course => courses.next().flatten().map(|c| Node::Course(Course(c))),
            NodeKind::RenewalCycle => cycles
                .next()
                .flatten()
                .map(|c| Node::RenewalCycle(RenewalCycle(c))),
            NodeKind::DeemedAttendanceClaim => claims
                .next()
                .flatten()
                .map(|c| Node::DeemedAttendanceClaim(DeemedAttendanceClaim(c))),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_refuse_foreign_values() {
        let id = encode_id(NodeKind::Specialist, 42);
        assert_eq!(decode_id(&id), Some((NodeKind::Specialist, 42)));
        assert_eq!(decode_id_of(&id, NodeKind::Specialist), Some(42));
        assert_eq!(decode_id("42"), None);
        assert_eq!(decode_id(&URL_SAFE_NO_PAD.encode("Invoice:1")), None);
        assert_eq!(decode_id(&URL_SAFE_NO_PAD.encode("Specialist:x")), None);
    }
}
