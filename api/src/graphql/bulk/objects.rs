//! Bulk data's output types.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use entities::{bulk_job, bulk_job_rejection};

use crate::{
    domain::{
        bulk::{
            jobs,
            types::{BulkKind, BulkStatus},
        },
        pagination::PageArgs,
    },
    graphql::{
        connection::{ConnectionData, CountFuture, connection, page_cost},
        context::db,
        error::GqlResultExt,
        node::{NodeKind, encode_id},
        scalars::DateTime,
    },
};

/// What a bulk job imports.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "BulkKind")]
pub enum BulkJobKind {
    /// Companies (`POST /bulk/companies`).
    Companies,
    /// Corrections of registrations (`POST /bulk/registry-corrections`).
    RegistryCorrections,
}

/// Where a bulk job stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "BulkStatus")]
pub enum BulkJobStatus {
    /// Accepted, not started yet.
    Queued,
    /// Rows are being applied.
    Running,
    /// Every row was applied or rejected.
    Done,
    /// Stopped by a failure of the service; the rows applied before it stay.
    Failed,
}

/// An uploaded file being applied row by row: its progress and the rows it rejected.
pub struct BulkJob(pub bulk_job::Model);

/// An uploaded file being applied row by row: its progress and the rows it rejected.
#[Object]
impl BulkJob {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::BULK_JOB, self.0.id)
    }

    /// What the file imports.
    async fn kind(&self) -> BulkJobKind {
        self.0.kind.into()
    }

    /// Where the job stands.
    async fn status(&self) -> BulkJobStatus {
        self.0.status.into()
    }

    /// The data rows of the file (the header not counted).
    async fn rows_total(&self) -> i32 {
        self.0.rows_total
    }

    /// The rows applied so far.
    async fn rows_done(&self) -> i32 {
        self.0.rows_done
    }

    /// The rows rejected so far (see `rejections`).
    async fn rows_rejected(&self) -> i32 {
        self.0.rows_rejected
    }

    /// SHA-256 of the file as uploaded, in hexadecimal: the same file uploaded again
    /// returns this job.
    async fn file_sha256(&self) -> &str {
        &self.0.file_sha256
    }

    /// When the file was accepted.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the job ended (`DONE` or `FAILED`).
    async fn finished_at(&self) -> Option<DateTime> {
        self.0.finished_at.map(DateTime)
    }

    /// Why rows were rejected, in row order: one item per reason (a row may have
    /// several). `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    async fn rejections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
    ) -> async_graphql::Result<BulkJobRejectionConnection> {
        let db = db(ctx)?.clone();
        let page = jobs::rejections(&db, &self.0, &PageArgs::new(first, after, last, before))
            .await
            .gql()?;
        let job_id = self.0.id;
        let counter = Arc::new(move || {
            let db = db.clone();
            Box::pin(async move { jobs::count_rejections(&db, job_id).await }) as CountFuture
        });
        Ok(BulkJobRejectionConnection(ConnectionData::new(
            page,
            BulkJobRejection,
            counter,
        )))
    }
}

/// A reason a row of a bulk job was not applied.
pub struct BulkJobRejection(pub bulk_job_rejection::Model);

/// A reason a row of a bulk job was not applied.
#[Object]
impl BulkJobRejection {
    /// The row as a spreadsheet numbers it: the header is row 1, the first data row 2.
    async fn row(&self) -> i32 {
        self.0.row_number
    }

    /// The column at fault (as the header names it); empty when the row as a whole is
    /// refused.
    async fn field(&self) -> &str {
        &self.0.field
    }

    /// Why, in words a person can act on.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
}

connection!(
    BulkJobRejectionConnection,
    BulkJobRejectionEdge,
    BulkJobRejection,
    "rejected rows"
);
