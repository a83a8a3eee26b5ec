//! Scopes in the schema: a system's token reads and changes only the areas its scopes name
//! (see `domain::scopes`), whatever the path — a root field, a nested edge into another
//! area, an alias, a fragment or `node(id:)`.
//!
//! This is the one place scopes are applied to the schema. Each area names its read and
//! write scope in its [`Area`]; a root field of `Query` needs the read scope of the area
//! that declares it, a root field of `Mutation` the write scope, and every field of an
//! area's object types (its connections and edges included) the area's read scope. Root
//! fields of no area (`node`, `nodes`, `viewer`) and the shared plumbing (`PageInfo`,
//! payloads, `UserError`) need none: what they lead to is guarded by its own type. The
//! domain's role checks run as before; a scope only ever narrows them. Only requests of
//! tokens that carry a `scope` claim run on the schemas with this guard.

use std::{
    collections::HashMap,
    sync::{Arc, OnceLock},
};

use async_graphql::{
    ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo},
};

use super::{AREAS, area::Area, error::ErrorCode, privacy::refused_at};
use crate::domain::{Caller, scopes::Scope};

/// Which area owns each type and root field.
struct Owners {
    types: HashMap<&'static str, &'static Area>,
    queries: HashMap<String, &'static Area>,
    mutations: HashMap<String, &'static Area>,
}

fn owners() -> &'static Owners {
    static OWNERS: OnceLock<Owners> = OnceLock::new();
    OWNERS.get_or_init(|| {
        let mut owners = Owners {
            types: HashMap::new(),
            queries: HashMap::new(),
            mutations: HashMap::new(),
        };
        for area in AREAS.iter().copied() {
            for name in area
                .person_level_types
                .iter()
                .chain(area.analyst_readable_types)
            {
                owners.types.insert(name, area);
            }
            let roots = (area.roots)();
            owners
                .queries
                .extend(roots.query.into_iter().map(|field| (field, area)));
            owners
                .mutations
                .extend(roots.mutation.into_iter().map(|field| (field, area)));
        }
        owners
    })
}

/// The scope a field needs: `field` of the object type `parent` (as the schema writes
/// it). `None` for the fields of no area.
pub fn needed(parent: &str, field: &str) -> Option<&'static Scope> {
    let owners = owners();
    match parent {
        "Query" => owners.queries.get(field).map(|area| area.read_scope),
        "Mutation" => owners
            .mutations
            .get(field)
            .map(|area| area.write_scope.unwrap_or(area.read_scope)),
        _ => owners
            .types
            .get(super::privacy::base(parent))
            .map(|area| area.read_scope),
    }
}

/// The area that declares a root field of `Query` (`mutation` false) or `Mutation`.
pub fn root_area(field: &str, mutation: bool) -> Option<&'static str> {
    let owners = owners();
    let roots = if mutation {
        &owners.mutations
    } else {
        &owners.queries
    };
    roots.get(field).map(|area| area.name)
}

/// The schema extension that applies scopes; on the schemas that serve system tokens only
/// (`Schemas::for_services`).
pub struct ScopeGuard;

impl ExtensionFactory for ScopeGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ScopeGuard)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ScopeGuard {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if !info.is_for_introspection
            && let Some(scopes) = ctx.data_opt::<Caller>().and_then(|c| c.actor.scopes())
            && let Some(scope) = needed(info.parent_type, info.name)
            && !scope.is_granted_by(scopes)
        {
            let mut refused = refused_at(&info, ErrorCode::Forbidden, scope.refusal);
            if let Some(extensions) = refused.extensions.as_mut() {
                extensions.set("missingScope", scope.name);
            }
            return Err(refused);
        }
        next.run(ctx, info).await
    }
}

/// Root fields of no area: what they lead to is guarded by its own type, or by the domain
/// (`myPersonalData` needs `rights:read`).
pub const SHARED_ROOTS: &[&str] = &["node", "nodes", "viewer", "myPersonalData"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scopes;

    #[test]
    fn every_root_field_belongs_to_an_area_or_is_shared() {
        use async_graphql::registry::Registry;
        for (root, mutation) in [
            (
                Registry::default().create_fake_output_type::<super::super::Query>(),
                false,
            ),
            (
                Registry::default().create_fake_output_type::<super::super::Mutation>(),
                true,
            ),
        ] {
            let fields = root.fields().map(|f| f.keys().cloned().collect::<Vec<_>>());
            for field in fields.unwrap_or_default() {
                assert!(
                    root_area(&field, mutation).is_some() || SHARED_ROOTS.contains(&field.as_str()),
                    "root field {field} belongs to no area: no scope would guard it"
                );
            }
        }
    }

    #[test]
    fn root_fields_and_types_need_their_areas_scope() {
        assert_eq!(needed("Query", "specialists"), Some(&scopes::REGISTRY_READ));
        assert_eq!(
            needed("Mutation", "proposeMatch"),
            Some(&scopes::MATCHING_WRITE)
        );
        assert_eq!(needed("Specialist", "name"), Some(&scopes::REGISTRY_READ));
        assert_eq!(
            needed("SpecialistConnection", "edges"),
            Some(&scopes::REGISTRY_READ)
        );
        assert_eq!(needed("Query", "node"), None);
        assert_eq!(needed("Query", "viewer"), None);
        assert_eq!(needed("PageInfo", "hasNextPage"), None);
    }
}
