//! Writes on camp applications: applying, withdrawing, a guardian's consent and the staff's
//! decisions, each in one transaction.

use super::super::{
    cohorts::{questions_of, status_of},
    people::{self},
    types::{ApplicationStatus, CohortStatus},
};
use crate::domain::camp::permissions;
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write, consent,
    error::Violations,
    find_in_order,
    registry::types::parse_required_text,
};
use chrono::{DateTime, Utc};
use entities::{camp_application, camp_cohort, camp_program, camp_track, person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    NotSet, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

use super::queries::{by_ids, ineligibility};
use super::{
    COHORT_PLACES, MAJORITY_AGE, MAX_ANSWER_CHARS, MAX_DECISIONS, MAX_PREFERENCES, TRACK_PLACES,
    VERSIONED, awaits_guardian, preferences_of, status_of_application, terms_item,
};

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
        .ok_or(DomainError::NotFound {
            entity: "cohort",
            field: "cohort_id",
        })?;
    let program = camp_program::Entity::find_by_id(cohort.program_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "camp program",
            field: "cohort_id",
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
    check_preferences(db, &cohort, &input.preferred_track_ids, &mut v).await?;
    let prefs = &input.preferred_track_ids;
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

/// The tracks an applicant prefers: 1 to `MAX_PREFERENCES`, each a track of the cohort,
/// none named twice.
async fn check_preferences<C: ConnectionTrait>(
    db: &C,
    cohort: &camp_cohort::Model,
    prefs: &[i64],
    v: &mut Violations,
) -> DomainResult<()> {
    let tracks: HashSet<i64> = camp_track::Entity::find()
        .select_only()
        .column(camp_track::Column::Id)
        .filter(camp_track::Column::CohortId.eq(cohort.id))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
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
    Ok(())
}

/// Gives back the place a selected application held in its track and cohort, at `now`.
async fn release<C: ConnectionTrait>(
    db: &C,
    row: &camp_application::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if let Some(track) = row.track_id {
        TRACK_PLACES.release(db, track, now).await?;
    }
    COHORT_PLACES.release(db, row.cohort_id, now).await
}

/// Takes a place in `track` and in its cohort, if both have one left (the caller's
/// transaction is rolled back otherwise).
async fn take_place<C: ConnectionTrait>(
    db: &C,
    (cohort_id, track_id): (i64, i64),
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    Ok(TRACK_PLACES.take(db, track_id, now).await?
        && COHORT_PLACES.take(db, cohort_id, now).await?)
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
        release(&txn, &row, caller.now()).await?;
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
            field: "application_id",
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
    let batch = Batch::load(&txn, &rows).await?;
    let mut v = Violations::default();
    let mut seen = HashSet::new();
    let mut written = Vec::with_capacity(rows.len());
    let now = caller.now();
    for (i, (decision, row)) in decisions.iter().zip(rows).enumerate() {
        let field = format!("decisions.{i}");
        // A batch read gives each row once: a second decision on it is a repeat, not a
        // missing application.
        if !seen.insert(decision.application_id) {
            v.push(
                &format!("{field}.application_id"),
                "is decided twice in this call: give one decision per application",
            );
            continue;
        }
        let Some(row) = row else {
            v.push(&format!("{field}.application_id"), "no such application");
            continue;
        };
        let (cohort, track) = match batch.check(decision, &row) {
            Ok(found) => found,
            Err((key, message)) => {
                v.push(&format!("{field}.{key}"), message);
                continue;
            }
        };
        if let Some(track) = track
            && !take_place(&txn, (row.cohort_id, track.id), caller.now()).await?
        {
            v.push(
                &format!("{field}.track_id"),
                format!(
                    "no place is left in track “{}” ({} places) or in {} ({} places)",
                    track.name, track.capacity, cohort.name, cohort.capacity
                ),
            );
            continue;
        }
        save_decision(&txn, caller, now, decision, &row, track, &field).await?;
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

/// What deciding a batch of applications reads besides them, once for the batch: their
/// cohorts, the cohorts' tracks and the applicants.
struct Batch {
    cohorts: HashMap<i64, camp_cohort::Model>,
    tracks: HashMap<i64, camp_track::Model>,
    applicants: HashMap<i64, person::Model>,
}

/// Why one decision cannot be taken: the key of its field and the message.
type Refusal = (&'static str, String);

impl Batch {
    async fn load<C: ConnectionTrait>(
        db: &C,
        rows: &[Option<camp_application::Model>],
    ) -> DomainResult<Self> {
        let cohort_ids: Vec<i64> = rows.iter().flatten().map(|r| r.cohort_id).collect();
        let cohorts = super::super::cohorts::by_ids(db, &cohort_ids)
            .await?
            .into_iter()
            .flatten()
            .map(|c| (c.id, c))
            .collect();
        let tracks = super::super::cohorts::tracks_of(db, &cohort_ids)
            .await?
            .into_values()
            .flatten()
            .map(|t| (t.id, t))
            .collect();
        let person_ids: Vec<i64> = rows.iter().flatten().map(|r| r.person_id).collect();
        let applicants = find_in_order::<person::Entity, _>(
            db,
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
        Ok(Self {
            cohorts,
            tracks,
            applicants,
        })
    }

    /// The rules of one decision that need no write: the move is one the application's
    /// state allows while its cohort is where it is, a minor has a guardian's consent, and a
    /// selection names (or prefers) a track of the cohort. Gives the cohort, and the track a
    /// selection takes.
    fn check(
        &self,
        decision: &Decision,
        row: &camp_application::Model,
    ) -> Result<(&camp_cohort::Model, Option<&camp_track::Model>), Refusal> {
        let from = status_of_application(row);
        let Some(cohort) = self.cohorts.get(&row.cohort_id) else {
            return Err(("application_id", "its cohort is missing".to_owned()));
        };
        let Some(states) = from.decision_allowed(decision.status) else {
            return Err((
                "status",
                format!(
                    "a {} application cannot become {}",
                    from.as_str(),
                    decision.status.as_str()
                ),
            ));
        };
        if matches!(
            decision.status,
            ApplicationStatus::Selected | ApplicationStatus::Waitlisted
        ) && self
            .applicants
            .get(&row.person_id)
            .is_some_and(|applicant| awaits_guardian(row, applicant, cohort))
        {
            return Err((
                "status",
                format!(
                    "the applicant is under {MAJORITY_AGE} on {}'s first day: record a guardian's consent first",
                    cohort.name
                ),
            ));
        }
        let cohort_status = status_of(cohort);
        if !states.contains(&cohort_status) {
            let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
            return Err((
                "status",
                format!(
                    "{} → {} is decided while the cohort is {}; {} is {}",
                    from.as_str(),
                    decision.status.as_str(),
                    names.join(" or "),
                    cohort.name,
                    cohort_status.as_str()
                ),
            ));
        }
        if decision.status != ApplicationStatus::Selected {
            return match decision.track_id {
                Some(_) => Err(("track_id", "is given only when selecting".to_owned())),
                None => Ok((cohort, None)),
            };
        }
        let track = decision
            .track_id
            .or_else(|| preferences_of(row).first().copied())
            .and_then(|id| self.tracks.get(&id))
            .filter(|t| t.cohort_id == row.cohort_id)
            .ok_or_else(|| {
                (
                    "track_id",
                    "is not a track of the application's cohort".to_owned(),
                )
            })?;
        Ok((cohort, Some(track)))
    }
}

/// Writes one decision, conditional on the version read: a concurrent decision on the same
/// application makes this one a conflict instead of a double transition.
async fn save_decision<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    now: DateTime<Utc>,
    decision: &Decision,
    row: &camp_application::Model,
    track: Option<&camp_track::Model>,
    field: &str,
) -> DomainResult<()> {
    let changes = camp_application::ActiveModel {
        status: Set(decision.status),
        decided_at: Set(Some(now)),
        decided_by: Set(Some(caller.actor.subject().to_owned())),
        track_id: match track {
            Some(track) => Set(Some(track.id)),
            None => NotSet,
        },
        version: Set(row.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let result = camp_application::Entity::update_many()
        .set(changes)
        .filter(camp_application::Column::Id.eq(row.id))
        .filter(camp_application::Column::Version.eq(row.version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(DomainError::conflict(
            &format!("{field}.application_id"),
            "the application changed while this was being saved; read it again and retry",
        ));
    }
    Ok(())
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
