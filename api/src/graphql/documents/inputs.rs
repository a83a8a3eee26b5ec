//! The inputs of persisted operations.

use async_graphql::InputObject;

use crate::domain::documents::NewDocument;

/// One document of a partner's manifest.
#[derive(InputObject)]
pub struct TrustedDocumentInput {
    /// The id requests will name it by: the manifest's key (Relay) or `id` (Apollo);
    /// 1 to 200 printable characters without spaces.
    pub id: String,
    /// The document's text, exactly as the manifest holds it.
    pub document: String,
}

/// Documents to register, all or none.
#[derive(InputObject)]
pub struct RegisterTrustedDocumentsInput {
    /// The documents, at most 1,000. Each must be valid against the schema; an id
    /// already registered with the same text is left as it is.
    pub documents: Vec<TrustedDocumentInput>,
    /// The partner application they belong to (`web-portal`, `case-system`), for the
    /// staff who read them later.
    pub client: Option<String>,
}

impl RegisterTrustedDocumentsInput {
    /// The documents as the domain takes them.
    pub fn documents(&self) -> Vec<NewDocument> {
        self.documents
            .iter()
            .map(|d| NewDocument {
                id: d.id.clone(),
                text: d.document.clone(),
            })
            .collect()
    }
}
