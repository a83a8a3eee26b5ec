//! Changing the registry. Every command is one transaction that also appends to the
//! audit trail (and, for status changes, to the status history); a refused command
//! writes nothing.

mod register;
mod status;
mod update;

pub use register::{NewSpecialist, register};
pub use status::{StatusChangeRequest, change_status};
pub use update::{ContactPatch, ProfilePatch, SpecialistPatch, update, update_my_profile};

use chrono::NaiveDate;
use entities::{specialist, specialist_status_event};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;

use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    consent,
    error::Violations,
    registry::{
        types::{Phone, SpecialistStatus, YearMonth},
        views::{Access, SpecialistView},
    },
    versioned::Versioned,
};

/// A change to an optional field: leave it, clear it, or set it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Change<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

fn check_birth(
    violations: &mut Violations,
    field: &str,
    raw: &str,
    today: NaiveDate,
) -> Option<YearMonth> {
    let birth = violations.check(field, YearMonth::parse(raw))?;
    if birth > YearMonth::of(today) {
        violations.push(field, "must not be in the future");
        return None;
    }
    Some(birth)
}

fn check_exam(violations: &mut Violations, exam_year: i32, registered_on: NaiveDate) {
    use chrono::Datelike;
    // The qualification was created in 2016; the exam always precedes registration.
    if !(2016..=registered_on.year()).contains(&exam_year) {
        violations.push(
            "exam_passed_year",
            format!(
                "must be between 2016 and the registration year ({})",
                registered_on.year()
            ),
        );
    }
}

fn optional_phone(raw: Option<&str>) -> Result<Option<Phone>, String> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Phone::parse(p).map(Some),
        None => Ok(None),
    }
}

fn full_view(row: specialist::Model) -> SpecialistView {
    SpecialistView::new(row, Access::Full)
}

async fn append_status<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_id: i64,
    status: SpecialistStatus,
    effective_on: NaiveDate,
    reason: &str,
) -> DomainResult<specialist_status_event::Model> {
    Ok(specialist_status_event::ActiveModel {
        specialist_id: Set(specialist_id),
        status: Set(status),
        effective_on: Set(effective_on),
        reason: Set(reason.to_owned()),
        recorded_at: Set(caller.now()),
        recorded_by: Set(caller.actor.subject().to_owned()),
        request_id: Set(caller.request_id.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Loads the row to change, or `NotFound`.
async fn load<C: ConnectionTrait>(db: &C, id: i64) -> DomainResult<specialist::Model> {
    specialist::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "specialist",
            field: "id",
        })
}

fn check_version(row: &specialist::Model, expected: i32) -> DomainResult<()> {
    if row.version != expected {
        return Err(DomainError::conflict(
            "expected_version",
            format!(
                "the record changed since you read it (version {} now, {expected} expected); \
                 read it again and retry",
                row.version
            ),
        ));
    }
    Ok(())
}

/// Writes `changes` to the row if it is still at `version`, bumping the version; a
/// concurrent writer that got there first makes this a `Conflict`. Every write of a
/// registration passes here, so here its publication consents go to the consent ledger
/// (`terms_shown`: the terms' version the person was shown, when the client says).
async fn write_if_unchanged<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    changes: specialist::ActiveModel,
    (id, version): (i64, i32),
    terms_shown: Option<&str>,
) -> DomainResult<specialist::Model> {
    let row = Versioned::<specialist::Entity> {
        id: specialist::Column::Id,
        version: specialist::Column::Version,
        updated_at: specialist::Column::UpdatedAt,
        field: "expected_version",
        what: "specialist",
    }
    .save(db, (id, version), changes, caller.now())
    .await?;
    record_publication_consents(db, caller, &row, terms_shown).await?;
    Ok(row)
}

/// The publication consents a registration's row holds, as the consent ledger records them.
pub fn publication_consents(row: &specialist::Model) -> Vec<(String, consent::State)> {
    [
        ("NAME", row.disclose_name),
        ("KANA", row.disclose_kana),
        ("BIRTH_YEAR_MONTH", row.disclose_birth_year_month),
        ("EMPLOYER", row.disclose_employer),
        ("PREFECTURE", row.disclose_prefecture),
    ]
    .into_iter()
    .map(|(item, given)| {
        let state = if given {
            consent::State::Given(Some(consent::Audience::Public))
        } else {
            consent::State::Withdrawn
        };
        (item.to_owned(), state)
    })
    .collect()
}

/// Appends to the consent ledger what `row`'s publication consents became.
pub async fn record_publication_consents<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    row: &specialist::Model,
    terms_shown: Option<&str>,
) -> DomainResult<()> {
    consent::record(
        db,
        caller,
        consent::Holder::Specialist(row.id),
        consent::Purpose::RegistryPublication,
        &publication_consents(row),
        terms_shown,
        caller.now(),
    )
    .await
}

/// What a change of a registration is: its action and the names of the fields it changes
/// (never their values), for the audit trail, and the terms' version the person was shown.
struct Edit<'a> {
    action: &'a str,
    fields: &'a [&'a str],
    terms_shown: Option<&'a str>,
}

/// Writes `changes` to `row` if it is still at `expected_version`, and audits the change.
async fn save<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    row: &specialist::Model,
    expected_version: i32,
    changes: specialist::ActiveModel,
    edit: Edit<'_>,
) -> DomainResult<specialist::Model> {
    let Edit {
        action,
        fields: changed,
        terms_shown,
    } = edit;
    check_version(row, expected_version)?;
    let row =
        write_if_unchanged(db, caller, changes, (row.id, expected_version), terms_shown).await?;
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "Specialist",
            target_id: row.registration_number.clone(),
            details: json!({ "fields": changed }),
        },
    )
    .await?;
    Ok(row)
}
