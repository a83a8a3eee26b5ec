//! Relay connections: `edges { cursor node }`, `pageInfo` and a lazily counted
//! `totalCount` (its statement runs only when a client asks for it).

use std::{future::Future, pin::Pin, sync::Arc};

use async_graphql::SimpleObject;

use super::error::to_graphql;
use crate::domain::{DomainResult, pagination::Page};

/// Where a page sits in its list.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether more items follow the last edge: ask again with `after: endCursor`.
    pub has_next_page: bool,
    /// Whether items precede the first edge: ask again with `before: startCursor`. When
    /// reading forwards from the start this is `false`.
    pub has_previous_page: bool,
    /// Cursor of the first edge, or null on an empty page.
    pub start_cursor: Option<String>,
    /// Cursor of the last edge, or null on an empty page.
    pub end_cursor: Option<String>,
}

/// The future a [`Counter`] returns.
pub type CountFuture = Pin<Box<dyn Future<Output = DomainResult<u64>> + Send>>;

/// Counts every item of a list, across pages.
pub type Counter = Arc<dyn Fn() -> CountFuture + Send + Sync>;

/// A read page and how to count the whole list.
pub struct ConnectionData<N> {
    pub edges: Vec<(String, N)>,
    pub page_info: PageInfo,
    counter: Counter,
}

impl<N> ConnectionData<N> {
    pub fn new<T>(page: Page<T>, to_node: impl FnMut(T) -> N, counter: Counter) -> Self {
        let page = page.map(to_node);
        let page_info = PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.items.first().map(|(c, _)| c.clone()),
            end_cursor: page.items.last().map(|(c, _)| c.clone()),
        };
        Self {
            edges: page.items,
            page_info,
            counter,
        }
    }

    pub async fn total_count(&self) -> async_graphql::Result<u64> {
        (self.counter)().await.map_err(to_graphql)
    }
}

/// Whether the query selects `field` on the nodes of the connection being resolved
/// (through `edges { node }` or `nodes`), to load what it needs for the whole page at once.
pub fn nodes_select(ctx: &async_graphql::Context<'_>, field: &str) -> bool {
    nodes_select_path(ctx, &[field])
}

/// Whether the query selects the nested `path` (`["applicant", "completedCohorts"]`) on the
/// nodes of the connection being resolved.
pub fn nodes_select_path(ctx: &async_graphql::Context<'_>, path: &[&str]) -> bool {
    let look_ahead = ctx.look_ahead();
    let through = |mut at: async_graphql::Lookahead<'_>| {
        for field in path {
            at = at.field(field);
        }
        at.exists()
    };
    through(look_ahead.field("edges").field("node")) || through(look_ahead.field("nodes"))
}

/// Sort direction.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

impl From<OrderDirection> for crate::domain::pagination::Direction {
    fn from(direction: OrderDirection) -> Self {
        match direction {
            OrderDirection::Asc => Self::Ascending,
            OrderDirection::Desc => Self::Descending,
        }
    }
}

/// Declares a list's `orderBy` input and the enum of what it orders by: both fields
/// optional, the list's own order (its connection's description says which) where one is
/// omitted.
macro_rules! order_input {
    ($input:ident, $by:ident, $what:literal, { $( $(#[doc = $doc:literal])+ $key:ident ),+ $(,)? }) => {
        #[doc = concat!("What a list of ", $what, " can be ordered by.")]
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $by {
            $( $(#[doc = $doc])+ $key ),+
        }

        #[doc = concat!("How to order a list of ", $what, ".")]
        #[derive(async_graphql::InputObject, Debug, Clone, Copy, Default)]
        pub struct $input {
            /// What to order by; the list's own key when omitted.
            pub field: Option<$by>,
            /// The direction; the list's own when omitted.
            pub direction: Option<$crate::graphql::connection::OrderDirection>,
        }

        impl $input {
            /// The direction chosen, if any, for [`PageArgs::directed`](crate::domain::pagination::PageArgs::directed).
            #[allow(dead_code)]
            pub fn direction_of(order: &Option<Self>) -> Option<$crate::domain::pagination::Direction> {
                order.and_then(|order| order.direction).map(Into::into)
            }
        }
    };
}

pub(crate) use order_input;

/// Declares a connection type and its edge type for a node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $what:literal) => {
        #[doc = concat!("A page of ", $what, ", with its position in the whole list.")]
        pub struct $connection(pub $crate::graphql::connection::ConnectionData<$node>);

        #[doc = concat!("One of ", $what, " and its cursor.")]
        pub struct $edge<'a> {
            cursor: &'a str,
            node: &'a $node,
        }

        #[doc = concat!("One of ", $what, " and its cursor.")]
        #[async_graphql::Object]
        impl<'a> $edge<'a> {
            /// Opaque position of this edge, for `after` and `before`.
            async fn cursor(&self) -> &str {
                self.cursor
            }

            /// The item.
            async fn node(&self) -> &$node {
                self.node
            }
        }

        #[doc = concat!("A page of ", $what, ", with its position in the whole list.")]
        #[async_graphql::Object]
        impl $connection {
            /// The items of this page, each with its cursor.
            async fn edges(&self) -> Vec<$edge<'_>> {
                self.0
                    .edges
                    .iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect()
            }

            /// The items of this page, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.0.edges.iter().map(|(_, node)| node).collect()
            }

            /// Where this page sits in the list.
            async fn page_info(&self) -> &$crate::graphql::connection::PageInfo {
                &self.0.page_info
            }

            /// How many items the whole list holds with the same filter, across all pages.
            async fn total_count(&self) -> async_graphql::Result<u64> {
                self.0.total_count().await
            }
        }
    };
}

pub(crate) use connection;

/// What a page of a connection costs against the complexity limit: its selection once per
/// row it may return (`first` or `last`, the default page size when neither is given,
/// clamped to the page sizes allowed), plus one for the connection itself.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    use crate::domain::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
    let rows = first
        .or(last)
        .map_or(DEFAULT_PAGE_SIZE, |n| u64::try_from(n).unwrap_or(0))
        .clamp(1, MAX_PAGE_SIZE);
    usize::try_from(rows).unwrap_or(usize::MAX) * child_complexity + 1
}
