//! Whom a caller acts for in matching: everything (staff), one support organization, one
//! company, one specialist, or nothing. What lies outside a caller's scope reads as not
//! found, as if it did not exist.

use entities::{company, support_organization};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::{Actor, DomainResult, Role, registry::own_specialist_id};

/// The part of matching a caller sees and acts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Registry staff and the service itself: everything.
    All,
    /// Staff of this support organization (its id).
    Organization(i64),
    /// A user of this company (its id).
    Company(i64),
    /// This specialist (their id).
    Specialist(i64),
    /// Anybody else, including a token naming an organization or company that is not
    /// registered: nothing.
    Nothing,
}

/// Resolves the caller's scope from their token's claims.
pub async fn scope_of<C: ConnectionTrait>(db: &C, actor: &Actor) -> DomainResult<Scope> {
    if actor.is_registry_staff() {
        return Ok(Scope::All);
    }
    let Actor::Principal(principal) = actor else {
        return Ok(Scope::Nothing);
    };
    let found = match principal.role {
        Role::SupportOrgStaff => match &principal.org_id {
            Some(code) => support_organization::Entity::find()
                .select_only()
                .column(support_organization::Column::Id)
                .filter(support_organization::Column::Code.eq(code.as_str()))
                .into_tuple::<i64>()
                .one(db)
                .await?
                .map(Scope::Organization),
            None => None,
        },
        Role::SmeUser => match &principal.company_id {
            Some(number) => company::Entity::find()
                .select_only()
                .column(company::Column::Id)
                .filter(company::Column::CorporateNumber.eq(number.as_str()))
                .into_tuple::<i64>()
                .one(db)
                .await?
                .map(Scope::Company),
            None => None,
        },
        Role::Specialist => own_specialist_id(db, actor).await?.map(Scope::Specialist),
        _ => None,
    };
    Ok(found.unwrap_or(Scope::Nothing))
}
