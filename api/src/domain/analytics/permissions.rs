//! Who may do what in analytics: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::Permission;

/// Analytics are for analysts and registry staff.
pub const READ_ANALYTICS: Permission = Permission {
    name: "analytics.read_analytics",
    roles: super::ANALYTICS_READERS,
    refusal: "analytics are for analysts and registry staff",
};

/// Every permission of analytics.
pub const ALL: &[&Permission] = &[&READ_ANALYTICS];
