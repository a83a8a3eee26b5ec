//! Global object identification: opaque IDs, the `Node` interface, `node` and `nodes`.
//!
//! A global ID is URL-safe base64 of `Type:key`. Clients must treat it as opaque.

use std::borrow::Cow;

use async_graphql::futures_util::future::BoxFuture;
use async_graphql::{
    Context, ContextSelectionSet, ID, InterfaceType, Object, ObjectType, OutputType, Positioned,
    ServerResult, Value,
    indexmap::{IndexMap, IndexSet},
    parser::types::Field,
    registry::{Deprecation, MetaField, MetaType, MetaTypeId, Registry},
    resolver_utils::{ContainerType, Fields, resolve_container},
};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

use super::error::{ErrorCode, GqlResultExt, coded};
use crate::domain::permissions::refuse_analysts;

/// The most IDs `nodes` takes at once.
pub const MAX_NODES: usize = 100;

/// A kind of object that has global IDs: the name of its GraphQL type. Each area declares
/// its kinds as constants in its own `impl NodeKind` block and registers them, with their
/// loaders, in its [`Area`](super::area::Area).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeKind(&'static str);

impl NodeKind {
    /// The kind of the GraphQL object type `name`.
    pub const fn named(name: &'static str) -> Self {
        NodeKind(name)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The registered kind called `value`.
    fn parse(value: &str) -> Option<Self> {
        node_types()
            .map(|node| node.kind)
            .find(|kind| kind.0 == value)
    }
}

/// One kind of node an area owns: its kind, its GraphQL object type and how a batch of
/// them is loaded. Declared with [`node_type!`].
pub struct NodeType {
    pub kind: NodeKind,
    register: fn(&mut Registry) -> String,
    type_name: fn() -> Cow<'static, str>,
    load: LoadNodes,
}

/// Loads the nodes with these keys, in their order: `None` for each one that does not
/// exist or that the caller may not see.
pub type LoadNodes = for<'a> fn(
    &'a Context<'a>,
    Vec<i64>,
) -> BoxFuture<'a, async_graphql::Result<Vec<Option<Node>>>>;

impl NodeType {
    pub const fn of<T: ObjectType + 'static>(kind: NodeKind, load: LoadNodes) -> Self {
        NodeType {
            kind,
            register: <T as OutputType>::create_type_info,
            type_name: <T as OutputType>::type_name,
            load,
        }
    }

    /// The name of its GraphQL type, which its kind must carry.
    pub fn type_name(&self) -> Cow<'static, str> {
        (self.type_name)()
    }
}

/// Declares a [`NodeType`]: the object type, its kind, and the body that loads the keys
/// (`ctx` and `keys: Vec<i64>` in scope) into `Vec<Option<Node>>`, in the keys' order (see
/// [`aligned`] and [`by_key`]).
macro_rules! node_type {
    ($object:ty, $kind:expr, |$ctx:ident, $keys:ident| $load:expr) => {
        $crate::graphql::node::NodeType::of::<$object>($kind, |$ctx, $keys| {
            Box::pin(async move {
                let loaded: async_graphql::Result<Vec<Option<$crate::graphql::node::Node>>> = $load;
                loaded
            })
        })
    };
}
pub(crate) use node_type;

/// Every node type of every area.
pub fn node_types() -> impl Iterator<Item = &'static NodeType> {
    super::AREAS.iter().flat_map(|area| area.nodes.iter())
}

/// The read scope of the area that owns a node kind.
fn scope_of(kind: NodeKind) -> Option<&'static crate::domain::scopes::Scope> {
    super::AREAS
        .iter()
        .find(|area| area.nodes.iter().any(|node| node.kind == kind))
        .map(|area| area.read_scope)
}

/// Nodes from rows the domain returned aligned with the keys.
pub fn aligned<T, N: ObjectType + 'static>(
    rows: Vec<Option<T>>,
    wrap: impl Fn(T) -> N,
) -> Vec<Option<Node>> {
    rows.into_iter()
        .map(|row| row.map(|row| Node::new(wrap(row))))
        .collect()
}

/// Nodes in the keys' order, from rows the domain returned in any order.
pub fn by_key<T: Clone, N: ObjectType + 'static>(
    keys: &[i64],
    rows: Vec<T>,
    key: impl Fn(&T) -> i64,
    wrap: impl Fn(T) -> N,
) -> Vec<Option<Node>> {
    keys.iter()
        .map(|wanted| {
            rows.iter()
                .find(|row| key(row) == *wanted)
                .map(|row| Node::new(wrap(row.clone())))
        })
        .collect()
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
        let article = match what.chars().next() {
            Some(c) if "AEIOUaeiou".contains(c) => "an",
            _ => "a",
        };
        crate::domain::DomainError::invalid(field, format!("is not the ID of {article} {what}"))
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

/// An object with a global ID, fetchable with `node(id:)`: the GraphQL interface `Node`,
/// whose implementers are the node types the areas register.
pub struct Node(Box<dyn AnyNode>);

impl Node {
    pub fn new<T: ObjectType + 'static>(object: T) -> Self {
        Node(Box::new(object))
    }
}

/// An object type, its type forgotten: what `Node` needs to resolve a selection on it.
trait AnyNode: Send + Sync {
    fn type_name(&self) -> Cow<'static, str>;
    fn resolve_field<'a>(
        &'a self,
        ctx: &'a Context<'a>,
    ) -> BoxFuture<'a, ServerResult<Option<Value>>>;
    fn collect_all_fields<'a>(
        &'a self,
        ctx: &ContextSelectionSet<'a>,
        fields: &mut Fields<'a>,
    ) -> ServerResult<()>;
}

impl<T: ObjectType> AnyNode for T {
    fn type_name(&self) -> Cow<'static, str> {
        self.introspection_type_name()
    }

    fn resolve_field<'a>(
        &'a self,
        ctx: &'a Context<'a>,
    ) -> BoxFuture<'a, ServerResult<Option<Value>>> {
        Box::pin(ContainerType::resolve_field(self, ctx))
    }

    fn collect_all_fields<'a>(
        &'a self,
        ctx: &ContextSelectionSet<'a>,
        fields: &mut Fields<'a>,
    ) -> ServerResult<()> {
        ContainerType::collect_all_fields(self, ctx, fields)
    }
}

impl ContainerType for Node {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        self.0.resolve_field(ctx).await
    }

    fn collect_all_fields<'a>(
        &'a self,
        ctx: &ContextSelectionSet<'a>,
        fields: &mut Fields<'a>,
    ) -> ServerResult<()> {
        self.0.collect_all_fields(ctx, fields)
    }
}

impl OutputType for Node {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed("Node")
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_output_type::<Self, _>(MetaTypeId::Interface, |registry| {
            let mut possible_types = IndexSet::new();
            for node in node_types() {
                (node.register)(registry);
                let name = node.type_name();
                registry.add_implements(&name, "Node");
                possible_types.insert(name.into_owned());
            }
            let id = MetaField {
                name: "id".to_owned(),
                description: Some(
                    "Opaque global ID, stable for the life of the object.".to_owned(),
                ),
                args: IndexMap::new(),
                ty: <ID as OutputType>::create_type_info(registry),
                deprecation: Deprecation::NoDeprecated,
                cache_control: Default::default(),
                external: false,
                requires: None,
                provides: None,
                visible: None,
                shareable: false,
                inaccessible: false,
                tags: Vec::new(),
                override_from: None,
                compute_complexity: None,
                directive_invocations: Vec::new(),
                requires_scopes: Vec::new(),
            };
            MetaType::Interface {
                name: "Node".to_owned(),
                description: Some(
                    "An object with a global ID, fetchable with `node(id:)`.".to_owned(),
                ),
                fields: IndexMap::from([("id".to_owned(), id)]),
                possible_types,
                extends: false,
                keys: None,
                visible: None,
                inaccessible: false,
                tags: Vec::new(),
                rust_typename: Some(std::any::type_name::<Self>()),
                directive_invocations: Vec::new(),
                requires_scopes: Vec::new(),
            }
        })
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        resolve_container(ctx, self).await
    }
}

impl InterfaceType for Node {}

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

/// Loads objects of any kind with one call (one statement, mostly) per kind asked for.
/// Analysts are refused whatever the kinds: they read aggregates, never objects by ID.
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
    let actor = &super::context::caller(ctx)?.actor;
    refuse_analysts(actor).gql()?;
    let mut found: Vec<Option<Node>> = ids.iter().map(|_| None).collect();
    for node in node_types() {
        if !decoded.iter().any(|(kind, _)| *kind == node.kind) {
            continue;
        }
        // A system's token reaches a node only with its area's read scope: the ID alone
        // must not tell it that the object exists.
        if let Some(scope) = scope_of(node.kind) {
            actor.allow_scope(scope).gql()?;
        }
        let (at, keys): (Vec<usize>, Vec<i64>) = decoded
            .iter()
            .enumerate()
            .filter(|(_, (kind, _))| *kind == node.kind)
            .map(|(at, (_, key))| (at, *key))
            .unzip();
        let loaded = (node.load)(ctx, keys).await?;
        for (at, loaded) in at.into_iter().zip(loaded) {
            found[at] = loaded;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_refuse_foreign_values() {
        let id = encode_id(NodeKind::SPECIALIST, 42);
        assert_eq!(decode_id(&id), Some((NodeKind::SPECIALIST, 42)));
        assert_eq!(decode_id_of(&id, NodeKind::SPECIALIST), Some(42));
        assert_eq!(decode_id("42"), None);
        assert_eq!(decode_id(&URL_SAFE_NO_PAD.encode("Invoice:1")), None);
        assert_eq!(decode_id(&URL_SAFE_NO_PAD.encode("Specialist:x")), None);
    }

    #[test]
    fn every_kind_is_its_type_name_and_registered_once() {
        let mut seen = std::collections::BTreeSet::new();
        for node in node_types() {
            assert_eq!(node.kind.as_str(), node.type_name());
            assert!(seen.insert(node.kind.as_str()), "{:?} twice", node.kind);
            assert_eq!(NodeKind::parse(node.kind.as_str()), Some(node.kind));
        }
        // Every object type the schema says is a `Node` has its kind here, and no other.
        let sdl = crate::graphql::sdl();
        let nodes: std::collections::BTreeSet<&str> = sdl
            .lines()
            .filter_map(|line| line.strip_prefix("type "))
            .filter(|rest| rest.contains(" implements Node"))
            .filter_map(|rest| rest.split_whitespace().next())
            .collect();
        assert_eq!(seen, nodes);
    }
}
