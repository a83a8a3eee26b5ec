//! Analysts see aggregates only: an `ANALYST` caller reaching any person-level type of the
//! schema gets `FORBIDDEN`, whatever the path (a list, a payload, `node`).
//!
//! The domain refuses analysts in each person-level read too; this guard is the schema-wide
//! net under those checks, so that a field added later cannot leak a person to an analyst
//! by forgetting one. Each area lists its person-level types in its `Area`; a test checks
//! the lists against the whole schema: every object type must be classified. Only analysts' requests run on the schema that carries it
//! (`Schemas::for_analysts`): hooking every field costs the others throughput.

use std::sync::Arc;

use async_graphql::{
    PathSegment, ServerError, ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo},
};

use super::error::{ErrorCode, coded};

/// A schema-wide guard's refusal of the field being resolved, at its path.
pub fn refused_at(info: &ResolveInfo<'_>, code: ErrorCode, message: &str) -> ServerError {
    let mut path: Vec<PathSegment> = std::iter::once(info.path_node)
        .chain(info.path_node.parents())
        .map(|node| match node.segment {
            async_graphql::QueryPathSegment::Index(i) => PathSegment::Index(i),
            async_graphql::QueryPathSegment::Name(name) => PathSegment::Field(name.to_owned()),
        })
        .collect();
    path.reverse();
    let error = coded(code, message);
    let mut refused = ServerError::new(error.message, None);
    refused.extensions = error.extensions;
    refused.path = path;
    refused
}

/// Object types of no area that an analyst may read: the roots, the plumbing of pages and
/// errors, the caller's own `Viewer`, reference data shared by the areas.
pub const SHARED_ANALYST_READABLE: &[&str] = &[
    "Mutation",
    "PageInfo",
    "Prefecture",
    "Query",
    "UserError",
    "Viewer",
];

/// The object type a type reference names: `[Specialist!]!`, `SpecialistConnection` and
/// `SpecialistEdge` name `Specialist`.
pub fn base(type_name: &str) -> &str {
    let base = type_name.trim_matches(|c| c == '[' || c == ']' || c == '!');
    base.strip_suffix("Connection")
        .or_else(|| base.strip_suffix("Edge"))
        .unwrap_or(base)
}

/// Whether a type (as written in the schema: `[Specialist!]!`, `SpecialistConnection`)
/// is person-level.
pub fn is_person_level(type_name: &str) -> bool {
    let base = base(type_name);
    super::AREAS
        .iter()
        .any(|area| area.person_level_types.contains(&base))
}

/// Whether an analyst may read a type: an area or the shared kernel says so, or it is a
/// mutation's payload (plumbing: each of its fields is classified by its own type).
pub fn is_analyst_readable(type_name: &str) -> bool {
    let base = base(type_name);
    base.ends_with("Payload")
        || SHARED_ANALYST_READABLE.contains(&base)
        || super::AREAS
            .iter()
            .any(|area| area.analyst_readable_types.contains(&base))
}

/// The schema extension that refuses person-level fields: it is on the schema that serves
/// analysts' requests only (`Schemas::for_analysts`).
pub struct AnalystGuard;

impl ExtensionFactory for AnalystGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AnalystGuard)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for AnalystGuard {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if !info.is_for_introspection
            && (is_person_level(info.return_type) || is_person_level(info.parent_type))
        {
            return Err(refused_at(
                &info,
                ErrorCode::Forbidden,
                "analysts see aggregates only, never a person: use the analytics queries",
            ));
        }
        next.run(ctx, info).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_connections_and_edges_count_as_their_node() {
        assert!(is_person_level("[Specialist!]!"));
        assert!(is_person_level("SpecialistConnection!"));
        assert!(is_person_level("AlumniProfileEdge"));
        assert!(!is_person_level("Breakdown!"));
        assert!(!is_person_level("CampCohortConnection!"));
    }
}
