//! Who may do what in the community: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{CAMP_STAFF, Permission};

/// Only camp staff feature activities.
pub const FEATURE_ACTIVITIES: Permission = Permission {
    name: "community.feature_activities",
    roles: CAMP_STAFF,
    refusal: "only camp staff feature activities",
};

/// Only camp staff schedule community events.
pub const SCHEDULE_EVENTS: Permission = Permission {
    name: "community.schedule_events",
    roles: CAMP_STAFF,
    refusal: "only camp staff schedule community events",
};

/// Only camp staff cancel community events.
pub const CANCEL_EVENTS: Permission = Permission {
    name: "community.cancel_events",
    roles: CAMP_STAFF,
    refusal: "only camp staff cancel community events",
};

/// Only camp staff record attendance.
pub const RECORD_ATTENDANCE: Permission = Permission {
    name: "community.record_attendance",
    roles: CAMP_STAFF,
    refusal: "only camp staff record attendance",
};

/// Every permission of the community.
pub const ALL: &[&Permission] = &[
    &FEATURE_ACTIVITIES,
    &SCHEDULE_EVENTS,
    &CANCEL_EVENTS,
    &RECORD_ATTENDANCE,
];
