//! Companies: who they are (by corporate number), whether they are SMEs under the SME
//! Basic Act, where they stand on security, and their self-assessment on the 4-step guide.
//!
//! A company user (`SME_USER` whose token names its corporate number) registers and edits
//! their own company; support organization staff register and edit the companies they
//! support; registry staff, any. A specialist sees the companies of the requests proposed to
//! them, and their contact details only once they accepted. Anybody else: not found.

use entities::company;

use super::scope::Scope;
use crate::domain::{Role, versioned::Versioned};

mod commands;
mod queries;

pub use commands::{CompanyInput, adopt_step, assess, register, update};
pub use queries::{CompanyFilter, CompanyOrder, by_ids, count, list, mine, supported_by};

/// A company as the caller may see it.
#[derive(Debug, Clone)]
pub struct CompanyView {
    pub row: company::Model,
    /// Whether the caller sees the contact details and the self-assessment.
    pub full: bool,
}

/// Why a company user may not name its support organization: the organization takes a
/// company on (registering it itself), or registry staff record the support; a company
/// cannot place itself in an organization's care, and so in its view, unasked.
const NOT_BY_THE_COMPANY: &str = "a support organization takes a company on itself: ask the organization (or registry staff) to record its support";

const VERSIONED: Versioned<company::Entity> = Versioned {
    id: company::Column::Id,
    version: company::Column::Version,
    updated_at: company::Column::UpdatedAt,
    field: "expected_version",
    what: "company",
};

/// Whether the scope may edit (and see everything of) this company.
fn manages(scope: Scope, row: &company::Model) -> bool {
    match scope {
        Scope::All => true,
        Scope::Organization(org) => row.support_organization_id == Some(org),
        Scope::Company(id) => row.id == id,
        Scope::Specialist(_) | Scope::Nothing => false,
    }
}

/// The roles that manage companies (each within its scope).
pub(crate) const MANAGERS: &[Role] = &[
    Role::Admin,
    Role::ProgramStaff,
    Role::SupportOrgStaff,
    Role::SmeUser,
];
