//! Who may do what in renewal: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{Permission, REGISTRY_STAFF, Role};

/// Only the specialist files deemed-attendance claims for themself.
pub const FILE_CLAIMS: Permission = Permission {
    name: "renewal.file_claims",
    roles: &[Role::Specialist],
    refusal: "only the specialist files deemed-attendance claims for themself",
};

/// Only the specialist amends their own claims.
pub const AMEND_OWN_CLAIMS: Permission = Permission {
    name: "renewal.amend_own_claims",
    roles: &[Role::Specialist],
    refusal: "only the specialist amends their own claims",
};

/// Only registry staff review claims.
pub const REVIEW_CLAIMS: Permission = Permission {
    name: "renewal.review_claims",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff review claims",
};

/// Only registry staff and the specialist themself see claims.
pub const READ_OWN_CLAIMS: Permission = Permission {
    name: "renewal.read_own_claims",
    roles: &[Role::Specialist],
    refusal: "only registry staff and the specialist themself see claims",
};

/// Only registry staff and analysts see the savings of deemed attendance.
pub const READ_CLAIM_SAVINGS: Permission = Permission {
    name: "renewal.read_claim_savings",
    roles: &[Role::Admin, Role::ProgramStaff, Role::Analyst],
    refusal: "only registry staff and analysts see the savings of deemed attendance",
};

/// Registry staff record training; training providers their own courses' completions.
pub const RECORD_TRAINING: Permission = Permission {
    name: "renewal.record_training",
    roles: &[Role::Admin, Role::ProgramStaff, Role::TrainingProvider],
    refusal: "only registry staff and training providers (for their own courses) record training",
};

/// Only registry staff edit the course catalogue.
pub const EDIT_COURSES: Permission = Permission {
    name: "renewal.edit_courses",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff edit the course catalogue",
};

/// Only registry staff list renewal cycles.
pub const LIST_CYCLES: Permission = Permission {
    name: "renewal.list_cycles",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff list renewal cycles",
};

/// Only the specialist applies for their own renewal.
pub const APPLY_FOR_RENEWAL: Permission = Permission {
    name: "renewal.apply_for_renewal",
    roles: &[Role::Specialist],
    refusal: "only the specialist applies for their own renewal",
};

/// Only registry staff decide renewals.
pub const DECIDE_RENEWALS: Permission = Permission {
    name: "renewal.decide_renewals",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff decide renewals",
};

/// Only registry staff add requirement policies.
pub const ADD_POLICIES: Permission = Permission {
    name: "renewal.add_policies",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff add requirement policies",
};

/// Only registry staff sweep renewals.
pub const RUN_RENEWAL_SWEEP: Permission = Permission {
    name: "renewal.run_renewal_sweep",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff sweep renewals",
};

/// Only registry staff write reminders.
pub const WRITE_REMINDERS: Permission = Permission {
    name: "renewal.write_reminders",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff write reminders",
};

/// Only registry staff read the reminder outbox.
pub const READ_REMINDERS: Permission = Permission {
    name: "renewal.read_reminders",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff read the reminder outbox",
};

/// Every permission of renewal.
pub const ALL: &[&Permission] = &[
    &FILE_CLAIMS,
    &AMEND_OWN_CLAIMS,
    &REVIEW_CLAIMS,
    &READ_OWN_CLAIMS,
    &READ_CLAIM_SAVINGS,
    &RECORD_TRAINING,
    &EDIT_COURSES,
    &LIST_CYCLES,
    &APPLY_FOR_RENEWAL,
    &DECIDE_RENEWALS,
    &ADD_POLICIES,
    &RUN_RENEWAL_SWEEP,
    &WRITE_REMINDERS,
    &READ_REMINDERS,
];
