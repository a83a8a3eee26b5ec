//! The Active List (登録セキスペアクティブリスト): guidance themes, the entries through
//! which specialists offer to advise SMEs, their review, and the search over published ones.
//!
//! Only a specialist who is `ACTIVE` and whose current cycle is not `OVERDUE` is listed.
//! Eligibility is evaluated in the same statement that reads the list, so no stale entry is
//! ever returned, and an entry that was published comes back by itself when its specialist
//! is eligible again.

pub mod eligibility;
pub mod entries;
pub mod permissions;
pub mod postings;
pub mod seed;
pub mod themes;
pub mod types;

/// The tables this area keeps (by their `entities` module). Another area reads them only
/// when it comes after this one, or through `domain::hooks`; `tests/architecture.rs` checks.
pub const TABLES: &[&str] = &[
    "active_list_entry",
    "entry_industry",
    "entry_language",
    "entry_prefecture",
    "entry_theme",
    "guidance_theme",
];
