//! The GraphQL schema: thin resolvers that read the context, call the domain and map
//! its errors.

pub mod active_list;
pub mod analytics;
pub mod area;
pub mod audit;
pub mod bulk;
pub mod camp;
pub mod community;
pub mod connection;
pub mod context;
pub mod cost;
pub mod document_cache;
pub mod documents;
pub mod error;
pub mod limits;
pub mod matching;
pub mod node;
pub mod payload;
pub mod privacy;
pub mod reference;
pub mod registry;
pub mod renewal;
pub mod rights;
pub mod scalars;
pub mod scopes;
pub mod viewer;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder, ValidationMode};
use sea_orm::DatabaseConnection;

use crate::domain::Caller;
use area::Area;
use context::AppState;

/// Every area of the schema, each registering its node kinds, loaders and person-level
/// types in its own [`Area`]. Adding an area is one line here and its query and mutation
/// roots in [`Query`] and [`Mutation`].
pub const AREAS: &[&Area] = &[
    &registry::AREA,
    &renewal::AREA,
    &active_list::AREA,
    &matching::AREA,
    &camp::AREA,
    &community::AREA,
    &analytics::AREA,
    &audit::AREA,
    &rights::AREA,
    &documents::AREA,
    &bulk::AREA,
];

/// The deepest a query may nest.
pub const MAX_DEPTH: usize = 15;
/// The most a query may cost: a field costs 1, a connection `first × its selection`.
/// A full page of 100 specialists with every field and their histories fits.
pub const MAX_COMPLEXITY: usize = 5_000;
/// What a field costs on top of its selection when it reads a large set whatever it
/// returns (analytics over the registry's history, candidate rankings): a tenth of
/// [`MAX_COMPLEXITY`], so that one operation holds at most nine of them, aliases
/// included.
pub const LARGE_READ_COST: usize = MAX_COMPLEXITY / 10;

/// Read access to Kakehashi.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    viewer::ViewerQuery,
    registry::query::RegistryQuery,
    renewal::query::RenewalQuery,
    active_list::query::ActiveListQuery,
    matching::query::MatchingQuery,
    camp::query::CampQuery,
    community::query::CommunityQuery,
    analytics::query::AnalyticsQuery,
    audit::AuditQuery,
    rights::RightsQuery,
    documents::query::DocumentsQuery,
    bulk::query::BulkQuery,
);

/// Changes to Kakehashi. Every mutation takes one `input` and returns a payload with
/// `userErrors`.
#[derive(MergedObject, Default)]
pub struct Mutation(
    registry::mutation::RegistryMutation,
    renewal::mutation::RenewalMutation,
    active_list::mutation::ActiveListMutation,
    matching::mutation::MatchingMutation,
    camp::mutation::CampMutation,
    community::mutation::CommunityMutation,
    rights::RightsMutation,
    documents::mutation::DocumentsMutation,
);

pub type KakehashiSchema = Schema<Query, Mutation, EmptySubscription>;

/// Switches that change the schema's behaviour.
#[derive(Debug, Clone, Copy)]
pub struct SchemaOptions {
    /// Whether introspection (and field suggestions in errors) is on.
    pub introspection: bool,
    /// Whether operations are charged to their callers' budgets (see `cost`).
    pub rate_limits: bool,
}

/// The schema's builder with the limits every request is held to.
pub(crate) fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
}

/// The schema served by the API, five times: with full validation for documents seen for
/// the first time, with only the depth and complexity limits for documents that already
/// passed full validation (see `document_cache`); for analysts, with full validation and
/// the guard that refuses them every person-level field (see `privacy`); and for system
/// tokens (those with a `scope` claim), both ways again with the guard that applies their
/// scopes (see `scopes`). The guards hook every field's resolution, which costs other
/// callers 7–15% of throughput for nothing: only the requests they concern run through them.
/// While rate limits are on, every schema charges each operation to its caller's budget as
/// validation ends (see `cost`).
#[derive(Clone)]
pub struct Schemas {
    pub validating: KakehashiSchema,
    pub prevalidated: KakehashiSchema,
    pub for_analysts: KakehashiSchema,
    pub for_services: KakehashiSchema,
    pub for_services_prevalidated: KakehashiSchema,
}

impl Schemas {
    /// The schema a request of `caller` runs on; `validated` when its document already
    /// passed full validation.
    pub fn for_caller(&self, caller: &Caller, validated: bool) -> &KakehashiSchema {
        let analyst = caller.actor.role() == Some(crate::domain::Role::Analyst);
        match (analyst, caller.actor.scopes().is_some(), validated) {
            (true, _, _) => &self.for_analysts,
            (false, true, true) => &self.for_services_prevalidated,
            (false, true, false) => &self.for_services,
            (false, false, true) => &self.prevalidated,
            (false, false, false) => &self.validating,
        }
    }
}

/// Builds the schemas served by the API.
pub fn build_schemas(db: DatabaseConnection, options: SchemaOptions) -> Schemas {
    let build = |mode: ValidationMode, analysts: bool, services: bool| {
        let mut builder = builder()
            .data(AppState { db: db.clone() })
            .validation_mode(mode);
        if options.rate_limits {
            builder = builder.extension(cost::CostMeter);
        }
        if analysts {
            builder = builder.extension(privacy::AnalystGuard);
        }
        if services || analysts {
            builder = builder.extension(scopes::ScopeGuard);
        }
        if !options.introspection {
            builder = builder.disable_introspection().disable_suggestions();
        }
        builder.finish()
    };
    Schemas {
        validating: build(ValidationMode::Strict, false, false),
        prevalidated: build(ValidationMode::Fast, false, false),
        for_analysts: build(ValidationMode::Strict, true, false),
        for_services: build(ValidationMode::Strict, false, true),
        for_services_prevalidated: build(ValidationMode::Fast, false, true),
    }
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}

/// Attaches what one request needs: its caller and every area's fresh per-request
/// loaders.
pub fn prepare_request(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: Caller,
) -> async_graphql::Request {
    AREAS
        .iter()
        .fold(request, |request, area| {
            (area.attach_loaders)(request, db, &caller)
        })
        .data(caller)
}
