//! The course catalogue.

use crate::domain::renewal::permissions;
use entities::course;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::types::CourseKind;
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    pagination::{Direction, Page, PageArgs, paginate_by_id},
};

/// A course as given by staff.
#[derive(Debug, Clone)]
pub struct NewCourse {
    pub code: String,
    pub name: String,
    pub provider: String,
    /// The code of the provider whose system may upload the course's completion rosters.
    pub provider_code: Option<String>,
    pub kind: CourseKind,
    pub fiscal_year: i32,
    pub fee_yen: i64,
    pub hours: f64,
}

/// Adds a course to the catalogue (registry staff).
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    new: NewCourse,
) -> DomainResult<course::Model> {
    caller.actor.allow(&permissions::EDIT_COURSES)?;
    let mut v = Violations::default();
    let code_ok = !new.code.is_empty()
        && new.code.len() <= 40
        && new
            .code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !code_ok {
        v.push(
            "code",
            "must be 1–40 characters of letters, digits, - and _",
        );
    }
    for (field, value) in [("name", &new.name), ("provider", &new.provider)] {
        if value.trim().is_empty() || value.chars().count() > 200 {
            v.push(field, "must be 1–200 characters");
        }
    }
    if new
        .provider_code
        .as_deref()
        .is_some_and(|c| !crate::domain::is_code(c))
    {
        v.push(
            "provider_code",
            "must be 1–40 characters of A–Z, 0–9 and _ (the provider's token carries it as provider_id)",
        );
    }
    if !(2016..=2100).contains(&new.fiscal_year) {
        v.push("fiscal_year", "must be between 2016 and 2100");
    }
    if !(0..=10_000_000).contains(&new.fee_yen) {
        v.push("fee_yen", "must be between 0 and 10,000,000");
    }
    if !(new.hours.is_finite() && new.hours > 0.0 && new.hours <= 500.0) {
        v.push("hours", "must be more than 0 and at most 500");
    }
    v.into_result()?;
    let txn = begin_write(db).await?;
    let row = course::ActiveModel {
        code: Set(new.code.clone()),
        name: Set(new.name.trim().to_owned()),
        provider: Set(new.provider.trim().to_owned()),
        provider_code: Set(new.provider_code.clone()),
        kind: Set(new.kind),
        fiscal_year: Set(new.fiscal_year),
        fee_yen: Set(i32::try_from(new.fee_yen).unwrap_or_default()),
        hours: Set(new.hours),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(err, "code", "a course with this code already exists")
    })?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "course.create",
            target_type: "Course",
            target_id: row.code.clone(),
            details: json!({ "kind": row.kind, "fiscalYear": row.fiscal_year }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Filters of the catalogue; empty lists are ignored.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    pub kinds: Vec<CourseKind>,
    /// Courses designated for any of these fiscal years.
    pub fiscal_years: Vec<i32>,
}

fn condition(filter: &CourseFilter) -> DomainResult<Condition> {
    crate::domain::pagination::check_filter_len("filter.fiscal_years", &filter.fiscal_years)?;
    let mut c = Condition::all();
    if !filter.kinds.is_empty() {
        c = c.add(course::Column::Kind.is_in(filter.kinds.iter().map(|k| k.as_str())));
    }
    if !filter.fiscal_years.is_empty() {
        c = c.add(course::Column::FiscalYear.is_in(filter.fiscal_years.clone()));
    }
    Ok(c)
}

/// A page of the catalogue, in the order courses were added. Public.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &CourseFilter,
    args: &PageArgs,
) -> DomainResult<Page<course::Model>> {
    paginate_by_id(
        db,
        course::Entity::find().filter(condition(filter)?),
        course::Column::Id,
        Direction::Ascending,
        args,
        |row| row.id,
    )
    .await
}

/// How many courses match the filter.
pub async fn count<C: ConnectionTrait>(db: &C, filter: &CourseFilter) -> DomainResult<u64> {
    Ok(course::Entity::find()
        .filter(condition(filter)?)
        .count(db)
        .await?)
}

/// Courses by id, in the order of `ids`. Public.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<Option<course::Model>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = course::Entity::find()
        .filter(course::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .map(|id| rows.iter().find(|r| r.id == *id).cloned())
        .collect())
}
