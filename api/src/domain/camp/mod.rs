//! Security Camp: people, programs and their eligibility rules, cohorts and tracks,
//! applications and selection, and the programme's figures. The alumni community is its
//! own area beside it (`domain::community`).

pub mod applications;
pub mod cohorts;
pub mod figures;
pub mod people;
pub mod permissions;
pub mod programs;
pub mod seed;
pub mod types;
