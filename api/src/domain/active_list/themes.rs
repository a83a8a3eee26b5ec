//! Guidance themes: a taxonomy staff extend. Retiring a theme hides it from new entries and
//! keeps it on the entries that already name it.

use crate::domain::active_list::permissions;
use entities::guidance_theme;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use super::types::ThemeCategory;
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    is_code,
};

/// Every theme in display order; retired ones only when asked for. Public.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    include_retired: bool,
) -> DomainResult<Vec<guidance_theme::Model>> {
    let mut select = guidance_theme::Entity::find()
        .order_by_asc(guidance_theme::Column::DisplayOrder)
        .order_by_asc(guidance_theme::Column::Id);
    if !include_retired {
        select = select.filter(guidance_theme::Column::Active.eq(true));
    }
    Ok(select.all(db).await?)
}

/// Themes by id (any state), in no particular order.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<guidance_theme::Model>> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        rows.extend(
            guidance_theme::Entity::find()
                .filter(guidance_theme::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// Themes by code (any state), in no particular order.
pub async fn by_codes<C: ConnectionTrait>(
    db: &C,
    codes: &[String],
) -> DomainResult<Vec<guidance_theme::Model>> {
    Ok(guidance_theme::Entity::find()
        .filter(guidance_theme::Column::Code.is_in(codes.to_vec()))
        .all(db)
        .await?)
}

/// The IDs of the themes a filter's list `field` names by code: at most
/// [`MAX_FILTER_VALUES`](crate::domain::pagination::MAX_FILTER_VALUES), and each must be a
/// theme (`field.N` says which is not).
pub async fn ids_of_codes<C: ConnectionTrait>(
    db: &C,
    field: &str,
    codes: &[String],
) -> DomainResult<Vec<i64>> {
    crate::domain::pagination::check_filter_len(field, codes)?;
    let found = by_codes(db, codes).await?;
    let mut violations = Violations::default();
    for (i, code) in codes.iter().enumerate() {
        if !found.iter().any(|theme| &theme.code == code) {
            violations.push(
                &format!("{field}.{i}"),
                format!("{code} is not a guidance theme"),
            );
        }
    }
    violations.into_result()?;
    Ok(found.into_iter().map(|theme| theme.id).collect())
}

/// A theme as given by staff; `None` leaves a field as it is when updating.
#[derive(Debug, Clone, Default)]
pub struct ThemeInput {
    pub code: Option<String>,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub description: Option<String>,
    pub category: Option<ThemeCategory>,
    pub display_order: Option<i32>,
    pub active: Option<bool>,
}

fn check(input: &ThemeInput, v: &mut Violations) {
    if input.code.as_deref().is_some_and(|code| !is_code(code)) {
        v.push("code", "must be 1–40 characters of A–Z, 0–9 and _");
    }
    for (field, value, max) in [
        ("name_ja", &input.name_ja, 200),
        ("name_en", &input.name_en, 200),
        ("description", &input.description, 2000),
    ] {
        if let Some(value) = value
            && (value.trim().is_empty() || value.chars().count() > max)
        {
            v.push(field, format!("must be 1–{max} characters"));
        }
    }
    if input
        .display_order
        .is_some_and(|o| !(0..=100_000).contains(&o))
    {
        v.push("display_order", "must be between 0 and 100,000");
    }
}

/// Adds a theme (registry staff). Every field but `active` (default true) is required.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: ThemeInput,
) -> DomainResult<guidance_theme::Model> {
    caller.actor.allow(&permissions::EDIT_THEMES)?;
    let mut v = Violations::default();
    v.require_present(&[
        ("code", input.code.is_none()),
        ("name_ja", input.name_ja.is_none()),
        ("name_en", input.name_en.is_none()),
        ("description", input.description.is_none()),
        ("category", input.category.is_none()),
    ]);
    check(&input, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let now = caller.now();
    let row = guidance_theme::ActiveModel {
        code: Set(input.code.unwrap_or_default()),
        name_ja: Set(input.name_ja.unwrap_or_default().trim().to_owned()),
        name_en: Set(input.name_en.unwrap_or_default().trim().to_owned()),
        description: Set(input.description.unwrap_or_default().trim().to_owned()),
        category: Set(input.category.unwrap_or(ThemeCategory::Governance)),
        display_order: Set(input.display_order.unwrap_or(1000)),
        active: Set(input.active.unwrap_or(true)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(err, "code", "a theme with this code already exists")
    })?;
    audit_theme(&txn, caller, "theme.create", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes a theme (registry staff); `active: false` retires it. The code never changes.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    input: ThemeInput,
) -> DomainResult<guidance_theme::Model> {
    caller.actor.allow(&permissions::EDIT_THEMES)?;
    let mut v = Violations::default();
    if input.code.is_some() {
        v.push("code", "a theme's code never changes; add a new theme");
    }
    check(&input, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let row = guidance_theme::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "guidance theme",
            field: "id",
        })?;
    let mut changes: guidance_theme::ActiveModel = row.into();
    if let Some(name) = input.name_ja {
        changes.name_ja = Set(name.trim().to_owned());
    }
    if let Some(name) = input.name_en {
        changes.name_en = Set(name.trim().to_owned());
    }
    if let Some(description) = input.description {
        changes.description = Set(description.trim().to_owned());
    }
    if let Some(category) = input.category {
        changes.category = Set(category);
    }
    if let Some(order) = input.display_order {
        changes.display_order = Set(order);
    }
    if let Some(active) = input.active {
        changes.active = Set(active);
    }
    changes.updated_at = Set(caller.now());
    let row = changes.update(&txn).await?;
    audit_theme(&txn, caller, "theme.update", &row).await?;
    txn.commit().await?;
    Ok(row)
}

async fn audit_theme<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &guidance_theme::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "GuidanceTheme",
            target_id: row.code.clone(),
            details: json!({ "active": row.active }),
        },
    )
    .await
}
