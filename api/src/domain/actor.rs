//! Who is calling, and the role-based rules every domain function consults.
//!
//! Authorization denies by default: a domain operation names the roles it admits, and
//! everything else is refused.

use std::fmt;

use super::error::DomainError;

/// The role a token grants. Exactly one per token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    ProgramStaff,
    SupportOrgStaff,
    Specialist,
    SmeUser,
    Analyst,
    CampStaff,
    PartnerService,
    /// An individual signed in through a partner front-end: a camp applicant or alumnus,
    /// identified by the token's subject.
    Person,
    /// A training provider's system, uploading completion rosters for its own courses
    /// (the token's `provider_id` is the provider's code on those courses).
    TrainingProvider,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::Specialist,
        Role::SmeUser,
        Role::Analyst,
        Role::CampStaff,
        Role::PartnerService,
        Role::Person,
        Role::TrainingProvider,
    ];

    /// The claim value, as written in tokens (`PROGRAM_STAFF`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::ProgramStaff => "PROGRAM_STAFF",
            Role::SupportOrgStaff => "SUPPORT_ORG_STAFF",
            Role::Specialist => "SPECIALIST",
            Role::SmeUser => "SME_USER",
            Role::Analyst => "ANALYST",
            Role::CampStaff => "CAMP_STAFF",
            Role::PartnerService => "PARTNER_SERVICE",
            Role::Person => "PERSON",
            Role::TrainingProvider => "TRAINING_PROVIDER",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verified, signed-in caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub subject: String,
    pub role: Role,
    /// Registration number of the specialist this caller is (role `SPECIALIST`).
    pub specialist_registration_number: Option<String>,
    pub org_id: Option<String>,
    pub company_id: Option<String>,
    /// The code of the training provider this caller is (role `TRAINING_PROVIDER`).
    pub provider_id: Option<String>,
    /// The OAuth client the token was issued to (`client_id`, RFC 9068), when it names
    /// one: recorded beside the subject in the audit trail.
    pub client_id: Option<String>,
    /// The token's scopes; `None` when it carries no `scope` claim at all (a person's
    /// token), `Some` — perhaps empty — when it does (a system's).
    pub scopes: Option<Vec<String>>,
}

/// The caller of a domain operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Principal(Principal),
    /// The service itself: command-line tasks such as seeding and sweeps.
    System,
}

impl Actor {
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Principal(p) => Some(p.role),
            _ => None,
        }
    }

    /// The subject recorded in audit events and histories.
    pub fn subject(&self) -> &str {
        match self {
            Actor::Anonymous => "anonymous",
            Actor::Principal(p) => &p.subject,
            Actor::System => "system",
        }
    }

    pub fn role_label(&self) -> &'static str {
        match self {
            Actor::Anonymous => "ANONYMOUS",
            Actor::Principal(p) => p.role.as_str(),
            Actor::System => "SYSTEM",
        }
    }

    /// Program staff and administrators run the registry.
    pub fn is_registry_staff(&self) -> bool {
        matches!(self, Actor::System)
            || matches!(self.role(), Some(Role::Admin | Role::ProgramStaff))
    }

    /// Camp staff and administrators run Security Camp and its community.
    pub fn is_camp_staff(&self) -> bool {
        matches!(self, Actor::System) || matches!(self.role(), Some(Role::Admin | Role::CampStaff))
    }

    /// The subject of a caller who acts as themselves in the camps and the community (roles
    /// `PERSON` and `SPECIALIST`).
    pub fn individual_subject(&self) -> Option<&str> {
        match self {
            Actor::Principal(p) if matches!(p.role, Role::Person | Role::Specialist) => {
                Some(&p.subject)
            }
            _ => None,
        }
    }

    /// The code of the training provider this caller is, if any.
    pub fn own_provider_code(&self) -> Option<&str> {
        match self {
            Actor::Principal(p) if p.role == Role::TrainingProvider => p.provider_id.as_deref(),
            _ => None,
        }
    }

    /// The OAuth client of the caller's token, if it names one.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Actor::Principal(p) => p.client_id.as_deref(),
            _ => None,
        }
    }

    /// The registration number of the specialist this caller is, if any.
    pub fn own_registration_number(&self) -> Option<&str> {
        match self {
            Actor::Principal(p) if p.role == Role::Specialist => {
                p.specialist_registration_number.as_deref()
            }
            _ => None,
        }
    }

    /// Admits only callers whose role has `permission` (and the system itself):
    /// `UNAUTHENTICATED` for anonymous callers, `FORBIDDEN` with its refusal for others.
    pub fn allow(&self, permission: &Permission) -> Result<(), DomainError> {
        match self {
            Actor::System => Ok(()),
            Actor::Anonymous => Err(DomainError::Unauthenticated),
            Actor::Principal(p) if permission.grants(p.role) => Ok(()),
            Actor::Principal(_) => Err(DomainError::Forbidden(permission.refusal)),
        }
    }
}

/// A named permission: the roles that may do one thing, and what the others are told.
/// Each area declares its permissions in its `permissions.rs`; a command or query checks
/// one with [`Actor::allow`].
#[derive(Debug)]
pub struct Permission {
    /// `area.what`, as in the authorization table (`tests/permissions.rs`).
    pub name: &'static str,
    pub roles: &'static [Role],
    /// Why the others are refused (`FORBIDDEN`).
    pub refusal: &'static str,
}

impl Permission {
    /// Whether a signed-in caller with `role` has it (the service's own tasks have every
    /// permission; anonymous callers none).
    pub fn grants(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// The registry's staff roles.
pub const REGISTRY_STAFF: &[Role] = &[Role::Admin, Role::ProgramStaff];

/// The roles that run Security Camp and its community.
pub const CAMP_STAFF: &[Role] = &[Role::Admin, Role::CampStaff];

/// The roles of people acting for themselves in the camps and the community.
pub const INDIVIDUALS: &[Role] = &[Role::Person, Role::Specialist];
