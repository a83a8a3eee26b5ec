//! Who may be listed, kept on the entries themselves.
//!
//! A specialist may be listed while `ACTIVE` with a current (open) renewal cycle that is not
//! `OVERDUE`. Time alone can only end eligibility (when an application deadline passes with
//! training missing or no application filed); only a write can restore it. So each entry
//! stores `eligible_until`, the last day its specialist is eligible unless something
//! changes, and the search reads `eligible_until >= today`: exact, and one indexed column
//! instead of joins. Every change to a specialist's status or cycles calls [`refresh`] in
//! its own transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use entities::{active_list_entry, renewal_cycle, specialist};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use crate::domain::{CHUNK, DomainResult, renewal::types::CycleState};

/// Stands for "no end in sight" (complete and applied for, waiting for a decision): the
/// last day of year 9999, which sorts correctly as text too (SQLite stores dates as text).
pub fn open_ended() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The last day each of these specialists may be listed, unless something changes; absent
/// for those who may not be listed at all. Two statements per 500.
pub async fn eligible_until<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
) -> DomainResult<HashMap<i64, NaiveDate>> {
    let mut result = HashMap::new();
    for chunk in specialist_ids.chunks(CHUNK) {
        let active: Vec<i64> = specialist::Entity::find()
            .select_only()
            .column(specialist::Column::Id)
            .filter(specialist::Column::Id.is_in(chunk.to_vec()))
            .filter(specialist::Column::Status.eq("ACTIVE"))
            .into_tuple()
            .all(db)
            .await?;
        if active.is_empty() {
            continue;
        }
        let open: Vec<(i64, NaiveDate, i32, Option<NaiveDate>)> = renewal_cycle::Entity::find()
            .select_only()
            .columns([
                renewal_cycle::Column::SpecialistId,
                renewal_cycle::Column::ApplicationDueOn,
                renewal_cycle::Column::MissingRequirements,
                renewal_cycle::Column::AppliedOn,
            ])
            .filter(renewal_cycle::Column::SpecialistId.is_in(active))
            .filter(renewal_cycle::Column::State.eq(CycleState::Open.as_str()))
            .into_tuple()
            .all(db)
            .await?;
        for (specialist_id, due, missing, applied) in open {
            let until = if missing == 0 && applied.is_some() {
                open_ended()
            } else {
                due
            };
            result.insert(specialist_id, until);
        }
    }
    Ok(result)
}

/// Recomputes `eligible_until` on the entries of these specialists. Call it inside the
/// transaction of any change to their status or renewal cycles. An entry whose value
/// changes is stamped as changed at `now`, so that mirrors syncing by update time see it.
pub async fn refresh<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    for chunk in specialist_ids.chunks(CHUNK) {
        let with_entries: Vec<(i64, i64)> = active_list_entry::Entity::find()
            .select_only()
            .columns([
                active_list_entry::Column::Id,
                active_list_entry::Column::SpecialistId,
            ])
            .filter(active_list_entry::Column::SpecialistId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        if with_entries.is_empty() {
            continue;
        }
        let specialists: Vec<i64> = with_entries.iter().map(|(_, s)| *s).collect();
        let until = eligible_until(db, &specialists).await?;
        let mut groups: BTreeMap<Option<NaiveDate>, Vec<i64>> = BTreeMap::new();
        for id in specialists {
            groups.entry(until.get(&id).copied()).or_default().push(id);
        }
        for (value, ids) in groups {
            let changed = match value {
                Some(day) => Condition::any()
                    .add(active_list_entry::Column::EligibleUntil.ne(day))
                    .add(active_list_entry::Column::EligibleUntil.is_null()),
                None => {
                    Condition::all().add(active_list_entry::Column::EligibleUntil.is_not_null())
                }
            };
            active_list_entry::Entity::update_many()
                .col_expr(active_list_entry::Column::EligibleUntil, Expr::value(value))
                .col_expr(active_list_entry::Column::UpdatedAt, Expr::value(now))
                .filter(active_list_entry::Column::SpecialistId.is_in(ids))
                .filter(changed)
                .exec(db)
                .await?;
        }
        let entries: Vec<i64> = with_entries.iter().map(|(e, _)| *e).collect();
        super::postings::sync(db, &entries).await?;
    }
    Ok(())
}

/// Whether a stored `eligible_until` admits listing on `today`.
pub fn is_listed_on(eligible_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    eligible_until.is_some_and(|until| until >= today)
}
