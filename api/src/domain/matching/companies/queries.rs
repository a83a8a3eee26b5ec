//! Reads of companies within the caller's scope: the list, counts, batches by id, the
//! caller's own company, and the companies an organization supports.

use super::super::{
    scope::{Scope, scope_of},
    types::MatchStatus,
};
use crate::domain::matching::permissions;
use crate::domain::{
    CHUNK, Caller, DomainResult, Visible, find_in_order,
    industry::Industry,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate, paginate_by_update},
    prefecture::PrefectureCode,
};
use entities::{company, consultation_request, matching};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    Select, sea_query::Query,
};
use std::collections::HashSet;

use super::{CompanyView, manages};

/// The companies (by id) with a request proposed to the specialist, and those whose
/// request the specialist accepted (whose contact details they see).
async fn known_to_specialist<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    company_ids: &[i64],
) -> DomainResult<(HashSet<i64>, HashSet<i64>)> {
    let mut proposed = HashSet::new();
    let mut accepted = HashSet::new();
    for chunk in company_ids.chunks(CHUNK) {
        let rows: Vec<(i64, MatchStatus)> = matching::Entity::find()
            .select_only()
            .column(consultation_request::Column::CompanyId)
            .column(matching::Column::Status)
            .join(
                sea_orm::JoinType::InnerJoin,
                matching::Entity::belongs_to(consultation_request::Entity)
                    .from(matching::Column::RequestId)
                    .to(consultation_request::Column::Id)
                    .into(),
            )
            .filter(matching::Column::SpecialistId.eq(specialist_id))
            .filter(consultation_request::Column::CompanyId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (company_id, status) in rows {
            proposed.insert(company_id);
            if matches!(
                status,
                MatchStatus::Accepted | MatchStatus::Active | MatchStatus::Completed
            ) {
                accepted.insert(company_id);
            }
        }
    }
    Ok((proposed, accepted))
}

/// The companies of these ids the caller may see, in the order of `ids`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<CompanyView>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let scope = scope_of(db, &caller.actor).await?;
    if scope == Scope::Nothing {
        return Ok(vec![None; ids.len()]);
    }
    let rows = find_in_order::<company::Entity, _>(
        db,
        company::Column::Id,
        ids,
        Condition::all(),
        |row| row.id,
    )
    .await?;
    let (proposed, accepted) = match scope {
        Scope::Specialist(s) => known_to_specialist(db, s, ids).await?,
        _ => Default::default(),
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let row = row?;
            let full = manages(scope, &row) || accepted.contains(&row.id);
            (full || proposed.contains(&row.id)).then_some(CompanyView { row, full })
        })
        .collect())
}

/// Filters of the company list.
#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    /// Companies in any of these prefectures.
    pub prefectures: Vec<String>,
    pub industries: Vec<Industry>,
    pub is_sme: Option<bool>,
    /// Companies changed at or after this time.
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

async fn select<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &CompanyFilter,
) -> DomainResult<Select<company::Entity>> {
    caller.actor.allow(&permissions::LIST_COMPANIES)?;
    let scope = scope_of(db, &caller.actor).await?;
    let mut c = match scope {
        Scope::All => Visible::everything(),
        Scope::Organization(org) => {
            Visible::within(Condition::all().add(company::Column::SupportOrganizationId.eq(org)))
        }
        Scope::Company(id) => Visible::within(Condition::all().add(company::Column::Id.eq(id))),
        Scope::Specialist(_) | Scope::Nothing => Visible::nothing(),
    };
    let prefectures = PrefectureCode::parse_all("filter.prefectures", &filter.prefectures)?;
    if !prefectures.is_empty() {
        c = c.and(company::Column::PrefectureCode.is_in(prefectures));
    }
    if !filter.industries.is_empty() {
        c = c.and(company::Column::Industry.is_in(filter.industries.iter().map(|i| i.as_str())));
    }
    let c = c
        .and_some(
            filter
                .is_sme
                .map(|is_sme| company::Column::IsSme.eq(is_sme)),
        )
        .and_some(
            filter
                .updated_since
                .map(|t| company::Column::UpdatedAt.gte(t)),
        );
    Ok(company::Entity::find().filter(c))
}

/// What a list of companies is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompanyOrder {
    /// Registration order.
    #[default]
    Registered,
    /// The name in kana (full-width katakana, whose code points follow the syllabary),
    /// then registration order.
    NameKana,
    /// Last change, then registration order: the order a mirror syncs in.
    UpdatedAt,
}

/// A page of the companies the caller manages (registry staff: all; organization staff:
/// the companies they support; a company user: their own), in `order`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &CompanyFilter,
    order: CompanyOrder,
    args: &PageArgs,
) -> DomainResult<Page<CompanyView>> {
    let select = select(db, caller, filter).await?;
    let id = SortKey {
        column: company::Column::Id,
        kind: KeyKind::Int,
    };
    let page = match order {
        CompanyOrder::Registered => {
            paginate(db, select, "ID_ASC", &[id], true, args, |row| {
                vec![KeyValue::Int(row.id)]
            })
            .await?
        }
        CompanyOrder::NameKana => {
            let name = SortKey {
                column: company::Column::NameKana,
                kind: KeyKind::Text,
            };
            paginate(
                db,
                select,
                "NAME_KANA_ASC",
                &[name, id],
                true,
                args,
                |row| vec![KeyValue::Text(row.name_kana.clone()), KeyValue::Int(row.id)],
            )
            .await?
        }
        CompanyOrder::UpdatedAt => {
            paginate_by_update(
                db,
                select,
                (company::Column::UpdatedAt, company::Column::Id),
                args,
                |row| (row.updated_at, row.id),
            )
            .await?
        }
    };
    Ok(page.map(|row| CompanyView { row, full: true }))
}

/// How many companies of the caller's list match the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &CompanyFilter,
) -> DomainResult<u64> {
    Ok(select(db, caller, filter).await?.count(db).await?)
}

/// The company of the caller's token (role `SME_USER`), if registered.
pub async fn mine<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<Option<CompanyView>> {
    caller.actor.allow(&permissions::HAVE_OWN_COMPANY)?;
    match scope_of(db, &caller.actor).await? {
        Scope::Company(id) => Ok(company::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|row| CompanyView { row, full: true })),
        _ => Ok(None),
    }
}

/// Ids of the companies an organization supports (for request visibility).
pub fn supported_by(org: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(company::Column::Id)
        .from(company::Entity)
        .and_where(company::Column::SupportOrganizationId.eq(org))
        .to_owned()
}
