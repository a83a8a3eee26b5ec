//! Security Camp and its alumni community: people, programs and their eligibility rules,
//! cohorts and tracks, applications and selection, the opt-in community with per-field
//! visibility, activity reports, community events, and the programme's figures.

pub mod applications;
pub mod cohorts;
pub mod community;
pub mod events;
pub mod figures;
pub mod people;
pub mod programs;
pub mod seed;
pub mod types;
