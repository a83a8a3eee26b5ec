//! The audit trail, for administrators: every change and every refused attempt, newest
//! first.

use crate::graphql::connection::order_input;
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Json, Object};
use entities::audit_event;

use crate::{
    domain::{
        audit::{self, AuditFilter},
        pagination::PageArgs,
    },
    graphql::{
        connection::{ConnectionData, CountFuture, connection},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, encode_id},
        scalars::DateTime,
    },
};

/// One event of the audit trail: who did what to which object, when, under which request.
/// Refused attempts have the action `refused`, the operation's name as target and the
/// reason in `details`. Events are never changed or deleted.
pub struct AuditEvent(pub audit_event::Model);

/// One event of the audit trail: who did what to which object, when, under which request.
/// Refused attempts have the action `refused`, the operation's name as target and the
/// reason in `details`. Events are never changed or deleted.
#[Object]
impl AuditEvent {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::AUDIT_EVENT, self.0.id)
    }

    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }

    /// The actor's `sub` (`anonymous` for callers without a valid token, `system` for the
    /// service's own tasks).
    async fn actor_subject(&self) -> &str {
        &self.0.actor_subject
    }

    /// The actor's role (`ANONYMOUS`, `SYSTEM` or a token role).
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }

    /// The OAuth client of the actor's token (`client_id`), when it named one: which
    /// service account acted for the subject.
    async fn actor_client_id(&self) -> Option<&str> {
        self.0.actor_client_id.as_deref()
    }

    /// What was done, e.g. `registry.register`, `match.accept`, or `refused`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The type of the object concerned (`Specialist`, `Operation` for refusals, …).
    async fn target_type(&self) -> &str {
        &self.0.target_type
    }

    /// The key of the object concerned (its database key, or the operation's name).
    async fn target_id(&self) -> &str {
        &self.0.target_id
    }

    /// The `x-request-id` of the request that did it, to find it in the logs.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// What else was recorded: ids and states, never personal values.
    async fn details(&self) -> Json<serde_json::Value> {
        Json(self.0.details.clone())
    }
}

connection!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    "audit events"
);

/// Conditions on the audit trail; each one narrows it.
#[derive(InputObject, Default)]
pub struct AuditEventFilterInput {
    /// Only events of any of these actors (their `sub`, at most 50).
    pub actors: Option<Vec<String>>,
    /// Only these actions (at most 50).
    pub actions: Option<Vec<String>>,
    /// Only events about objects of any of these types (`Specialist`, `Operation`, …).
    pub target_types: Option<Vec<String>>,
    /// Only events about the objects with these keys, as the trail records them (with
    /// `targetTypes`; at most 50): a registration number for a specialist, a corporate
    /// number for a company, a code for themes, the database key for most others.
    pub target_ids: Option<Vec<String>>,
    /// Only events at or after this instant.
    pub from: Option<DateTime>,
    /// Only events before this instant.
    pub until: Option<DateTime>,
}

order_input!(AuditEventOrderInput, AuditEventOrderBy, "audit events", {
        /// When the event occurred (the default, newest first).
        OccurredAt,
});

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first: every change and every refused attempt.
    /// Administrators only. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the events must meet.")] filter: Option<AuditEventFilterInput>,
        #[graphql(desc = "How to order the audit events; their own order when omitted.")]
        order_by: Option<AuditEventOrderInput>,
    ) -> async_graphql::Result<AuditEventConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let input = filter.unwrap_or_default();
        let filter = AuditFilter {
            actors: input.actors.unwrap_or_default(),
            actions: input.actions.unwrap_or_default(),
            target_types: input.target_types.unwrap_or_default(),
            target_ids: input.target_ids.unwrap_or_default(),
            from: input.from.map(|d| d.0),
            until: input.until.map(|d| d.0),
        };
        let page = audit::list(
            &db,
            &caller,
            &filter,
            &PageArgs::new(first, after, last, before)
                .directed(AuditEventOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { audit::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(AuditEventConnection(ConnectionData::new(
            page, AuditEvent, counter,
        )))
    }
}

impl NodeKind {
    pub const AUDIT_EVENT: NodeKind = NodeKind::named("AuditEvent");
}

/// The audit trail's registration in the schema.
pub const AREA: super::area::Area = super::area::Area {
    name: "audit",
    nodes: &[super::node::node_type!(
        AuditEvent,
        NodeKind::AUDIT_EVENT,
        |ctx, keys| {
            let rows = audit::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(super::node::aligned(rows, AuditEvent))
        }
    )],
    attach_loaders: super::area::Area::no_loaders,
    person_level_types: &["AuditEvent"],
    analyst_readable_types: &[],
    roots: super::area::query_roots::<AuditQuery>,
    read_scope: &crate::domain::scopes::AUDIT_READ,
    write_scope: None,
};
