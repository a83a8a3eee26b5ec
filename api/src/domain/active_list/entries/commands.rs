//! Changing Active List entries. Every command is one transaction with its audit event; a
//! refused command writes nothing.

use crate::domain::active_list::permissions;
use std::collections::{BTreeSet, HashSet};

use entities::{active_list_entry, entry_industry, entry_language, entry_prefecture, entry_theme};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;

use super::super::{
    eligibility, postings, themes,
    types::{EntryStatus, FeePolicy, MAX_CAPACITY, parse_language},
};
use super::queries::{self, EntryView};
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    industry::Industry,
    prefecture::PrefectureCode,
    registry::own_specialist_id,
    versioned::Versioned,
};

/// What a specialist writes in their entry.
#[derive(Debug, Clone)]
pub struct EntryInput {
    pub expected_version: Option<i32>,
    pub theme_codes: Vec<String>,
    pub industries: Vec<Industry>,
    pub domains: Vec<String>,
    pub prefectures: Vec<String>,
    pub remote_ok: bool,
    pub languages: Vec<String>,
    pub fee_policy: FeePolicy,
    pub fee_min_yen: Option<i64>,
    pub fee_max_yen: Option<i64>,
    pub capacity: i32,
    pub bio_ja: String,
    pub bio_en: Option<String>,
}

/// The parsed lists of an entry.
struct Lists {
    theme_ids: Vec<i64>,
    industries: Vec<Industry>,
    prefectures: Vec<String>,
    languages: Vec<String>,
    domains: Vec<String>,
}

fn check_capacity(v: &mut Violations, capacity: i32) -> i16 {
    match i16::try_from(capacity) {
        Ok(c) if (1..=MAX_CAPACITY).contains(&c) => c,
        _ => {
            v.push(
                "capacity",
                format!("must be between 1 and {MAX_CAPACITY} SMEs at once"),
            );
            1
        }
    }
}

async fn check_input<C: ConnectionTrait>(
    db: &C,
    input: &EntryInput,
    current_theme_ids: &HashSet<i64>,
) -> DomainResult<(Lists, i16)> {
    let mut v = Violations::default();
    let theme_ids = check_themes(db, &input.theme_codes, current_theme_ids, &mut v).await?;
    let mut prefectures = BTreeSet::new();
    for (i, code) in input.prefectures.iter().enumerate() {
        if let Some(p) = v.check(&format!("prefectures.{i}"), PrefectureCode::parse(code)) {
            prefectures.insert(p.as_str().to_owned());
        }
    }
    if input.prefectures.is_empty() && !input.remote_ok {
        v.push(
            "prefectures",
            "name at least one prefecture served, or accept remote work",
        );
    }
    let mut languages = BTreeSet::new();
    for (i, code) in input.languages.iter().enumerate() {
        if let Some(l) = v.check(&format!("languages.{i}"), parse_language(code)) {
            languages.insert(l);
        }
    }
    if input.languages.is_empty() {
        v.push("languages", "name at least one language (e.g. ja)");
    }
    let domains = check_domains(&input.domains, &mut v);
    check_fees(input, &mut v);
    let capacity = check_capacity(&mut v, input.capacity);
    let bio = input.bio_ja.trim().chars().count();
    if !(1..=2000).contains(&bio) {
        v.push("bio_ja", "must be 1–2000 characters");
    }
    if input
        .bio_en
        .as_ref()
        .is_some_and(|b| b.trim().chars().count() > 2000)
    {
        v.push("bio_en", "must be at most 2000 characters");
    }
    v.into_result()?;
    let mut industries: Vec<Industry> = input.industries.clone();
    industries.sort_unstable();
    industries.dedup();
    Ok((
        Lists {
            theme_ids,
            industries,
            prefectures: prefectures.into_iter().collect(),
            languages: languages.into_iter().collect(),
            domains,
        },
        capacity,
    ))
}

/// The guidance themes named by `codes` (1 to 20): each must exist, and a retired one
/// stays only on an entry that has it already.
async fn check_themes<C: ConnectionTrait>(
    db: &C,
    codes: &[String],
    current_theme_ids: &HashSet<i64>,
    v: &mut Violations,
) -> DomainResult<Vec<i64>> {
    let codes: BTreeSet<String> = codes.iter().map(|c| c.trim().to_owned()).collect();
    if codes.is_empty() || codes.len() > 20 {
        v.push("themes", "name 1 to 20 guidance themes");
    }
    let codes: Vec<String> = codes.into_iter().collect();
    let found = themes::by_codes(db, &codes).await?;
    let mut theme_ids = Vec::new();
    for code in &codes {
        match found.iter().find(|t| &t.code == code) {
            None => v.push("themes", format!("{code} is not a guidance theme")),
            // A retired theme stays on entries that have it, but is not added anew.
            Some(t) if !t.active && !current_theme_ids.contains(&t.id) => {
                v.push("themes", format!("{code} is retired and cannot be added"))
            }
            Some(t) => theme_ids.push(t.id),
        }
    }
    Ok(theme_ids)
}

/// At most 10 domains of 1–100 characters each, without repeats.
fn check_domains(named: &[String], v: &mut Violations) -> Vec<String> {
    let mut domains = Vec::new();
    if named.len() > 10 {
        v.push("domains", "at most 10 domains");
    }
    for (i, domain) in named.iter().enumerate() {
        let domain = domain.trim();
        if domain.is_empty() || domain.chars().count() > 100 {
            v.push(&format!("domains.{i}"), "must be 1–100 characters");
        } else if !domains.iter().any(|d| d == domain) {
            domains.push(domain.to_owned());
        }
    }
    domains
}

/// A fee range of 0 to 100,000,000 yen, lowest first; none for a pro bono entry.
fn check_fees(input: &EntryInput, v: &mut Violations) {
    match (input.fee_policy, input.fee_min_yen, input.fee_max_yen) {
        (FeePolicy::ProBono, Some(_), _) | (FeePolicy::ProBono, _, Some(_)) => {
            v.push("fee_min_yen", "a pro bono entry has no fee range")
        }
        (_, min, max) => {
            for (field, value) in [("fee_min_yen", min), ("fee_max_yen", max)] {
                if value.is_some_and(|y| !(0..=100_000_000).contains(&y)) {
                    v.push(field, "must be between 0 and 100,000,000 yen");
                }
            }
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                v.push("fee_max_yen", "must not be below the lowest fee");
            }
        }
    }
}

/// Replaces the rows of one searchable list of an entry: those whose `entry_column` is
/// `entry_id` go, `rows` come in.
async fn replace_rows<C, A>(
    db: &C,
    entry_column: <A::Entity as EntityTrait>::Column,
    entry_id: i64,
    rows: Vec<A>,
) -> DomainResult<()>
where
    C: ConnectionTrait,
    A: ActiveModelTrait,
{
    A::Entity::delete_many()
        .filter(entry_column.eq(entry_id))
        .exec(db)
        .await?;
    A::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Replaces the searchable lists of an entry.
async fn write_lists<C: ConnectionTrait>(
    db: &C,
    entry: &active_list_entry::Model,
    lists: &Lists,
) -> DomainResult<()> {
    let entry_id = entry.id;
    replace_rows(
        db,
        entry_theme::Column::EntryId,
        entry_id,
        postings::postings(entry, &lists.theme_ids),
    )
    .await?;
    let prefectures = lists
        .prefectures
        .iter()
        .map(|code| entry_prefecture::ActiveModel {
            entry_id: Set(entry_id),
            prefecture_code: Set(code.clone()),
        });
    replace_rows(
        db,
        entry_prefecture::Column::EntryId,
        entry_id,
        prefectures.collect(),
    )
    .await?;
    let industries = lists
        .industries
        .iter()
        .map(|code| entry_industry::ActiveModel {
            entry_id: Set(entry_id),
            industry: Set(*code),
        });
    replace_rows(
        db,
        entry_industry::Column::EntryId,
        entry_id,
        industries.collect(),
    )
    .await?;
    let languages = lists
        .languages
        .iter()
        .map(|code| entry_language::ActiveModel {
            entry_id: Set(entry_id),
            language: Set(code.clone()),
        });
    replace_rows(
        db,
        entry_language::Column::EntryId,
        entry_id,
        languages.collect(),
    )
    .await
}

async fn own_id<C: ConnectionTrait>(db: &C, caller: &Caller) -> DomainResult<i64> {
    caller.actor.allow(&permissions::EDIT_OWN_ENTRY)?;
    own_specialist_id(db, &caller.actor)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "specialist",
            field: "",
        })
}

async fn own_entry<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
) -> DomainResult<Option<active_list_entry::Model>> {
    Ok(active_list_entry::Entity::find()
        .filter(active_list_entry::Column::SpecialistId.eq(specialist_id))
        .one(db)
        .await?)
}

fn check_expected(row: &active_list_entry::Model, expected: Option<i32>) -> DomainResult<()> {
    match expected {
        Some(expected) if expected != row.version => Err(DomainError::conflict(
            "expected_version",
            format!(
                "the entry changed since you read it (version {} now, {expected} expected); \
                 read it again and retry",
                row.version
            ),
        )),
        _ => Ok(()),
    }
}

fn status_of(row: &active_list_entry::Model) -> EntryStatus {
    row.status
}

/// Writes `changes` if the entry is still at the version `row` was read at, bumping it; a
/// concurrent change that got there first makes this a `Conflict`.
async fn save_entry<C: ConnectionTrait>(
    db: &C,
    row: &active_list_entry::Model,
    changes: active_list_entry::ActiveModel,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<active_list_entry::Model> {
    let saved = Versioned::<active_list_entry::Entity> {
        id: active_list_entry::Column::Id,
        version: active_list_entry::Column::Version,
        updated_at: active_list_entry::Column::UpdatedAt,
        field: "expected_version",
        what: "Active List entry",
    }
    .save(db, (row.id, row.version), changes, now)
    .await?;
    postings::sync(db, &[row.id]).await?;
    Ok(saved)
}

async fn finish<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &active_list_entry::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "ActiveListEntry",
            target_id: row.id.to_string(),
            details: json!({ "status": row.status }),
        },
    )
    .await
}

/// Creates or rewrites the caller's own entry. A new entry is a `DRAFT`; rewriting a
/// published or pending one sends it (back) to review; a rejected or withdrawn one becomes
/// a draft again. Saving confirms the entry as of today.
pub async fn save_mine(
    db: &DatabaseConnection,
    caller: &Caller,
    input: EntryInput,
) -> DomainResult<EntryView> {
    let txn = begin_write(db).await?;
    let specialist_id = own_id(&txn, caller).await?;
    let existing = own_entry(&txn, specialist_id).await?;
    let current_themes: HashSet<i64> = match &existing {
        Some(row) => queries::theme_ids_of(&txn, &[row.id])
            .await?
            .into_iter()
            .map(|(_, theme)| theme)
            .collect(),
        None => HashSet::new(),
    };
    let (lists, capacity) = check_input(&txn, &input, &current_themes).await?;
    let today = caller.today();
    let now = caller.now();
    let content = |status: EntryStatus| active_list_entry::ActiveModel {
        status: Set(status),
        remote_ok: Set(input.remote_ok),
        domains: Set(json!(lists.domains)),
        theme_ids: Set(json!(lists.theme_ids)),
        prefecture_codes: Set(json!(lists.prefectures)),
        industry_codes: Set(json!(lists.industries)),
        language_codes: Set(json!(lists.languages)),
        fee_policy: Set(input.fee_policy),
        fee_min_yen: Set(input.fee_min_yen.and_then(|y| i32::try_from(y).ok())),
        fee_max_yen: Set(input.fee_max_yen.and_then(|y| i32::try_from(y).ok())),
        capacity: Set(capacity),
        bio_ja: Set(input.bio_ja.trim().to_owned()),
        bio_en: Set(input
            .bio_en
            .as_ref()
            .map(|b| b.trim().to_owned())
            .filter(|b| !b.is_empty())),
        confirmed_on: Set(today),
        ..Default::default()
    };
    let row = match existing {
        None => {
            let mut row = content(EntryStatus::Draft);
            row.specialist_id = Set(specialist_id);
            row.paused = Set(false);
            row.version = Set(1);
            row.created_at = Set(now);
            row.updated_at = Set(now);
            row.insert(&txn).await?
        }
        Some(row) => {
            check_expected(&row, input.expected_version)?;
            let next = match status_of(&row) {
                EntryStatus::Suspended => {
                    return Err(DomainError::invalid(
                        "",
                        "the entry is suspended by staff; contact the registry office",
                    ));
                }
                EntryStatus::Published | EntryStatus::PendingReview => EntryStatus::PendingReview,
                EntryStatus::Draft | EntryStatus::Rejected | EntryStatus::Withdrawn => {
                    EntryStatus::Draft
                }
            };
            let mut changes = content(next);
            if next == EntryStatus::PendingReview {
                changes.submitted_at = Set(Some(now));
            }
            save_entry(&txn, &row, changes, caller.now()).await?
        }
    };
    write_lists(&txn, &row, &lists).await?;
    // A new entry learns whether its specialist may be listed.
    eligibility::refresh(&txn, &[specialist_id], caller.now()).await?;
    let row = active_list_entry::Entity::find_by_id(row.id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "Active List entry",
            field: "",
        })?;
    finish(&txn, caller, "active_list.save", &row).await?;
    let view = queries::view_in(row, today);
    txn.commit().await?;
    Ok(view)
}

/// Submits the caller's draft (or rejected) entry for review. Only an eligible specialist
/// may: `ACTIVE`, with a current cycle that is not `OVERDUE`.
pub async fn submit_mine(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: Option<i32>,
) -> DomainResult<EntryView> {
    let txn = begin_write(db).await?;
    let specialist_id = own_id(&txn, caller).await?;
    let row = own_entry(&txn, specialist_id)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "Active List entry",
            field: "",
        })?;
    check_expected(&row, expected_version)?;
    if !matches!(status_of(&row), EntryStatus::Draft | EntryStatus::Rejected) {
        return Err(DomainError::invalid(
            "",
            format!("a {} entry cannot be submitted", row.status),
        ));
    }
    require_eligible(&txn, specialist_id, caller.today()).await?;
    let row = save_entry(
        &txn,
        &row,
        active_list_entry::ActiveModel {
            status: Set(EntryStatus::PendingReview),
            submitted_at: Set(Some(caller.now())),
            ..Default::default()
        },
        caller.now(),
    )
    .await?;
    finish(&txn, caller, "active_list.submit", &row).await?;
    let view = queries::view_in(row, caller.today());
    txn.commit().await?;
    Ok(view)
}

async fn require_eligible<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    today: chrono::NaiveDate,
) -> DomainResult<()> {
    if !queries::is_eligible(db, specialist_id, today).await? {
        return Err(DomainError::invalid(
            "",
            "only an ACTIVE specialist whose renewal cycle is not OVERDUE can be listed",
        ));
    }
    Ok(())
}

/// What the specialist may change without a new review.
#[derive(Debug, Clone, Copy)]
pub struct Availability {
    pub expected_version: Option<i32>,
    pub paused: Option<bool>,
    pub capacity: Option<i32>,
}

/// Pauses or resumes the caller's entry, or changes its capacity; either way (and with
/// neither) it confirms the entry as of today.
pub async fn set_availability(
    db: &DatabaseConnection,
    caller: &Caller,
    availability: Availability,
) -> DomainResult<EntryView> {
    let mut v = Violations::default();
    let capacity = availability.capacity.map(|c| check_capacity(&mut v, c));
    v.into_result()?;
    let txn = begin_write(db).await?;
    let specialist_id = own_id(&txn, caller).await?;
    let row = own_entry(&txn, specialist_id)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "Active List entry",
            field: "",
        })?;
    check_expected(&row, availability.expected_version)?;
    let mut changes = active_list_entry::ActiveModel {
        confirmed_on: Set(caller.today()),
        ..Default::default()
    };
    if let Some(paused) = availability.paused {
        changes.paused = Set(paused);
    }
    if let Some(capacity) = capacity {
        changes.capacity = Set(capacity);
    }
    let row = save_entry(&txn, &row, changes, caller.now()).await?;
    finish(&txn, caller, "active_list.availability", &row).await?;
    let view = queries::view_in(row, caller.today());
    txn.commit().await?;
    Ok(view)
}

/// Withdraws the caller's entry from the list.
pub async fn withdraw_mine(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: Option<i32>,
) -> DomainResult<EntryView> {
    let txn = begin_write(db).await?;
    let specialist_id = own_id(&txn, caller).await?;
    let row = own_entry(&txn, specialist_id)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "Active List entry",
            field: "",
        })?;
    check_expected(&row, expected_version)?;
    if status_of(&row) == EntryStatus::Withdrawn {
        return Err(DomainError::invalid("", "the entry is already withdrawn"));
    }
    let row = save_entry(
        &txn,
        &row,
        active_list_entry::ActiveModel {
            status: Set(EntryStatus::Withdrawn),
            ..Default::default()
        },
        caller.now(),
    )
    .await?;
    finish(&txn, caller, "active_list.withdraw", &row).await?;
    let view = queries::view_in(row, caller.today());
    txn.commit().await?;
    Ok(view)
}

/// A staff decision on an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Publish a pending entry.
    Publish,
    /// Send a pending entry back, with a comment.
    Reject,
    /// Take a pending or published entry off the list, with a comment.
    Suspend,
    /// Put a suspended entry back on the list.
    Reinstate,
}

/// Reviews or moderates an entry (registry staff).
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    entry_id: i64,
    decision: Decision,
    comment: Option<String>,
) -> DomainResult<EntryView> {
    caller.actor.allow(&permissions::REVIEW_ENTRIES)?;
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(DomainError::invalid(
            "comment",
            "must be at most 2000 characters",
        ));
    }
    if matches!(decision, Decision::Reject | Decision::Suspend) && comment.is_none() {
        return Err(DomainError::invalid(
            "comment",
            "say why: rejecting or suspending needs a comment",
        ));
    }
    let txn = begin_write(db).await?;
    let row = active_list_entry::Entity::find_by_id(entry_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "Active List entry",
            field: "entry_id",
        })?;
    let status = status_of(&row);
    let allowed = match decision {
        Decision::Publish | Decision::Reject => status == EntryStatus::PendingReview,
        Decision::Suspend => {
            matches!(status, EntryStatus::Published | EntryStatus::PendingReview)
        }
        Decision::Reinstate => status == EntryStatus::Suspended,
    };
    if !allowed {
        return Err(DomainError::invalid(
            "decision",
            format!("not possible for a {} entry", row.status),
        ));
    }
    let now = caller.now();
    let mut changes = active_list_entry::ActiveModel {
        review_comment: Set(comment),
        reviewed_by: Set(Some(caller.actor.subject().to_owned())),
        reviewed_at: Set(Some(now)),
        ..Default::default()
    };
    let next = match decision {
        Decision::Publish | Decision::Reinstate => {
            require_eligible(&txn, row.specialist_id, caller.today()).await?;
            changes.published_at = Set(Some(now));
            EntryStatus::Published
        }
        Decision::Reject => EntryStatus::Rejected,
        Decision::Suspend => EntryStatus::Suspended,
    };
    changes.status = Set(next);
    let row = save_entry(&txn, &row, changes, caller.now()).await?;
    finish(&txn, caller, "active_list.decide", &row).await?;
    let view = queries::view_in(row, caller.today());
    txn.commit().await?;
    Ok(view)
}
