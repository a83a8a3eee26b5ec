//! Who may do what in the specialist registry: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{Permission, REGISTRY_STAFF, Role};

/// Only registry staff register specialists.
pub const REGISTER_SPECIALISTS: Permission = Permission {
    name: "registry.register_specialists",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff register specialists",
};

/// Only registry staff change a registration's status.
pub const CHANGE_STATUS: Permission = Permission {
    name: "registry.change_status",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff change a registration's status",
};

/// Only registry staff correct registrations.
pub const CORRECT_REGISTRATIONS: Permission = Permission {
    name: "registry.correct_registrations",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff correct registrations",
};

/// Only a specialist has a profile to update.
pub const UPDATE_OWN_PROFILE: Permission = Permission {
    name: "registry.update_own_profile",
    roles: &[Role::Specialist],
    refusal: "only a specialist has a profile to update",
};

/// Only registry staff seed the registry.
pub const SEED_REGISTRY: Permission = Permission {
    name: "registry.seed_registry",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff seed the registry",
};

/// Every permission of the specialist registry.
pub const ALL: &[&Permission] = &[
    &REGISTER_SPECIALISTS,
    &CHANGE_STATUS,
    &CORRECT_REGISTRATIONS,
    &UPDATE_OWN_PROFILE,
    &SEED_REGISTRY,
];
