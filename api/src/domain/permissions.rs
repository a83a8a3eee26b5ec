//! Who may do what in the services every area shares (the audit trail, the rights of the
//! people in the data, retention, persisted operations): every role check of their
//! commands and queries names one of these permissions, and `tests/permissions.rs` holds
//! the whole table.

use crate::domain::{
    DomainError, DomainResult,
    actor::{Actor, Permission, REGISTRY_STAFF, Role},
};

/// Only administrators read the audit trail.
pub const READ_AUDIT_TRAIL: Permission = Permission {
    name: "audit.read_audit_trail",
    roles: &[Role::Admin],
    refusal: "only administrators read the audit trail",
};

/// Requests to erase are made by the people in the data: specialists, individuals and company users.
pub const REQUEST_ERASURE: Permission = Permission {
    name: "rights.request_erasure",
    roles: super::erasure::REQUESTERS,
    refusal: "requests to erase are made by the people in the data: specialists, individuals and company users",
};

/// Registry staff decide requests to erase.
pub const DECIDE_ERASURE: Permission = Permission {
    name: "rights.decide_erasure",
    roles: REGISTRY_STAFF,
    refusal: "registry staff decide requests to erase",
};

/// Requests to erase are seen by registry staff and their requesters.
pub const READ_OWN_ERASURE_REQUESTS: Permission = Permission {
    name: "rights.read_own_erasure_requests",
    roles: super::erasure::REQUESTERS,
    refusal: "requests to erase are seen by registry staff and their requesters",
};

/// Consents are given by specialists and individuals.
pub const READ_OWN_CONSENTS: Permission = Permission {
    name: "rights.read_own_consents",
    roles: &[Role::Specialist, Role::Person],
    refusal: "consents are given by specialists and individuals",
};

/// The data held about a person is given to that person: specialists, individuals and company users.
pub const READ_OWN_PERSONAL_DATA: Permission = Permission {
    name: "rights.read_own_personal_data",
    roles: &[Role::Specialist, Role::Person, Role::SmeUser],
    refusal: "the data held about a person is given to that person: specialists, individuals and company users",
};

/// Retention periods are for registry staff.
pub const READ_RETENTION_PERIODS: Permission = Permission {
    name: "retention.read_retention_periods",
    roles: REGISTRY_STAFF,
    refusal: "retention periods are for registry staff",
};

/// Administrators change retention periods.
pub const SET_RETENTION_PERIOD: Permission = Permission {
    name: "retention.set_retention_period",
    roles: &[Role::Admin],
    refusal: "administrators change retention periods",
};

/// Registry staff run the retention sweep.
pub const RUN_RETENTION_SWEEP: Permission = Permission {
    name: "retention.run_retention_sweep",
    roles: REGISTRY_STAFF,
    refusal: "registry staff run the retention sweep",
};

/// Staff register the documents partners' front-ends run by id.
pub const REGISTER_TRUSTED_DOCUMENTS: Permission = Permission {
    name: "documents.register_trusted_documents",
    roles: REGISTRY_STAFF,
    refusal: "program staff and administrators register trusted documents",
};

/// Staff read the trusted documents.
pub const READ_TRUSTED_DOCUMENTS: Permission = Permission {
    name: "documents.read_trusted_documents",
    roles: REGISTRY_STAFF,
    refusal: "program staff and administrators read the trusted documents",
};

/// The public lists (the registry, the Active List) are filtered and ordered by update time
/// only for registry staff: a row's update time can reveal a change the public may not see
/// (a renewal falling behind, a private field edited).
pub const SYNC_PUBLIC_LISTS: Permission = Permission {
    name: "sync.sync_public_lists",
    roles: REGISTRY_STAFF,
    refusal: "syncing the registry or the Active List by update time is for registry staff: an update time can reveal a change the public may not see",
};

/// Every permission of the shared services.
pub const ALL: &[&Permission] = &[
    &READ_AUDIT_TRAIL,
    &REQUEST_ERASURE,
    &DECIDE_ERASURE,
    &READ_OWN_ERASURE_REQUESTS,
    &READ_OWN_CONSENTS,
    &READ_OWN_PERSONAL_DATA,
    &READ_RETENTION_PERIODS,
    &SET_RETENTION_PERIOD,
    &RUN_RETENTION_SWEEP,
    &REGISTER_TRUSTED_DOCUMENTS,
    &READ_TRUSTED_DOCUMENTS,
    &SYNC_PUBLIC_LISTS,
];

/// Refuses analysts wherever a person-level record would be read, by any path: they work
/// with aggregates and never read a person. Everyone else goes on to the reading's own
/// rules (anonymous callers included, for the public registry).
pub fn refuse_analysts(actor: &Actor) -> DomainResult<()> {
    if actor.role() == Some(Role::Analyst) {
        return Err(DomainError::Forbidden(
            "analysts work with aggregates and cannot read person-level records",
        ));
    }
    Ok(())
}
