//! Stored values of idempotency keys.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// Where the request first sent with a key stands.
    IdempotencyState {
        /// Running now (on some replica), until its lease ends.
        Running = "RUNNING",
        /// Finished: its response is kept for replays.
        Completed = "COMPLETED",
    }
}
