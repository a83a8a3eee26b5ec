//! The theme postings of entries: `entry_themes` rows carry copies of their entry's status,
//! confirmation date and `eligible_until`, so that a search for entries holding every one of
//! several themes reads one theme's rows in list order from a single index and touches an
//! entry only for the rows it returns. Every change to those three fields of an entry calls
//! [`sync`] in its transaction.

use entities::{active_list_entry, entry_theme};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Query},
};

use crate::domain::{CHUNK, DomainResult};

/// The value of `column` of the posting's entry (a correlated subquery).
fn of_entry(column: active_list_entry::Column) -> Expr {
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column(column)
                .from(active_list_entry::Entity)
                .and_where(
                    Expr::col((active_list_entry::Entity, active_list_entry::Column::Id))
                        .equals((entry_theme::Entity, entry_theme::Column::EntryId)),
                )
                .to_owned()
                .into(),
        ),
    )
}

/// Copies status, confirmation date and eligibility from these entries to their postings.
pub async fn sync<C: ConnectionTrait>(db: &C, entry_ids: &[i64]) -> DomainResult<()> {
    for chunk in entry_ids.chunks(CHUNK) {
        entry_theme::Entity::update_many()
            .col_expr(
                entry_theme::Column::Status,
                of_entry(active_list_entry::Column::Status),
            )
            .col_expr(
                entry_theme::Column::ConfirmedOn,
                of_entry(active_list_entry::Column::ConfirmedOn),
            )
            .col_expr(
                entry_theme::Column::EligibleUntil,
                of_entry(active_list_entry::Column::EligibleUntil),
            )
            .filter(entry_theme::Column::EntryId.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The postings of `entry` for its themes, with the entry's copies.
pub fn postings(
    entry: &active_list_entry::Model,
    theme_ids: &[i64],
) -> Vec<entry_theme::ActiveModel> {
    use sea_orm::Set;
    let set = theme_set(theme_ids);
    theme_ids
        .iter()
        .map(|id| entry_theme::ActiveModel {
            entry_id: Set(entry.id),
            theme_id: Set(*id),
            status: Set(entry.status),
            confirmed_on: Set(entry.confirmed_on),
            eligible_until: Set(entry.eligible_until),
            theme_set: Set(set.clone()),
        })
        .collect()
}

/// A theme set as stored on postings: ids between commas, `,1,14,19,`.
pub fn theme_set(theme_ids: &[i64]) -> String {
    let mut ids = theme_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut set = String::from(",");
    for id in ids {
        set.push_str(&format!("{id},"));
    }
    set
}

/// The `LIKE` pattern of a posting whose entry holds `theme_id`.
pub fn holds_pattern(theme_id: i64) -> String {
    format!("%,{theme_id},%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_sets_are_sorted_ids_between_commas() {
        assert_eq!(theme_set(&[19, 1, 14, 1]), ",1,14,19,");
        assert_eq!(theme_set(&[]), ",");
        // ",1," must not match theme 11 and ",11," must not match theme 1.
        let set = theme_set(&[11]);
        assert!(!set.contains(&holds_pattern(1).replace('%', "")));
    }
}
