//! Who may do what in the Active List: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{Permission, REGISTRY_STAFF, Role};

/// Only the specialist edits their own Active List entry.
pub const EDIT_OWN_ENTRY: Permission = Permission {
    name: "active_list.edit_own_entry",
    roles: &[Role::Specialist],
    refusal: "only the specialist edits their own Active List entry",
};

/// Only registry staff review Active List entries.
pub const REVIEW_ENTRIES: Permission = Permission {
    name: "active_list.review_entries",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff review Active List entries",
};

/// Only registry staff see the review queue.
pub const READ_REVIEW_QUEUE: Permission = Permission {
    name: "active_list.read_review_queue",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff see the review queue",
};

/// Only registry staff edit guidance themes.
pub const EDIT_THEMES: Permission = Permission {
    name: "active_list.edit_themes",
    roles: REGISTRY_STAFF,
    refusal: "only registry staff edit guidance themes",
};

/// Every permission of the Active List.
pub const ALL: &[&Permission] = &[
    &EDIT_OWN_ENTRY,
    &REVIEW_ENTRIES,
    &READ_REVIEW_QUEUE,
    &EDIT_THEMES,
];
