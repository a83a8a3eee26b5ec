//! Deemed attendance (みなし受講): practical experience claimed in place of a course
//! requirement, reviewed by staff.
//!
//! A claim is filed by the specialist against one requirement of their own open cycle.
//! Staff approve it, reject it, or ask for changes; the specialist may amend a claim that
//! is waiting for review or was sent back, which submits it again. An approved claim
//! satisfies its requirement and records the course fee it saved.

use crate::domain::renewal::permissions;
use sea_orm::ConnectionTrait;

use crate::domain::{Actor, DomainResult, registry::own_specialist_id};

mod commands;
mod queries;

pub use commands::{ClaimDetails, Review, amend, file, review};
pub use queries::{ClaimFilter, Savings, by_ids, citations_of, count, list, savings};

/// The most evidence links a claim carries.
pub const MAX_EVIDENCE_LINKS: usize = 10;

/// The most engagements a claim cites.
pub const MAX_CITED_MATCHES: usize = 20;

/// Who the caller may list claims of: everyone (staff) or themself (a specialist).
async fn scope<C: ConnectionTrait>(db: &C, actor: &Actor) -> DomainResult<Option<i64>> {
    if actor.is_registry_staff() {
        return Ok(None);
    }
    actor.allow(&permissions::READ_OWN_CLAIMS)?;
    // A specialist token for a number not on the register sees nothing.
    Ok(Some(own_specialist_id(db, actor).await?.unwrap_or(-1)))
}
