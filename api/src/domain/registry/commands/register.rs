//! Registering a specialist.

use crate::domain::registry::permissions;
use chrono::NaiveDate;
use entities::specialist;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    calendar::is_registration_round,
    error::Violations,
    hooks,
    industry::Industry,
    prefecture::PrefectureCode,
    registry::{
        types::{
            Email, ExamSeason, Phone, RegistrationNumber, SpecialistStatus, YearMonth, parse_kana,
            parse_name, parse_optional_text,
        },
        views::{Disclosure, SpecialistView},
    },
};

use super::{append_status, check_birth, check_exam, full_view, optional_phone};

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
    /// The employer's industry.
    pub employer_industry: Option<Industry>,
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

fn check_new(input: &NewSpecialist, today: NaiveDate) -> DomainResult<Checked> {
    let mut v = Violations::default();
    let checked = Checked {
        number: v.check(
            "registration_number",
            RegistrationNumber::parse(input.registration_number.trim()),
        ),
        family_name: v.check("family_name", parse_name(&input.family_name)),
        given_name: v.check("given_name", parse_name(&input.given_name)),
        family_name_kana: v.check("family_name_kana", parse_kana(&input.family_name_kana)),
        given_name_kana: v.check("given_name_kana", parse_kana(&input.given_name_kana)),
        birth: check_birth(&mut v, "birth_year_month", &input.birth_year_month, today),
        email: v.check("email", Email::parse(&input.email)),
        phone: v.check("phone", optional_phone(input.phone.as_deref())),
        prefecture: v.check("prefecture", PrefectureCode::parse(input.prefecture.trim())),
        employer: v.check(
            "employer",
            parse_optional_text(input.employer.as_deref().unwrap_or(""), 200),
        ),
    };
    if !is_registration_round(input.registered_on) {
        v.push(
            "registered_on",
            "registrations take effect on April 1 or October 1 only",
        );
    }
    if input.registered_on > today + chrono::Days::new(366) {
        v.push("registered_on", "must be within the next year");
    }
    check_exam(&mut v, input.exam_year, input.registered_on);
    v.into_result()?;
    Ok(checked)
}

/// Registers a new specialist (registry staff only). The registration number must be new:
/// numbers are never reused, so a taken number is a `Conflict`.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewSpecialist,
) -> DomainResult<SpecialistView> {
    caller.actor.allow(&permissions::REGISTER_SPECIALISTS)?;
    let checked = check_new(&input, caller.today())?;
    let (Some(number), Some(birth), Some(email), Some(prefecture)) = (
        checked.number,
        checked.birth,
        checked.email,
        checked.prefecture,
    ) else {
        return Err(DomainError::invalid("", "incomplete input"));
    };

    let txn = begin_write(db).await?;
    let taken = specialist::Entity::find()
        .filter(specialist::Column::RegistrationNumber.eq(number.as_str()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(DomainError::conflict(
            "registration_number",
            format!("registration number {number} is already taken (numbers are never reused)"),
        ));
    }
    let now = caller.now();
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
        employer_industry: Set(input.employer_industry),
        exam_year: Set(input.exam_year),
        exam_season: Set(input.exam_season),
        registered_on: Set(input.registered_on),
        status: Set(SpecialistStatus::Active),
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
            "registration_number",
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
    // The first renewal cycle starts with the registration (and may have ended already).
    hooks::specialist_registered(&txn, caller, row.id, input.registered_on).await?;
    let row = specialist::Entity::find_by_id(row.id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "specialist",
            field: "",
        })?;
    super::record_publication_consents(&txn, caller, &row, None).await?;
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
