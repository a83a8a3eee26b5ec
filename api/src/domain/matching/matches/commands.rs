//! Writes on matches, one transaction each: the moves of the table in the module's
//! documentation, ratings and the sweep that expires unanswered proposals.

use super::super::{
    candidates::{self, Candidate},
    requests,
    scope::{Scope, scope_of},
    types::{MatchStatus, RequestStatus},
};
use crate::domain::matching::permissions;
use crate::domain::{
    Caller, DomainError, DomainResult,
    active_list::{eligibility::is_listed_on, types::EntryStatus},
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    holidays::add_business_days,
};
use chrono::NaiveDate;
use entities::{active_list_entry, company, consultation_request, matching};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::json;

use super::{
    ENGAGEMENTS, RESPONSE_BUSINESS_DAYS, Side, VERSIONED, ensure_still_listed, status_of, visible,
};

/// Reads a match the caller takes part in, with the side they are on, inside a write.
pub(super) async fn taken_part<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
) -> DomainResult<(Side, matching::Model)> {
    caller.actor.allow(&permissions::ACT_ON_MATCH)?;
    let scope = scope_of(db, &caller.actor).await?;
    let row = matching::Entity::find()
        .filter(visible(scope))
        .filter(matching::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(DomainError::not_found("match", "match_id"))?;
    let side = match scope {
        Scope::Specialist(_) => Side::Specialist,
        _ => Side::Company,
    };
    Ok((side, row))
}

pub(super) fn refuse(field: &str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(field, message)
}

pub(super) fn expect_status(
    row: &matching::Model,
    allowed: &[MatchStatus],
    action: &str,
) -> DomainResult<()> {
    let status = status_of(row);
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(refuse(
            "match_id",
            format!("the match is {}: it cannot be {action}", status.as_str()),
        ))
    }
}

/// Moves a request from one of `from` to `to`; false when it was no longer in `from`.
async fn move_request<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
    from: &[RequestStatus],
    to: RequestStatus,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<bool> {
    let mut update = consultation_request::Entity::update_many()
        .col_expr(consultation_request::Column::Status, to.as_str().into())
        .col_expr(consultation_request::Column::UpdatedAt, now.into())
        .col_expr(
            consultation_request::Column::Version,
            Expr::col(consultation_request::Column::Version).add(1),
        );
    match to {
        RequestStatus::Matched => {
            update = update.col_expr(consultation_request::Column::MatchedAt, now.into());
        }
        RequestStatus::Completed | RequestStatus::Cancelled | RequestStatus::Expired => {
            update = update.col_expr(consultation_request::Column::ClosedAt, now.into());
        }
        _ => {}
    }
    let result = update
        .filter(consultation_request::Column::Id.eq(request_id))
        .filter(consultation_request::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives back the place a match held on its entry, at `now`.
async fn release<C: ConnectionTrait>(
    db: &C,
    entry_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<()> {
    ENGAGEMENTS.release(db, entry_id, now).await
}

pub(super) async fn audit_match<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &matching::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "Match",
            target_id: row.id.to_string(),
            details: json!({ "status": row.status, "requestId": row.request_id,
                             "specialistId": row.specialist_id }),
        },
    )
    .await
}

/// Proposes the specialist of an entry for a request the caller acts for. The entry must be
/// published, its specialist eligible, not paused and with capacity left; the specialist
/// has [`RESPONSE_BUSINESS_DAYS`] business days to answer.
pub async fn propose(
    db: &DatabaseConnection,
    caller: &Caller,
    request_id: i64,
    entry_id: i64,
) -> DomainResult<matching::Model> {
    caller.actor.allow(&permissions::PROPOSE_MATCHES)?;
    let txn = begin_write(db).await?;
    let scope = scope_of(&txn, &caller.actor).await?;
    let request = requests::acted_for(&txn, scope, request_id, "request_id").await?;
    let status = request.status;
    if !status.is_seeking() {
        return Err(refuse(
            "request_id",
            format!(
                "the request is {}: it takes no new proposals",
                status.as_str()
            ),
        ));
    }
    let today = caller.today();
    let entry = active_list_entry::Entity::find_by_id(entry_id)
        .one(&txn)
        .await?
        .filter(|e| e.status == EntryStatus::Published && is_listed_on(e.eligible_until, today))
        .ok_or(DomainError::not_found("Active List entry", "entry_id"))?;
    if entry.paused {
        return Err(refuse(
            "entry_id",
            "the specialist has paused new engagements",
        ));
    }
    if entry.active_matches >= entry.capacity {
        return Err(refuse("entry_id", "the specialist has no capacity left"));
    }
    let asked = candidates::asked_of(&txn, &request).await?;
    let facts = candidates::facts_select()
        .filter(active_list_entry::Column::Id.eq(entry.id))
        .into_model::<candidates::EntryFacts>()
        .one(&txn)
        .await?
        .ok_or(DomainError::not_found("Active List entry", "entry_id"))?;
    let records = candidates::records(&txn, Some(&[entry.specialist_id]), caller.now()).await?;
    let Candidate { score, parts, .. } =
        candidates::score(&asked, &facts, records.get(&entry.specialist_id));
    let now = caller.now();
    let row = matching::ActiveModel {
        request_id: Set(request.id),
        entry_id: Set(entry.id),
        specialist_id: Set(entry.specialist_id),
        status: Set(MatchStatus::Proposed),
        score: Set(json!({ "score": score, "parts": parts })),
        proposed_by: Set(caller.actor.subject().to_owned()),
        proposed_at: Set(now),
        respond_by: Set(add_business_days(today, RESPONSE_BUSINESS_DAYS)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(
            err,
            "entry_id",
            "this specialist is already proposed for the request",
        )
    })?;
    move_request(
        &txn,
        request.id,
        &[RequestStatus::Open],
        RequestStatus::Matching,
        caller.now(),
    )
    .await?;
    audit_match(&txn, caller, "match.propose", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// The specialist accepts a proposal within its window, if they have capacity left and the
/// request still seeks a specialist.
pub async fn accept(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
) -> DomainResult<matching::Model> {
    caller.actor.allow(&permissions::ANSWER_PROPOSALS)?;
    let txn = begin_write(db).await?;
    let (_, row) = taken_part(&txn, caller, id).await?;
    expect_status(&row, &[MatchStatus::Proposed], "accepted")?;
    let today = caller.today();
    if today > row.respond_by {
        return Err(refuse(
            "match_id",
            format!("the proposal could be answered until {}", row.respond_by),
        ));
    }
    // The place first: one conditional update, so concurrent accepts queue on the entry's
    // row and each sees the count the previous one left.
    let took = ENGAGEMENTS.take(&txn, row.entry_id, caller.now()).await?;
    if !took {
        return Err(refuse(
            "match_id",
            "you have no capacity left: complete or cancel an engagement, or raise your capacity",
        ));
    }
    // Read after taking the place: the entry's row is now held by this transaction, so a
    // concurrent unpublishing is either seen here or waits for this one.
    ensure_still_listed(&txn, row.entry_id, today).await?;
    if !move_request(
        &txn,
        row.request_id,
        &[RequestStatus::Open, RequestStatus::Matching],
        RequestStatus::Matched,
        caller.now(),
    )
    .await?
    {
        return Err(refuse(
            "match_id",
            "the request no longer seeks a specialist",
        ));
    }
    let changes = matching::ActiveModel {
        status: Set(MatchStatus::Accepted),
        responded_at: Set(Some(caller.now())),
        ..Default::default()
    };
    let saved = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    matching::Entity::update_many()
        .col_expr(
            matching::Column::Status,
            MatchStatus::Cancelled.as_str().into(),
        )
        .col_expr(
            matching::Column::CancelReason,
            "another specialist accepted the request".into(),
        )
        .col_expr(matching::Column::UpdatedAt, caller.now().into())
        .filter(matching::Column::RequestId.eq(row.request_id))
        .filter(matching::Column::Id.ne(id))
        .filter(matching::Column::Status.eq(MatchStatus::Proposed.as_str()))
        .exec(&txn)
        .await?;
    audit_match(&txn, caller, "match.accept", &saved).await?;
    txn.commit().await?;
    Ok(saved)
}

pub(super) fn reason(field: &str, value: Option<String>, v: &mut Violations) -> Option<String> {
    let value = value.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if value.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        v.push(field, "must be at most 2000 characters");
    }
    value
}

/// The specialist declines a proposal.
pub async fn decline(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    why: Option<String>,
) -> DomainResult<matching::Model> {
    caller.actor.allow(&permissions::ANSWER_PROPOSALS)?;
    let mut v = Violations::default();
    let why = reason("reason", why, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (_, row) = taken_part(&txn, caller, id).await?;
    expect_status(&row, &[MatchStatus::Proposed], "declined")?;
    let changes = matching::ActiveModel {
        status: Set(MatchStatus::Declined),
        responded_at: Set(Some(caller.now())),
        decline_reason: Set(why),
        ..Default::default()
    };
    let saved = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_match(&txn, caller, "match.decline", &saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Either side calls a match off before it completes; a place it held is given back and
/// the request seeks a specialist again.
pub async fn cancel(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    why: Option<String>,
) -> DomainResult<matching::Model> {
    let mut v = Violations::default();
    let why = reason("reason", why, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (_, row) = taken_part(&txn, caller, id).await?;
    expect_status(
        &row,
        &[
            MatchStatus::Proposed,
            MatchStatus::Accepted,
            MatchStatus::Active,
        ],
        "cancelled",
    )?;
    if status_of(&row).holds_capacity() {
        release(&txn, row.entry_id, caller.now()).await?;
        move_request(
            &txn,
            row.request_id,
            &[RequestStatus::Matched, RequestStatus::InProgress],
            RequestStatus::Matching,
            caller.now(),
        )
        .await?;
    }
    let changes = matching::ActiveModel {
        status: Set(MatchStatus::Cancelled),
        cancel_reason: Set(why),
        ..Default::default()
    };
    let saved = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_match(&txn, caller, "match.cancel", &saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Either side starts the engagement of an accepted match.
pub async fn start(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    started_on: Option<NaiveDate>,
) -> DomainResult<matching::Model> {
    let txn = begin_write(db).await?;
    let (_, row) = taken_part(&txn, caller, id).await?;
    expect_status(&row, &[MatchStatus::Accepted], "started")?;
    let started_on = super::start_day(&row, started_on, caller.today())?;
    move_request(
        &txn,
        row.request_id,
        &[RequestStatus::Matched],
        RequestStatus::InProgress,
        caller.now(),
    )
    .await?;
    let changes = matching::ActiveModel {
        status: Set(MatchStatus::Active),
        started_on: Set(Some(started_on)),
        ..Default::default()
    };
    let saved = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_match(&txn, caller, "match.start", &saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The outcome of an engagement and one side's rating of it.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Measures put in place (with `complete`).
    pub measures: Vec<String>,
    /// The company's step on the 4-step guide afterwards (with `complete`).
    pub guide_step_after: Option<i16>,
    pub rating: i16,
    pub comment: Option<String>,
}

fn check_rating(outcome: &Outcome, v: &mut Violations) {
    if !(1..=5).contains(&outcome.rating) {
        v.push("rating", "must be from 1 to 5");
    }
    if outcome
        .comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > 2000)
    {
        v.push("comment", "must be at most 2000 characters");
    }
}

fn rate_changes(side: Side, outcome: &Outcome) -> matching::ActiveModel {
    let comment = outcome
        .comment
        .as_ref()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let mut changes = <matching::ActiveModel as Default>::default();
    match side {
        Side::Company => {
            changes.company_rating = Set(Some(outcome.rating));
            changes.company_comment = Set(comment);
        }
        Side::Specialist => {
            changes.specialist_rating = Set(Some(outcome.rating));
            changes.specialist_comment = Set(comment);
        }
    }
    changes
}

/// Either side completes a running engagement with its outcome and their rating; the place
/// is given back, the request completed, and the company's guide step updated.
pub async fn complete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    outcome: Outcome,
) -> DomainResult<matching::Model> {
    let mut v = Violations::default();
    check_rating(&outcome, &mut v);
    if outcome
        .guide_step_after
        .is_some_and(|s| !(1..=4).contains(&s))
    {
        v.push("guide_step_after", "must be 1, 2, 3 or 4");
    }
    if outcome.measures.len() > 50
        || outcome
            .measures
            .iter()
            .any(|m| m.trim().is_empty() || m.chars().count() > 500)
    {
        v.push("measures", "up to 50 measures of 1–500 characters each");
    }
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (side, row) = taken_part(&txn, caller, id).await?;
    expect_status(&row, &[MatchStatus::Active], "completed")?;
    release(&txn, row.entry_id, caller.now()).await?;
    move_request(
        &txn,
        row.request_id,
        &[RequestStatus::InProgress],
        RequestStatus::Completed,
        caller.now(),
    )
    .await?;
    if let Some(step) = outcome.guide_step_after {
        let company_id = consultation_request::Entity::find_by_id(row.request_id)
            .select_only()
            .column(consultation_request::Column::CompanyId)
            .into_tuple::<i64>()
            .one(&txn)
            .await?;
        if let Some(company_id) = company_id {
            company::Entity::update_many()
                .col_expr(company::Column::GuideStep, step.into())
                .col_expr(company::Column::UpdatedAt, caller.now().into())
                .col_expr(
                    company::Column::Version,
                    Expr::col(company::Column::Version).add(1),
                )
                .filter(company::Column::Id.eq(company_id))
                .exec(&txn)
                .await?;
        }
    }
    let mut changes = rate_changes(side, &outcome);
    changes.status = Set(MatchStatus::Completed);
    changes.completed_on = Set(Some(caller.today()));
    changes.measures = Set(Some(json!(
        outcome
            .measures
            .iter()
            .map(|m| m.trim())
            .collect::<Vec<_>>()
    )));
    changes.guide_step_after = Set(outcome.guide_step_after);
    let saved = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_match(&txn, caller, "match.complete", &saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The other side rates a completed match, once.
pub async fn rate(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    outcome: Outcome,
) -> DomainResult<matching::Model> {
    let mut v = Violations::default();
    check_rating(&outcome, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (side, row) = taken_part(&txn, caller, id).await?;
    expect_status(&row, &[MatchStatus::Completed], "rated")?;
    let already = match side {
        Side::Company => row.company_rating.is_some(),
        Side::Specialist => row.specialist_rating.is_some(),
    };
    if already {
        return Err(refuse("rating", "your side has already rated this match"));
    }
    let saved = VERSIONED
        .save(
            &txn,
            (id, expected_version),
            rate_changes(side, &outcome),
            caller.now(),
        )
        .await?;
    audit_match(&txn, caller, "match.rate", &saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// What a sweep changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepReport {
    /// Proposals not answered in time, now `EXPIRED`.
    pub expired_proposals: u64,
    /// Requests left unmatched past their open period, now `EXPIRED`.
    pub expired_requests: u64,
}

/// Expires proposals whose window closed before `as_of`, and requests left unmatched past
/// [`requests::OPEN_DAYS`] with nothing live; idempotent. Registry staff and the system.
pub async fn sweep(
    db: &DatabaseConnection,
    caller: &Caller,
    as_of: NaiveDate,
) -> DomainResult<SweepReport> {
    caller.actor.allow(&permissions::RUN_MATCHING_SWEEP)?;
    if as_of > caller.today() {
        return Err(refuse("as_of", "must not be in the future"));
    }
    let txn = begin_write(db).await?;
    let now = caller.now();
    let proposals = matching::Entity::update_many()
        .col_expr(
            matching::Column::Status,
            MatchStatus::Expired.as_str().into(),
        )
        .col_expr(matching::Column::UpdatedAt, now.into())
        .col_expr(
            matching::Column::Version,
            Expr::col(matching::Column::Version).add(1),
        )
        .filter(matching::Column::Status.eq(MatchStatus::Proposed.as_str()))
        .filter(matching::Column::RespondBy.lt(as_of))
        .exec(&txn)
        .await?;
    let live = Query::select()
        .column(matching::Column::RequestId)
        .from(matching::Entity)
        .and_where(matching::Column::Status.is_in([
            MatchStatus::Proposed.as_str(),
            MatchStatus::Accepted.as_str(),
            MatchStatus::Active.as_str(),
        ]))
        .to_owned();
    let last_open_day = as_of
        .checked_sub_days(chrono::Days::new(requests::OPEN_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let stale = consultation_request::Entity::update_many()
        .col_expr(
            consultation_request::Column::Status,
            RequestStatus::Expired.as_str().into(),
        )
        .col_expr(consultation_request::Column::ClosedAt, now.into())
        .col_expr(consultation_request::Column::UpdatedAt, now.into())
        .col_expr(
            consultation_request::Column::Version,
            Expr::col(consultation_request::Column::Version).add(1),
        )
        .filter(consultation_request::Column::Status.is_in([
            RequestStatus::Open.as_str(),
            RequestStatus::Matching.as_str(),
        ]))
        .filter(consultation_request::Column::OpenedOn.lt(last_open_day))
        .filter(consultation_request::Column::Id.not_in_subquery(live))
        .exec(&txn)
        .await?;
    let report = SweepReport {
        expired_proposals: proposals.rows_affected,
        expired_requests: stale.rows_affected,
    };
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "match.sweep",
            target_type: "Match",
            target_id: as_of.to_string(),
            details: json!({ "expiredProposals": report.expired_proposals,
                             "expiredRequests": report.expired_requests }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}
