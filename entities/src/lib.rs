//! Database entities of Kakehashi.
//!
//! One module per table. These types mirror the tables and nothing else: the public API
//! has its own types in the `kakehashi` crate, so a column can change without changing
//! the GraphQL contract.

pub mod enums;
mod stored_enum;

pub mod active_list_entry;
pub mod alumni_activity;
pub mod audit_event;
pub mod bulk_job;
pub mod bulk_job_rejection;
pub mod camp_application;
pub mod camp_cohort;
pub mod camp_cohort_move;
pub mod camp_program;
pub mod camp_track;
pub mod claim_match;
pub mod community_event;
pub mod community_member;
pub mod company;
pub mod consent_record;
pub mod consent_terms;
pub mod consultation_request;
pub mod course;
pub mod deemed_attendance_claim;
pub mod entry_industry;
pub mod entry_language;
pub mod entry_prefecture;
pub mod entry_theme;
pub mod erasure_request;
pub mod event_rsvp;
pub mod guidance_theme;
pub mod idempotency_key;
pub mod match_session;
pub mod match_session_correction;
pub mod matching;
pub mod member_interest;
pub mod organization_prefecture;
pub mod persisted_document;
pub mod person;
pub mod policy_requirement;
pub mod published_breakdown;
pub mod rate_limit_bucket;
pub mod renewal_cycle;
pub mod renewal_reminder;
pub mod request_theme;
pub mod requirement_policy;
pub mod retention_period;
pub mod specialist;
pub mod specialist_status_event;
pub mod support_organization;
pub mod training_completion;
