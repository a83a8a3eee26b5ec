//! The output types of persisted operations.

use async_graphql::{ID, Object};
use entities::persisted_document;

use crate::graphql::{
    connection::connection,
    node::{NodeKind, encode_id},
    scalars::DateTime,
};

/// A trusted document: an operation a partner's front-end runs by sending its
/// `documentId` (or Relay's `doc_id`, or APQ's `sha256Hash`) instead of its text. It was
/// checked against the schema when registered.
pub struct TrustedDocument(pub persisted_document::Model);

/// A trusted document: an operation a partner's front-end runs by sending its
/// `documentId` (or Relay's `doc_id`, or APQ's `sha256Hash`) instead of its text. It was
/// checked against the schema when registered.
#[Object]
impl TrustedDocument {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::TRUSTED_DOCUMENT, self.0.id)
    }

    /// The id requests name it by, as the partner's manifest gives it.
    async fn document_id(&self) -> &str {
        &self.0.document_id
    }

    /// SHA-256 of the text, lower-case hex: APQ's `sha256Hash` finds it too.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    /// The document's text.
    async fn document(&self) -> &str {
        &self.0.body
    }

    /// The partner application it belongs to, when its registrar named one.
    async fn client(&self) -> Option<&str> {
        self.0.client.as_deref()
    }

    /// The `sub` of the staff member who registered it.
    async fn registered_by(&self) -> Option<&str> {
        self.0.registered_by.as_deref()
    }

    /// When it was first stored.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

connection!(
    TrustedDocumentConnection,
    TrustedDocumentEdge,
    TrustedDocument,
    "trusted documents"
);
