//! Training completions: recorded by staff one at a time or as a provider's roster.
//!
//! Recording is idempotent on (specialist, course, completion date): a row already on
//! record is reported as such and changes nothing. Invalid rows are reported with their
//! reason; the valid rows of the same call are kept.

use crate::domain::renewal::permissions;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entities::{course, specialist, training_completion};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::OnConflict,
};
use serde_json::json;

use super::{cycles::CHUNK, types::fiscal_year};
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    registry::types::RegistrationNumber,
};

/// The most rows one call records.
pub const MAX_ROWS: usize = 10_000;

/// One completion as reported by a provider.
#[derive(Debug, Clone)]
pub struct CompletionRow {
    pub registration_number: String,
    pub course: CourseRef,
    pub completed_on: NaiveDate,
}

/// How a row names its course: by its ID, or by the code the provider knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseRef {
    Id(i64),
    Code(String),
    /// An ID that is not one of a course.
    NotACourse,
    /// Neither an ID nor a code, or both.
    Unclear,
}

/// Why a row was not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Position of the row in the call, from 0.
    pub index: usize,
    /// The key of the row's field at fault (`registration_number`, `course_id`,
    /// `course_code`, `completed_on`).
    pub field: &'static str,
    pub message: String,
}

/// What a call recorded.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Rows written by this call.
    pub recorded: u64,
    /// Valid rows that were already on record (or repeated within the call).
    pub already_recorded: u64,
    pub rejected: Vec<Rejection>,
}

/// Records completions (registry staff, or a training provider for its own courses), in
/// one transaction.
pub async fn record(
    db: &DatabaseConnection,
    caller: &Caller,
    rows: Vec<CompletionRow>,
) -> DomainResult<Outcome> {
    caller.actor.allow(&permissions::RECORD_TRAINING)?;
    if rows.is_empty() || rows.len() > MAX_ROWS {
        return Err(DomainError::invalid(
            "rows",
            format!("must hold 1 to {MAX_ROWS} rows, not {}", rows.len()),
        ));
    }
    let today = caller.today();
    // A training provider records completions of its own courses only.
    let provider = caller.actor.own_provider_code();
    let txn = begin_write(db).await?;
    let known = Known::load(&txn, &rows).await?;
    let mut outcome = Outcome::default();
    let mut valid: Vec<Completion> = Vec::new();
    let mut seen = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        match known.check(row, today, provider) {
            Ok(key) if seen.insert(key) => valid.push(key),
            Ok(_) => outcome.already_recorded += 1,
            Err((field, message)) => outcome.rejected.push(Rejection {
                index,
                field,
                message,
            }),
        }
    }
    insert(&txn, caller, &valid, &mut outcome).await?;
    if outcome.recorded > 0 {
        let mut touched: Vec<i64> = valid.iter().map(|(s, _, _)| *s).collect();
        touched.sort_unstable();
        touched.dedup();
        super::cycles::refresh_specialists(&txn, &touched, caller.now()).await?;
        audit::record(
            &txn,
            caller,
            AuditEntry {
                action: "training.record",
                target_type: "TrainingCompletion",
                target_id: format!("{} rows", rows.len()),
                details: json!({
                    "recorded": outcome.recorded,
                    "alreadyRecorded": outcome.already_recorded,
                    "rejected": outcome.rejected.len(),
                }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

/// One completion to write: the specialist, the course and the day.
type Completion = (i64, i64, NaiveDate);

/// The specialists and courses a roster names, read once for the roster.
struct Known {
    people: HashMap<String, specialist::Model>,
    courses: HashMap<i64, course::Model>,
    /// The same courses, by code.
    codes: HashMap<String, i64>,
}

impl Known {
    async fn load<C: ConnectionTrait>(db: &C, rows: &[CompletionRow]) -> DomainResult<Self> {
        let mut numbers: Vec<String> = rows
            .iter()
            .filter_map(|r| RegistrationNumber::parse(&r.registration_number).ok())
            .map(|n| n.as_str().to_owned())
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut people = HashMap::new();
        for chunk in numbers.chunks(CHUNK) {
            for p in specialist::Entity::find()
                .filter(specialist::Column::RegistrationNumber.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                people.insert(p.registration_number.clone(), p);
            }
        }
        let mut course_ids: Vec<i64> = Vec::new();
        let mut course_codes: Vec<String> = Vec::new();
        for row in rows {
            match &row.course {
                CourseRef::Id(id) => course_ids.push(*id),
                CourseRef::Code(code) => course_codes.push(code.trim().to_owned()),
                CourseRef::NotACourse | CourseRef::Unclear => {}
            }
        }
        course_ids.sort_unstable();
        course_ids.dedup();
        course_codes.sort_unstable();
        course_codes.dedup();
        let mut courses = HashMap::new();
        for chunk in course_ids.chunks(CHUNK) {
            for c in course::Entity::find()
                .filter(course::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                courses.insert(c.id, c);
            }
        }
        let mut codes = HashMap::new();
        for chunk in course_codes.chunks(CHUNK) {
            for c in course::Entity::find()
                .filter(course::Column::Code.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                codes.insert(c.code.clone(), c.id);
                courses.insert(c.id, c);
            }
        }
        Ok(Self {
            people,
            courses,
            codes,
        })
    }

    /// The rules of one row: for a training provider, a course of its own; a registered specialist whose registration is not over, a
    /// course of the catalogue, and a day that is not in the future, not before the
    /// registration and in the fiscal year the course is designated for. A refusal names
    /// the key of the field at fault.
    fn check(
        &self,
        row: &CompletionRow,
        today: NaiveDate,
        provider: Option<&str>,
    ) -> Result<Completion, (&'static str, String)> {
        let person = match RegistrationNumber::parse(&row.registration_number) {
            Err(message) => Err(("registration_number", message)),
            Ok(n) => self.people.get(n.as_str()).ok_or_else(|| {
                (
                    "registration_number",
                    format!("no specialist is registered as {n}"),
                )
            }),
        };
        let course = match &row.course {
            CourseRef::Id(id) => self
                .courses
                .get(id)
                .ok_or_else(|| ("course_id", "is not a course of the catalogue".to_owned())),
            CourseRef::Code(code) => self
                .codes
                .get(code.trim())
                .and_then(|id| self.courses.get(id))
                .ok_or_else(|| {
                    (
                        "course_code",
                        format!("no course of the catalogue has the code {}", code.trim()),
                    )
                }),
            CourseRef::NotACourse => Err(("course_id", "is not the ID of a course".to_owned())),
            CourseRef::Unclear => Err((
                "course_id",
                "give the course by courseId or by courseCode, one of them".to_owned(),
            )),
        };
        let c = course?;
        if let Some(own) = provider
            && c.provider_code.as_deref() != Some(own)
        {
            let field = match row.course {
                CourseRef::Code(_) => "course_code",
                _ => "course_id",
            };
            return Err((
                field,
                format!("{} is not one of the courses of provider {own}", c.code),
            ));
        }
        let p = person?;
        if p.status.is_final() {
            return Err((
                "registration_number",
                format!("the registration is {}", p.status.as_str()),
            ));
        }
        if row.completed_on > today {
            return Err(("completed_on", "must not be in the future".into()));
        }
        if row.completed_on < p.registered_on {
            return Err((
                "completed_on",
                format!(
                    "is before the registration took effect ({})",
                    p.registered_on
                ),
            ));
        }
        if fiscal_year(row.completed_on) != c.fiscal_year {
            return Err((
                "completed_on",
                format!(
                    "is in fiscal year {}, but the course is designated for fiscal year {}",
                    fiscal_year(row.completed_on),
                    c.fiscal_year
                ),
            ));
        }
        Ok((p.id, c.id, row.completed_on))
    }
}

/// Writes the valid rows, counting those already on record.
async fn insert<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    valid: &[Completion],
    outcome: &mut Outcome,
) -> DomainResult<()> {
    let now = caller.now();
    for chunk in valid.chunks(CHUNK / 2) {
        let models = chunk
            .iter()
            .map(
                |(specialist_id, course_id, completed_on)| training_completion::ActiveModel {
                    specialist_id: Set(*specialist_id),
                    course_id: Set(*course_id),
                    completed_on: Set(*completed_on),
                    recorded_at: Set(now),
                    recorded_by: Set(caller.actor.subject().to_owned()),
                    request_id: Set(caller.request_id.clone()),
                    ..Default::default()
                },
            );
        let written = training_completion::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([
                    training_completion::Column::SpecialistId,
                    training_completion::Column::CompletedOn,
                    training_completion::Column::CourseId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        outcome.recorded += written;
        outcome.already_recorded += chunk.len() as u64 - written;
    }
    Ok(())
}

/// Completions of these specialists with their courses, by date; one statement for the
/// completions and one for their courses. The caller decides who may see them.
pub async fn of_specialists<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<(training_completion::Model, course::Model)>>> {
    let mut rows = Vec::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        rows.extend(
            training_completion::Entity::find()
                .filter(training_completion::Column::SpecialistId.is_in(chunk.to_vec()))
                .order_by_asc(training_completion::Column::CompletedOn)
                .order_by_asc(training_completion::Column::Id)
                .all(db)
                .await?,
        );
    }
    let mut course_ids: Vec<i64> = rows.iter().map(|r| r.course_id).collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    let mut courses = HashMap::new();
    for chunk in course_ids.chunks(CHUNK) {
        for c in course::Entity::find()
            .filter(course::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            courses.insert(c.id, c);
        }
    }
    let mut result: HashMap<i64, Vec<_>> = HashMap::new();
    for row in rows {
        if let Some(course) = courses.get(&row.course_id) {
            result
                .entry(row.specialist_id)
                .or_default()
                .push((row, course.clone()));
        }
    }
    Ok(result)
}
