//! The stored states and kinds of every area, and the facts about their values (which
//! transitions a state machine has). The rules of who may move a record from one state to
//! another live in the `kakehashi` domain.

pub mod active_list;
pub mod bulk;
pub mod camp;
pub mod consent;
pub mod documents;
pub mod erasure;
pub mod idempotency;
pub mod industry;
pub mod matching;
pub mod registry;
pub mod renewal;
pub mod retention;
