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
