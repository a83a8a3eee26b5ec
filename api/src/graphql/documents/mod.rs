//! Persisted operations in the schema: staff register the trusted documents partners'
//! front-ends run by id, and read them back. How a request names a document
//! (`documentId`, Relay's `doc_id`, APQ) is the HTTP layer's (`http::persisted`); the
//! check of a document against the schema is here ([`validator`]).

pub mod inputs;
pub mod mutation;
pub mod objects;
pub mod query;
pub mod validator;

use crate::{
    domain::documents,
    graphql::{
        area::{Area, roots},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, aligned, node_type},
    },
};
use objects::TrustedDocument;

impl NodeKind {
    pub const TRUSTED_DOCUMENT: NodeKind = NodeKind::named("TrustedDocument");
}

/// The persisted operations' registration in the schema.
pub const AREA: Area = Area {
    name: "documents",
    nodes: &[node_type!(
        TrustedDocument,
        NodeKind::TRUSTED_DOCUMENT,
        |ctx, keys| {
            let rows = documents::by_ids(db(ctx)?, caller(ctx)?, &keys)
                .await
                .gql()?;
            Ok(aligned(rows, TrustedDocument))
        }
    )],
    attach_loaders: Area::no_loaders,
    // A document names the staff member who registered it.
    person_level_types: &["TrustedDocument"],
    analyst_readable_types: &[],
    roots: roots::<query::DocumentsQuery, mutation::DocumentsMutation>,
    read_scope: &crate::domain::scopes::DOCUMENTS_READ,
    write_scope: Some(&crate::domain::scopes::DOCUMENTS_WRITE),
};
