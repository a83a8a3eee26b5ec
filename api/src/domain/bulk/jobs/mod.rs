//! Bulk jobs: a file accepted, then applied row by row after the upload is answered.
//!
//! ```text
//!   upload ──▶ QUEUED ──▶ RUNNING ──▶ DONE     every row applied or rejected
//!                                 └─▶ FAILED   the database failed; rows applied stay
//! ```
//!
//! The file is checked as a whole before a job exists (its size, encoding, header and
//! number of rows): a file that fails those checks is refused and leaves nothing. A job
//! belongs to who uploaded it, and is unique by uploader, kind and the file's SHA-256:
//! the same file again returns the job it already made, which applies nothing twice.
//! Each row is applied in its own transaction by the command of the area it concerns, so
//! a row is either wholly applied or rejected; the job counts the rows done and rejected
//! as it goes, and records each rejected row with its number, column and reason.
//!
//! The rows wait in the memory of the process that accepted the file: a job whose
//! process stops before it ends stays `QUEUED` or `RUNNING`, and the rows it did not
//! reach are not applied (upload a file without the rows done to finish it).
//!
//! Who sees a job: the caller who uploaded it; registry staff, every job.

use entities::bulk_job;
use sea_orm::{ColumnTrait, Condition};

use super::permissions;
use crate::domain::{Caller, DomainResult};

mod commands;
mod queries;

pub use commands::{Submitted, Work, run, submit};
pub use queries::{by_ids, count_rejections, rejections};

/// The jobs the caller sees: its own; registry staff, all.
fn visible(caller: &Caller) -> DomainResult<Condition> {
    caller.actor.allow(&permissions::READ_JOBS)?;
    Ok(if caller.actor.is_registry_staff() {
        Condition::all()
    } else {
        Condition::all().add(bulk_job::Column::Principal.eq(caller.actor.subject()))
    })
}
