//! Batch loaders of matching: the companies and organizations nested in a page cost one
//! statement each.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::support_organization;
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller,
        matching::{
            companies::{self, CompanyView},
            organizations,
        },
    },
    graphql::error::to_graphql,
};

/// The per-request loader of companies, by id, as the caller may see them.
pub type Companies = DataLoader<CompanyLoader, HashMapCache>;

/// Loads companies as the caller may see them; one statement (and one to learn what a
/// specialist may see).
pub struct CompanyLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for CompanyLoader {
    type Value = CompanyView;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, CompanyView>, Self::Error> {
        Ok(companies::by_ids(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)?
            .into_iter()
            .flatten()
            .map(|view| (view.row.id, view))
            .collect())
    }
}

/// The per-request loader of support organizations, by id.
pub type Organizations = DataLoader<OrganizationLoader, HashMapCache>;

/// Loads support organizations (public); one statement.
pub struct OrganizationLoader {
    pub db: DatabaseConnection,
}

impl Loader<i64> for OrganizationLoader {
    type Value = support_organization::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(organizations::by_ids(&self.db, keys)
            .await
            .map_err(to_graphql)?
            .into_iter()
            .map(|row| (row.id, row))
            .collect())
    }
}

/// Loads the companies and organizations of a page of requests up front when the query
/// selects them, so that the nested fields read them from the loaders' caches: a page
/// costs the same statements whatever its size and however its fields interleave.
pub async fn prime_requests(
    ctx: &async_graphql::Context<'_>,
    rows: &[&entities::consultation_request::Model],
) -> async_graphql::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let selects = |field: &str| crate::graphql::connection::nodes_select(ctx, field);
    let mut organization_ids: Vec<i64> = Vec::new();
    if selects("company") {
        let companies = crate::graphql::context::data::<Companies>(ctx)?
            .load_many(rows.iter().map(|r| r.company_id))
            .await?;
        organization_ids.extend(
            companies
                .values()
                .filter_map(|c| c.row.support_organization_id),
        );
    }
    if selects("organization") {
        organization_ids.extend(rows.iter().filter_map(|r| r.organization_id));
    }
    if !organization_ids.is_empty() {
        crate::graphql::context::data::<Organizations>(ctx)?
            .load_many(organization_ids)
            .await?;
    }
    Ok(())
}

/// The per-request loader of consultation requests, by id, as the caller may see them.
pub type Requests = DataLoader<RequestLoader, HashMapCache>;

/// Loads consultation requests the caller sees; one statement.
pub struct RequestLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for RequestLoader {
    type Value = entities::consultation_request::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(
            crate::domain::matching::requests::by_ids(&self.db, &self.caller, keys)
                .await
                .map_err(to_graphql)?
                .into_iter()
                .flatten()
                .map(|row| (row.id, row))
                .collect(),
        )
    }
}

/// The per-request loader of the sessions of matches, by match id.
pub type Sessions = DataLoader<SessionLoader, HashMapCache>;

/// Loads the sessions of matches (the match itself was checked); one statement.
pub struct SessionLoader {
    pub db: DatabaseConnection,
}

impl Loader<i64> for SessionLoader {
    type Value = Vec<entities::match_session::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let mut by_match: HashMap<i64, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for session in crate::domain::matching::matches::sessions_of(&self.db, keys)
            .await
            .map_err(to_graphql)?
        {
            by_match.entry(session.match_id).or_default().push(session);
        }
        Ok(by_match)
    }
}

/// The per-request loader of specialists' completed engagements, by specialist id.
pub type CompletedEngagements = DataLoader<EngagementLoader, HashMapCache>;

/// Loads completed engagements for the specialists the caller may see them for; two
/// statements.
pub struct EngagementLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for EngagementLoader {
    type Value = crate::domain::matching::matches::Engagements;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        crate::domain::matching::matches::completed_of(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)
    }
}

/// The per-request loader of the engagements claims cite, by claim id.
pub type Citations = DataLoader<CitationLoader, HashMapCache>;

/// Loads the matches claims cite, as the caller may see them; two statements.
pub struct CitationLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for CitationLoader {
    type Value = Vec<entities::matching::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let cited = crate::domain::renewal::claims::citations_of(&self.db, keys)
            .await
            .map_err(to_graphql)?;
        let ids: Vec<i64> = cited.iter().map(|c| c.match_id).collect();
        let found = crate::domain::matching::matches::by_ids(&self.db, &self.caller, &ids)
            .await
            .map_err(to_graphql)?;
        let mut by_claim: HashMap<i64, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for (citation, row) in cited.iter().zip(found) {
            if let Some(row) = row {
                by_claim.entry(citation.claim_id).or_default().push(row);
            }
        }
        Ok(by_claim)
    }
}

/// Attaches matching's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    use crate::graphql::area::with_loader;
    let request = with_loader(
        request,
        CompanyLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    );
    let request = with_loader(request, OrganizationLoader { db: db.clone() });
    let request = with_loader(
        request,
        RequestLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    );
    let request = with_loader(request, SessionLoader { db: db.clone() });
    let request = with_loader(
        request,
        EngagementLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    );
    with_loader(
        request,
        CitationLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    )
}
