//! Community events: camp staff schedule them; current members RSVP. An RSVP holds a place
//! while there is one (one conditional update, so concurrent RSVPs never overfill an
//! event) and is waitlisted otherwise; when a member who holds a place cancels, the
//! longest-waiting member takes it in the same transaction. Staff record attendance once
//! the event has started.

use entities::{community_event, event_rsvp};

use super::types::{EventStatus, RsvpStatus};
use crate::domain::versioned::Versioned;

mod commands;
mod queries;

pub use commands::{EventInput, cancel, cancel_rsvp, create, record_attendance, rsvp};
pub use queries::{EventFilter, by_ids, count, list, rsvps_of};

pub fn status_of(row: &community_event::Model) -> EventStatus {
    row.status
}

pub fn rsvp_status(row: &event_rsvp::Model) -> RsvpStatus {
    row.status
}

const VERSIONED: Versioned<community_event::Entity> = Versioned {
    id: community_event::Column::Id,
    version: community_event::Column::Version,
    updated_at: community_event::Column::UpdatedAt,
    field: "expected_version",
    what: "event",
};
