//! What every resolver reads from the request context.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::domain::Caller;

/// Service-wide state shared by all requests. Holds nothing but handles: the service
/// keeps no state of its own between requests, so replicas behave as one.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
}

pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    Ok(&ctx.data::<AppState>()?.db)
}

pub fn caller<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Caller> {
    ctx.data::<Caller>()
}
