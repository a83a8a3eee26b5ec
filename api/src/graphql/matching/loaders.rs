//! Batch loaders of matching: the companies and organizations nested in a page cost one
//! statement each.

use std::collections::HashMap;

use entities::{
    consultation_request, match_session, match_session_correction, matching, support_organization,
};
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller, DomainResult,
        matching::{
            companies::{self, CompanyView},
            matches::{self, Engagements},
            organizations, requests,
        },
        renewal::claims,
    },
    graphql::area::{grouped, keyed, loader, with_loader},
};

loader!(
    /// Companies by id, as the caller may see them; one statement, two for a specialist.
    Companies, CompanyLoader, CompanyView,
    |db, caller, keys| async {
        Ok(keyed(companies::by_ids(db, caller, keys).await?, |v| v.row.id))
    }.await
);

loader!(
    /// Support organizations by id (public); one statement.
    Organizations, OrganizationLoader, support_organization::Model,
    |db, _caller, keys| async {
        Ok(organizations::by_ids(db, keys).await?.into_iter().map(|row| (row.id, row)).collect())
    }.await
);

/// Loads the companies and organizations of a page of requests up front when the query
/// selects them, so that the nested fields read them from the loaders' caches: a page
/// costs the same statements whatever its size and however its fields interleave.
pub async fn prime_requests(
    ctx: &async_graphql::Context<'_>,
    rows: &[&consultation_request::Model],
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

loader!(
    /// Consultation requests by id, as the caller may see them; one statement.
    Requests, RequestLoader, consultation_request::Model,
    |db, caller, keys| async {
        Ok(keyed(requests::by_ids(db, caller, keys).await?, |r| r.id))
    }.await
);

loader!(
    /// Matches by id, as the caller may see them; one statement (two for a scoped caller).
    Matches, MatchLoader, matching::Model,
    |db, caller, keys| async {
        Ok(keyed(matches::by_ids(db, caller, keys).await?, |m| m.id))
    }.await
);

loader!(
    /// The sessions of each match, by match id (the match itself was checked); one statement.
    Sessions, SessionLoader, Vec<match_session::Model>,
    |db, _caller, keys| async {
        Ok(grouped(keys, matches::sessions_of(db, keys).await?, |s| s.match_id))
    }.await
);

loader!(
    /// The corrections of each session, by session id (the session itself was checked);
    /// one statement.
    SessionCorrections, SessionCorrectionLoader, Vec<match_session_correction::Model>,
    |db, _caller, keys| async {
        let rows = matches::sessions::corrections_of(db, keys).await?;
        Ok(grouped(keys, rows, |c| c.session_id))
    }.await
);

loader!(
    /// Completed engagements by specialist id (where the caller may see them); two statements.
    CompletedEngagements, EngagementLoader, Engagements,
    |db, caller, keys| matches::completed_of(db, caller, keys).await
);

loader!(
    /// The matches each claim cites, by claim id, as the caller may see them; two statements.
    Citations, CitationLoader, Vec<matching::Model>,
    |db, caller, keys| citations(db, caller, keys).await
);

/// The matches claims cite, by claim id (an empty list for a claim without).
async fn citations(
    db: &DatabaseConnection,
    caller: &Caller,
    keys: &[i64],
) -> DomainResult<HashMap<i64, Vec<matching::Model>>> {
    let cited = claims::citations_of(db, keys).await?;
    let ids: Vec<i64> = cited.iter().map(|c| c.match_id).collect();
    let found = matches::by_ids(db, caller, &ids).await?;
    let mut by_claim: HashMap<i64, Vec<matching::Model>> =
        keys.iter().map(|k| (*k, Vec::new())).collect();
    for (citation, row) in cited.iter().zip(found) {
        if let Some(row) = row {
            by_claim.entry(citation.claim_id).or_default().push(row);
        }
    }
    Ok(by_claim)
}

/// Attaches matching's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    let request = with_loader(request, CompanyLoader::new(db, caller));
    let request = with_loader(request, OrganizationLoader::new(db, caller));
    let request = with_loader(request, RequestLoader::new(db, caller));
    let request = with_loader(request, MatchLoader::new(db, caller));
    let request = with_loader(request, SessionLoader::new(db, caller));
    let request = with_loader(request, SessionCorrectionLoader::new(db, caller));
    let request = with_loader(request, EngagementLoader::new(db, caller));
    with_loader(request, CitationLoader::new(db, caller))
}
