//! Support organizations (支援機関): chambers of commerce, societies of commerce, SME
//! support centres, industry associations and local governments that bring SMEs and
//! specialists together. Registry staff keep the list; anybody may read it.

use crate::domain::matching::permissions;
use entities::{organization_prefecture, support_organization};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Select, Set, sea_query::Query,
};
use serde::Deserialize;
use serde_json::json;

use super::types::OrganizationKind;
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    find_in_order, is_code,
    pagination::{Direction, Page, PageArgs, paginate_by_id},
    prefecture::PrefectureCode,
    registry::types::{Email, parse_required_text},
    versioned::Versioned,
};

/// An organization as given by staff; `None` leaves a field as it is when updating.
#[derive(Debug, Clone, Default)]
pub struct OrganizationInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<OrganizationKind>,
    pub prefectures: Option<Vec<String>>,
    pub contact_email: Option<String>,
}

struct Checked {
    name: Option<String>,
    prefectures: Option<Vec<&'static str>>,
    email: Option<String>,
}

fn check(input: &OrganizationInput, v: &mut Violations) -> Checked {
    if input.code.as_deref().is_some_and(|code| !is_code(code)) {
        v.push("code", "must be 1–40 characters of A–Z, 0–9 and _");
    }
    let name = input
        .name
        .as_deref()
        .and_then(|n| v.check("name", parse_required_text(n, 200)));
    let prefectures = input.prefectures.as_ref().map(|codes| {
        if codes.is_empty() {
            v.push("prefectures", "name at least one prefecture");
        }
        let mut parsed: Vec<&'static str> = codes
            .iter()
            .enumerate()
            .filter_map(|(i, code)| {
                v.check(&format!("prefectures.{i}"), PrefectureCode::parse(code))
                    .map(|p| p.as_str())
            })
            .collect();
        parsed.sort_unstable();
        parsed.dedup();
        parsed
    });
    let email = input
        .contact_email
        .as_deref()
        .and_then(|e| v.check("contact_email", Email::parse(e)))
        .map(|e| e.as_str().to_owned());
    Checked {
        name,
        prefectures,
        email,
    }
}

async fn write_prefectures<C: ConnectionTrait>(
    db: &C,
    organization_id: i64,
    codes: &[&'static str],
) -> DomainResult<()> {
    organization_prefecture::Entity::delete_many()
        .filter(organization_prefecture::Column::OrganizationId.eq(organization_id))
        .exec(db)
        .await?;
    organization_prefecture::Entity::insert_many(codes.iter().map(|code| {
        organization_prefecture::ActiveModel {
            organization_id: Set(organization_id),
            prefecture_code: Set((*code).to_owned()),
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Registers a support organization (registry staff). Every field is required.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: OrganizationInput,
) -> DomainResult<support_organization::Model> {
    caller.actor.allow(&permissions::REGISTER_ORGANIZATIONS)?;
    let mut v = Violations::default();
    v.require_present(&[
        ("code", input.code.is_none()),
        ("name", input.name.is_none()),
        ("kind", input.kind.is_none()),
        ("prefectures", input.prefectures.is_none()),
        ("contact_email", input.contact_email.is_none()),
    ]);
    let checked = check(&input, &mut v);
    v.into_result()?;
    let prefectures = checked.prefectures.unwrap_or_default();
    let txn = begin_write(db).await?;
    let now = caller.now();
    let row = support_organization::ActiveModel {
        code: Set(input.code.unwrap_or_default()),
        name: Set(checked.name.unwrap_or_default()),
        kind: Set(input.kind.unwrap_or(OrganizationKind::Other)),
        prefecture_codes: Set(json!(prefectures)),
        contact_email: Set(checked.email.unwrap_or_default()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(err, "code", "an organization with this code already exists")
    })?;
    write_prefectures(&txn, row.id, &prefectures).await?;
    audit_organization(&txn, caller, "organization.create", &row).await?;
    txn.commit().await?;
    Ok(row)
}

const VERSIONED: Versioned<support_organization::Entity> = Versioned {
    id: support_organization::Column::Id,
    version: support_organization::Column::Version,
    updated_at: support_organization::Column::UpdatedAt,
    field: "expected_version",
    what: "support organization",
};

/// Changes an organization (registry staff) if it is still at `expected_version`. Its
/// code never changes: staff tokens name it.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    input: OrganizationInput,
) -> DomainResult<support_organization::Model> {
    caller.actor.allow(&permissions::EDIT_ORGANIZATIONS)?;
    let mut v = Violations::default();
    if input.code.is_some() {
        v.push("code", "an organization's code never changes");
    }
    let checked = check(&input, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    support_organization::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "support organization",
            field: "id",
        })?;
    let mut changes = <support_organization::ActiveModel as Default>::default();
    if let Some(name) = checked.name {
        changes.name = Set(name);
    }
    if let Some(kind) = input.kind {
        changes.kind = Set(kind);
    }
    if let Some(prefectures) = &checked.prefectures {
        changes.prefecture_codes = Set(json!(prefectures));
        write_prefectures(&txn, id, prefectures).await?;
    }
    if let Some(email) = checked.email {
        changes.contact_email = Set(email);
    }
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_organization(&txn, caller, "organization.update", &row).await?;
    txn.commit().await?;
    Ok(row)
}

async fn audit_organization<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &support_organization::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "SupportOrganization",
            target_id: row.code.clone(),
            details: json!({ "kind": row.kind, "prefectures": row.prefecture_codes }),
        },
    )
    .await
}

/// The prefecture codes an organization covers.
pub fn prefectures_of(row: &support_organization::Model) -> Vec<String> {
    Vec::<String>::deserialize(&row.prefecture_codes).unwrap_or_default()
}

/// Filters of the organization list; empty means any.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    /// Organizations covering any of these prefectures.
    pub prefectures: Vec<String>,
    pub kinds: Vec<OrganizationKind>,
}

fn select(filter: &OrganizationFilter) -> DomainResult<Select<support_organization::Entity>> {
    let mut select = support_organization::Entity::find();
    let prefectures = PrefectureCode::parse_all("filter.prefectures", &filter.prefectures)?;
    if !prefectures.is_empty() {
        select = select.filter(
            support_organization::Column::Id.in_subquery(
                Query::select()
                    .column(organization_prefecture::Column::OrganizationId)
                    .from(organization_prefecture::Entity)
                    .and_where(organization_prefecture::Column::PrefectureCode.is_in(prefectures))
                    .to_owned(),
            ),
        );
    }
    if !filter.kinds.is_empty() {
        select = select.filter(
            support_organization::Column::Kind.is_in(filter.kinds.iter().map(|k| k.as_str())),
        );
    }
    Ok(select)
}

/// A page of organizations in the order they were registered. Public.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &OrganizationFilter,
    args: &PageArgs,
) -> DomainResult<Page<support_organization::Model>> {
    let select = select(filter)?;
    paginate_by_id(
        db,
        select,
        support_organization::Column::Id,
        Direction::Ascending,
        args,
        |row| row.id,
    )
    .await
}

/// How many organizations match the filter.
pub async fn count<C: ConnectionTrait>(db: &C, filter: &OrganizationFilter) -> DomainResult<u64> {
    Ok(select(filter)?.count(db).await?)
}

/// Organizations by id (public), in no particular order.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> DomainResult<Vec<support_organization::Model>> {
    let found = find_in_order::<support_organization::Entity, _>(
        db,
        support_organization::Column::Id,
        ids,
        sea_orm::Condition::all(),
        |row| row.id,
    )
    .await?;
    Ok(found.into_iter().flatten().collect())
}
