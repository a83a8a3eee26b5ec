//! Who may do what in matching: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{Permission, REGISTRY_STAFF, Role};

/// Only the company, its support organization and registry staff see candidates.
pub const READ_CANDIDATES: Permission = Permission {
    name: "matching.read_candidates",
    roles: &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
    ],
    refusal: "only the company, its support organization and registry staff see candidates",
};

/// Only company users, support organizations and registry staff register companies.
pub const REGISTER_COMPANIES: Permission = Permission {
    name: "matching.register_companies",
    roles: super::companies::MANAGERS,
    refusal: "only company users, support organizations and registry staff register companies",
};

/// Only the company, its support organization and registry staff manage a company.
pub const MANAGE_COMPANY: Permission = Permission {
    name: "matching.manage_company",
    roles: super::companies::MANAGERS,
    refusal: "only the company, its support organization and registry staff manage a company",
};

/// Only the company, its support organization and registry staff edit it.
pub const EDIT_COMPANY: Permission = Permission {
    name: "matching.edit_company",
    roles: super::companies::MANAGERS,
    refusal: "only the company, its support organization and registry staff edit it",
};

/// Only the company, its support organization and registry staff assess it.
pub const ASSESS_COMPANY: Permission = Permission {
    name: "matching.assess_company",
    roles: super::companies::MANAGERS,
    refusal: "only the company, its support organization and registry staff assess it",
};

/// Only registry staff, support organizations and company users list companies.
pub const LIST_COMPANIES: Permission = Permission {
    name: "matching.list_companies",
    roles: super::companies::MANAGERS,
    refusal: "only registry staff, support organizations and company users list companies",
};

/// Only company users have a company of their own.
pub const HAVE_OWN_COMPANY: Permission = Permission {
    name: "matching.have_own_company",
    roles: &[Role::SmeUser],
    refusal: "only company users have a company of their own",
};

/// Only the parties to a match act on it.
pub const ACT_ON_MATCH: Permission = Permission {
    name: "matching.act_on_match",
    roles: super::matches::PARTIES,
    refusal: "only the parties to a match act on it",
};

/// Only registry staff correct the sessions of an engagement that has ended.
pub const CORRECT_ENDED_SESSIONS: Permission = Permission {
    name: "matching.correct_ended_sessions",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff correct the sessions of an engagement that has ended",
};

/// Only the company, its support organization and registry staff propose matches.
pub const PROPOSE_MATCHES: Permission = Permission {
    name: "matching.propose_matches",
    roles: super::matches::COMPANY_SIDE,
    refusal: "only the company, its support organization and registry staff propose matches",
};

/// Only the specialist answers a proposal.
pub const ANSWER_PROPOSALS: Permission = Permission {
    name: "matching.answer_proposals",
    roles: &[Role::Specialist],
    refusal: "only the specialist answers a proposal",
};

/// Only registry staff run the matching sweep.
pub const RUN_MATCHING_SWEEP: Permission = Permission {
    name: "matching.run_matching_sweep",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff run the matching sweep",
};

/// Only the parties to matches see them.
pub const READ_MATCHES: Permission = Permission {
    name: "matching.read_matches",
    roles: super::matches::PARTIES,
    refusal: "only the parties to matches see them",
};

/// Only registry staff register support organizations.
pub const REGISTER_ORGANIZATIONS: Permission = Permission {
    name: "matching.register_organizations",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff register support organizations",
};

/// Only registry staff edit support organizations.
pub const EDIT_ORGANIZATIONS: Permission = Permission {
    name: "matching.edit_organizations",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff edit support organizations",
};

/// Only companies, their support organizations and registry staff file requests.
pub const FILE_REQUESTS: Permission = Permission {
    name: "matching.file_requests",
    roles: &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
    ],
    refusal: "only companies, their support organizations and registry staff file requests",
};

/// Only the company, its support organization and registry staff cancel requests.
pub const CANCEL_REQUESTS: Permission = Permission {
    name: "matching.cancel_requests",
    roles: &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
    ],
    refusal: "only the company, its support organization and registry staff cancel requests",
};

/// Only companies, support organizations, specialists and registry staff see requests.
pub const READ_REQUESTS: Permission = Permission {
    name: "matching.read_requests",
    roles: &[
        Role::Admin,
        Role::ProgramStaff,
        Role::SupportOrgStaff,
        Role::SmeUser,
        Role::Specialist,
    ],
    refusal: "only companies, support organizations, specialists and registry staff see requests",
};

/// Every permission of matching.
pub const ALL: &[&Permission] = &[
    &READ_CANDIDATES,
    &REGISTER_COMPANIES,
    &MANAGE_COMPANY,
    &EDIT_COMPANY,
    &ASSESS_COMPANY,
    &LIST_COMPANIES,
    &HAVE_OWN_COMPANY,
    &ACT_ON_MATCH,
    &CORRECT_ENDED_SESSIONS,
    &PROPOSE_MATCHES,
    &ANSWER_PROPOSALS,
    &RUN_MATCHING_SWEEP,
    &READ_MATCHES,
    &REGISTER_ORGANIZATIONS,
    &EDIT_ORGANIZATIONS,
    &FILE_REQUESTS,
    &CANCEL_REQUESTS,
    &READ_REQUESTS,
];
