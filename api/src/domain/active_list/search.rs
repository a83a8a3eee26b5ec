//! Reading the Active List: eligibility, the public search, the review queue, and who
//! sees what of an entry.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entities::{
    active_list_entry, entry_industry, entry_language, entry_prefecture, entry_theme,
    guidance_theme, renewal_cycle, specialist,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Query, SelectStatement},
};

use super::{
    themes,
    types::{EntryStatus, FeePolicy, fresh_since, is_stale, parse_language},
};
use crate::domain::{
    Actor, Caller, DomainError, DomainResult, Role,
    calendar::japan_today,
    error::Violations,
    industry::Industry,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
    prefecture::PrefectureCode,
    registry::view::SpecialistView,
    renewal::{cycles::CHUNK, cycles::own_specialist_id, types::CycleState},
};

/// What the caller may see of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryAccess {
    /// Status, review comments, eligibility and staleness: staff and the specialist.
    pub full: bool,
    /// The specialist's contact details: staff, the specialist and support organizations.
    pub contact: bool,
}

/// An entry as the caller may see it, with its eligibility and staleness today.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub row: active_list_entry::Model,
    pub eligible: bool,
    pub stale: bool,
    pub access: EntryAccess,
}

fn access_for(actor: &Actor, own: Option<i64>, row: &active_list_entry::Model) -> EntryAccess {
    let full = actor.is_registry_staff() || own == Some(row.specialist_id);
    EntryAccess {
        full,
        contact: full || actor.role() == Some(Role::SupportOrgStaff),
    }
}

fn ensure_not_analyst(actor: &Actor) -> DomainResult<()> {
    if actor.role() == Some(Role::Analyst) {
        return Err(DomainError::Forbidden(
            "analysts work with aggregates and cannot read the Active List's people",
        ));
    }
    Ok(())
}

/// The specialists (by id) who may be listed on `today`: `ACTIVE`, with an open cycle that
/// is not `OVERDUE` (see `renewal::cycles::status_condition`).
fn eligible_specialists(today: NaiveDate) -> (SelectStatement, SelectStatement) {
    let active = Query::select()
        .column(specialist::Column::Id)
        .from(specialist::Entity)
        .and_where(specialist::Column::Status.eq("ACTIVE"))
        .to_owned();
    let on_time = Query::select()
        .column(renewal_cycle::Column::SpecialistId)
        .from(renewal_cycle::Entity)
        .cond_where(
            Condition::all()
                .add(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
                .add(
                    Condition::any()
                        .add(renewal_cycle::Column::ApplicationDueOn.gte(today))
                        .add(
                            Condition::all()
                                .add(renewal_cycle::Column::MissingRequirements.eq(0))
                                .add(renewal_cycle::Column::AppliedOn.is_not_null()),
                        ),
                ),
        )
        .to_owned();
    (active, on_time)
}

fn eligible_condition(today: NaiveDate) -> Condition {
    let (active, on_time) = eligible_specialists(today);
    Condition::all()
        .add(active_list_entry::Column::SpecialistId.in_subquery(active))
        .add(active_list_entry::Column::SpecialistId.in_subquery(on_time))
}

/// Whether the specialist may be listed on `today`.
pub async fn is_eligible<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    today: NaiveDate,
) -> DomainResult<bool> {
    Ok(!eligible_among(db, &[specialist_id], today)
        .await?
        .is_empty())
}

/// Which of these specialists may be listed on `today`; one statement per 500.
async fn eligible_among<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
    today: NaiveDate,
) -> DomainResult<HashSet<i64>> {
    let (_, on_time) = eligible_specialists(today);
    let mut result = HashSet::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        let ids: Vec<i64> = specialist::Entity::find()
            .select_only()
            .column(specialist::Column::Id)
            .filter(specialist::Column::Id.is_in(chunk.to_vec()))
            .filter(specialist::Column::Status.eq("ACTIVE"))
            .filter(specialist::Column::Id.in_subquery(on_time.clone()))
            .into_tuple()
            .all(db)
            .await?;
        result.extend(ids);
    }
    Ok(result)
}

async fn views<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    rows: Vec<active_list_entry::Model>,
    today: NaiveDate,
) -> DomainResult<Vec<EntryView>> {
    let own = own_specialist_id(db, &caller.actor).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.specialist_id).collect();
    let eligible = eligible_among(db, &ids, today).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let access = access_for(&caller.actor, own, &row);
            let is_eligible = eligible.contains(&row.specialist_id);
            let listed = row.status == EntryStatus::Published.as_str() && is_eligible;
            (access.full || listed).then(|| EntryView {
                stale: is_stale(row.confirmed_on, today),
                eligible: is_eligible,
                access,
                row,
            })
        })
        .collect())
}

/// The view of an entry just written, for its writer (inside the write's transaction).
pub async fn view_in<C: ConnectionTrait>(
    db: &C,
    row: active_list_entry::Model,
    today: NaiveDate,
) -> DomainResult<EntryView> {
    let eligible = is_eligible(db, row.specialist_id, today).await?;
    Ok(EntryView {
        stale: is_stale(row.confirmed_on, today),
        eligible,
        access: EntryAccess {
            full: true,
            contact: true,
        },
        row,
    })
}

/// Entries by id that the caller may see, in the order of `ids`: published and eligible
/// ones for everybody but analysts, any for staff and their own specialist.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<EntryView>>> {
    if ids.is_empty() || ensure_not_analyst(&caller.actor).is_err() {
        return Ok(vec![None; ids.len()]);
    }
    let rows = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let mut seen: HashMap<i64, EntryView> = views(db, caller, rows, japan_today())
        .await?
        .into_iter()
        .map(|v| (v.row.id, v))
        .collect();
    Ok(ids.iter().map(|id| seen.remove(id)).collect())
}

/// The entries of these specialists that the caller may see, by specialist id.
pub async fn of_specialists<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_ids: &[i64],
) -> DomainResult<HashMap<i64, EntryView>> {
    if specialist_ids.is_empty() || ensure_not_analyst(&caller.actor).is_err() {
        return Ok(HashMap::new());
    }
    let mut rows = Vec::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        rows.extend(
            active_list_entry::Entity::find()
                .filter(active_list_entry::Column::SpecialistId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(views(db, caller, rows, japan_today())
        .await?
        .into_iter()
        .map(|v| (v.row.specialist_id, v))
        .collect())
}

/// How to reach a specialist, for those who may.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub email: String,
    pub phone: Option<String>,
}

/// The specialists of these ids as the caller may see them, with their contact details
/// (for the caller's entry access to gate); one statement per 500.
pub async fn specialists_of<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_ids: &[i64],
) -> DomainResult<HashMap<i64, (Option<SpecialistView>, Contact)>> {
    let mut result = HashMap::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        for row in specialist::Entity::find()
            .filter(specialist::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            let contact = Contact {
                email: row.email.clone(),
                phone: row.phone.clone(),
            };
            result.insert(
                row.id,
                (SpecialistView::for_actor(&caller.actor, row), contact),
            );
        }
    }
    Ok(result)
}

/// Whether an entry must hold all the themes asked for, or any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeMatch {
    #[default]
    Any,
    All,
}

/// Filters of the search; empty lists are ignored.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub theme_codes: Vec<String>,
    pub theme_match: ThemeMatch,
    /// Entries serving this prefecture (and, with `remote_ok`, entries working remotely).
    pub prefecture: Option<String>,
    pub remote_ok: Option<bool>,
    pub industries: Vec<Industry>,
    pub languages: Vec<String>,
    pub fee_policies: Vec<FeePolicy>,
    /// Only entries taking on SMEs now: not paused, with capacity.
    pub has_capacity: Option<bool>,
}

/// The orders of the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchOrder {
    /// Most recently confirmed first, so stale entries come last.
    #[default]
    RecentlyConfirmed,
    /// In the order entries were created.
    EntryCreated,
}

fn values_of<E: EntityTrait>(
    column: impl ColumnTrait,
    entry_column: impl ColumnTrait,
    values: Vec<sea_orm::Value>,
) -> SelectStatement {
    Query::select()
        .column(entry_column)
        .from(E::default())
        .and_where(column.is_in(values))
        .to_owned()
}

async fn search_condition<C: ConnectionTrait>(
    db: &C,
    filter: &SearchFilter,
    today: NaiveDate,
) -> DomainResult<Condition> {
    let mut v = Violations::default();
    let mut c = Condition::all()
        .add(active_list_entry::Column::Status.eq(EntryStatus::Published.as_str()))
        .add(eligible_condition(today));
    if !filter.theme_codes.is_empty() {
        let found = themes::by_codes(db, &filter.theme_codes).await?;
        let mut ids = Vec::new();
        for code in &filter.theme_codes {
            match found.iter().find(|t| &t.code == code) {
                Some(t) => ids.push(t.id),
                None => v.push("filter.themes", format!("{code} is not a guidance theme")),
            }
        }
        let in_themes = |ids: Vec<i64>| {
            active_list_entry::Column::Id.in_subquery(values_of::<entry_theme::Entity>(
                entry_theme::Column::ThemeId,
                entry_theme::Column::EntryId,
                ids.into_iter().map(Into::into).collect(),
            ))
        };
        c = match filter.theme_match {
            ThemeMatch::Any => c.add(in_themes(ids)),
            ThemeMatch::All => ids.into_iter().fold(c, |c, id| c.add(in_themes(vec![id]))),
        };
    }
    let remote = active_list_entry::Column::RemoteOk.eq(true);
    match (&filter.prefecture, filter.remote_ok) {
        (Some(code), remote_ok) => {
            if let Some(p) = v.check("filter.prefecture", PrefectureCode::parse(code)) {
                let serves = active_list_entry::Column::Id.in_subquery(values_of::<
                    entry_prefecture::Entity,
                >(
                    entry_prefecture::Column::PrefectureCode,
                    entry_prefecture::Column::EntryId,
                    vec![p.as_str().into()],
                ));
                c = c.add(if remote_ok == Some(true) {
                    Condition::any().add(serves).add(remote)
                } else {
                    Condition::all().add(serves)
                });
            }
        }
        (None, Some(true)) => c = c.add(remote),
        (None, _) => {}
    }
    if !filter.industries.is_empty() {
        c = c.add(
            active_list_entry::Column::Id.in_subquery(values_of::<entry_industry::Entity>(
                entry_industry::Column::Industry,
                entry_industry::Column::EntryId,
                filter
                    .industries
                    .iter()
                    .map(|i| i.as_str().into())
                    .collect(),
            )),
        );
    }
    if !filter.languages.is_empty() {
        let mut codes = Vec::new();
        for (i, code) in filter.languages.iter().enumerate() {
            if let Some(code) = v.check(&format!("filter.languages.{i}"), parse_language(code)) {
                codes.push(code.into());
            }
        }
        c = c.add(
            active_list_entry::Column::Id.in_subquery(values_of::<entry_language::Entity>(
                entry_language::Column::Language,
                entry_language::Column::EntryId,
                codes,
            )),
        );
    }
    if !filter.fee_policies.is_empty() {
        c = c.add(
            active_list_entry::Column::FeePolicy
                .is_in(filter.fee_policies.iter().map(|f| f.as_str())),
        );
    }
    if filter.has_capacity == Some(true) {
        c = c
            .add(active_list_entry::Column::Paused.eq(false))
            .add(active_list_entry::Column::Capacity.gt(0));
    }
    v.into_result()?;
    Ok(c)
}

/// A page of the published Active List. Everybody but analysts.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &SearchFilter,
    order: SearchOrder,
    args: &PageArgs,
) -> DomainResult<Page<EntryView>> {
    ensure_not_analyst(&caller.actor)?;
    let today = japan_today();
    let select =
        active_list_entry::Entity::find().filter(search_condition(db, filter, today).await?);
    let page = match order {
        SearchOrder::RecentlyConfirmed => {
            let keys = [
                SortKey {
                    column: active_list_entry::Column::ConfirmedOn,
                    kind: KeyKind::Date,
                },
                SortKey {
                    column: active_list_entry::Column::Id,
                    kind: KeyKind::Int,
                },
            ];
            paginate(db, select, "CONFIRMED_DESC", &keys, false, args, |row| {
                vec![KeyValue::date(row.confirmed_on), KeyValue::Int(row.id)]
            })
            .await?
        }
        SearchOrder::EntryCreated => {
            let keys = [SortKey {
                column: active_list_entry::Column::Id,
                kind: KeyKind::Int,
            }];
            paginate(db, select, "ID_ASC", &keys, true, args, |row| {
                vec![KeyValue::Int(row.id)]
            })
            .await?
        }
    };
    let own = own_specialist_id(db, &caller.actor).await?;
    // Every row passed the eligibility condition in the same statement.
    Ok(page.map(|row| EntryView {
        stale: is_stale(row.confirmed_on, today),
        eligible: true,
        access: access_for(&caller.actor, own, &row),
        row,
    }))
}

/// How many published entries match the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &SearchFilter,
) -> DomainResult<u64> {
    ensure_not_analyst(&caller.actor)?;
    let condition = search_condition(db, filter, japan_today()).await?;
    Ok(active_list_entry::Entity::find()
        .filter(condition)
        .count(db)
        .await?)
}

/// Entries waiting for review, oldest submission first (registry staff). Stale entries are
/// flagged in the view.
pub async fn review_queue<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    args: &PageArgs,
) -> DomainResult<Page<EntryView>> {
    caller.actor.require(
        crate::domain::actor::REGISTRY_STAFF,
        "only registry staff see the review queue",
    )?;
    let keys = [SortKey {
        column: active_list_entry::Column::Id,
        kind: KeyKind::Int,
    }];
    let page = paginate(
        db,
        active_list_entry::Entity::find()
            .filter(active_list_entry::Column::Status.eq(EntryStatus::PendingReview.as_str())),
        "ID_ASC",
        &keys,
        true,
        args,
        |row| vec![KeyValue::Int(row.id)],
    )
    .await?;
    let today = japan_today();
    let ids: Vec<i64> = page.items.iter().map(|(_, r)| r.specialist_id).collect();
    let eligible = eligible_among(db, &ids, today).await?;
    Ok(page.map(|row| EntryView {
        stale: is_stale(row.confirmed_on, today),
        eligible: eligible.contains(&row.specialist_id),
        access: EntryAccess {
            full: true,
            contact: true,
        },
        row,
    }))
}

/// How many entries wait for review.
pub async fn review_queue_count<C: ConnectionTrait>(db: &C, caller: &Caller) -> DomainResult<u64> {
    caller.actor.require(
        crate::domain::actor::REGISTRY_STAFF,
        "only registry staff see the review queue",
    )?;
    Ok(active_list_entry::Entity::find()
        .filter(active_list_entry::Column::Status.eq(EntryStatus::PendingReview.as_str()))
        .count(db)
        .await?)
}

/// (entry id, theme id) pairs of these entries.
pub async fn theme_ids_of<C: ConnectionTrait>(
    db: &C,
    entry_ids: &[i64],
) -> DomainResult<Vec<(i64, i64)>> {
    let mut pairs = Vec::new();
    for chunk in entry_ids.chunks(CHUNK) {
        pairs.extend(
            entry_theme::Entity::find()
                .filter(entry_theme::Column::EntryId.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|r| (r.entry_id, r.theme_id)),
        );
    }
    Ok(pairs)
}

/// The lists of an entry.
#[derive(Debug, Clone, Default)]
pub struct EntryLists {
    /// In display order.
    pub themes: Vec<guidance_theme::Model>,
    pub prefectures: Vec<String>,
    pub industries: Vec<Industry>,
    pub languages: Vec<String>,
}

/// The lists of these entries: five statements whatever their number (per 500).
pub async fn lists_of<C: ConnectionTrait>(
    db: &C,
    entry_ids: &[i64],
) -> DomainResult<HashMap<i64, EntryLists>> {
    let mut result: HashMap<i64, EntryLists> = HashMap::new();
    let pairs = theme_ids_of(db, entry_ids).await?;
    let mut theme_ids: Vec<i64> = pairs.iter().map(|(_, t)| *t).collect();
    theme_ids.sort_unstable();
    theme_ids.dedup();
    let themes: HashMap<i64, guidance_theme::Model> = themes::by_ids(db, &theme_ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    for (entry, theme) in pairs {
        if let Some(theme) = themes.get(&theme) {
            result.entry(entry).or_default().themes.push(theme.clone());
        }
    }
    for lists in result.values_mut() {
        lists.themes.sort_by_key(|t| (t.display_order, t.id));
    }
    for chunk in entry_ids.chunks(CHUNK) {
        for row in entry_prefecture::Entity::find()
            .filter(entry_prefecture::Column::EntryId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            result
                .entry(row.entry_id)
                .or_default()
                .prefectures
                .push(row.prefecture_code);
        }
        for row in entry_industry::Entity::find()
            .filter(entry_industry::Column::EntryId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Some(industry) = Industry::parse(&row.industry) {
                result
                    .entry(row.entry_id)
                    .or_default()
                    .industries
                    .push(industry);
            }
        }
        for row in entry_language::Entity::find()
            .filter(entry_language::Column::EntryId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            result
                .entry(row.entry_id)
                .or_default()
                .languages
                .push(row.language);
        }
    }
    for lists in result.values_mut() {
        lists.prefectures.sort();
        lists.languages.sort();
    }
    Ok(result)
}

/// Entries confirmed before this date are stale today (for staff filters).
pub fn stale_before() -> NaiveDate {
    fresh_since(japan_today())
}
