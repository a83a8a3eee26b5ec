//! The queries of persisted operations.

use std::sync::Arc;

use async_graphql::{Context, Object};

use super::objects::{TrustedDocument, TrustedDocumentConnection};
use crate::{
    domain::{documents, pagination::PageArgs},
    graphql::{
        connection::{ConnectionData, CountFuture, page_cost},
        context::{caller, db},
        error::GqlResultExt,
    },
};

#[derive(Default)]
pub struct DocumentsQuery;

#[Object]
impl DocumentsQuery {
    /// The trusted documents, newest first. Program staff and administrators.
    /// `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    async fn trusted_documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
    ) -> async_graphql::Result<TrustedDocumentConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let page = documents::list(&db, &caller, &PageArgs::new(first, after, last, before))
            .await
            .gql()?;
        let counter = Arc::new(move || {
            let (db, caller) = (db.clone(), caller.clone());
            Box::pin(async move { documents::count(&db, &caller).await }) as CountFuture
        });
        Ok(TrustedDocumentConnection(ConnectionData::new(
            page,
            TrustedDocument,
            counter,
        )))
    }
}
