//! Bulk data: files uploaded as CSV and applied row by row as jobs.
//!
//! A file is checked as a whole when it arrives (its size, its encoding, its header, its
//! number of rows) and then becomes a job, applied after the upload is answered. Each row
//! goes through the same domain function the matching mutation calls, in its own
//! transaction, so a row is applied exactly when that mutation would accept it, and never
//! in part; a row that is not applied is recorded with its row number, the column at
//! fault and the reason. The same file uploaded again by the same caller is the same job
//! (see [`jobs`]).
//!
//! Bulk data comes after the areas whose records it brings in: it calls their commands
//! and knows their rules only through them.

pub mod companies;
pub mod file;
pub mod jobs;
pub mod permissions;
pub mod seed;
pub mod types;

/// The tables bulk data keeps.
pub const TABLES: &[&str] = &["bulk_job", "bulk_job_rejection"];
