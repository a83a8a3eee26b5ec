//! People: one record per person, whatever their roles. A camp applicant creates theirs
//! with `save_mine` (the token's subject identifies them); a registered specialist who does
//! the same is linked to their registration, so one person carries both roles.

use crate::domain::camp::permissions;
use chrono::{Datelike, NaiveDate};
use entities::person;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};
use serde_json::json;

use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    find_in_order,
    prefecture::PrefectureCode,
    registry::own_specialist_id,
    registry::types::{Email, parse_kana, parse_name},
    versioned::Versioned,
};

/// A person's details as they give them.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub name: String,
    pub name_kana: String,
    pub birth_date: NaiveDate,
    pub email: String,
    pub prefecture: Option<String>,
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The person record of the caller, if they act for themselves and have one.
pub async fn own<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<Option<person::Model>> {
    let Some(subject) = caller.actor.individual_subject() else {
        return Ok(None);
    };
    Ok(person::Entity::find()
        .filter(person::Column::Subject.eq(subject))
        .one(db)
        .await?)
}

/// The caller's person record, or an input error telling them to create it first.
pub async fn require_own<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<person::Model> {
    caller.actor.allow(&permissions::ACT_AS_ONESELF)?;
    own(db, caller).await?.ok_or_else(|| {
        DomainError::invalid(
            "",
            "save your personal details (saveMyPerson) before applying or joining the community",
        )
    })
}

const VERSIONED: Versioned<person::Entity> = Versioned {
    id: person::Column::Id,
    version: person::Column::Version,
    updated_at: person::Column::UpdatedAt,
    field: "expected_version",
    what: "person",
};

/// The refusal when the caller's specialist registration is already another person's.
const TAKEN_REGISTRATION: &str =
    "your specialist registration already belongs to another person record";

/// The checked details, as the columns they fill: a name and kana, an e-mail address, a
/// prefecture when given, and a birth date that gives an age of 6 to 120 today.
fn check_details(input: &PersonInput, today: NaiveDate) -> DomainResult<person::ActiveModel> {
    let mut v = Violations::default();
    let name = v.check("name", parse_name(&input.name));
    let kana = v.check("name_kana", parse_kana(&input.name_kana));
    let email = v.check("email", Email::parse(&input.email));
    let prefecture = match &input.prefecture {
        Some(code) => v
            .check("prefecture", PrefectureCode::parse(code))
            .map(|p| Some(p.as_str().to_owned())),
        None => Some(None),
    };
    let age = age_on(input.birth_date, today);
    if !(6..=120).contains(&age) {
        v.push(
            "birth_date",
            format!("gives an age of {age} today; check the date"),
        );
    }
    v.into_result()?;
    let (Some(name), Some(kana), Some(email), Some(prefecture)) = (name, kana, email, prefecture)
    else {
        return Err(DomainError::invalid("", "is incomplete"));
    };
    Ok(person::ActiveModel {
        name: Set(name),
        name_kana: Set(kana),
        birth_date: Set(input.birth_date),
        email: Set(email.as_str().to_owned()),
        prefecture_code: Set(prefecture),
        ..Default::default()
    })
}

/// Creates or updates the caller's own person record (roles `PERSON` and `SPECIALIST`). A
/// specialist's record is linked to their registration. Updating needs the version read.
pub async fn save_mine(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: Option<i32>,
    input: PersonInput,
) -> DomainResult<person::Model> {
    caller.actor.allow(&permissions::KEEP_OWN_DETAILS)?;
    let details = check_details(&input, caller.today())?;
    let specialist_id = own_specialist_id(db, &caller.actor).await?;
    let txn = begin_write(db).await?;
    let existing = own(&txn, caller).await?;
    let row = match existing {
        None => {
            if expected_version.is_some() {
                return Err(DomainError::invalid(
                    "expected_version",
                    "you have no personal details yet; leave it out to create them",
                ));
            }
            let now = caller.now();
            person::ActiveModel {
                subject: Set(caller.actor.individual_subject().map(str::to_owned)),
                specialist_id: Set(specialist_id),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..details
            }
            .insert(&txn)
            .await
            .map_err(|err| DomainError::from_db_unique(err, "", TAKEN_REGISTRATION))?
        }
        Some(row) => {
            let Some(version) = expected_version else {
                return Err(DomainError::invalid(
                    "expected_version",
                    "is required to change personal details you already saved",
                ));
            };
            let changes = person::ActiveModel {
                specialist_id: Set(specialist_id.or(row.specialist_id)),
                ..details
            };
            VERSIONED
                .save(&txn, (row.id, version), changes, caller.now())
                .await
                .map_err(|err| match err {
                    DomainError::Db(db) => DomainError::from_db_unique(db, "", TAKEN_REGISTRATION),
                    other => other,
                })?
        }
    };
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "person.save",
            target_type: "Person",
            target_id: row.id.to_string(),
            details: json!({ "specialistId": row.specialist_id }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// What of people a caller may read: camp staff all, a person their own record.
fn visible(caller: &Caller) -> Option<Condition> {
    if caller.actor.is_camp_staff() {
        return Some(Condition::all());
    }
    caller
        .actor
        .individual_subject()
        .map(|subject| Condition::all().add(person::Column::Subject.eq(subject)))
}

/// People by id as the caller may see them, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<person::Model>>> {
    let Some(condition) = visible(caller) else {
        return Ok(vec![None; ids.len()]);
    };
    find_in_order::<person::Entity, _>(db, person::Column::Id, ids, condition, |row| row.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_completed_years() {
        let birth = NaiveDate::from_ymd_opt(2004, 8, 12).unwrap();
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 8, 11).unwrap()),
            21
        );
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 8, 12).unwrap()),
            22
        );
        let leap = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        assert_eq!(
            age_on(leap, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()),
            17
        );
        assert_eq!(
            age_on(leap, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            18
        );
    }
}
