//! Who may do what in analytics: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::Permission;

/// Analytics are for analysts and registry staff.
pub const READ_ANALYTICS: Permission = Permission {
    name: "analytics.read_analytics",
    roles: super::ANALYTICS_READERS,
    refusal: "analytics are for analysts and registry staff",
};

/// Camp figures are for camp staff, registry staff and analysts.
pub const READ_CAMP_FIGURES: Permission = Permission {
    name: "analytics.read_camp_figures",
    roles: super::camp::FIGURE_READERS,
    refusal: "camp figures are for staff and analysts",
};

/// Every permission of analytics.
pub const ALL: &[&Permission] = &[&READ_ANALYTICS, &READ_CAMP_FIGURES];
