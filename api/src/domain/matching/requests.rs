//! Consultation requests: what a company needs advice on, filed by the company or by a
//! support organization on its behalf.
//!
//! `OPEN → MATCHING → MATCHED → IN_PROGRESS → COMPLETED`, or `CANCELLED` (by the company,
//! its organization or staff, while no specialist has accepted) or `EXPIRED` (by the
//! sweep, when nobody was matched within [`OPEN_DAYS`]).

use crate::domain::matching::permissions;
use chrono::{DateTime, Days, NaiveDate, Utc};
use entities::{company, consultation_request, guidance_theme, matching, request_theme};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Select, Set, sea_query::Query,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    companies::supported_by,
    scope::{Scope, scope_of},
    types::{MatchStatus, RequestStatus, Urgency},
};
use crate::domain::{
    Caller, DomainError, DomainResult, Visible,
    active_list::{themes, types::parse_language},
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    find_in_order,
    pagination::{
        Direction, KeyKind, KeyValue, ListOrder, Page, PageArgs, SortKey, paginate_by_time,
        paginate_by_update,
    },
    prefecture::PrefectureCode,
    versioned::Versioned,
};

/// A request left unmatched this many days after it was opened expires.
pub const OPEN_DAYS: u64 = 90;

/// The most themes a request names.
pub const MAX_THEMES: usize = 10;

/// A new request.
/// The largest budget a request may name, in yen.
pub const MAX_BUDGET_YEN: i64 = 1_000_000_000;

#[derive(Debug, Clone)]
pub struct RequestInput {
    pub company_id: i64,
    pub theme_codes: Vec<String>,
    pub description: String,
    /// The company's prefecture when omitted.
    pub prefecture: Option<String>,
    pub remote_ok: bool,
    pub urgency: Urgency,
    pub budget_max_yen: Option<i64>,
    /// Japanese (`ja`) when omitted.
    pub language: Option<String>,
}

/// The theme ids a request names.
pub fn theme_ids_of(row: &consultation_request::Model) -> Vec<i64> {
    Vec::<i64>::deserialize(&row.theme_ids).unwrap_or_default()
}

/// The requests a scope sees; filters narrow it and never widen it.
fn visible(scope: Scope) -> Visible {
    match scope {
        Scope::All => Visible::everything(),
        Scope::Organization(org) => Visible::within(
            Condition::any()
                .add(consultation_request::Column::OrganizationId.eq(org))
                .add(consultation_request::Column::CompanyId.in_subquery(supported_by(org))),
        ),
        Scope::Company(id) => {
            Visible::within(Condition::all().add(consultation_request::Column::CompanyId.eq(id)))
        }
        Scope::Specialist(s) => Visible::within(
            Condition::all().add(
                consultation_request::Column::Id.in_subquery(
                    Query::select()
                        .column(matching::Column::RequestId)
                        .from(matching::Entity)
                        .and_where(matching::Column::SpecialistId.eq(s))
                        .to_owned(),
                ),
            ),
        ),
        Scope::Nothing => Visible::nothing(),
    }
}

/// Files a request for a company the caller acts for: the company itself, the organization
/// supporting it, or registry staff.
pub async fn file(
    db: &DatabaseConnection,
    caller: &Caller,
    input: RequestInput,
) -> DomainResult<consultation_request::Model> {
    caller.actor.allow(&permissions::FILE_REQUESTS)?;
    let mut v = Violations::default();
    if input.theme_codes.is_empty() || input.theme_codes.len() > MAX_THEMES {
        v.push("themes", format!("name 1 to {MAX_THEMES} themes"));
    }
    let description = input.description.trim().to_owned();
    if !(1..=4000).contains(&description.chars().count()) {
        v.push("description", "must be 1–4000 characters");
    }
    if let Some(code) = &input.prefecture {
        v.check("prefecture", PrefectureCode::parse(code));
    }
    if input
        .budget_max_yen
        .is_some_and(|b| !(0..=MAX_BUDGET_YEN).contains(&b))
    {
        v.push("budget_max_yen", "must be between 0 and 1,000,000,000 yen");
    }
    let language = match &input.language {
        Some(code) => v.check("language", parse_language(code)),
        None => Some("ja".to_owned()),
    };
    let txn = begin_write(db).await?;
    let scope = scope_of(&txn, &caller.actor).await?;
    let company = company::Entity::find_by_id(input.company_id)
        .one(&txn)
        .await?
        .filter(|c| match scope {
            Scope::All => true,
            Scope::Organization(org) => c.support_organization_id == Some(org),
            Scope::Company(id) => c.id == id,
            Scope::Specialist(_) | Scope::Nothing => false,
        })
        .ok_or(DomainError::NotFound {
            entity: "company",
            field: "company_id",
        })?;
    let mut theme_ids = Vec::new();
    if !input.theme_codes.is_empty() {
        let found: Vec<guidance_theme::Model> = themes::by_codes(&txn, &input.theme_codes).await?;
        for (i, code) in input.theme_codes.iter().enumerate() {
            match found.iter().find(|t| &t.code == code) {
                Some(t) if !t.active => {
                    v.push(&format!("themes.{i}"), format!("{code} is retired"))
                }
                Some(t) if !theme_ids.contains(&t.id) => theme_ids.push(t.id),
                Some(_) => {}
                None => v.push(
                    &format!("themes.{i}"),
                    format!("{code} is not a guidance theme"),
                ),
            }
        }
    }
    v.into_result()?;
    let organization_id = match scope {
        Scope::Organization(org) => Some(org),
        _ => company.support_organization_id,
    };
    let now = caller.now();
    let row = consultation_request::ActiveModel {
        company_id: Set(company.id),
        organization_id: Set(organization_id),
        status: Set(RequestStatus::Open),
        theme_ids: Set(json!(theme_ids)),
        description: Set(description),
        prefecture_code: Set(input.prefecture.unwrap_or(company.prefecture_code)),
        remote_ok: Set(input.remote_ok),
        urgency: Set(input.urgency),
        budget_max_yen: Set(input.budget_max_yen.and_then(|b| i32::try_from(b).ok())),
        language: Set(language.unwrap_or_else(|| "ja".to_owned())),
        filed_by: Set(caller.actor.subject().to_owned()),
        opened_on: Set(caller.today()),
        matched_at: Set(None),
        closed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    request_theme::Entity::insert_many(theme_ids.iter().map(|id| request_theme::ActiveModel {
        request_id: Set(row.id),
        theme_id: Set(*id),
    }))
    .exec_without_returning(&txn)
    .await?;
    audit_request(&txn, caller, "request.file", &row).await?;
    txn.commit().await?;
    Ok(row)
}

pub(super) const VERSIONED: Versioned<consultation_request::Entity> = Versioned {
    id: consultation_request::Column::Id,
    version: consultation_request::Column::Version,
    updated_at: consultation_request::Column::UpdatedAt,
    field: "expected_version",
    what: "consultation request",
};

/// Reads a request the caller acts for (the company, its organization, staff; not a
/// specialist), inside a write; `field` is the input that named it.
pub(super) async fn acted_for<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: i64,
    field: &'static str,
) -> DomainResult<consultation_request::Model> {
    let not_found = DomainError::NotFound {
        entity: "consultation request",
        field,
    };
    if matches!(scope, Scope::Specialist(_) | Scope::Nothing) {
        return Err(not_found);
    }
    consultation_request::Entity::find()
        .filter(visible(scope).into_condition())
        .filter(consultation_request::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(not_found)
}

/// Cancels a request that no specialist has accepted yet; pending proposals are cancelled
/// with it.
pub async fn cancel(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
) -> DomainResult<consultation_request::Model> {
    caller.actor.allow(&permissions::CANCEL_REQUESTS)?;
    let txn = begin_write(db).await?;
    let scope = scope_of(&txn, &caller.actor).await?;
    let row = acted_for(&txn, scope, id, "id").await?;
    let status = row.status;
    if !status.is_seeking() {
        return Err(DomainError::invalid(
            "id",
            format!(
                "a request that is {} cannot be cancelled; cancel its match instead",
                status.as_str()
            ),
        ));
    }
    let now = caller.now();
    matching::Entity::update_many()
        .col_expr(
            matching::Column::Status,
            MatchStatus::Cancelled.as_str().into(),
        )
        .col_expr(
            matching::Column::CancelReason,
            "the request was cancelled".into(),
        )
        .col_expr(matching::Column::UpdatedAt, now.into())
        .filter(matching::Column::RequestId.eq(id))
        .filter(matching::Column::Status.eq(MatchStatus::Proposed.as_str()))
        .exec(&txn)
        .await?;
    let changes = consultation_request::ActiveModel {
        status: Set(RequestStatus::Cancelled),
        closed_at: Set(Some(now)),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_request(&txn, caller, "request.cancel", &row).await?;
    txn.commit().await?;
    Ok(row)
}

pub(super) async fn audit_request<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &consultation_request::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "ConsultationRequest",
            target_id: row.id.to_string(),
            details: json!({ "status": row.status, "companyId": row.company_id }),
        },
    )
    .await
}

/// Filters of the request list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub statuses: Vec<RequestStatus>,
    /// Requests of any of these companies.
    pub company_ids: Vec<i64>,
    /// Requests naming any of these themes (their codes).
    pub theme_codes: Vec<String>,
    /// Requests for any of these prefectures.
    pub prefectures: Vec<String>,
    /// Requests changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
}

async fn select<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &RequestFilter,
) -> DomainResult<Select<consultation_request::Entity>> {
    caller.actor.allow(&permissions::READ_REQUESTS)?;
    let scope = scope_of(db, &caller.actor).await?;
    let mut c = visible(scope);
    if !filter.statuses.is_empty() {
        c = c.and(
            consultation_request::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())),
        );
    }
    if !filter.company_ids.is_empty() {
        c = c.and(consultation_request::Column::CompanyId.is_in(filter.company_ids.clone()));
    }
    let prefectures = PrefectureCode::parse_all("filter.prefectures", &filter.prefectures)?;
    if !prefectures.is_empty() {
        c = c.and(consultation_request::Column::PrefectureCode.is_in(prefectures));
    }
    if let Some(since) = filter.updated_since {
        c = c.and(consultation_request::Column::UpdatedAt.gte(since));
    }
    if !filter.theme_codes.is_empty() {
        let theme_ids = themes::ids_of_codes(db, "filter.themes", &filter.theme_codes).await?;
        c = c.and(
            consultation_request::Column::Id.in_subquery(
                Query::select()
                    .column(request_theme::Column::RequestId)
                    .from(request_theme::Entity)
                    .and_where(request_theme::Column::ThemeId.is_in(theme_ids))
                    .to_owned(),
            ),
        );
    }
    Ok(consultation_request::Entity::find().filter(c.into_condition()))
}

/// A page of the requests the caller sees, newest first (or by last change).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &RequestFilter,
    order: ListOrder,
    args: &PageArgs,
) -> DomainResult<Page<consultation_request::Model>> {
    let select = select(db, caller, filter).await?;
    if order == ListOrder::UpdatedAt {
        let columns = (
            consultation_request::Column::UpdatedAt,
            consultation_request::Column::Id,
        );
        return paginate_by_update(db, select, columns, args, |row| (row.updated_at, row.id)).await;
    }
    paginate_by_time(
        db,
        select,
        (
            "OPENED_ON",
            SortKey {
                column: consultation_request::Column::OpenedOn,
                kind: KeyKind::Date,
            },
        ),
        consultation_request::Column::Id,
        Direction::Descending,
        args,
        |row| (KeyValue::date(row.opened_on), row.id),
    )
    .await
}

/// How many requests the caller sees with the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &RequestFilter,
) -> DomainResult<u64> {
    Ok(select(db, caller, filter).await?.count(db).await?)
}

/// The requests of these ids the caller sees, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<consultation_request::Model>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let scope = scope_of(db, &caller.actor).await?;
    if scope == Scope::Nothing {
        return Ok(vec![None; ids.len()]);
    }
    find_in_order::<consultation_request::Entity, _>(
        db,
        consultation_request::Column::Id,
        ids,
        visible(scope).into_condition(),
        |row| row.id,
    )
    .await
}

/// The last day a request opened on `opened_on` may still be matched.
pub fn open_until(opened_on: NaiveDate) -> NaiveDate {
    opened_on
        .checked_add_days(Days::new(OPEN_DAYS))
        .unwrap_or(NaiveDate::MAX)
}
