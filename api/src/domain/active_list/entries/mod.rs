//! Active List entries: what a specialist offers SMEs, its review by staff, and who sees what
//! of it.
//!
//! Lifecycle: the specialist writes a `DRAFT` and submits it (`PENDING_REVIEW`); staff
//! publish it (`PUBLISHED`) or send it back (`REJECTED`, with a comment); staff may suspend
//! and reinstate it (`SUSPENDED`); the specialist may withdraw it (`WITHDRAWN`) and start
//! again. Changing what a published entry says sends it back to review; pausing, capacity
//! and confirming do not.

mod commands;
mod queries;

pub use commands::{
    Availability, Decision, EntryInput, decide, save_mine, set_availability, submit_mine,
    withdraw_mine,
};
pub use queries::{
    Contact, EntryAccess, EntryLists, EntrySpecialist, EntryView, SearchFilter, SearchOrder,
    Searched, ThemeMatch, by_ids, count, is_eligible, of_specialists, published_condition,
    review_queue, review_queue_count, search, specialists_of, theme_ids_of, view_in,
};
