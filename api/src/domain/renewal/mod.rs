//! Renewal of registrations: three-year cycles and their deadlines, the training each
//! cycle requires (as versioned policies), training completions, deemed attendance,
//! the lapse sweep and renewal reminders.

pub mod claims;
pub mod completions;
pub mod courses;
pub mod cycle;
pub mod cycles;
pub mod permissions;
pub mod policy;
pub mod seed;
pub mod sweep;
pub mod types;
