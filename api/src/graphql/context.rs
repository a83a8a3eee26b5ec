//! What every resolver reads from the request context.

use std::any::Any;

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::error::{ErrorCode, coded};
use crate::domain::Caller;

/// Service-wide state shared by all requests. Holds nothing but handles: the service
/// keeps no state of its own between requests, so replicas behave as one.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
}

/// Request data the service itself put there; its absence is a bug on our side.
pub fn data<'a, T: Any + Send + Sync>(ctx: &Context<'a>) -> async_graphql::Result<&'a T> {
    ctx.data::<T>().map_err(|err| {
        tracing::error!(error = %err.message, "request data missing");
        coded(
            ErrorCode::Internal,
            "internal error; the request id identifies it in our logs",
        )
    })
}

pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    Ok(&data::<AppState>(ctx)?.db)
}

pub fn caller<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Caller> {
    data::<Caller>(ctx)
}
