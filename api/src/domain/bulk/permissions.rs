//! Who may do what with bulk data: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{Permission, Role};

/// Support organizations import the companies they support; registry staff, any.
pub const IMPORT_COMPANIES: Permission = Permission {
    name: "bulk.import_companies",
    roles: &[Role::Admin, Role::ProgramStaff, Role::SupportOrgStaff],
    refusal: "only support organizations and registry staff import companies",
};

/// Those who may upload files follow their jobs (their own; registry staff, all).
pub const READ_JOBS: Permission = Permission {
    name: "bulk.read_jobs",
    roles: &[Role::Admin, Role::ProgramStaff, Role::SupportOrgStaff],
    refusal: "only support organizations and registry staff have bulk jobs",
};

/// Every permission of bulk data, for the authorization table.
pub const ALL: &[&Permission] = &[&IMPORT_COMPANIES, &READ_JOBS];
