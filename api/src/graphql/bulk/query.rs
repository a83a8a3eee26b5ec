//! Bulk data's query resolvers.

use async_graphql::{Context, ID, Object};

use super::objects::BulkJob;
use crate::{
    domain::bulk::jobs,
    graphql::{
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, decode_input_id},
    },
};

#[derive(Default)]
pub struct BulkQuery;

#[Object]
impl BulkQuery {
    /// A bulk job: an uploaded file being applied, its progress and the rows it rejected.
    /// Null when there is none the caller may see (a caller sees its own jobs; registry
    /// staff, all). Poll it until `status` is `DONE` or `FAILED`.
    async fn bulk_job(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The job's global ID, as `POST /bulk/{kind}` returned it.")] id: ID,
    ) -> async_graphql::Result<Option<BulkJob>> {
        let key = decode_input_id(&id, NodeKind::BULK_JOB, "id", "bulk job").gql()?;
        let rows = jobs::by_ids(db(ctx)?, caller(ctx)?, &[key]).await.gql()?;
        Ok(rows.into_iter().flatten().next().map(BulkJob))
    }
}
