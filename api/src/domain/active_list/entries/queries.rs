//! Reading the Active List: eligibility, the public search, the review queue, and who
//! sees what of an entry.

use crate::domain::active_list::permissions;
use std::collections::HashMap;

use serde::Deserialize;

use chrono::NaiveDate;
use entities::{
    active_list_entry, entry_industry, entry_language, entry_prefecture, entry_theme,
    guidance_theme, specialist,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QuerySelect, RelationDef, Select,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};

use super::super::{
    eligibility, postings, themes,
    types::{EntryStatus, FeePolicy, is_stale, parse_language},
};
use crate::domain::{
    Actor, CHUNK, Caller, DomainResult, Role,
    error::Violations,
    industry::Industry,
    pagination::{
        Direction, KeyKind, KeyValue, Page, PageArgs, SortKey, paginate, paginate_by_time,
        paginate_by_update,
    },
    permissions::{SYNC_PUBLIC_LISTS, refuse_analysts},
    prefecture::PrefectureCode,
    registry::own_specialist_id,
    registry::views::SpecialistView,
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

fn eligible_condition(today: NaiveDate) -> Condition {
    Condition::all().add(active_list_entry::Column::EligibleUntil.gte(today))
}

/// The entries on the published list on `today`: published, of an eligible specialist.
pub fn published_condition(today: NaiveDate) -> Condition {
    Condition::all()
        .add(active_list_entry::Column::Status.eq(EntryStatus::Published.as_str()))
        .add(eligible_condition(today))
}

/// Whether the specialist may be listed on `today`, from their status and cycles.
pub async fn is_eligible<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    today: NaiveDate,
) -> DomainResult<bool> {
    let until = eligibility::eligible_until(db, &[specialist_id]).await?;
    Ok(eligibility::is_listed_on(
        until.get(&specialist_id).copied(),
        today,
    ))
}

fn view(row: active_list_entry::Model, access: EntryAccess, today: NaiveDate) -> EntryView {
    EntryView {
        stale: is_stale(row.confirmed_on, today),
        eligible: eligibility::is_listed_on(row.eligible_until, today),
        access,
        row,
    }
}

async fn views<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    rows: Vec<active_list_entry::Model>,
    today: NaiveDate,
) -> DomainResult<Vec<EntryView>> {
    let own = own_specialist_id(db, &caller.actor).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let access = access_for(&caller.actor, own, &row);
            let listed = row.status == EntryStatus::Published
                && eligibility::is_listed_on(row.eligible_until, today);
            (access.full || listed).then(|| view(row, access, today))
        })
        .collect())
}

/// The view of an entry just written, for its writer (inside the write's transaction).
pub fn view_in(row: active_list_entry::Model, today: NaiveDate) -> EntryView {
    view(
        row,
        EntryAccess {
            full: true,
            contact: true,
        },
        today,
    )
}

/// Entries by id that the caller may see, in the order of `ids`: published and eligible
/// ones for everybody but analysts, any for staff and their own specialist.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<EntryView>>> {
    if ids.is_empty() || refuse_analysts(&caller.actor).is_err() {
        return Ok(vec![None; ids.len()]);
    }
    let rows = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let mut seen: HashMap<i64, EntryView> = views(db, caller, rows, caller.today())
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
    if specialist_ids.is_empty() || refuse_analysts(&caller.actor).is_err() {
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
    Ok(views(db, caller, rows, caller.today())
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

/// An entry's specialist as the caller may see them, with their contact details (for the
/// caller's entry access to gate).
pub type EntrySpecialist = (Option<SpecialistView>, Contact);

fn specialist_of(caller: &Caller, row: specialist::Model) -> EntrySpecialist {
    let contact = Contact {
        email: row.email.clone(),
        phone: row.phone.clone(),
    };
    (SpecialistView::for_actor(&caller.actor, row), contact)
}

/// The specialists of these ids as the caller may see them, with their contact details;
/// one statement per 500.
pub async fn specialists_of<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_ids: &[i64],
) -> DomainResult<HashMap<i64, EntrySpecialist>> {
    let mut result = HashMap::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        for row in specialist::Entity::find()
            .filter(specialist::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            result.insert(row.id, specialist_of(caller, row));
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
    /// Entries serving any of these prefectures (and, with `remote_ok`, entries working
    /// remotely).
    pub prefectures: Vec<String>,
    pub remote_ok: Option<bool>,
    pub industries: Vec<Industry>,
    pub languages: Vec<String>,
    pub fee_policies: Vec<FeePolicy>,
    /// Only entries taking on SMEs now: not paused, with capacity.
    pub has_capacity: Option<bool>,
    /// Entries changed at or after this time (registry staff only).
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

/// The orders of the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchOrder {
    /// Most recently confirmed first, so stale entries come last.
    #[default]
    RecentlyConfirmed,
    /// In the order entries were created.
    EntryCreated,
    /// Last change, then id: the order a mirror syncs in (registry staff only).
    UpdatedAt,
}

/// Refuses the update-time filter and order to callers who may not sync the public list.
fn check_sync(caller: &Caller, filter: &SearchFilter, order: SearchOrder) -> DomainResult<()> {
    if filter.updated_since.is_some() || order == SearchOrder::UpdatedAt {
        caller.actor.allow(&SYNC_PUBLIC_LISTS)?;
    }
    Ok(())
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

/// A search with its theme codes resolved and its conditions built.
struct Plan {
    /// Every guidance theme when the filter names themes (read to resolve the codes).
    catalogue: Vec<guidance_theme::Model>,
    theme_ids: Vec<i64>,
    theme_match: ThemeMatch,
    /// Conditions on the entry itself, other than status, eligibility and themes.
    entry: Condition,
    has_entry_conditions: bool,
}

impl Plan {
    /// Whether to read the postings of the first theme (every theme required).
    fn by_postings(&self) -> bool {
        self.theme_match == ThemeMatch::All && !self.theme_ids.is_empty()
    }

    fn holds_theme(theme_id: i64) -> sea_orm::sea_query::SelectStatement {
        values_of::<entry_theme::Entity>(
            entry_theme::Column::ThemeId,
            entry_theme::Column::EntryId,
            vec![theme_id.into()],
        )
    }

    /// Published entries of eligible specialists matching everything, read from the
    /// entries (no themes, or any of several themes).
    fn entries_condition(&self, today: NaiveDate) -> Condition {
        let mut c = published_condition(today).add(self.entry.clone());
        if !self.theme_ids.is_empty() {
            c = match self.theme_match {
                ThemeMatch::Any => c.add(active_list_entry::Column::Id.in_subquery(values_of::<
                    entry_theme::Entity,
                >(
                    entry_theme::Column::ThemeId,
                    entry_theme::Column::EntryId,
                    self.theme_ids.iter().map(|id| (*id).into()).collect(),
                ))),
                ThemeMatch::All => self.theme_ids.iter().fold(c, |c, id| {
                    c.add(active_list_entry::Column::Id.in_subquery(Self::holds_theme(*id)))
                }),
            };
        }
        c
    }

    /// The same, read from the postings of the first theme (every theme required); with
    /// `joined`, the entries are joined to their postings.
    fn postings_condition(&self, today: NaiveDate, joined: bool) -> Condition {
        let mut c = Condition::all()
            .add(entry_theme::Column::ThemeId.eq(self.theme_ids[0]))
            .add(entry_theme::Column::Status.eq(EntryStatus::Published.as_str()))
            .add(entry_theme::Column::EligibleUntil.gte(today));
        // The other themes are read from the posting's copy of the entry's theme set.
        for id in &self.theme_ids[1..] {
            c = c.add(entry_theme::Column::ThemeSet.like(postings::holds_pattern(*id)));
        }
        if self.has_entry_conditions && joined {
            c = c.add(self.entry.clone());
        } else if self.has_entry_conditions {
            c = c.add(
                entry_theme::Column::EntryId.in_subquery(
                    Query::select()
                        .column(active_list_entry::Column::Id)
                        .from(active_list_entry::Entity)
                        .cond_where(self.entry.clone())
                        .to_owned(),
                ),
            );
        }
        c
    }
}

async fn plan<C: ConnectionTrait>(db: &C, filter: &SearchFilter) -> DomainResult<Plan> {
    let mut v = Violations::default();
    let mut theme_ids = Vec::new();
    let mut catalogue = Vec::new();
    if !filter.theme_codes.is_empty() {
        // The whole catalogue (a few dozen themes) costs no more than the themes named, and
        // spares the caller reading the page's themes again.
        catalogue = themes::list(db, true).await?;
        for code in &filter.theme_codes {
            match catalogue.iter().find(|t| &t.code == code) {
                Some(t) if !theme_ids.contains(&t.id) => theme_ids.push(t.id),
                Some(_) => {}
                None => v.push("filter.themes", format!("{code} is not a guidance theme")),
            }
        }
    }
    let mut c = Condition::all();
    let mut has_entry_conditions = false;
    let remote = active_list_entry::Column::RemoteOk.eq(true);
    let prefectures = v
        .absorb(PrefectureCode::parse_all(
            "filter.prefectures",
            &filter.prefectures,
        ))?
        .filter(|codes| !codes.is_empty());
    match (prefectures, filter.remote_ok) {
        (Some(codes), remote_ok) => {
            let serves =
                active_list_entry::Column::Id.in_subquery(values_of::<entry_prefecture::Entity>(
                    entry_prefecture::Column::PrefectureCode,
                    entry_prefecture::Column::EntryId,
                    codes.into_iter().map(Into::into).collect(),
                ));
            c = c.add(if remote_ok == Some(true) {
                Condition::any().add(serves).add(remote)
            } else {
                Condition::all().add(serves)
            });
            has_entry_conditions = true;
        }
        (None, Some(true)) => {
            c = c.add(remote);
            has_entry_conditions = true;
        }
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
        has_entry_conditions = true;
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
        has_entry_conditions = true;
    }
    if let Some(own) = own_columns(filter) {
        c = c.add(own);
        has_entry_conditions = true;
    }
    v.into_result()?;
    Ok(Plan {
        catalogue,
        theme_ids,
        theme_match: filter.theme_match,
        entry: c,
        has_entry_conditions,
    })
}

/// The conditions of the filter on the entry's own columns (fee policy, capacity, update
/// time), if any.
fn own_columns(filter: &SearchFilter) -> Option<Condition> {
    let mut c = Condition::all();
    let mut any = false;
    if !filter.fee_policies.is_empty() {
        c = c.add(
            active_list_entry::Column::FeePolicy
                .is_in(filter.fee_policies.iter().map(|f| f.as_str())),
        );
        any = true;
    }
    if let Some(since) = filter.updated_since {
        c = c.add(active_list_entry::Column::UpdatedAt.gte(since));
        any = true;
    }
    if filter.has_capacity == Some(true) {
        c = c.add(active_list_entry::Column::Paused.eq(false)).add(
            Expr::col(active_list_entry::Column::ActiveMatches)
                .lt(Expr::col(active_list_entry::Column::Capacity)),
        );
        any = true;
    }
    any.then_some(c)
}

/// Postings to their entry, for joining an entry to its postings.
fn postings_of_entries() -> RelationDef {
    entry_theme::Entity::belongs_to(active_list_entry::Entity)
        .from(entry_theme::Column::EntryId)
        .to(active_list_entry::Column::Id)
        .into()
}

const CONFIRMED_DESC: &str = "CONFIRMED_DESC";
const ID_ASC: &str = "ID_ASC";

/// A page of the Active List, with the guidance themes the search read on the way.
#[derive(Debug)]
pub struct Searched {
    pub page: Page<EntryView>,
    /// Every guidance theme when the filter named themes, empty otherwise: the page's
    /// themes are among them.
    pub themes: Vec<guidance_theme::Model>,
}

/// A page of the published Active List. Everybody but analysts.
///
/// When every one of several themes is required, the page is read from the first theme's
/// postings in list order, joined to their entries; otherwise straight from the entries.
/// Both orders and cursors are the same either way.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &SearchFilter,
    order: SearchOrder,
    args: &PageArgs,
) -> DomainResult<Searched> {
    refuse_analysts(&caller.actor)?;
    check_sync(caller, filter, order)?;
    let today = caller.today();
    let plan = plan(db, filter).await?;
    let select = active_list_entry::Entity::find();
    let page = if plan.by_postings() {
        // The entries of the first theme's postings, read in the postings' order: the
        // posting copies the entry's confirmation date, so the keys are the entry's too.
        let select = select
            .join_rev(JoinType::InnerJoin, postings_of_entries())
            .filter(plan.postings_condition(today, true));
        let keys = (
            entry_theme::Column::ConfirmedOn,
            entry_theme::Column::EntryId,
        );
        read_page(db, select, keys, order, args).await?
    } else {
        let select = select.filter(plan.entries_condition(today));
        let keys = (
            active_list_entry::Column::ConfirmedOn,
            active_list_entry::Column::Id,
        );
        read_page(db, select, keys, order, args).await?
    };
    let own = own_specialist_id(db, &caller.actor).await?;
    Ok(Searched {
        page: page.map(|row| {
            let access = access_for(&caller.actor, own, &row);
            view(row, access, today)
        }),
        themes: plan.catalogue,
    })
}

/// Reads a page of entries in `order`; `(confirmed, id)` are the columns holding the
/// entry's confirmation date and id.
async fn read_page<C: ConnectionTrait, K: ColumnTrait>(
    db: &C,
    select: Select<active_list_entry::Entity>,
    (confirmed, id): (K, K),
    order: SearchOrder,
    args: &PageArgs,
) -> DomainResult<Page<active_list_entry::Model>> {
    match order {
        SearchOrder::RecentlyConfirmed => {
            let keys = [
                SortKey {
                    column: confirmed,
                    kind: KeyKind::Date,
                },
                SortKey {
                    column: id,
                    kind: KeyKind::Int,
                },
            ];
            paginate(db, select, CONFIRMED_DESC, &keys, false, args, |row| {
                vec![KeyValue::date(row.confirmed_on), KeyValue::Int(row.id)]
            })
            .await
        }
        SearchOrder::EntryCreated => {
            let keys = [SortKey {
                column: id,
                kind: KeyKind::Int,
            }];
            paginate(db, select, ID_ASC, &keys, true, args, |row| {
                vec![KeyValue::Int(row.id)]
            })
            .await
        }
        // The entry's own columns in both plans: the postings plan joins the entries.
        SearchOrder::UpdatedAt => {
            let columns = (
                active_list_entry::Column::UpdatedAt,
                active_list_entry::Column::Id,
            );
            paginate_by_update(db, select, columns, args, |row| (row.updated_at, row.id)).await
        }
    }
}

/// How many published entries match the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &SearchFilter,
) -> DomainResult<u64> {
    refuse_analysts(&caller.actor)?;
    check_sync(caller, filter, SearchOrder::default())?;
    let today = caller.today();
    let plan = plan(db, filter).await?;
    Ok(if plan.by_postings() {
        entry_theme::Entity::find()
            .filter(plan.postings_condition(today, false))
            .count(db)
            .await?
    } else {
        active_list_entry::Entity::find()
            .filter(plan.entries_condition(today))
            .count(db)
            .await?
    })
}

/// Entries waiting for review, oldest submission first (registry staff). Stale entries are
/// flagged in the view.
pub async fn review_queue<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    args: &PageArgs,
) -> DomainResult<Page<EntryView>> {
    caller.actor.allow(&permissions::READ_REVIEW_QUEUE)?;
    // An entry waiting for review was submitted: `submitted_at` is set with the status.
    let page = paginate_by_time(
        db,
        active_list_entry::Entity::find()
            .filter(active_list_entry::Column::Status.eq(EntryStatus::PendingReview.as_str())),
        (
            "SUBMITTED_AT",
            SortKey {
                column: active_list_entry::Column::SubmittedAt,
                kind: KeyKind::Instant,
            },
        ),
        active_list_entry::Column::Id,
        Direction::Ascending,
        args,
        |row| {
            let at = row.submitted_at.unwrap_or(row.created_at);
            (KeyValue::instant(at), row.id)
        },
    )
    .await?;
    let today = caller.today();
    let access = EntryAccess {
        full: true,
        contact: true,
    };
    Ok(page.map(|row| view(row, access, today)))
}

/// How many entries wait for review.
pub async fn review_queue_count<C: ConnectionTrait>(db: &C, caller: &Caller) -> DomainResult<u64> {
    caller.actor.allow(&permissions::READ_REVIEW_QUEUE)?;
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

/// The lists of an entry, each read from its copy on the entry when asked for.
pub struct EntryLists<'a>(pub &'a active_list_entry::Model);

fn strings(value: &serde_json::Value) -> Vec<String> {
    Vec::<String>::deserialize(value).unwrap_or_default()
}

impl EntryLists<'_> {
    pub fn theme_ids(&self) -> Vec<i64> {
        Vec::<i64>::deserialize(&self.0.theme_ids).unwrap_or_default()
    }

    pub fn prefectures(&self) -> Vec<String> {
        strings(&self.0.prefecture_codes)
    }

    pub fn industries(&self) -> Vec<Industry> {
        strings(&self.0.industry_codes)
            .iter()
            .filter_map(|code| Industry::parse(code))
            .collect()
    }

    pub fn languages(&self) -> Vec<String> {
        strings(&self.0.language_codes)
    }
}
