//! Writes of bulk jobs: accepting a file, and applying its rows.

use entities::{bulk_job, bulk_job_rejection};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, sea_query::ExprTrait,
};
use serde_json::json;

use super::super::{
    companies,
    file::{self, Charset, Sheet},
    permissions,
    types::{BulkKind, BulkStatus},
};
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult, FieldError, Role,
    audit::{self, AuditEntry},
    begin_write,
    matching::scope::{Scope, scope_of},
    scopes,
};

/// How many rows a job applies between two reports of its progress.
const PROGRESS_EVERY: usize = 100;

/// The rows of a job still to apply: what [`run`] takes once the upload is answered.
#[derive(Debug)]
pub struct Work {
    job_id: i64,
    kind: BulkKind,
    sheet: Sheet,
}

/// A file accepted: its job, and the rows to apply when the job is new (`None` when the
/// same file made the job before).
#[derive(Debug)]
pub struct Submitted {
    pub job: bulk_job::Model,
    pub work: Option<Work>,
}

/// Accepts a file of `kind` uploaded by the caller: checks who may, the file as a whole,
/// and makes its job (or finds the one the same file made before). The rows are applied
/// by [`run`].
pub async fn submit(
    db: &DatabaseConnection,
    caller: &Caller,
    kind: BulkKind,
    bytes: &[u8],
    charset: Option<Charset>,
) -> DomainResult<Submitted> {
    let (columns, required) = match kind {
        BulkKind::Companies => {
            caller.actor.allow(&permissions::IMPORT_COMPANIES)?;
            caller.actor.allow_scope(&scopes::MATCHING_WRITE)?;
            (companies::COLUMNS, companies::REQUIRED)
        }
        BulkKind::RegistryCorrections => {
            return Err(DomainError::invalid(
                "kind",
                "registry corrections are not imported yet",
            ));
        }
    };
    let organization_id = organization_of(db, caller).await?;
    let sha256 = file::sha256(bytes);
    if let Some(job) = existing(db, caller, kind, &sha256).await? {
        return Ok(Submitted { job, work: None });
    }
    let text = file::decode(bytes, charset)?;
    let sheet = file::read(&text, columns, required)?;
    let rows_total = i32::try_from(sheet.rows.len()).unwrap_or(i32::MAX);
    let txn = begin_write(db).await?;
    let inserted = bulk_job::ActiveModel {
        kind: Set(kind),
        status: Set(BulkStatus::Queued),
        principal: Set(caller.actor.subject().to_owned()),
        organization_id: Set(organization_id),
        file_sha256: Set(sha256.clone()),
        rows_total: Set(rows_total),
        rows_done: Set(0),
        rows_rejected: Set(0),
        created_at: Set(caller.now()),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let job = match inserted {
        Ok(job) => job,
        Err(err) => {
            // The same file, uploaded twice at once: the other upload made the job.
            drop(txn);
            if let Some(job) = existing(db, caller, kind, &sha256).await? {
                return Ok(Submitted { job, work: None });
            }
            return Err(err.into());
        }
    };
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "bulk.submit",
            target_type: "BulkJob",
            target_id: job.id.to_string(),
            details: json!({ "kind": kind.as_str(), "rows": rows_total, "sha256": sha256 }),
        },
    )
    .await?;
    txn.commit().await?;
    let work = Work {
        job_id: job.id,
        kind,
        sheet,
    };
    Ok(Submitted {
        job,
        work: Some(work),
    })
}

/// The organization an organization's staff act for; `None` for registry staff.
async fn organization_of(db: &DatabaseConnection, caller: &Caller) -> DomainResult<Option<i64>> {
    if caller.actor.role() != Some(Role::SupportOrgStaff) {
        return Ok(None);
    }
    match scope_of(db, &caller.actor).await? {
        Scope::Organization(id) => Ok(Some(id)),
        _ => Err(DomainError::Forbidden(
            "this account's organization is not registered",
        )),
    }
}

/// The job the same caller made from the same file, if any.
async fn existing(
    db: &DatabaseConnection,
    caller: &Caller,
    kind: BulkKind,
    sha256: &str,
) -> DomainResult<Option<bulk_job::Model>> {
    Ok(bulk_job::Entity::find()
        .filter(bulk_job::Column::Principal.eq(caller.actor.subject()))
        .filter(bulk_job::Column::Kind.eq(kind))
        .filter(bulk_job::Column::FileSha256.eq(sha256))
        .one(db)
        .await?)
}

/// Applies the rows of a job as the caller who uploaded the file, each in its own
/// transaction, and records how it went. A failure of the database ends the job as
/// `FAILED` (the rows applied before it stay); it is logged, never returned.
pub async fn run(db: DatabaseConnection, caller: Caller, work: Work) {
    if let Err(err) = apply(&db, &caller, &work).await {
        tracing::error!(job = work.job_id, error = %err, "bulk job failed");
        if let Err(err) = set_status(&db, &caller, work.job_id, BulkStatus::Failed).await {
            tracing::error!(job = work.job_id, error = %err, "bulk job not marked failed");
        }
    }
}

/// Rows applied and rejected since the last report.
#[derive(Default)]
struct Progress {
    done: i32,
    rejected: i32,
    rejections: Vec<bulk_job_rejection::ActiveModel>,
}

async fn apply(db: &DatabaseConnection, caller: &Caller, work: &Work) -> DomainResult<()> {
    set_status(db, caller, work.job_id, BulkStatus::Running).await?;
    let mut progress = Progress::default();
    let mut organizations = companies::Organizations::default();
    for (i, row) in work.sheet.rows.iter().enumerate() {
        let outcome = match work.kind {
            BulkKind::Companies => {
                companies::import_row(db, caller, &work.sheet, row, &mut organizations).await?
            }
            BulkKind::RegistryCorrections => Err(vec![FieldError::new("", "not imported yet")]),
        };
        match outcome {
            Ok(()) => progress.done += 1,
            Err(errors) => {
                progress.rejected += 1;
                progress.rejections.extend(errors.into_iter().map(|error| {
                    bulk_job_rejection::ActiveModel {
                        job_id: Set(work.job_id),
                        row_number: Set(row.number),
                        field: Set(error.field.join(".").chars().take(100).collect()),
                        reason: Set(error.message),
                        ..Default::default()
                    }
                }));
            }
        }
        if (i + 1) % PROGRESS_EVERY == 0 {
            report(db, work.job_id, std::mem::take(&mut progress)).await?;
        }
    }
    report(db, work.job_id, progress).await?;
    set_status(db, caller, work.job_id, BulkStatus::Done).await
}

/// Adds what was applied and rejected since the last report to the job, in one transaction.
async fn report(db: &DatabaseConnection, job_id: i64, progress: Progress) -> DomainResult<()> {
    let txn = begin_write(db).await?;
    for chunk in progress.rejections.chunks(CHUNK / 4) {
        bulk_job_rejection::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    bulk_job::Entity::update_many()
        .col_expr(
            bulk_job::Column::RowsDone,
            sea_orm::sea_query::Expr::col(bulk_job::Column::RowsDone).add(progress.done),
        )
        .col_expr(
            bulk_job::Column::RowsRejected,
            sea_orm::sea_query::Expr::col(bulk_job::Column::RowsRejected).add(progress.rejected),
        )
        .filter(bulk_job::Column::Id.eq(job_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn set_status<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    job_id: i64,
    status: BulkStatus,
) -> DomainResult<()> {
    let finished = matches!(status, BulkStatus::Done | BulkStatus::Failed);
    bulk_job::ActiveModel {
        id: Set(job_id),
        status: Set(status),
        finished_at: Set(finished.then(|| caller.now())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
