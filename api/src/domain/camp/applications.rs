//! Applications to cohorts and their selection.
//!
//! `APPLIED → SELECTED | WAITLISTED | REJECTED`, `WAITLISTED → SELECTED | REJECTED`,
//! `SELECTED → ATTENDED → COMPLETED`, and `WITHDRAWN` from any undecided or selected state.
//! Eligibility (age on the cohort's first day, programs completed once) is the program's
//! data. A selection takes a place in its track and in the cohort with one conditional
//! update each, so concurrent selections never overfill either.

use crate::domain::camp::permissions;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entities::{camp_application, camp_cohort, camp_program, camp_track, person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Select, Set, sea_query::Query,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    cohorts::{questions_of, status_of},
    people::{self, age_on},
    types::{ApplicationStatus, CohortStatus},
};
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult,
    actor::Role,
    audit::{self, AuditEntry},
    begin_write, consent,
    error::Violations,
    find_in_order,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
    places::Places,
    registry::types::parse_required_text,
    versioned::Versioned,
};

/// Camp staff, and applicants acting for themselves.
pub(crate) const STAFF_OR_APPLICANT: &[Role] =
    &[Role::Admin, Role::CampStaff, Role::Person, Role::Specialist];

/// The most tracks an application may name, and the longest answer.
pub const MAX_PREFERENCES: usize = 3;
pub const MAX_ANSWER_CHARS: usize = 10_000;

/// An application as the applicant gives it.
#[derive(Debug, Clone)]
pub struct ApplicationInput {
    pub cohort_id: i64,
    /// Track ids, most wanted first.
    pub preferred_track_ids: Vec<i64>,
    /// Answers to the cohort's questions, in order.
    pub answers: Vec<String>,
    /// The version of the camp's terms the applicant was shown, when the client says; it
    /// must be the one in force.
    pub terms_version: Option<String>,
}

pub fn status_of_application(row: &camp_application::Model) -> ApplicationStatus {
    row.status
}

/// The tracks an application names, most wanted first.
pub fn preferences_of(row: &camp_application::Model) -> Vec<i64> {
    Vec::<i64>::deserialize(&row.preferred_track_ids).unwrap_or_default()
}

pub fn answers_of(row: &camp_application::Model) -> Vec<String> {
    Vec::<String>::deserialize(&row.answers).unwrap_or_default()
}

/// Why `person` may not apply to a cohort of `program` starting on `starts_on`, if so.
pub async fn ineligibility<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    program: &camp_program::Model,
    starts_on: NaiveDate,
) -> DomainResult<Option<String>> {
    let age = age_on(person.birth_date, starts_on);
    if let Some(min) = program.min_age
        && age < i32::from(min)
    {
        return Ok(Some(format!(
            "{} is for those aged {min} or over on its first day ({starts_on}); you will be {age}",
            program.name
        )));
    }
    if let Some(max) = program.max_age
        && age > i32::from(max)
    {
        return Ok(Some(format!(
            "{} is for those aged {max} or under on its first day ({starts_on}); you will be {age}",
            program.name
        )));
    }
    if program.attend_once {
        let completed: Option<i32> = with_cohort(camp_application::Entity::find())
            .select_only()
            .column(camp_cohort::Column::FiscalYear)
            .filter(camp_application::Column::PersonId.eq(person.id))
            .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
            .filter(camp_cohort::Column::ProgramId.eq(program.id))
            .into_tuple()
            .one(db)
            .await?;
        if let Some(year) = completed {
            return Ok(Some(format!(
                "you completed {} in FY{year}; it may be attended once",
                program.name
            )));
        }
    }
    Ok(None)
}

/// Joins an application's cohort into a select of applications.
pub(super) fn with_cohort<E: EntityTrait>(select: Select<E>) -> Select<E> {
    select.join(
        sea_orm::JoinType::InnerJoin,
        camp_application::Entity::belongs_to(camp_cohort::Entity)
            .from(camp_application::Column::CohortId)
            .to(camp_cohort::Column::Id)
            .into(),
    )
}

/// The consent ledger's item for the terms of an application to `cohort_id`.
pub fn terms_item(cohort_id: i64) -> String {
    format!("COHORT_{cohort_id}")
}

/// Applies to a cohort as oneself (roles `PERSON` and `SPECIALIST`, with personal details
/// saved), accepting the camp's terms in force. Refused, with the reason, outside the
/// cohort's window or when the program's rules exclude the applicant.
pub async fn apply(
    db: &DatabaseConnection,
    caller: &Caller,
    input: ApplicationInput,
) -> DomainResult<camp_application::Model> {
    let person = people::require_own(db, caller).await?;
    let cohort = camp_cohort::Entity::find_by_id(input.cohort_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound { entity: "cohort" })?;
    let program = camp_program::Entity::find_by_id(cohort.program_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "camp program",
        })?;
    let today = caller.today();
    let mut v = Violations::default();
    if status_of(&cohort) != CohortStatus::ApplicationsOpen
        || today < cohort.applications_open_on
        || today > cohort.applications_close_on
    {
        v.push(
            "cohort_id",
            format!(
                "{} takes applications from {} to {} while open; it is {}",
                cohort.name,
                cohort.applications_open_on,
                cohort.applications_close_on,
                status_of(&cohort).as_str()
            ),
        );
    }
    let tracks: HashSet<i64> = camp_track::Entity::find()
        .select_only()
        .column(camp_track::Column::Id)
        .filter(camp_track::Column::CohortId.eq(cohort.id))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let prefs = &input.preferred_track_ids;
    if prefs.is_empty() || prefs.len() > MAX_PREFERENCES {
        v.push(
            "preferred_track_ids",
            format!("name 1 to {MAX_PREFERENCES} tracks of the cohort"),
        );
    }
    let mut seen = HashSet::new();
    for (i, track) in prefs.iter().enumerate() {
        if !tracks.contains(track) {
            v.push(
                &format!("preferred_track_ids.{i}"),
                "is not a track of this cohort",
            );
        } else if !seen.insert(*track) {
            v.push(&format!("preferred_track_ids.{i}"), "is named twice");
        }
    }
    let questions = questions_of(&cohort);
    if input.answers.len() != questions.len() {
        v.push(
            "answers",
            format!(
                "answer each of the cohort's {} questions, in order",
                questions.len()
            ),
        );
    }
    let answers: Vec<String> = input
        .answers
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            v.check(
                &format!("answers.{i}"),
                parse_required_text(a, MAX_ANSWER_CHARS),
            )
        })
        .collect();
    if let Some(why) = ineligibility(db, &person, &program, cohort.starts_on).await? {
        v.push("cohort_id", why);
    }
    v.into_result()?;
    let txn = begin_write(db).await?;
    let now = caller.now();
    let row = camp_application::ActiveModel {
        cohort_id: Set(cohort.id),
        person_id: Set(person.id),
        status: Set(ApplicationStatus::Applied),
        preferred_track_ids: Set(json!(prefs)),
        track_id: Set(None),
        answers: Set(json!(answers)),
        applied_at: Set(now),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(err, "cohort_id", "you have already applied to this cohort")
    })?;
    // Applying accepts the camp's terms in force, recorded with their version.
    consent::record(
        &txn,
        caller,
        consent::Holder::Person(row.person_id),
        consent::Purpose::CampTerms,
        &[(terms_item(row.cohort_id), consent::State::Given(None))],
        input.terms_version.as_deref(),
        now,
    )
    .await?;
    audit_application(&txn, caller, "camp_application.apply", &row).await?;
    txn.commit().await?;
    Ok(row)
}

const VERSIONED: Versioned<camp_application::Entity> = Versioned {
    id: camp_application::Column::Id,
    version: camp_application::Column::Version,
    updated_at: camp_application::Column::UpdatedAt,
    field: "expected_version",
    what: "application",
};

/// The places of a track and of a cohort held by selected applicants.
const TRACK_PLACES: Places<camp_track::Entity> = Places {
    id: camp_track::Column::Id,
    held: camp_track::Column::SelectedCount,
    capacity: camp_track::Column::Capacity,
};
const COHORT_PLACES: Places<camp_cohort::Entity> = Places {
    id: camp_cohort::Column::Id,
    held: camp_cohort::Column::SelectedCount,
    capacity: camp_cohort::Column::Capacity,
};

/// Gives back the place a selected application held in its track and cohort.
async fn release<C: ConnectionTrait>(db: &C, row: &camp_application::Model) -> DomainResult<()> {
    if let Some(track) = row.track_id {
        TRACK_PLACES.release(db, track).await?;
    }
    COHORT_PLACES.release(db, row.cohort_id).await
}

/// Takes a place in `track` and in its cohort, if both have one left (the caller's
/// transaction is rolled back otherwise).
async fn take_place<C: ConnectionTrait>(
    db: &C,
    cohort_id: i64,
    track_id: i64,
) -> DomainResult<bool> {
    Ok(TRACK_PLACES.take(db, track_id).await? && COHORT_PLACES.take(db, cohort_id).await?)
}

/// Withdraws an application: the applicant their own, or camp staff any. A selected
/// applicant's place is freed.
pub async fn withdraw(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
) -> DomainResult<camp_application::Model> {
    caller.actor.allow(&permissions::WITHDRAW_APPLICATION)?;
    let txn = begin_write(db).await?;
    let (row, status) = undecided(&txn, caller, id, "can no longer be withdrawn").await?;
    if status.holds_place() {
        release(&txn, &row).await?;
    }
    let changes = camp_application::ActiveModel {
        status: Set(ApplicationStatus::Withdrawn),
        track_id: Set(None),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_application(&txn, caller, "camp_application.withdraw", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// The age below which an applicant needs a guardian's consent (the age of majority).
pub const MAJORITY_AGE: i32 = 18;

/// Whether an applicant born on `birth_date` is a minor on a camp's first day, and so
/// needs a guardian's consent.
pub fn is_minor_on(birth_date: NaiveDate, starts_on: NaiveDate) -> bool {
    age_on(birth_date, starts_on) < MAJORITY_AGE
}

/// Whether `row` still waits for a guardian's consent: it is not decided yet (applied or
/// waitlisted), its applicant is a minor on the cohort's first day and none is recorded.
pub fn awaits_guardian(
    row: &camp_application::Model,
    applicant: &person::Model,
    cohort: &camp_cohort::Model,
) -> bool {
    matches!(
        status_of_application(row),
        ApplicationStatus::Applied | ApplicationStatus::Waitlisted
    ) && row.guardian_consented_at.is_none()
        && is_minor_on(applicant.birth_date, cohort.starts_on)
}

/// Records a guardian's consent to the application of a minor: by the applicant's own
/// account (where the guardian gives it) or by camp staff (who received it on paper).
/// Recording it again replaces the guardian's name and the time.
pub async fn record_guardian_consent(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    guardian_name: &str,
    expected_version: i32,
) -> DomainResult<camp_application::Model> {
    caller.actor.allow(&permissions::RECORD_GUARDIAN_CONSENT)?;
    let name = parse_required_text(guardian_name, 100)
        .map_err(|reason| DomainError::invalid("guardian_name", reason))?;
    let txn = begin_write(db).await?;
    undecided(&txn, caller, id, "takes no consent any more").await?;
    let now = caller.now();
    let changes = camp_application::ActiveModel {
        guardian_name: Set(Some(name)),
        guardian_consented_at: Set(Some(now)),
        guardian_recorded_by: Set(Some(caller.actor.subject().to_owned())),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_application(&txn, caller, "camp_application.guardian_consent", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// An application the caller may see that can still be withdrawn (applied, waitlisted or
/// selected), with its status; otherwise why not, as "a SELECTED application `refusal`".
async fn undecided<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    refusal: &str,
) -> DomainResult<(camp_application::Model, ApplicationStatus)> {
    let row = by_ids(db, caller, &[id])
        .await?
        .pop()
        .flatten()
        .ok_or(DomainError::NotFound {
            entity: "application",
        })?;
    let status = status_of_application(&row);
    if !status.withdrawable() {
        return Err(DomainError::invalid(
            "application_id",
            format!("a {} application {refusal}", status.as_str()),
        ));
    }
    Ok((row, status))
}

/// One staff decision on an application.
#[derive(Debug, Clone)]
pub struct Decision {
    pub application_id: i64,
    pub status: ApplicationStatus,
    /// For `SELECTED`: the track; the applicant's first preference by default.
    pub track_id: Option<i64>,
}

/// The most decisions one call takes.
pub const MAX_DECISIONS: usize = 500;

/// Records decisions on applications (camp staff), all or none: selection, waitlisting,
/// rejection, attendance and completion. Every refused decision is reported, under
/// `input.decisions.<i>`, and then nothing is written.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    decisions: Vec<Decision>,
) -> DomainResult<Vec<camp_application::Model>> {
    caller.actor.allow(&permissions::DECIDE_APPLICATIONS)?;
    if decisions.is_empty() || decisions.len() > MAX_DECISIONS {
        return Err(DomainError::invalid(
            "decisions",
            format!("give 1 to {MAX_DECISIONS} decisions"),
        ));
    }
    let ids: Vec<i64> = decisions.iter().map(|d| d.application_id).collect();
    let txn = begin_write(db).await?;
    let rows = find_in_order::<camp_application::Entity, _>(
        &txn,
        camp_application::Column::Id,
        &ids,
        Condition::all(),
        |r| r.id,
    )
    .await?;
    let cohort_ids: Vec<i64> = rows.iter().flatten().map(|r| r.cohort_id).collect();
    let cohorts: HashMap<i64, camp_cohort::Model> = super::cohorts::by_ids(&txn, &cohort_ids)
        .await?
        .into_iter()
        .flatten()
        .map(|c| (c.id, c))
        .collect();
    let tracks: HashMap<i64, camp_track::Model> = super::cohorts::tracks_of(&txn, &cohort_ids)
        .await?
        .into_values()
        .flatten()
        .map(|t| (t.id, t))
        .collect();
    let person_ids: Vec<i64> = rows.iter().flatten().map(|r| r.person_id).collect();
    let applicants: HashMap<i64, person::Model> = find_in_order::<person::Entity, _>(
        &txn,
        person::Column::Id,
        &person_ids,
        Condition::all(),
        |p| p.id,
    )
    .await?
    .into_iter()
    .flatten()
    .map(|p| (p.id, p))
    .collect();
    let mut v = Violations::default();
    let mut seen = HashSet::new();
    let mut written = Vec::with_capacity(rows.len());
    let now = caller.now();
    for (i, (decision, row)) in decisions.iter().zip(rows).enumerate() {
        let field = format!("decisions.{i}");
        let Some(row) = row else {
            v.push(&format!("{field}.applicationId"), "no such application");
            continue;
        };
        if !seen.insert(row.id) {
            v.push(
                &format!("{field}.applicationId"),
                "is decided twice in this call",
            );
            continue;
        }
        let from = status_of_application(&row);
        let Some(cohort) = cohorts.get(&row.cohort_id) else {
            v.push(&format!("{field}.applicationId"), "its cohort is missing");
            continue;
        };
        let Some(states) = from.decision_allowed(decision.status) else {
            v.push(
                &format!("{field}.status"),
                format!(
                    "a {} application cannot become {}",
                    from.as_str(),
                    decision.status.as_str()
                ),
            );
            continue;
        };
        if matches!(
            decision.status,
            ApplicationStatus::Selected | ApplicationStatus::Waitlisted
        ) && applicants
            .get(&row.person_id)
            .is_some_and(|applicant| awaits_guardian(&row, applicant, cohort))
        {
            v.push(
                &format!("{field}.status"),
                format!(
                    "the applicant is under {MAJORITY_AGE} on {}'s first day: record a guardian's consent first",
                    cohort.name
                ),
            );
            continue;
        }
        let cohort_status = status_of(cohort);
        if !states.contains(&cohort_status) {
            let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
            v.push(
                &format!("{field}.status"),
                format!(
                    "{} → {} is decided while the cohort is {}; {} is {}",
                    from.as_str(),
                    decision.status.as_str(),
                    names.join(" or "),
                    cohort.name,
                    cohort_status.as_str()
                ),
            );
            continue;
        }
        let mut changes = camp_application::ActiveModel {
            status: Set(decision.status),
            decided_at: Set(Some(now)),
            decided_by: Set(Some(caller.actor.subject().to_owned())),
            ..Default::default()
        };
        if decision.status == ApplicationStatus::Selected {
            let track_id = decision
                .track_id
                .or_else(|| preferences_of(&row).first().copied());
            let Some(track) = track_id
                .and_then(|id| tracks.get(&id))
                .filter(|t| t.cohort_id == row.cohort_id)
            else {
                v.push(
                    &format!("{field}.trackId"),
                    "is not a track of the application's cohort",
                );
                continue;
            };
            if !take_place(&txn, row.cohort_id, track.id).await? {
                v.push(
                    &format!("{field}.trackId"),
                    format!(
                        "no place is left in track “{}” ({} places) or in {} ({} places)",
                        track.name, track.capacity, cohort.name, cohort.capacity
                    ),
                );
                continue;
            }
            changes.track_id = Set(Some(track.id));
        } else if decision.track_id.is_some() {
            v.push(&format!("{field}.trackId"), "is given only when selecting");
            continue;
        }
        // Conditional on the status read: a concurrent decision on the same application
        // makes this one a conflict instead of a double transition.
        changes.version = Set(row.version + 1);
        changes.updated_at = Set(now);
        let result = camp_application::Entity::update_many()
            .set(changes)
            .filter(camp_application::Column::Id.eq(row.id))
            .filter(camp_application::Column::Version.eq(row.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(DomainError::conflict(
                &format!("{field}.applicationId"),
                "the application changed while this was being saved; read it again and retry",
            ));
        }
        written.push(row.id);
    }
    v.into_result()?;
    let rows: Vec<camp_application::Model> = find_in_order::<camp_application::Entity, _>(
        &txn,
        camp_application::Column::Id,
        &written,
        Condition::all(),
        |r| r.id,
    )
    .await?
    .into_iter()
    .flatten()
    .collect();
    for row in &rows {
        audit_application(&txn, caller, "camp_application.decide", row).await?;
    }
    txn.commit().await?;
    Ok(rows)
}

async fn audit_application<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &camp_application::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "CampApplication",
            target_id: row.id.to_string(),
            details: json!({ "cohortId": row.cohort_id, "status": row.status, "trackId": row.track_id }),
        },
    )
    .await
}

/// What of the applications a caller sees: camp staff all, an individual their own,
/// nobody else anything (anonymous callers must sign in, other roles are refused).
fn visible(caller: &Caller) -> DomainResult<Condition> {
    if caller.actor.is_camp_staff() {
        return Ok(Condition::all());
    }
    caller.actor.allow(&permissions::READ_APPLICATIONS)?;
    let subject = caller.actor.individual_subject().unwrap_or_default();
    Ok(Condition::all().add(
        camp_application::Column::PersonId.in_subquery(
            Query::select()
                .column(person::Column::Id)
                .from(person::Entity)
                .and_where(person::Column::Subject.eq(subject))
                .to_owned(),
        ),
    ))
}

/// Filters of the application list; empty means any.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Applications to any of these cohorts.
    pub cohort_ids: Vec<i64>,
    pub statuses: Vec<ApplicationStatus>,
    /// Applications to any of these tracks.
    pub track_ids: Vec<i64>,
}

fn select(
    caller: &Caller,
    filter: &ApplicationFilter,
) -> DomainResult<Select<camp_application::Entity>> {
    let mut select = camp_application::Entity::find().filter(visible(caller)?);
    if !filter.cohort_ids.is_empty() {
        select = select.filter(camp_application::Column::CohortId.is_in(filter.cohort_ids.clone()));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(
            camp_application::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())),
        );
    }
    if !filter.track_ids.is_empty() {
        select = select.filter(camp_application::Column::TrackId.is_in(filter.track_ids.clone()));
    }
    Ok(select)
}

/// A page of the applications the caller sees, in the order they came in.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ApplicationFilter,
    args: &PageArgs,
) -> DomainResult<Page<camp_application::Model>> {
    let keys = [SortKey {
        column: camp_application::Column::Id,
        kind: KeyKind::Int,
    }];
    paginate(
        db,
        select(caller, filter)?,
        "ID_ASC",
        &keys,
        true,
        args,
        |row| vec![KeyValue::Int(row.id)],
    )
    .await
}

/// How many applications the caller sees with the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ApplicationFilter,
) -> DomainResult<u64> {
    Ok(select(caller, filter)?.count(db).await?)
}

/// Applications by id as the caller may see them, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<camp_application::Model>>> {
    let condition = match visible(caller) {
        Ok(condition) => condition,
        Err(DomainError::Unauthenticated | DomainError::Forbidden(_)) => {
            return Ok(vec![None; ids.len()]);
        }
        Err(other) => return Err(other),
    };
    find_in_order::<camp_application::Entity, _>(
        db,
        camp_application::Column::Id,
        ids,
        condition,
        |r| r.id,
    )
    .await
}

/// The cohorts each person completed (public facts of alumni; callers filter by the
/// members' choices), oldest first.
pub async fn completed_cohorts_of<C: ConnectionTrait>(
    db: &C,
    person_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<i64>>> {
    let mut found: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in person_ids.chunks(CHUNK) {
        let rows: Vec<(i64, i64)> = camp_application::Entity::find()
            .select_only()
            .column(camp_application::Column::PersonId)
            .column(camp_application::Column::CohortId)
            .filter(camp_application::Column::PersonId.is_in(chunk.to_vec()))
            .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
            .into_tuple()
            .all(db)
            .await?;
        for (person, cohort) in rows {
            found.entry(person).or_default().push(cohort);
        }
    }
    for cohorts in found.values_mut() {
        cohorts.sort_unstable();
    }
    Ok(found)
}

/// Whether the person completed at least one cohort: an alumnus.
pub async fn is_alumnus<C: ConnectionTrait>(db: &C, person_id: i64) -> DomainResult<bool> {
    Ok(camp_application::Entity::find()
        .filter(camp_application::Column::PersonId.eq(person_id))
        .filter(camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()))
        .count(db)
        .await?
        > 0)
}
