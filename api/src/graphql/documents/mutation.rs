//! The mutations of persisted operations.

use async_graphql::{Context, Object, SimpleObject};

use super::{
    inputs::RegisterTrustedDocumentsInput, objects::TrustedDocument, validator::SchemaValidator,
};
use crate::{
    domain::documents,
    graphql::{
        context::{caller, db},
        error::{UserError, payload},
    },
};

/// The result of `registerTrustedDocuments`.
#[derive(SimpleObject)]
pub struct RegisterTrustedDocumentsPayload {
    /// Every document of the input as stored, in the input's order; empty when
    /// `userErrors` is not empty.
    pub documents: Vec<TrustedDocument>,
    /// How many of them were new (the others were registered already, with the same text).
    pub added: i32,
    /// Problems with the input (`input.documents.3.document`: why that document is not
    /// valid); when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct DocumentsMutation;

#[Object]
impl DocumentsMutation {
    /// Registers the trusted documents of a partner's manifest (Relay's `persistConfig`
    /// output, or an Apollo persisted-query manifest), all or none: requests may then
    /// send `documentId` (or `doc_id`) instead of `query`. Each document is checked
    /// against the schema now, and never again. Program staff and administrators.
    async fn register_trusted_documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The documents and the application they belong to.")]
        input: RegisterTrustedDocumentsInput,
    ) -> async_graphql::Result<RegisterTrustedDocumentsPayload> {
        let result = documents::register(
            db(ctx)?,
            caller(ctx)?,
            &input.documents(),
            input.client.as_deref(),
            &SchemaValidator,
        )
        .await;
        let (registration, user_errors) = payload(result)?;
        Ok(match registration {
            Some(registration) => RegisterTrustedDocumentsPayload {
                added: i32::try_from(registration.added).unwrap_or(i32::MAX),
                documents: registration
                    .documents
                    .into_iter()
                    .map(TrustedDocument)
                    .collect(),
                user_errors,
            },
            None => RegisterTrustedDocumentsPayload {
                documents: Vec::new(),
                added: 0,
                user_errors,
            },
        })
    }
}
