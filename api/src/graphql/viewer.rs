//! `viewer`: who the caller is.

use async_graphql::{Context, Enum, Json, Object};

use super::{
    context::{caller, db},
    error::GqlResultExt,
    registry::objects::Specialist,
};
use crate::{
    domain::{Actor, Role as DomainRole, personal_data, registry::queries as registry},
    graphql::LARGE_READ_COST,
};

/// The role a token grants.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRole")]
pub enum Role {
    /// Runs the platform; may do anything staff may.
    Admin,
    /// Runs the RISS programs: the registry, renewals, the Active List.
    ProgramStaff,
    /// Works for a support organization (token carries `org_id`).
    SupportOrgStaff,
    /// A registered specialist (token carries `specialist_id`, their registration number).
    Specialist,
    /// Works for an SME (token carries `company_id`).
    SmeUser,
    /// Reads aggregates only, never a person.
    Analyst,
    /// Runs Security Camp programs.
    CampStaff,
    /// A partner system; sees what the public sees.
    PartnerService,
    /// An individual acting for themselves: a camp applicant or alumnus (their person
    /// record is the one saved under the token's subject).
    Person,
    /// A training provider's system (token carries `provider_id`): uploads completion
    /// rosters for its own courses.
    TrainingProvider,
}

/// The caller of this request.
pub struct Viewer;

/// The caller of this request: anonymous, or what the bearer token says.
#[Object]
impl Viewer {
    /// Whether the request carried a valid bearer token.
    async fn authenticated(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(matches!(caller(ctx)?.actor, Actor::Principal(_)))
    }

    /// The token's subject (`sub`), or null for an anonymous caller.
    async fn subject(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(match &caller(ctx)?.actor {
            Actor::Principal(p) => Some(p.subject.clone()),
            _ => None,
        })
    }

    /// The token's role, or null for an anonymous caller.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        Ok(caller(ctx)?.actor.role().map(Into::into))
    }

    /// The token's scopes: empty for a person's token, which carries none (its role alone
    /// decides); a system's token reads and changes only what its scopes name (see the
    /// README's table of scopes).
    async fn scopes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(match &caller(ctx)?.actor {
            Actor::Principal(p) => p.scopes.clone().unwrap_or_default(),
            _ => Vec::new(),
        })
    }

    /// The OAuth client the token was issued to (`client_id`), when it names one: a
    /// service account's name.
    async fn client_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(caller(ctx)?.actor.client_id().map(str::to_owned))
    }

    /// Your own registration, when you are a specialist.
    async fn specialist(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Specialist>> {
        let caller = caller(ctx)?;
        let Some(own) = caller.actor.own_registration_number() else {
            return Ok(None);
        };
        let view = registry::by_registration_number(db(ctx)?, caller, own)
            .await
            .gql()?;
        Ok(view.map(Specialist))
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The caller of this request: anonymous, or what the bearer token says.
    async fn viewer(&self) -> Viewer {
        Viewer
    }

    /// Everything Kakehashi holds about you, as one JSON document (your right of access
    /// under the APPI): as a specialist, your registration, its history, renewal cycles,
    /// training, claims, reminders, Active List entry and matches; as an individual, your
    /// person record, camp applications and community profile; as a company user, your
    /// company and its requests; and the audit events you caused. Rows are given whole,
    /// as stored. For specialists, individuals and company users. The same document
    /// downloads as a file from `GET /me/personal-data.json`.
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
    async fn my_personal_data(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Json<serde_json::Value>> {
        let held = personal_data::held_about(db(ctx)?, caller(ctx)?, caller(ctx)?.now())
            .await
            .gql()?;
        Ok(Json(held))
    }
}
