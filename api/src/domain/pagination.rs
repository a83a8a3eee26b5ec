//! Keyset pagination shared by every list of the service.
//!
//! A page is read with one statement: the rows after (or before) a cursor in a stable order
//! whose last key is the primary key, plus one extra row to learn whether another page
//! follows. Cursors are opaque to clients: URL-safe base64 of a small JSON document naming
//! the order they belong to, so a cursor from another order is refused instead of
//! silently skipping rows.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Select, sea_query::SimpleExpr,
};
use serde::{Deserialize, Serialize};

use super::error::{DomainError, DomainResult};

/// Page size when the client names none.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The largest page a client may ask for; larger requests are capped to it.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The most values one list of a filter may hold (`prefectures`, `cohorts`, …): a list
/// that long already names more than a page shows, and a longer one only costs the
/// database.
pub const MAX_FILTER_VALUES: usize = 100;

/// Refuses a filter's list `field` that holds more than [`MAX_FILTER_VALUES`] values.
pub fn check_filter_len<T>(field: &str, values: &[T]) -> DomainResult<()> {
    if values.len() > MAX_FILTER_VALUES {
        return Err(DomainError::invalid(
            field,
            format!("name at most {MAX_FILTER_VALUES} values"),
        ));
    }
    Ok(())
}

/// What a client asked for: Relay's `first`/`after`/`last`/`before`, and the direction
/// of the list's order when they chose one (`orderBy: { direction }`).
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
    pub direction: Option<Direction>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
            direction: None,
        }
    }

    /// The same, read in `direction` (the list's own when `None`).
    pub fn directed(self, direction: Option<Direction>) -> Self {
        Self { direction, ..self }
    }
}

/// The direction a caller chose for a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

/// A list's own order (`ID_DESC`: its keys and direction, the name its cursors carry)
/// turned the way the caller chose: `ID_ASC` when they asked for ascending. A cursor of
/// one order is refused by the other.
fn oriented(order: &str, ascending: bool, chosen: Option<Direction>) -> (String, bool) {
    let keys = order
        .strip_suffix("_ASC")
        .or_else(|| order.strip_suffix("_DESC"))
        .unwrap_or(order);
    let ascending = match chosen {
        Some(direction) => direction == Direction::Ascending,
        None => ascending,
    };
    let suffix = if ascending { "ASC" } else { "DESC" };
    (format!("{keys}_{suffix}"), ascending)
}

/// One value of a sort key, as carried in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyValue {
    Int(i64),
    Text(String),
}

impl KeyValue {
    pub fn date(date: NaiveDate) -> Self {
        KeyValue::Text(date.format("%Y-%m-%d").to_string())
    }

    /// An instant at the precision it is stored with: SQLite keeps nanoseconds, and a
    /// cursor rounded to microseconds would sort before its own row.
    pub fn instant(at: chrono::DateTime<chrono::Utc>) -> Self {
        KeyValue::Text(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// How one sort key is compared and read back from a cursor.
#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    Int,
    Text,
    Date,
    /// A UTC timestamp.
    Instant,
}

/// A column of the order, with the kind of value it holds.
#[derive(Debug, Clone, Copy)]
pub struct SortKey<C> {
    pub column: C,
    pub kind: KeyKind,
}

/// A read page: rows in the requested order, each with its cursor.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

impl<T> Page<T> {
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CursorDoc {
    /// The order the cursor belongs to.
    o: String,
    /// The sort-key values of the row.
    k: Vec<KeyValue>,
}

fn encode_cursor(order: &str, keys: Vec<KeyValue>) -> String {
    let doc = CursorDoc {
        o: order.to_owned(),
        k: keys,
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&doc).unwrap_or_default())
}

fn decode_cursor<C: ColumnTrait>(
    field: &str,
    cursor: &str,
    order: &str,
    keys: &[SortKey<C>],
) -> DomainResult<Vec<sea_orm::Value>> {
    let invalid = || DomainError::invalid(field, "is not a cursor from this list and order");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let doc: CursorDoc = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if doc.o != order || doc.k.len() != keys.len() {
        return Err(invalid());
    }
    doc.k
        .into_iter()
        .zip(keys)
        .map(|(value, key)| match (key.kind, value) {
            (KeyKind::Int, KeyValue::Int(i)) => Ok(i.into()),
            (KeyKind::Text, KeyValue::Text(s)) => Ok(s.into()),
            (KeyKind::Date, KeyValue::Text(s)) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map(Into::into)
                .map_err(|_| invalid()),
            (KeyKind::Instant, KeyValue::Text(s)) => chrono::DateTime::parse_from_rfc3339(&s)
                .map(|at| at.with_timezone(&chrono::Utc).into())
                .map_err(|_| invalid()),
            _ => Err(invalid()),
        })
        .collect()
}

/// `(k1, k2, …) > (v1, v2, …)` spelled out so that every database can use its indexes:
/// `k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND k2 > v2) OR …)`. The leading `k1 >= v1` is
/// implied by the rest; it is there so that the first key's index bounds the read.
fn keyset_condition<C: ColumnTrait>(
    keys: &[SortKey<C>],
    values: Vec<sea_orm::Value>,
    greater: bool,
) -> Condition {
    let mut any = Condition::any();
    let bound = match (keys.first(), values.first()) {
        (Some(key), Some(value)) if keys.len() > 1 => Some(if greater {
            key.column.gte(value.clone())
        } else {
            key.column.lte(value.clone())
        }),
        _ => None,
    };
    for i in 0..keys.len() {
        let mut all = Condition::all();
        for (key, value) in keys.iter().zip(values.iter()).take(i) {
            all = all.add(key.column.eq(value.clone()));
        }
        let (key, value) = (&keys[i], values[i].clone());
        let cmp: SimpleExpr = if greater {
            key.column.gt(value)
        } else {
            key.column.lt(value)
        };
        any = any.add(all.add(cmp));
    }
    match bound {
        Some(bound) => Condition::all().add(bound).add(any),
        None => any,
    }
}

/// Validates the page arguments: returns the page size and whether the page is read
/// backwards (`last`/`before`).
fn page_size(args: &PageArgs) -> DomainResult<(u64, bool)> {
    match (args.first, args.last) {
        (Some(_), Some(_)) => Err(DomainError::invalid(
            "last",
            "pass either first or last, not both",
        )),
        (Some(n), None) | (None, Some(n)) if n < 0 => Err(DomainError::invalid(
            if args.first.is_some() {
                "first"
            } else {
                "last"
            },
            "must not be negative",
        )),
        (Some(n), None) => Ok(((n as u64).min(MAX_PAGE_SIZE), false)),
        (None, Some(n)) => Ok(((n as u64).min(MAX_PAGE_SIZE), true)),
        (None, None) => Ok((
            DEFAULT_PAGE_SIZE,
            args.before.is_some() && args.after.is_none(),
        )),
    }
}

/// Reads one page of `select` in the order of its integer primary key `id`, by default in
/// `direction` (oldest first when `Ascending`), unless the caller chose one in `args`:
/// the order of most lists of records.
pub async fn paginate_by_id<E, K, C>(
    db: &C,
    select: Select<E>,
    id: K,
    direction: Direction,
    args: &PageArgs,
    id_of: impl Fn(&E::Model) -> i64,
) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    K: ColumnTrait,
    C: ConnectionTrait,
{
    let keys = [SortKey {
        column: id,
        kind: KeyKind::Int,
    }];
    let ascending = direction == Direction::Ascending;
    let order = if ascending { "ID_ASC" } else { "ID_DESC" };
    paginate(db, select, order, &keys, ascending, args, |row| {
        vec![KeyValue::Int(id_of(row))]
    })
    .await
}

/// Reads one page of `select` in the order of the date or time a person means by "newest"
/// or "oldest" (when a match was proposed, a claim filed, an application received), ties
/// broken by `id`; by default in `direction`, unless the caller chose one in `args`. The
/// order's name in cursors is the column's with the direction (`PROPOSED_AT_DESC`), so a
/// cursor of another order is refused.
pub async fn paginate_by_time<E, K, C>(
    db: &C,
    select: Select<E>,
    (name, when): (&str, SortKey<K>),
    id: K,
    direction: Direction,
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> (KeyValue, i64),
) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    K: ColumnTrait,
    C: ConnectionTrait,
{
    let keys = [
        when,
        SortKey {
            column: id,
            kind: KeyKind::Int,
        },
    ];
    let ascending = direction == Direction::Ascending;
    let order = format!("{name}_{}", if ascending { "ASC" } else { "DESC" });
    paginate(db, select, &order, &keys, ascending, args, |row| {
        let (at, id) = key_of(row);
        vec![at, KeyValue::Int(id)]
    })
    .await
}

/// Whether a list with one order of its own is read in it or in the order of last change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// The list's own order.
    #[default]
    Own,
    /// Last change first to last, ties broken by id: see [`paginate_by_update`].
    UpdatedAt,
}

/// The name of the order by last change, which every mirrored list offers.
pub const UPDATED_AT: &str = "UPDATED_AT";

/// Reads one page of `select` in the order of last change (`updated_at`, ties broken by
/// `id`), oldest change first unless the caller chose a direction in `args`: the order a
/// mirror pages in. A cursor names the exact row, so a mirror that resumes from its last
/// cursor sees every row changed since, once, however many rows share an update time.
pub async fn paginate_by_update<E, K, C>(
    db: &C,
    select: Select<E>,
    (updated_at, id): (K, K),
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> (chrono::DateTime<chrono::Utc>, i64),
) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    K: ColumnTrait,
    C: ConnectionTrait,
{
    let when = SortKey {
        column: updated_at,
        kind: KeyKind::Instant,
    };
    paginate_by_time(
        db,
        select,
        (UPDATED_AT, when),
        id,
        Direction::Ascending,
        args,
        |row| {
            let (at, id) = key_of(row);
            (KeyValue::instant(at), id)
        },
    )
    .await
}

/// Reads one page of `select` in the order `keys` (ascending when `ascending`, unless
/// the caller chose a direction in `args`), whose last key must be unique (the primary
/// key). The keys may be columns of a table joined one-to-one in `select`. `order` names
/// the order in cursors (`ID_ASC`); `key_of` reads a row's key values back for its cursor.
pub async fn paginate<E, K, C>(
    db: &C,
    select: Select<E>,
    order: &str,
    keys: &[SortKey<K>],
    ascending: bool,
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> Vec<KeyValue>,
) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    K: ColumnTrait,
    C: ConnectionTrait,
{
    let (size, backward) = page_size(args)?;
    let (order, ascending) = oriented(order, ascending, args.direction);
    let order = order.as_str();
    let mut select = select;
    if let Some(after) = &args.after {
        let values = decode_cursor("after", after, order, keys)?;
        select = select.filter(keyset_condition(keys, values, ascending));
    }
    if let Some(before) = &args.before {
        let values = decode_cursor("before", before, order, keys)?;
        select = select.filter(keyset_condition(keys, values, !ascending));
    }
    let read_ascending = ascending != backward;
    let direction = if read_ascending {
        Order::Asc
    } else {
        Order::Desc
    };
    for key in keys {
        select = select.order_by(key.column, direction.clone());
    }
    let mut rows = select.limit(size + 1).all(db).await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    if backward {
        rows.reverse();
    }
    let items = rows
        .into_iter()
        .map(|row| (encode_cursor(order, key_of(&row)), row))
        .collect();
    // Relay allows `false` where the answer would cost another statement: a page read
    // forwards from a cursor reports a previous page, one read from the start does not.
    let (has_previous_page, has_next_page) = if backward {
        (more, args.before.is_some())
    } else {
        (args.after.is_some(), more)
    };
    Ok(Page {
        items,
        has_previous_page,
        has_next_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_defaults_caps_and_refuses() {
        let args = |first, last| PageArgs {
            first,
            last,
            ..PageArgs::default()
        };
        assert_eq!(page_size(&args(None, None)).unwrap(), (20, false));
        assert_eq!(page_size(&args(Some(500), None)).unwrap(), (100, false));
        assert_eq!(page_size(&args(None, Some(5))).unwrap(), (5, true));
        assert!(page_size(&args(Some(-1), None)).is_err());
        assert!(page_size(&args(Some(1), Some(1))).is_err());
    }

    #[test]
    fn cursors_round_trip_and_are_tied_to_their_order() {
        let keys = [SortKey {
            column: entities::specialist::Column::Id,
            kind: KeyKind::Int,
        }];
        let cursor = encode_cursor("ID_ASC", vec![KeyValue::Int(7)]);
        assert_eq!(
            decode_cursor("after", &cursor, "ID_ASC", &keys).unwrap(),
            vec![sea_orm::Value::from(7i64)]
        );
        assert!(decode_cursor("after", &cursor, "ID_DESC", &keys).is_err());
        assert!(decode_cursor("after", "not-a-cursor", "ID_ASC", &keys).is_err());
    }

    /// The rows after `(t, 5)` in a two-key order: a later time, or the same time and a
    /// larger id; never an earlier time with a larger id.
    #[test]
    fn a_two_key_keyset_breaks_ties_by_the_second_key_only() {
        use entities::specialist::Column;
        use sea_orm::{DbBackend, QueryTrait};
        let keys = [
            SortKey {
                column: Column::UpdatedAt,
                kind: KeyKind::Text,
            },
            SortKey {
                column: Column::Id,
                kind: KeyKind::Int,
            },
        ];
        let values = vec![sea_orm::Value::from("t"), sea_orm::Value::from(5i64)];
        let sql = |greater| {
            entities::specialist::Entity::find()
                .filter(keyset_condition(&keys, values.clone(), greater))
                .build(DbBackend::Sqlite)
                .to_string()
        };
        let after = sql(true);
        assert!(
            after.ends_with(
                r#"WHERE "specialists"."updated_at" >= 't' AND ("specialists"."updated_at" > 't' OR ("specialists"."updated_at" = 't' AND "specialists"."id" > 5))"#
            ),
            "{after}"
        );
        let before = sql(false);
        assert!(
            before.ends_with(
                r#"WHERE "specialists"."updated_at" <= 't' AND ("specialists"."updated_at" < 't' OR ("specialists"."updated_at" = 't' AND "specialists"."id" < 5))"#
            ),
            "{before}"
        );
    }
}
