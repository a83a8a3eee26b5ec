//! The stored kinds and states of bulk jobs.

pub use entities::enums::bulk::{BulkKind, BulkStatus};
