//! The sessions (visits and calls) of an engagement: logged by either side while it runs,
//! each with the day it was held, and corrected or withdrawn with a reason. A correction
//! appends the values it replaced to the session's history, which is never rewritten.
//!
//! | match | who logs | who corrects |
//! | --- | --- | --- |
//! | `ACTIVE` | either side | either side |
//! | `COMPLETED`, `CANCELLED` | nobody | registry staff |

use chrono::NaiveDate;
use entities::{match_session, match_session_correction, matching};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
    sea_query::{Expr, Query},
};

use super::super::{
    scope::scope_of,
    types::{MatchStatus, SessionTopic},
};
use super::{
    Side,
    commands::{audit_match, expect_status, reason, refuse, taken_part},
    status_of, visible,
};
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult, begin_write, error::Violations, find_in_order,
    matching::permissions,
};

/// The longest notes of a session, in characters.
const MAX_NOTES: usize = 4000;

/// A session of an engagement as logged.
#[derive(Debug, Clone)]
pub struct SessionInput {
    pub held_on: NaiveDate,
    pub hours: f64,
    pub topic: SessionTopic,
    pub notes: String,
}

/// A correction of a session: the fields to change (the rest keep their value), or its
/// withdrawal, and why.
#[derive(Debug, Clone, Default)]
pub struct SessionCorrection {
    pub expected_version: i32,
    pub reason: Option<String>,
    pub held_on: Option<NaiveDate>,
    pub hours: Option<f64>,
    pub topic: Option<SessionTopic>,
    pub notes: Option<String>,
    /// Withdraws the session as logged by mistake: it then counts for nothing.
    pub withdraw: bool,
}

/// The minutes of a session's length, or the refusal of one out of range.
fn minutes_of(hours: f64, v: &mut Violations) -> i32 {
    let minutes = hours * 60.0;
    if !(hours.is_finite() && (15.0..=720.0).contains(&minutes)) {
        v.push("hours", "must be from 0.25 to 12");
        return 0;
    }
    minutes.round() as i32
}

fn notes_of(notes: &str, v: &mut Violations) -> String {
    let notes = notes.trim().to_owned();
    if notes.chars().count() > MAX_NOTES {
        v.push("notes", format!("must be at most {MAX_NOTES} characters"));
    }
    notes
}

/// Refuses a day outside the engagement: before its start, after its end or today.
fn check_held_on(row: &matching::Model, held_on: NaiveDate, today: NaiveDate) -> DomainResult<()> {
    let started = row.started_on.unwrap_or(today);
    let last = row.completed_on.unwrap_or(today).min(today);
    if held_on < started || held_on > last {
        return Err(refuse(
            "held_on",
            format!("must be between the start of the engagement ({started}) and {last}"),
        ));
    }
    Ok(())
}

/// Either side logs a session of a running engagement: held between its start and today,
/// a quarter of an hour to 12 hours.
pub async fn log_session(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    input: SessionInput,
) -> DomainResult<match_session::Model> {
    let mut v = Violations::default();
    let minutes = minutes_of(input.hours, &mut v);
    let notes = notes_of(&input.notes, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (side, row) = taken_part(&txn, caller, id).await?;
    expect_status(&row, &[MatchStatus::Active], "logged against")?;
    check_held_on(&row, input.held_on, caller.today())?;
    let session = match_session::ActiveModel {
        match_id: Set(row.id),
        held_on: Set(input.held_on),
        minutes: Set(minutes),
        topic: Set(input.topic),
        notes: Set(notes),
        logged_by: Set(caller.actor.subject().to_owned()),
        logged_by_side: Set(Some(side)),
        created_at: Set(caller.now()),
        version: Set(1),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_match(&txn, caller, "match.session", &row).await?;
    txn.commit().await?;
    Ok(session)
}

/// Corrects or withdraws a session, appending the values it replaces to the session's
/// history: either side while the engagement runs, registry staff after it ended.
pub async fn correct_session(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    correction: SessionCorrection,
) -> DomainResult<match_session::Model> {
    let mut v = Violations::default();
    let why = reason("reason", correction.reason.clone(), &mut v);
    if why.is_none() {
        v.push("reason", "is required: say why the session is corrected");
    }
    let minutes = correction.hours.map(|h| minutes_of(h, &mut v));
    let notes = correction.notes.as_deref().map(|n| notes_of(n, &mut v));
    v.into_result()?;
    let txn = begin_write(db).await?;
    let session = match_session::Entity::find_by_id(session_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::not_found("session", "session_id"))?;
    let (side, row) =
        taken_part(&txn, caller, session.match_id)
            .await
            .map_err(|err| match err {
                DomainError::NotFound { .. } => DomainError::not_found("session", "session_id"),
                other => other,
            })?;
    may_correct(caller, &row)?;
    if session.withdrawn_at.is_some() {
        return Err(refuse(
            "session_id",
            "the session was withdrawn; log a new one",
        ));
    }
    if session.version != correction.expected_version {
        return Err(DomainError::conflict(
            "expected_version",
            "the session changed since you read it; read it again and retry",
        ));
    }
    if let Some(held_on) = correction.held_on {
        check_held_on(&row, held_on, caller.today())?;
    }
    let changes = Changes {
        held_on: correction.held_on.filter(|d| *d != session.held_on),
        minutes: minutes.filter(|m| *m != session.minutes),
        topic: correction.topic.filter(|t| *t != session.topic),
        notes: notes.filter(|n| *n != session.notes),
        withdraw: correction.withdraw,
    };
    if changes.is_empty() {
        return Err(refuse(
            "",
            "changes nothing: give a new day, length, topic or notes, or withdraw it",
        ));
    }
    let saved = apply(&txn, caller, &session, &changes).await?;
    append_history(
        &txn,
        caller,
        side,
        &session,
        why.unwrap_or_default(),
        &changes,
    )
    .await?;
    audit_match(&txn, caller, "match.session_correct", &row).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Either side corrects the sessions of a running engagement; once it ended, registry
/// staff.
fn may_correct(caller: &Caller, row: &matching::Model) -> DomainResult<()> {
    match status_of(row) {
        MatchStatus::Active => Ok(()),
        MatchStatus::Completed | MatchStatus::Cancelled => caller
            .actor
            .allow(&permissions::CORRECT_ENDED_SESSIONS)
            .map(|_| ()),
        _ => expect_status(row, &[MatchStatus::Active], "corrected"),
    }
}

/// What a correction changes: only what differs from the session as it stands.
struct Changes {
    held_on: Option<NaiveDate>,
    minutes: Option<i32>,
    topic: Option<SessionTopic>,
    notes: Option<String>,
    withdraw: bool,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.held_on.is_none()
            && self.minutes.is_none()
            && self.topic.is_none()
            && self.notes.is_none()
            && !self.withdraw
    }
}

/// Writes the correction on the version that was read.
async fn apply<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    session: &match_session::Model,
    changes: &Changes,
) -> DomainResult<match_session::Model> {
    let mut update = match_session::Entity::update_many()
        .col_expr(
            match_session::Column::Version,
            Expr::value(session.version + 1),
        )
        .filter(match_session::Column::Id.eq(session.id))
        .filter(match_session::Column::Version.eq(session.version));
    if let Some(held_on) = changes.held_on {
        update = update.col_expr(match_session::Column::HeldOn, Expr::value(held_on));
    }
    if let Some(minutes) = changes.minutes {
        update = update.col_expr(match_session::Column::Minutes, Expr::value(minutes));
    }
    if let Some(topic) = changes.topic {
        update = update.col_expr(match_session::Column::Topic, Expr::value(topic.as_str()));
    }
    if let Some(notes) = &changes.notes {
        update = update.col_expr(match_session::Column::Notes, Expr::value(notes.clone()));
    }
    if changes.withdraw {
        update = update.col_expr(
            match_session::Column::WithdrawnAt,
            Expr::value(caller.now()),
        );
    }
    if update.exec(db).await?.rows_affected != 1 {
        return Err(DomainError::conflict(
            "expected_version",
            "the session changed while this was being saved; read it again and retry",
        ));
    }
    match_session::Entity::find_by_id(session.id)
        .one(db)
        .await?
        .ok_or(DomainError::not_found("session", "session_id"))
}

/// Appends the values a correction replaced to the session's history.
async fn append_history<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    side: Side,
    before: &match_session::Model,
    reason: String,
    changes: &Changes,
) -> DomainResult<()> {
    match_session_correction::ActiveModel {
        session_id: Set(before.id),
        version: Set(before.version + 1),
        reason: Set(reason),
        corrected_by_side: Set(side),
        corrected_by: Set(caller.actor.subject().to_owned()),
        corrected_at: Set(caller.now()),
        held_on_before: Set(before.held_on),
        minutes_before: Set(before.minutes),
        topic_before: Set(before.topic),
        notes_before: Set(before.notes.clone()),
        withdrew: Set(changes.withdraw),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The sessions of these matches, by match, in date order (withdrawn ones included).
pub async fn sessions_of<C: ConnectionTrait>(
    db: &C,
    match_ids: &[i64],
) -> DomainResult<Vec<match_session::Model>> {
    let mut rows = Vec::new();
    for chunk in match_ids.chunks(CHUNK) {
        rows.extend(
            match_session::Entity::find()
                .filter(match_session::Column::MatchId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    rows.sort_by_key(|s| (s.match_id, s.held_on, s.id));
    Ok(rows)
}

/// Minutes of the sessions that count: those not withdrawn.
pub fn counted_minutes(sessions: &[match_session::Model]) -> i64 {
    sessions
        .iter()
        .filter(|s| s.withdrawn_at.is_none())
        .map(|s| i64::from(s.minutes))
        .sum()
}

/// Sessions by id, in the order asked, each where the caller may see its match: one
/// statement, the match's visibility a subquery.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<match_session::Model>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let scope = scope_of(db, &caller.actor).await?;
    let visible_matches = Query::select()
        .column(matching::Column::Id)
        .from(matching::Entity)
        .cond_where(visible(scope).into_condition())
        .to_owned();
    find_in_order::<match_session::Entity, _>(
        db,
        match_session::Column::Id,
        ids,
        Condition::all().add(match_session::Column::MatchId.in_subquery(visible_matches)),
        |row| row.id,
    )
    .await
}

/// The corrections of these sessions, oldest first.
pub async fn corrections_of<C: ConnectionTrait>(
    db: &C,
    session_ids: &[i64],
) -> DomainResult<Vec<match_session_correction::Model>> {
    let mut rows = Vec::new();
    for chunk in session_ids.chunks(CHUNK) {
        rows.extend(
            match_session_correction::Entity::find()
                .filter(match_session_correction::Column::SessionId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    rows.sort_by_key(|c| (c.session_id, c.version));
    Ok(rows)
}
