//! Per-request loaders of bulk data: a job is read by id through `node` and `bulkJob`,
//! one at a time, so it needs none.

use async_graphql::Request;
use sea_orm::DatabaseConnection;

use crate::domain::Caller;

/// Attaches bulk data's loaders to a request (none).
pub fn attach(request: Request, _db: &DatabaseConnection, _caller: &Caller) -> Request {
    request
}
