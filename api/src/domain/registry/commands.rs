//! Changing the registry. Every command is one transaction that also appends to the
//! audit trail (and, for status changes, to the status history); a refused command
//! writes nothing.

use chrono::{NaiveDate, Utc};
use entities::{specialist, specialist_status_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;

use super::{
    query::StatusChange,
    types::{
        Email, ExamSeason, Phone, RegistrationNumber, SpecialistStatus, YearMonth, parse_kana,
        parse_name, parse_optional_text,
    },
    view::{Access, Disclosure, SpecialistView},
};
use crate::domain::{
    Caller, DomainError, DomainResult, Role,
    actor::REGISTRY_STAFF,
    audit::{self, AuditEntry},
    begin_write,
    calendar::{is_registration_round, japan_today},
    error::Violations,
    prefecture::PrefectureCode,
};

/// A change to an optional field: leave it, clear it, or set it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Change<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

/// A new registration, as typed by registry staff.
#[derive(Debug, Clone)]
pub struct NewSpecialist {
    pub registration_number: String,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub birth_year_month: String,
    pub email: String,
    pub phone: Option<String>,
    pub prefecture: String,
    pub employer: Option<String>,
    pub exam_year: i32,
    pub exam_season: ExamSeason,
    pub registered_on: NaiveDate,
    pub disclosure: Disclosure,
}

/// Parsed personal details shared by registration and updates.
struct Checked {
    number: Option<RegistrationNumber>,
    family_name: Option<String>,
    given_name: Option<String>,
    family_name_kana: Option<String>,
    given_name_kana: Option<String>,
    birth: Option<YearMonth>,
    email: Option<Email>,
    phone: Option<Option<Phone>>,
    prefecture: Option<PrefectureCode>,
    employer: Option<Option<String>>,
}

fn check_birth(violations: &mut Violations, field: &str, raw: &str) -> Option<YearMonth> {
    let birth = violations.check(field, YearMonth::parse(raw))?;
    if birth > YearMonth::of(japan_today()) {
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
            "input.examPassedYear",
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

fn check_new(input: &NewSpecialist) -> DomainResult<Checked> {
    let mut v = Violations::default();
    let checked = Checked {
        number: v.check(
            "input.registrationNumber",
            RegistrationNumber::parse(input.registration_number.trim()),
        ),
        family_name: v.check("input.familyName", parse_name(&input.family_name)),
        given_name: v.check("input.givenName", parse_name(&input.given_name)),
        family_name_kana: v.check("input.familyNameKana", parse_kana(&input.family_name_kana)),
        given_name_kana: v.check("input.givenNameKana", parse_kana(&input.given_name_kana)),
        birth: check_birth(&mut v, "input.birthYearMonth", &input.birth_year_month),
        email: v.check("input.email", Email::parse(&input.email)),
        phone: v.check("input.phone", optional_phone(input.phone.as_deref())),
        prefecture: v.check(
            "input.prefecture",
            PrefectureCode::parse(input.prefecture.trim()),
        ),
        employer: v.check(
            "input.employer",
            parse_optional_text(input.employer.as_deref().unwrap_or(""), 200),
        ),
    };
    if !is_registration_round(input.registered_on) {
        v.push(
            "input.registeredOn",
            "registrations take effect on April 1 or October 1 only",
        );
    }
    if input.registered_on > japan_today() + chrono::Days::new(366) {
        v.push("input.registeredOn", "must be within the next year");
    }
    check_exam(&mut v, input.exam_year, input.registered_on);
    v.into_result()?;
    Ok(checked)
}

fn full_view(row: specialist::Model) -> SpecialistView {
    SpecialistView::new(row, Access::Full)
}

/// Registers a new specialist (registry staff only). The registration number must be new:
/// numbers are never reused, so a taken number is a `Conflict`.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewSpecialist,
) -> DomainResult<SpecialistView> {
    caller
        .actor
        .require(REGISTRY_STAFF, "only registry staff register specialists")?;
    let checked = check_new(&input)?;
    let (Some(number), Some(birth), Some(email), Some(prefecture)) = (
        checked.number,
        checked.birth,
        checked.email,
        checked.prefecture,
    ) else {
        return Err(DomainError::invalid("input", "incomplete input"));
    };

    let txn = begin_write(db).await?;
    let taken = specialist::Entity::find()
        .filter(specialist::Column::RegistrationNumber.eq(number.as_str()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(DomainError::conflict(
            "input.registrationNumber",
            format!("registration number {number} is already taken (numbers are never reused)"),
        ));
    }
    let now = Utc::now();
    let row = specialist::ActiveModel {
        registration_number: Set(number.as_str().to_owned()),
        family_name: Set(checked.family_name.unwrap_or_default()),
        given_name: Set(checked.given_name.unwrap_or_default()),
        family_name_kana: Set(checked.family_name_kana.unwrap_or_default()),
        given_name_kana: Set(checked.given_name_kana.unwrap_or_default()),
        birth_year: Set(birth.year),
        birth_month: Set(birth.month as i16),
        email: Set(email.as_str().to_owned()),
        phone: Set(checked.phone.flatten().map(|p| p.as_str().to_owned())),
        prefecture_code: Set(prefecture.as_str().to_owned()),
        employer: Set(checked.employer.flatten()),
        exam_year: Set(input.exam_year),
        exam_season: Set(input.exam_season.as_str().to_owned()),
        registered_on: Set(input.registered_on),
        status: Set(SpecialistStatus::Active.as_str().to_owned()),
        status_since: Set(input.registered_on),
        disclose_name: Set(input.disclosure.name),
        disclose_kana: Set(input.disclosure.kana),
        disclose_birth_year_month: Set(input.disclosure.birth_year_month),
        disclose_employer: Set(input.disclosure.employer),
        disclose_prefecture: Set(input.disclosure.prefecture),
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
            "input.registrationNumber",
            "registration number is already taken",
        )
    })?;
    append_status(
        &txn,
        caller,
        row.id,
        SpecialistStatus::Active,
        input.registered_on,
        "registered",
    )
    .await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "specialist.register",
            target_type: "Specialist",
            target_id: row.registration_number.clone(),
            details: json!({ "registeredOn": input.registered_on }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(full_view(row))
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
        status: Set(status.as_str().to_owned()),
        effective_on: Set(effective_on),
        reason: Set(reason.to_owned()),
        recorded_at: Set(Utc::now()),
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
        })
}

fn check_version(row: &specialist::Model, expected: i32) -> DomainResult<()> {
    if row.version != expected {
        return Err(DomainError::conflict(
            "input.expectedVersion",
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
/// concurrent writer that got there first makes this a `Conflict`.
async fn write_if_unchanged<C: ConnectionTrait>(
    db: &C,
    mut changes: specialist::ActiveModel,
    id: i64,
    version: i32,
) -> DomainResult<specialist::Model> {
    changes.version = Set(version + 1);
    changes.updated_at = Set(Utc::now());
    let result = specialist::Entity::update_many()
        .set(changes)
        .filter(specialist::Column::Id.eq(id))
        .filter(specialist::Column::Version.eq(version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(DomainError::conflict(
            "input.expectedVersion",
            "the record changed while you were saving it; read it again and retry",
        ));
    }
    load(db, id).await
}

/// Writes `changes` to `row` if it is still at `expected_version`, and audits the change
/// under `action` with the names of the changed fields (never their values).
async fn save<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    row: &specialist::Model,
    expected_version: i32,
    changes: specialist::ActiveModel,
    action: &str,
    changed: &[&str],
) -> DomainResult<specialist::Model> {
    check_version(row, expected_version)?;
    let row = write_if_unchanged(db, changes, row.id, expected_version).await?;
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

/// Staff corrections of a registration's personal details. Fields left `None` (or
/// `Change::Keep`) stay as they are.
#[derive(Debug, Clone, Default)]
pub struct SpecialistPatch {
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name_kana: Option<String>,
    pub given_name_kana: Option<String>,
    pub birth_year_month: Option<String>,
    pub contact: ContactPatch,
    pub exam_year: Option<i32>,
    pub exam_season: Option<ExamSeason>,
}

/// Contact details and address, which both staff and the specialist may change.
#[derive(Debug, Clone, Default)]
pub struct ContactPatch {
    pub email: Option<String>,
    pub phone: Change<String>,
    pub prefecture: Option<String>,
    pub employer: Change<String>,
}

/// Applies staff corrections (registry staff only).
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    patch: SpecialistPatch,
) -> DomainResult<SpecialistView> {
    caller
        .actor
        .require(REGISTRY_STAFF, "only registry staff correct registrations")?;
    let mut v = Violations::default();
    let mut changes = <specialist::ActiveModel as Default>::default();
    let mut changed: Vec<&str> = Vec::new();
    macro_rules! set {
        ($field:literal, $column:ident, $value:expr) => {{
            changes.$column = Set($value);
            changed.push($field);
        }};
    }
    if let Some(raw) = &patch.family_name
        && let Some(value) = v.check("input.familyName", parse_name(raw))
    {
        set!("familyName", family_name, value);
    }
    if let Some(raw) = &patch.given_name
        && let Some(value) = v.check("input.givenName", parse_name(raw))
    {
        set!("givenName", given_name, value);
    }
    if let Some(raw) = &patch.family_name_kana
        && let Some(value) = v.check("input.familyNameKana", parse_kana(raw))
    {
        set!("familyNameKana", family_name_kana, value);
    }
    if let Some(raw) = &patch.given_name_kana
        && let Some(value) = v.check("input.givenNameKana", parse_kana(raw))
    {
        set!("givenNameKana", given_name_kana, value);
    }
    if let Some(raw) = &patch.birth_year_month
        && let Some(birth) = check_birth(&mut v, "input.birthYearMonth", raw)
    {
        changes.birth_year = Set(birth.year);
        set!("birthYearMonth", birth_month, birth.month as i16);
    }
    if let Some(season) = patch.exam_season {
        set!("examPassedSeason", exam_season, season.as_str().to_owned());
    }
    let txn = begin_write(db).await?;
    let row = load(&txn, id).await?;
    if let Some(year) = patch.exam_year {
        check_exam(&mut v, year, row.registered_on);
        set!("examPassedYear", exam_year, year);
    }
    apply_contact(&mut v, &mut changes, &mut changed, &patch.contact);
    v.into_result()?;
    let row = save(
        &txn,
        caller,
        &row,
        expected_version,
        changes,
        "specialist.update",
        &changed,
    )
    .await?;
    txn.commit().await?;
    Ok(full_view(row))
}

/// Validates `contact` into `changes`, noting each changed field in `changed`.
fn apply_contact(
    v: &mut Violations,
    changes: &mut specialist::ActiveModel,
    changed: &mut Vec<&str>,
    contact: &ContactPatch,
) {
    if let Some(raw) = contact.email.as_deref()
        && let Some(email) = v.check("input.email", Email::parse(raw))
    {
        changes.email = Set(email.as_str().to_owned());
        changed.push("email");
    }
    match &contact.phone {
        Change::Keep => {}
        Change::Clear => {
            changes.phone = Set(None);
            changed.push("phone");
        }
        Change::Set(raw) => {
            if let Some(phone) = v.check("input.phone", optional_phone(Some(raw))) {
                changes.phone = Set(phone.map(|p| p.as_str().to_owned()));
                changed.push("phone");
            }
        }
    }
    if let Some(raw) = contact.prefecture.as_deref()
        && let Some(code) = v.check("input.prefecture", PrefectureCode::parse(raw.trim()))
    {
        changes.prefecture_code = Set(code.as_str().to_owned());
        changed.push("prefecture");
    }
    match &contact.employer {
        Change::Keep => {}
        Change::Clear => {
            changes.employer = Set(None);
            changed.push("employer");
        }
        Change::Set(raw) => {
            if let Some(employer) = v.check("input.employer", parse_optional_text(raw, 200)) {
                changes.employer = Set(employer);
                changed.push("employer");
            }
        }
    }
}

/// What a specialist may change of their own record.
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch {
    pub contact: ContactPatch,
    pub disclose_name: Option<bool>,
    pub disclose_kana: Option<bool>,
    pub disclose_birth_year_month: Option<bool>,
    pub disclose_employer: Option<bool>,
    pub disclose_prefecture: Option<bool>,
}

/// A specialist updates their own contact details and disclosure consents.
pub async fn update_my_profile(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: i32,
    patch: ProfilePatch,
) -> DomainResult<SpecialistView> {
    caller.actor.require(
        &[Role::Specialist],
        "only a specialist has a profile to update",
    )?;
    let Some(own) = caller.actor.own_registration_number() else {
        return Err(DomainError::Forbidden("the token names no specialist"));
    };
    let mut v = Violations::default();
    let mut changes = <specialist::ActiveModel as Default>::default();
    let mut changed: Vec<&str> = Vec::new();
    apply_contact(&mut v, &mut changes, &mut changed, &patch.contact);
    let consents = [
        (
            "disclosure.name",
            patch.disclose_name,
            &mut changes.disclose_name,
        ),
        (
            "disclosure.kana",
            patch.disclose_kana,
            &mut changes.disclose_kana,
        ),
        (
            "disclosure.birthYearMonth",
            patch.disclose_birth_year_month,
            &mut changes.disclose_birth_year_month,
        ),
        (
            "disclosure.employer",
            patch.disclose_employer,
            &mut changes.disclose_employer,
        ),
        (
            "disclosure.prefecture",
            patch.disclose_prefecture,
            &mut changes.disclose_prefecture,
        ),
    ];
    for (name, value, column) in consents {
        if let Some(value) = value {
            *column = Set(value);
            changed.push(name);
        }
    }
    v.into_result()?;

    let txn = begin_write(db).await?;
    let row = specialist::Entity::find()
        .filter(specialist::Column::RegistrationNumber.eq(own))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "specialist",
        })?;
    let row = save(
        &txn,
        caller,
        &row,
        expected_version,
        changes,
        "specialist.update_profile",
        &changed,
    )
    .await?;
    txn.commit().await?;
    Ok(full_view(row))
}

/// A status change as asked for by registry staff.
#[derive(Debug, Clone)]
pub struct StatusChangeRequest {
    pub id: i64,
    pub status: SpecialistStatus,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub expected_version: Option<i32>,
}

/// Moves a registration to a new status (registry staff only), appending to its history.
/// The history is never rewritten: a change may not take effect before the latest one, nor
/// in the future.
pub async fn change_status(
    db: &DatabaseConnection,
    caller: &Caller,
    request: StatusChangeRequest,
) -> DomainResult<(SpecialistView, StatusChange)> {
    caller.actor.require(
        REGISTRY_STAFF,
        "only registry staff change a registration's status",
    )?;
    let mut v = Violations::default();
    let reason = v.check(
        "input.reason",
        parse_name(&request.reason).and_then(|r| {
            if r.chars().count() > 1000 {
                Err("must be at most 1000 characters".into())
            } else {
                Ok(r)
            }
        }),
    );
    if request.effective_on > japan_today() {
        v.push(
            "input.effectiveOn",
            "must not be in the future (dates are in Japan)",
        );
    }
    v.into_result()?;
    let reason = reason.unwrap_or_default();

    let txn = begin_write(db).await?;
    let row = load(&txn, request.id).await?;
    if let Some(expected) = request.expected_version {
        check_version(&row, expected)?;
    }
    let current = SpecialistStatus::parse(&row.status).unwrap_or(SpecialistStatus::Active);
    let mut v = Violations::default();
    if !current.can_become(request.status) {
        v.push(
            "input.status",
            if current == request.status {
                format!("the registration is already {}", current.as_str())
            } else {
                format!(
                    "a {} registration cannot change status; register the person again",
                    current.as_str()
                )
            },
        );
    }
    if request.effective_on < row.status_since {
        v.push(
            "input.effectiveOn",
            format!(
                "must not be before the current status took effect ({})",
                row.status_since
            ),
        );
    }
    v.into_result()?;

    let changes = specialist::ActiveModel {
        status: Set(request.status.as_str().to_owned()),
        status_since: Set(request.effective_on),
        ..Default::default()
    };
    let row = write_if_unchanged(&txn, changes, row.id, row.version).await?;
    let event = append_status(
        &txn,
        caller,
        row.id,
        request.status,
        request.effective_on,
        &reason,
    )
    .await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "specialist.change_status",
            target_type: "Specialist",
            target_id: row.registration_number.clone(),
            details: json!({
                "from": current.as_str(),
                "to": request.status.as_str(),
                "effectiveOn": request.effective_on,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((full_view(row), event.into()))
}
