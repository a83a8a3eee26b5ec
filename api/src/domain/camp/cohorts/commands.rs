//! Writes on cohorts: planning one with its tracks, changing it, and moving it one state on.

use super::super::types::CohortStatus;
use crate::domain::camp::permissions;
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    calendar::fiscal_year,
    error::Violations,
    prefecture::PrefectureCode,
    registry::types::{parse_optional_text, parse_required_text},
};
use chrono::NaiveDate;
use entities::{camp_cohort, camp_cohort_move, camp_program, camp_track};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::{
    MAX_OVERRIDE_REASON_CHARS, MAX_QUESTIONS, MAX_TRACKS, VERSIONED, enters_on, questions_of,
    status_of,
};

/// A track as staff give it.
#[derive(Debug, Clone)]
pub struct TrackInput {
    pub name: String,
    pub description: String,
    pub capacity: i32,
}

/// A cohort as staff give it; `None` leaves a field as it is when updating.
#[derive(Debug, Clone, Default)]
pub struct CohortInput {
    pub program_id: Option<i64>,
    pub name: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub online: Option<bool>,
    /// `Some("")` removes it.
    pub venue: Option<String>,
    /// `Some("")` removes it.
    pub prefecture: Option<String>,
    pub capacity: Option<i32>,
    pub applications_open_on: Option<NaiveDate>,
    pub applications_close_on: Option<NaiveDate>,
    pub questions: Option<Vec<String>>,
    pub tracks: Option<Vec<TrackInput>>,
}

/// The values a cohort has after `input` is applied to `current` (or to nothing, when
/// creating), checked together.
struct Merged {
    name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    online: bool,
    venue: Option<String>,
    prefecture: Option<String>,
    capacity: i32,
    open_on: NaiveDate,
    close_on: NaiveDate,
    questions: Vec<String>,
    tracks: Option<Vec<TrackInput>>,
}

fn merge(input: CohortInput, current: Option<&camp_cohort::Model>) -> DomainResult<Merged> {
    let mut v = Violations::default();
    if current.is_none() {
        v.require_present(&[
            ("program_id", input.program_id.is_none()),
            ("name", input.name.is_none()),
            ("starts_on", input.starts_on.is_none()),
            ("ends_on", input.ends_on.is_none()),
            ("capacity", input.capacity.is_none()),
            ("applications_open_on", input.applications_open_on.is_none()),
            (
                "applications_close_on",
                input.applications_close_on.is_none(),
            ),
            ("tracks", input.tracks.is_none()),
        ]);
    }
    let name = match input.name.as_deref() {
        Some(n) => v.check("name", parse_required_text(n, 200)),
        None => current.map(|c| c.name.clone()),
    };
    let venue = match input.venue.as_deref() {
        Some(text) => v.check("venue", parse_optional_text(text, 200)).flatten(),
        None => current.and_then(|c| c.venue.clone()),
    };
    let prefecture = match input.prefecture.as_deref() {
        Some("") => None,
        Some(code) => v
            .check("prefecture", PrefectureCode::parse(code))
            .map(|p| p.as_str().to_owned()),
        None => current.and_then(|c| c.prefecture_code.clone()),
    };
    let online = input.online.or(current.map(|c| c.online)).unwrap_or(false);
    if !online && venue.is_none() {
        v.push("venue", "is required for a cohort held in person");
    }
    let capacity = input.capacity.or(current.map(|c| c.capacity)).unwrap_or(0);
    if !(1..=10_000).contains(&capacity) {
        v.push("capacity", "must be from 1 to 10,000");
    }
    let questions = match &input.questions {
        Some(questions) => check_questions(&mut v, questions),
        None => current.map(questions_of).unwrap_or_default(),
    };
    if let Some(tracks) = &input.tracks {
        check_tracks(&mut v, tracks, capacity);
    }
    let starts_on = input.starts_on.or(current.map(|c| c.starts_on));
    let ends_on = input.ends_on.or(current.map(|c| c.ends_on));
    let open_on = input
        .applications_open_on
        .or(current.map(|c| c.applications_open_on));
    let close_on = input
        .applications_close_on
        .or(current.map(|c| c.applications_close_on));
    check_calendar(&mut v, starts_on, ends_on, open_on, close_on);
    v.into_result()?;
    match (name, starts_on, ends_on, open_on, close_on) {
        (Some(name), Some(starts_on), Some(ends_on), Some(open_on), Some(close_on)) => Ok(Merged {
            name,
            starts_on,
            ends_on,
            online,
            venue,
            prefecture,
            capacity,
            open_on,
            close_on,
            questions,
            tracks: input.tracks,
        }),
        _ => Err(DomainError::invalid("", "is incomplete")),
    }
}

/// The questions of the application assignment, each checked.
fn check_questions(v: &mut Violations, questions: &[String]) -> Vec<String> {
    if questions.len() > MAX_QUESTIONS {
        v.push("questions", format!("at most {MAX_QUESTIONS} questions"));
    }
    questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| v.check(&format!("questions.{i}"), parse_required_text(q, 2000)))
        .collect()
}

/// The tracks: 1 to `MAX_TRACKS`, names unique regardless of case, each within the
/// cohort's capacity.
fn check_tracks(v: &mut Violations, tracks: &[TrackInput], capacity: i32) {
    if tracks.is_empty() || tracks.len() > MAX_TRACKS {
        v.push("tracks", format!("name 1 to {MAX_TRACKS} tracks"));
    }
    let mut names = std::collections::HashSet::new();
    for (i, track) in tracks.iter().enumerate() {
        if let Some(name) = v.check(
            &format!("tracks.{i}.name"),
            parse_required_text(&track.name, 200),
        ) && !names.insert(name.to_lowercase())
        {
            v.push(&format!("tracks.{i}.name"), "another track has this name");
        }
        v.check(
            &format!("tracks.{i}.description"),
            parse_optional_text(&track.description, 2000),
        );
        if track.capacity < 1 || track.capacity > capacity.max(1) {
            v.push(
                &format!("tracks.{i}.capacity"),
                format!("must be from 1 to the cohort's capacity ({capacity})"),
            );
        }
    }
}

/// The cohort's calendar: it ends on or after its first day, and applications close on
/// or after they open and before the first day.
fn check_calendar(
    v: &mut Violations,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    open_on: Option<NaiveDate>,
    close_on: Option<NaiveDate>,
) {
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        v.push("ends_on", "must not be before the first day");
    }
    if let (Some(open), Some(close)) = (open_on, close_on)
        && close < open
    {
        v.push(
            "applications_close_on",
            "must not be before applications open",
        );
    }
    if let (Some(close), Some(start)) = (close_on, starts_on)
        && close >= start
    {
        v.push(
            "applications_close_on",
            "must be before the cohort's first day",
        );
    }
}

async fn write_tracks<C: ConnectionTrait>(
    db: &C,
    cohort_id: i64,
    tracks: &[TrackInput],
) -> DomainResult<()> {
    camp_track::Entity::delete_many()
        .filter(camp_track::Column::CohortId.eq(cohort_id))
        .exec(db)
        .await?;
    camp_track::Entity::insert_many(tracks.iter().enumerate().map(|(i, t)| {
        camp_track::ActiveModel {
            cohort_id: Set(cohort_id),
            position: Set(i16::try_from(i).unwrap_or(i16::MAX)),
            name: Set(t.name.trim().to_owned()),
            description: Set(t.description.trim().to_owned()),
            capacity: Set(t.capacity),
            selected_count: Set(0),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Plans a cohort (camp staff). It starts `PLANNED`; its fiscal year follows its first day.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: CohortInput,
) -> DomainResult<camp_cohort::Model> {
    caller.actor.allow(&permissions::PLAN_COHORTS)?;
    let program_id = input.program_id;
    let merged = merge(input, None)?;
    let txn = begin_write(db).await?;
    let program_id = match program_id {
        Some(id) => {
            camp_program::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(DomainError::NotFound {
                    entity: "camp program",
                    field: "program_id",
                })?
                .id
        }
        None => return Err(DomainError::invalid("program_id", "is required")),
    };
    let now = caller.now();
    let row = camp_cohort::ActiveModel {
        program_id: Set(program_id),
        fiscal_year: Set(fiscal_year(merged.starts_on)),
        name: Set(merged.name),
        starts_on: Set(merged.starts_on),
        ends_on: Set(merged.ends_on),
        online: Set(merged.online),
        venue: Set(merged.venue),
        prefecture_code: Set(merged.prefecture),
        capacity: Set(merged.capacity),
        selected_count: Set(0),
        applications_open_on: Set(merged.open_on),
        applications_close_on: Set(merged.close_on),
        questions: Set(json!(merged.questions)),
        status: Set(CohortStatus::Planned),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    write_tracks(&txn, row.id, merged.tracks.as_deref().unwrap_or_default()).await?;
    audit_cohort(&txn, caller, "camp_cohort.create", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes a cohort (camp staff) at `expected_version`. Its tracks and questions change
/// only while it is `PLANNED`, before anybody applied; a completed cohort does not change.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    input: CohortInput,
) -> DomainResult<camp_cohort::Model> {
    caller.actor.allow(&permissions::CHANGE_COHORTS)?;
    if input.program_id.is_some() {
        return Err(DomainError::invalid(
            "program_id",
            "a cohort's program never changes",
        ));
    }
    let txn = begin_write(db).await?;
    let current =
        camp_cohort::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(DomainError::NotFound {
                entity: "cohort",
                field: "id",
            })?;
    let status = status_of(&current);
    if status == CohortStatus::Completed {
        return Err(DomainError::invalid(
            "id",
            "a completed cohort no longer changes",
        ));
    }
    if status != CohortStatus::Planned && (input.tracks.is_some() || input.questions.is_some()) {
        return Err(DomainError::invalid(
            if input.tracks.is_some() {
                "tracks"
            } else {
                "questions"
            },
            "tracks and questions change only while the cohort is PLANNED",
        ));
    }
    let merged = merge(input, Some(&current))?;
    if merged.capacity < current.selected_count {
        return Err(DomainError::invalid(
            "capacity",
            format!("{} places are already taken", current.selected_count),
        ));
    }
    if merged.tracks.is_none() {
        let over = camp_track::Entity::find()
            .filter(camp_track::Column::CohortId.eq(id))
            .filter(camp_track::Column::Capacity.gt(merged.capacity))
            .count(&txn)
            .await?;
        if over > 0 {
            return Err(DomainError::invalid(
                "capacity",
                "is below the capacity of one of its tracks",
            ));
        }
    }
    let changes = camp_cohort::ActiveModel {
        fiscal_year: Set(fiscal_year(merged.starts_on)),
        name: Set(merged.name),
        starts_on: Set(merged.starts_on),
        ends_on: Set(merged.ends_on),
        online: Set(merged.online),
        venue: Set(merged.venue),
        prefecture_code: Set(merged.prefecture),
        capacity: Set(merged.capacity),
        applications_open_on: Set(merged.open_on),
        applications_close_on: Set(merged.close_on),
        questions: Set(json!(merged.questions)),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    if let Some(tracks) = &merged.tracks {
        write_tracks(&txn, id, tracks).await?;
    }
    audit_cohort(&txn, caller, "camp_cohort.update", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Moves a cohort to `to` (camp staff), which must be its next state: `PLANNED →
/// APPLICATIONS_OPEN → SELECTING → IN_SESSION → COMPLETED`, not before the date that state
/// starts on ([`enters_on`]) unless `override_reason` says why; the audit trail keeps the
/// reason with the move.
pub async fn advance(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    to: CohortStatus,
    override_reason: Option<String>,
) -> DomainResult<camp_cohort::Model> {
    caller.actor.allow(&permissions::ADVANCE_COHORTS)?;
    let txn = begin_write(db).await?;
    let current =
        camp_cohort::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(DomainError::NotFound {
                entity: "cohort",
                field: "cohort_id",
            })?;
    let today = caller.today();
    let early = check_advance(&current, to, override_reason.as_deref(), today)?;
    let reason = override_reason.map(|r| r.trim().to_owned());
    let changes = camp_cohort::ActiveModel {
        status: Set(to),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    camp_cohort_move::ActiveModel {
        cohort_id: Set(id),
        from_status: Set(status_of(&current)),
        to_status: Set(to),
        moved_on: Set(today),
        early_by_days: Set(i32::try_from(early).unwrap_or(i32::MAX)),
        reason: Set(reason.clone()),
        moved_by: Set(caller.actor.subject().to_owned()),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "camp_cohort.advance",
            target_type: "CampCohort",
            target_id: row.id.to_string(),
            details: json!({
                "status": row.status,
                "from": status_of(&current),
                "early_by_days": early,
                "override_reason": reason,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Whether `current` may move to `to` today: it is the next state, and its date has come or
/// a reason is given. Gives how many days early the move is (0 when on time).
fn check_advance(
    current: &camp_cohort::Model,
    to: CohortStatus,
    override_reason: Option<&str>,
    today: NaiveDate,
) -> DomainResult<i64> {
    let status = status_of(current);
    if status.next() != Some(to) {
        return Err(DomainError::invalid(
            "status",
            match status.next() {
                Some(next) => format!(
                    "a {} cohort moves on to {} only, not {}",
                    status.as_str(),
                    next.as_str(),
                    to.as_str()
                ),
                None => "a completed cohort does not move on".to_owned(),
            },
        ));
    }
    let reason = override_reason.map(str::trim);
    match reason {
        Some("") => {
            return Err(DomainError::invalid(
                "override_reason",
                "is empty: say why the cohort moves on before its date, or leave it out",
            ));
        }
        Some(r) if r.chars().count() > MAX_OVERRIDE_REASON_CHARS => {
            return Err(DomainError::invalid(
                "override_reason",
                format!("is longer than {MAX_OVERRIDE_REASON_CHARS} characters"),
            ));
        }
        _ => {}
    }
    let Some((from, why)) = enters_on(current, to) else {
        return Ok(0);
    };
    let early = (from - today).num_days().max(0);
    if early > 0 && reason.is_none() {
        return Err(DomainError::invalid(
            "status",
            format!(
                "{} becomes {} from {from} ({why}); today is {today}: give overrideReason to move it on early",
                current.name,
                to.as_str()
            ),
        ));
    }
    Ok(early)
}

async fn audit_cohort<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &camp_cohort::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "CampCohort",
            target_id: row.id.to_string(),
            details: json!({ "status": row.status, "capacity": row.capacity, "fiscalYear": row.fiscal_year }),
        },
    )
    .await
}
