//! Corrections by staff and profile changes by the specialist.

use crate::domain::registry::permissions;
use entities::specialist;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::domain::{
    Caller, DomainError, DomainResult, begin_write,
    error::Violations,
    industry::Industry,
    prefecture::PrefectureCode,
    registry::{
        types::{Email, ExamSeason, parse_kana, parse_name, parse_optional_text},
        views::SpecialistView,
    },
};

use super::{Change, Edit, check_birth, check_exam, full_view, load, optional_phone, save};

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
    /// The employer's industry.
    pub employer_industry: Change<Industry>,
}

/// Applies staff corrections (registry staff only).
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    patch: SpecialistPatch,
) -> DomainResult<SpecialistView> {
    caller.actor.allow(&permissions::CORRECT_REGISTRATIONS)?;
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
        && let Some(value) = v.check("family_name", parse_name(raw))
    {
        set!("familyName", family_name, value);
    }
    if let Some(raw) = &patch.given_name
        && let Some(value) = v.check("given_name", parse_name(raw))
    {
        set!("givenName", given_name, value);
    }
    if let Some(raw) = &patch.family_name_kana
        && let Some(value) = v.check("family_name_kana", parse_kana(raw))
    {
        set!("familyNameKana", family_name_kana, value);
    }
    if let Some(raw) = &patch.given_name_kana
        && let Some(value) = v.check("given_name_kana", parse_kana(raw))
    {
        set!("givenNameKana", given_name_kana, value);
    }
    if let Some(raw) = &patch.birth_year_month
        && let Some(birth) = check_birth(&mut v, "birth_year_month", raw, caller.today())
    {
        changes.birth_year = Set(birth.year);
        set!("birthYearMonth", birth_month, birth.month as i16);
    }
    if let Some(season) = patch.exam_season {
        set!("examPassedSeason", exam_season, season);
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
        Edit {
            action: "specialist.update",
            fields: &changed,
            terms_shown: None,
        },
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
        && let Some(email) = v.check("email", Email::parse(raw))
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
            if let Some(phone) = v.check("phone", optional_phone(Some(raw))) {
                changes.phone = Set(phone.map(|p| p.as_str().to_owned()));
                changed.push("phone");
            }
        }
    }
    if let Some(raw) = contact.prefecture.as_deref()
        && let Some(code) = v.check("prefecture", PrefectureCode::parse(raw.trim()))
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
            if let Some(employer) = v.check("employer", parse_optional_text(raw, 200)) {
                changes.employer = Set(employer);
                changed.push("employer");
            }
        }
    }
    match contact.employer_industry {
        Change::Keep => {}
        Change::Clear => {
            changes.employer_industry = Set(None);
            changed.push("employerIndustry");
        }
        Change::Set(industry) => {
            changes.employer_industry = Set(Some(industry));
            changed.push("employerIndustry");
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
    /// The version of the publication terms the specialist was shown, when the client
    /// says; it must be the one in force.
    pub terms_version: Option<String>,
}

/// A specialist updates their own contact details and disclosure consents.
pub async fn update_my_profile(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: i32,
    patch: ProfilePatch,
) -> DomainResult<SpecialistView> {
    caller.actor.allow(&permissions::UPDATE_OWN_PROFILE)?;
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
            field: "",
        })?;
    let row = save(
        &txn,
        caller,
        &row,
        expected_version,
        changes,
        Edit {
            action: "specialist.update_profile",
            fields: &changed,
            terms_shown: patch.terms_version.as_deref(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(full_view(row))
}
