//! The consent ledger: each disclosure consent a person gives or withdraws, with the
//! version of the terms it was given under and when, appended in the transaction of the
//! change it belongs to.
//!
//! The areas that hold consent-based data tell the ledger the state a change leaves
//! (`record`); the ledger appends an entry only for the items whose state differs from
//! its own latest entry, so one call serves registering, updating, leaving and erasing.
//! The current state of every consent is the latest entry per item ([`derive`]); the
//! columns the areas read it from are written in the same transaction, and a test checks
//! that they never disagree with the ledger.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{consent_record, consent_terms};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{Caller, DomainError, DomainResult, Role, calendar::japan_date};
pub use entities::enums::consent::{Audience, HolderKind, Purpose};

/// Whose consent it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holder {
    /// A registration (its key).
    Specialist(i64),
    /// A person of the camps (their key).
    Person(i64),
}

impl Holder {
    fn kind(self) -> HolderKind {
        match self {
            Holder::Specialist(_) => HolderKind::Specialist,
            Holder::Person(_) => HolderKind::Person,
        }
    }

    fn id(self) -> i64 {
        match self {
            Holder::Specialist(id) | Holder::Person(id) => id,
        }
    }
}

/// The state of one consent: not given, or given (to an audience, for a disclosure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Withdrawn,
    Given(Option<Audience>),
}

/// The key of one consent among a holder's: its purpose and item.
pub type Item = (Purpose, String);

/// The latest state of each consent in `records` (of one holder, any order).
pub fn derive(records: &[consent_record::Model]) -> BTreeMap<(String, String), State> {
    let mut sorted: Vec<&consent_record::Model> = records.iter().collect();
    sorted.sort_by_key(|r| r.id);
    let mut current = BTreeMap::new();
    for record in sorted {
        current.insert(
            (record.purpose.as_str().to_owned(), record.item.clone()),
            state_of(record),
        );
    }
    current
}

fn state_of(record: &consent_record::Model) -> State {
    if record.given {
        State::Given(record.audience)
    } else {
        State::Withdrawn
    }
}

/// The version that stands for consents recorded before the ledger existed, whose terms'
/// version was not recorded. Never in force for a consent given now.
pub const BEFORE_LEDGER: &str = "BEFORE_LEDGER";

/// The version of `purpose`'s terms in force on `day`, if any.
async fn terms_in_force<C: ConnectionTrait>(
    db: &C,
    purpose: Purpose,
    day: NaiveDate,
) -> DomainResult<Option<String>> {
    Ok(consent_terms::Entity::find()
        .filter(consent_terms::Column::Purpose.eq(purpose.as_str()))
        .filter(consent_terms::Column::Version.ne(BEFORE_LEDGER))
        .filter(consent_terms::Column::EffectiveOn.lte(day))
        .order_by_desc(consent_terms::Column::EffectiveOn)
        .order_by_desc(consent_terms::Column::Version)
        .one(db)
        .await?
        .map(|t| t.version))
}

/// Who recorded a change, as the ledger keeps it: the person's own `sub` when they acted
/// for themselves, otherwise only the role (the audit trail of the same request names the
/// staff member), so a person's ledger does not hand out staff identities.
fn recorder(caller: &Caller) -> String {
    match caller.actor.role() {
        Some(Role::Specialist | Role::Person) => caller.actor.subject().chars().take(200).collect(),
        _ => caller.actor.role_label().to_owned(),
    }
}

/// Records the state a change leaves `holder`'s consents of `purpose` in: an entry for
/// every item of `states` whose state differs from the ledger's latest (an item never
/// recorded counts as withdrawn), under the terms in force. `shown` is the version of the
/// terms the person was shown, when the client says: if it is not the one in force, the
/// change is refused (the person must see the current terms). Call it inside the
/// change's transaction.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    holder: Holder,
    purpose: Purpose,
    states: &[(String, State)],
    shown: Option<&str>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let held = consent_record::Entity::find()
        .filter(consent_record::Column::HolderKind.eq(holder.kind().as_str()))
        .filter(consent_record::Column::HolderId.eq(holder.id()))
        .filter(consent_record::Column::Purpose.eq(purpose.as_str()))
        .all(db)
        .await?;
    let current = derive(&held);
    let changed: Vec<&(String, State)> = states
        .iter()
        .filter(|(item, state)| {
            let was = current
                .get(&(purpose.as_str().to_owned(), item.clone()))
                .copied()
                .unwrap_or(State::Withdrawn);
            was != *state
        })
        .collect();
    if changed.is_empty() && shown.is_none() {
        return Ok(());
    }
    let day = japan_date(now);
    let version = terms_in_force(db, purpose, day).await?.ok_or_else(|| {
        DomainError::Db(sea_orm::DbErr::Custom(format!(
            "no {} terms in force on {day}",
            purpose.as_str()
        )))
    })?;
    if let Some(shown) = shown
        && shown != version
    {
        return Err(DomainError::invalid(
            "terms_version",
            format!(
                "the terms in force are version {version}, not {shown}: show the person the \
                 current terms (consentTerms) and send that version"
            ),
        ));
    }
    for (item, state) in changed {
        let (given, audience) = match state {
            State::Withdrawn => (false, None),
            State::Given(audience) => (true, *audience),
        };
        consent_record::ActiveModel {
            holder_kind: Set(holder.kind()),
            holder_id: Set(holder.id()),
            purpose: Set(purpose),
            item: Set(item.clone()),
            given: Set(given),
            audience: Set(audience),
            terms_version: Set(version.clone()),
            recorded_at: Set(now),
            recorded_by: Set(recorder(caller)),
            request_id: Set(caller.request_id.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Enters consents already held by many holders at once, each given at its own instant
/// (the demo seed writes its rows directly): one entry per given consent, under the terms
/// in force on its day, or [`BEFORE_LEDGER`] before any were, recorded by `recorded_by`.
pub async fn enter_held<C: ConnectionTrait>(
    db: &C,
    recorded_by: &str,
    purpose: Purpose,
    held: impl IntoIterator<Item = (Holder, String, State, DateTime<Utc>)>,
) -> DomainResult<()> {
    let versions = consent_terms::Entity::find()
        .filter(consent_terms::Column::Purpose.eq(purpose.as_str()))
        .filter(consent_terms::Column::Version.ne(BEFORE_LEDGER))
        .order_by_desc(consent_terms::Column::EffectiveOn)
        .order_by_desc(consent_terms::Column::Version)
        .all(db)
        .await?;
    // Demo consents are dated in the past: each takes the version in force on its day,
    // and those from before the ledger's first terms stand as recorded before it.
    let version_on = |at: DateTime<Utc>| {
        let day = japan_date(at);
        versions
            .iter()
            .find(|v| v.effective_on <= day)
            .map_or_else(|| BEFORE_LEDGER.to_owned(), |v| v.version.clone())
    };
    let rows: Vec<consent_record::ActiveModel> = held
        .into_iter()
        .filter_map(|(holder, item, state, at)| match state {
            State::Withdrawn => None,
            State::Given(audience) => Some(consent_record::ActiveModel {
                holder_kind: Set(holder.kind()),
                holder_id: Set(holder.id()),
                purpose: Set(purpose),
                item: Set(item),
                given: Set(true),
                audience: Set(audience),
                terms_version: Set(version_on(at)),
                recorded_at: Set(at),
                recorded_by: Set(recorded_by.to_owned()),
                request_id: Set(None),
                ..Default::default()
            }),
        })
        .collect();
    // Eleven columns a row: well within every database's limit on bound parameters.
    for chunk in rows.chunks(2_000) {
        consent_record::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// "The entry is one of `holders`'", as SQL.
pub fn of_holders(holders: &[Holder]) -> sea_orm::Condition {
    holders
        .iter()
        .fold(sea_orm::Condition::any(), |any, holder| {
            any.add(
                sea_orm::Condition::all()
                    .add(consent_record::Column::HolderKind.eq(holder.kind().as_str()))
                    .add(consent_record::Column::HolderId.eq(holder.id())),
            )
        })
}

/// The most ledger entries one read returns; a person's ledger holds a few per change.
pub const MAX_HISTORY: u64 = 1_000;

/// The ledger entries of `holders`, newest first (at most [`MAX_HISTORY`]).
pub async fn history<C: ConnectionTrait>(
    db: &C,
    holders: &[Holder],
) -> DomainResult<Vec<consent_record::Model>> {
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(consent_record::Entity::find()
        .filter(of_holders(holders))
        .order_by_desc(consent_record::Column::Id)
        .limit(MAX_HISTORY)
        .all(db)
        .await?)
}

/// Every version of the terms, newest first within each purpose.
pub async fn terms<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<consent_terms::Model>> {
    Ok(consent_terms::Entity::find()
        .order_by_asc(consent_terms::Column::Purpose)
        .order_by_desc(consent_terms::Column::EffectiveOn)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, item: &str, given: bool, audience: Option<&str>) -> consent_record::Model {
        consent_record::Model {
            id,
            holder_kind: HolderKind::Person,
            holder_id: 1,
            purpose: Purpose::CommunityProfile,
            item: item.into(),
            given,
            audience: audience.and_then(Audience::parse),
            terms_version: "2026-12".into(),
            recorded_at: Utc::now(),
            recorded_by: "someone".into(),
            request_id: None,
        }
    }

    #[test]
    fn the_latest_entry_of_each_item_is_its_state() {
        let ledger = [
            entry(3, "BIO", false, None),
            entry(1, "BIO", true, Some("PUBLIC")),
            entry(2, "LINK", true, Some("ALUMNI")),
        ];
        let current = derive(&ledger);
        let key = |item: &str| ("COMMUNITY_PROFILE".to_owned(), item.to_owned());
        assert_eq!(current[&key("BIO")], State::Withdrawn);
        assert_eq!(current[&key("LINK")], State::Given(Some(Audience::Alumni)));
    }
}
