//! Retention: records no longer needed are anonymised once their period, kept as data in
//! `retention_periods`, has passed. The sweep is idempotent: a second run on the same day
//! finds nothing left to do.

use crate::domain::permissions;
use chrono::{DateTime, Months, NaiveDate, Utc};
use entities::{community_member, member_interest, retention_period};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::json;

use super::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    erasure::{ERASED, erase_decided_answers},
};
pub use entities::enums::retention::RetentionKind;

/// What one sweep anonymised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepOutcome {
    pub application_answers: u64,
    pub community_profiles: u64,
}

/// Every retention period, by kind.
pub async fn periods<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<Vec<retention_period::Model>> {
    caller.actor.allow(&permissions::READ_RETENTION_PERIODS)?;
    Ok(retention_period::Entity::find()
        .order_by_asc(retention_period::Column::Kind)
        .all(db)
        .await?)
}

/// Changes one period (administrators), from the next sweep on.
pub async fn set_period(
    db: &DatabaseConnection,
    caller: &Caller,
    kind: RetentionKind,
    months: i32,
    now: DateTime<Utc>,
) -> DomainResult<retention_period::Model> {
    caller.actor.allow(&permissions::SET_RETENTION_PERIOD)?;
    if !(1..=1200).contains(&months) {
        return Err(DomainError::invalid("months", "must be 1 to 1200 months"));
    }
    let txn = begin_write(db).await?;
    retention_period::Entity::update_many()
        .set(retention_period::ActiveModel {
            months: Set(months),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(retention_period::Column::Kind.eq(kind.as_str()))
        .exec(&txn)
        .await?;
    let row = retention_period::Entity::find_by_id(kind)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "retention period",
            field: "kind",
        })?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "retention.set_period",
            target_type: "RetentionPeriod",
            target_id: row.kind.as_str().to_owned(),
            details: json!({ "months": months }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The day `months` before `today`.
fn cutoff(today: NaiveDate, months: i32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(months.unsigned_abs()))
        .unwrap_or(NaiveDate::MIN)
}

/// Anonymises, in one transaction, every record whose retention period ended before
/// `today`, and records the run in the audit trail.
pub async fn sweep(
    db: &DatabaseConnection,
    caller: &Caller,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<SweepOutcome> {
    caller.actor.allow(&permissions::RUN_RETENTION_SWEEP)?;
    let txn = begin_write(db).await?;
    let periods: Vec<(RetentionKind, i32)> = retention_period::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.kind, p.months))
        .collect();
    let mut outcome = SweepOutcome::default();
    for (kind, months) in periods {
        let before = cutoff(today, months);
        match kind {
            RetentionKind::CampApplicationAnswers => {
                outcome.application_answers =
                    erase_decided_answers(&txn, None, Some(before), now).await?;
            }
            RetentionKind::LeftCommunityProfiles => {
                let left_before = before.and_time(chrono::NaiveTime::MIN).and_utc();
                use community_member::Column as M;
                let expired = || {
                    Query::select()
                        .column(M::PersonId)
                        .from(community_member::Entity)
                        .and_where(M::LeftAt.lt(left_before))
                        .and_where(M::DisplayName.ne(ERASED))
                        .to_owned()
                };
                member_interest::Entity::delete_many()
                    .filter(member_interest::Column::PersonId.in_subquery(expired()))
                    .exec(&txn)
                    .await?;
                let result = community_member::Entity::update_many()
                    .col_expr(M::DisplayName, Expr::value(ERASED))
                    .col_expr(M::Affiliation, Expr::value(Option::<String>::None))
                    .col_expr(M::Bio, Expr::value(""))
                    .col_expr(M::Interests, Expr::value(json!([])))
                    .col_expr(M::OpenToMentoring, Expr::value(false))
                    .col_expr(M::Link, Expr::value(Option::<String>::None))
                    .col_expr(M::UpdatedAt, Expr::value(now))
                    .col_expr(M::Version, Expr::col(M::Version).add(1))
                    .filter(M::LeftAt.lt(left_before))
                    .filter(M::DisplayName.ne(ERASED))
                    .exec(&txn)
                    .await?;
                outcome.community_profiles = result.rows_affected;
            }
        }
    }
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "retention.sweep",
            target_type: "Retention",
            target_id: today.to_string(),
            details: json!({
                "applicationAnswers": outcome.application_answers,
                "communityProfiles": outcome.community_profiles,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(outcome)
}
