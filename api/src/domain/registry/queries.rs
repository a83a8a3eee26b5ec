//! Reading the registry: one specialist, a filtered page, counts and status histories.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::{specialist, specialist_status_event};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, LikeExpr},
};

use super::{
    types::{RegistrationNumber, SpecialistStatus},
    views::SpecialistView,
};
use crate::domain::{
    Actor, Caller, DomainError, DomainResult, Visible,
    error::Violations,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, UPDATED_AT, paginate},
    permissions::{SYNC_PUBLIC_LISTS, refuse_analysts},
    prefecture::PrefectureCode,
};

/// Filters of the specialist list. Every field narrows the list; empty lists are ignored.
#[derive(Debug, Clone, Default)]
pub struct SpecialistFilter {
    pub prefectures: Vec<String>,
    pub statuses: Vec<SpecialistStatus>,
    pub name_contains: Option<String>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    /// Registrations changed at or after this time (registry staff only).
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

/// The orders a specialist list can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecialistOrderField {
    #[default]
    RegistrationNumber,
    RegisteredOn,
    NameKana,
    /// Last change, then id: the order a mirror syncs in (registry staff only).
    UpdatedAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpecialistOrder {
    pub field: SpecialistOrderField,
    pub descending: bool,
}

/// One specialist by registration number, as the caller may see them; `None` when there
/// is no such specialist or the caller may not see them (the two are indistinguishable).
pub async fn by_registration_number<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    registration_number: &str,
) -> DomainResult<Option<SpecialistView>> {
    refuse_analysts(&caller.actor)?;
    let number = RegistrationNumber::parse(registration_number)
        .map_err(|reason| DomainError::invalid("registration_number", reason))?;
    let row = specialist::Entity::find()
        .filter(specialist::Column::RegistrationNumber.eq(number.as_str()))
        .one(db)
        .await?;
    Ok(row.and_then(|row| SpecialistView::for_actor(&caller.actor, row)))
}

/// Specialists by primary key, in the order of `ids`; `None` where a specialist does not
/// exist or is hidden from the caller. One statement whatever the number of ids.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<SpecialistView>>> {
    refuse_analysts(&caller.actor)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: HashMap<i64, specialist::Model> = specialist::Entity::find()
        .filter(specialist::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    Ok(ids
        .iter()
        .map(|id| {
            rows.remove(id)
                .and_then(|row| SpecialistView::for_actor(&caller.actor, row))
        })
        .collect())
}

/// The rows a caller may list at all: everything for staff; otherwise listed (active)
/// registrations, plus a specialist's own record. Filters narrow it and never widen it.
fn scope(actor: &Actor) -> Visible {
    if actor.is_registry_staff() {
        return Visible::everything();
    }
    let listed = specialist::Column::Status.eq(SpecialistStatus::Active.as_str());
    Visible::within(match actor.own_registration_number() {
        Some(own) => Condition::any()
            .add(listed)
            .add(specialist::Column::RegistrationNumber.eq(own)),
        None => Condition::all().add(listed),
    })
}

/// `condition` over the rows whose `consent` column allows it, or over everything for
/// staff: a public caller can never learn a withheld value by filtering on it.
fn within_consent(actor: &Actor, consent: specialist::Column, condition: Condition) -> Condition {
    if actor.is_registry_staff() {
        return condition;
    }
    let consented = Condition::all()
        .add(consent.eq(true))
        .add(condition.clone());
    match actor.own_registration_number() {
        Some(own) => Condition::any().add(consented).add(
            Condition::all()
                .add(specialist::Column::RegistrationNumber.eq(own))
                .add(condition),
        ),
        None => consented,
    }
}

/// Escapes `%`, `_` and the escape character itself for a LIKE pattern with `ESCAPE '!'`.
fn like_pattern(needle: &str) -> String {
    let mut pattern = String::from("%");
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern.to_lowercase()
}

fn name_condition(columns: [&str; 2], pattern: &str) -> Condition {
    let [family, given] = columns;
    // Our own column names only: the needle itself is always a bound parameter.
    let like = |sql: String| Expr::cust(sql).like(LikeExpr::new(pattern).escape('!'));
    Condition::any()
        .add(like(format!("LOWER({family})")))
        .add(like(format!("LOWER({given})")))
        .add(like(format!("LOWER({family} || {given})")))
}

/// Turns a filter into a condition, refusing malformed values.
fn filter_condition(actor: &Actor, filter: &SpecialistFilter) -> DomainResult<Condition> {
    if filter.updated_since.is_some() {
        actor.allow(&SYNC_PUBLIC_LISTS)?;
    }
    let mut violations = Violations::default();
    let mut condition = scope(actor);

    let prefectures: Vec<&'static str> = filter
        .prefectures
        .iter()
        .filter_map(|code| {
            violations.check(
                "filter.prefectures",
                PrefectureCode::parse(code).map(|p| p.as_str()),
            )
        })
        .collect();
    if let (Some(from), Some(to)) = (filter.registered_from, filter.registered_to)
        && from > to
    {
        violations.push("filter.registered_to", "must not be before registeredFrom");
    }
    let needle: Option<String> = filter
        .name_contains
        .as_deref()
        .map(|n| n.chars().filter(|c| !c.is_whitespace()).collect())
        .filter(|n: &String| !n.is_empty());
    if needle.as_ref().is_some_and(|n| n.chars().count() > 100) {
        violations.push("filter.name_contains", "must be at most 100 characters");
    }
    violations.into_result()?;

    if !prefectures.is_empty() {
        condition = condition.and(within_consent(
            actor,
            specialist::Column::DisclosePrefecture,
            Condition::all().add(specialist::Column::PrefectureCode.is_in(prefectures)),
        ));
    }
    if !filter.statuses.is_empty() {
        condition = condition
            .and(specialist::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(from) = filter.registered_from {
        condition = condition.and(specialist::Column::RegisteredOn.gte(from));
    }
    if let Some(to) = filter.registered_to {
        condition = condition.and(specialist::Column::RegisteredOn.lte(to));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.and(specialist::Column::UpdatedAt.gte(since));
    }
    if let Some(needle) = needle {
        let pattern = like_pattern(&needle);
        condition = condition.and(
            Condition::any()
                .add(within_consent(
                    actor,
                    specialist::Column::DiscloseName,
                    name_condition(["family_name", "given_name"], &pattern),
                ))
                .add(within_consent(
                    actor,
                    specialist::Column::DiscloseKana,
                    name_condition(["family_name_kana", "given_name_kana"], &pattern),
                )),
        );
    }
    Ok(condition.into_condition())
}

/// The name and keys of a specialist order; ordering by name or by update time is for
/// callers who see what the order reveals.
fn order_keys(
    actor: &Actor,
    field: SpecialistOrderField,
) -> DomainResult<(&'static str, Vec<SortKey<specialist::Column>>)> {
    use specialist::Column as Col;
    Ok(match field {
        SpecialistOrderField::RegistrationNumber => (
            "REGISTRATION_NUMBER",
            vec![SortKey {
                column: Col::RegistrationNumber,
                kind: KeyKind::Text,
            }],
        ),
        SpecialistOrderField::RegisteredOn => (
            "REGISTERED_ON",
            vec![
                SortKey {
                    column: Col::RegisteredOn,
                    kind: KeyKind::Date,
                },
                SortKey {
                    column: Col::Id,
                    kind: KeyKind::Int,
                },
            ],
        ),
        SpecialistOrderField::NameKana => {
            if !actor.is_registry_staff() {
                return Err(DomainError::Forbidden(
                    "ordering by name is for registry staff: names are private by default",
                ));
            }
            (
                "NAME_KANA",
                vec![
                    SortKey {
                        column: Col::FamilyNameKana,
                        kind: KeyKind::Text,
                    },
                    SortKey {
                        column: Col::GivenNameKana,
                        kind: KeyKind::Text,
                    },
                    SortKey {
                        column: Col::Id,
                        kind: KeyKind::Int,
                    },
                ],
            )
        }
        SpecialistOrderField::UpdatedAt => {
            actor.allow(&SYNC_PUBLIC_LISTS)?;
            (
                UPDATED_AT,
                vec![
                    SortKey {
                        column: Col::UpdatedAt,
                        kind: KeyKind::Instant,
                    },
                    SortKey {
                        column: Col::Id,
                        kind: KeyKind::Int,
                    },
                ],
            )
        }
    })
}

/// One page of specialists the caller may see, filtered and ordered.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &SpecialistFilter,
    order: SpecialistOrder,
    page: &PageArgs,
) -> DomainResult<Page<SpecialistView>> {
    refuse_analysts(&caller.actor)?;
    let actor = &caller.actor;
    let condition = filter_condition(actor, filter)?;
    let (name, keys) = order_keys(actor, order.field)?;
    let order_name = format!("{name}_{}", if order.descending { "DESC" } else { "ASC" });
    let field = order.field;
    let page = paginate(
        db,
        specialist::Entity::find().filter(condition),
        &order_name,
        &keys,
        !order.descending,
        page,
        |row| match field {
            SpecialistOrderField::RegistrationNumber => {
                vec![KeyValue::Text(row.registration_number.clone())]
            }
            SpecialistOrderField::RegisteredOn => {
                vec![KeyValue::date(row.registered_on), KeyValue::Int(row.id)]
            }
            SpecialistOrderField::NameKana => vec![
                KeyValue::Text(row.family_name_kana.clone()),
                KeyValue::Text(row.given_name_kana.clone()),
                KeyValue::Int(row.id),
            ],
            SpecialistOrderField::UpdatedAt => {
                vec![KeyValue::instant(row.updated_at), KeyValue::Int(row.id)]
            }
        },
    )
    .await?;
    let access_actor = actor.clone();
    let views = page.items.into_iter().filter_map(|(cursor, row)| {
        SpecialistView::for_actor(&access_actor, row).map(|view| (cursor, view))
    });
    Ok(Page {
        items: views.collect(),
        has_previous_page: page.has_previous_page,
        has_next_page: page.has_next_page,
    })
}

/// How many specialists match the filter, for `totalCount`.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &SpecialistFilter,
) -> DomainResult<u64> {
    refuse_analysts(&caller.actor)?;
    let condition = filter_condition(&caller.actor, filter)?;
    Ok(specialist::Entity::find()
        .filter(condition)
        .count(db)
        .await?)
}

/// One entry of a specialist's status history.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub id: i64,
    pub specialist_id: i64,
    pub status: SpecialistStatus,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub recorded_by: String,
}

impl From<specialist_status_event::Model> for StatusChange {
    fn from(row: specialist_status_event::Model) -> Self {
        Self {
            id: row.id,
            specialist_id: row.specialist_id,
            status: row.status,
            effective_on: row.effective_on,
            reason: row.reason,
            recorded_at: row.recorded_at,
            recorded_by: row.recorded_by,
        }
    }
}

/// The status histories of several specialists, oldest first, in one statement. The
/// caller must already have been shown the specialists in full: histories are private.
pub async fn status_histories<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<StatusChange>>> {
    let rows = specialist_status_event::Entity::find()
        .filter(specialist_status_event::Column::SpecialistId.is_in(specialist_ids.iter().copied()))
        .order_by_asc(specialist_status_event::Column::EffectiveOn)
        .order_by_asc(specialist_status_event::Column::Id)
        .all(db)
        .await?;
    let mut histories: HashMap<i64, Vec<StatusChange>> = HashMap::new();
    for row in rows {
        histories
            .entry(row.specialist_id)
            .or_default()
            .push(row.into());
    }
    Ok(histories)
}
