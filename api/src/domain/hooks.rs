//! Reactions of one area to another's change, made inside the changing transaction.
//!
//! Areas depend on each other in one direction: registry → renewal → Active List →
//! matching, with camps and the community beside them and analytics reading all. When a
//! change in an earlier area must be followed in a later one (a registration opens its
//! first renewal cycle; a lapsed cycle takes an Active List entry off), the changing area
//! calls its hook here, with the transaction it writes in, and does not know who listens.
//! The listeners are wired in this file and nowhere else: adding one is one line here.
//! The same holds for the few questions an earlier area asks a later one (a deemed-
//! attendance claim cites engagements, which matching keeps): the asking area calls the
//! question here and never reads the later area's tables itself.
//! `tests/architecture.rs` fails when an area imports one that comes after it, or reads a
//! table another area declares unless that area comes before it.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use super::{
    Caller, DomainResult, active_list, matching, registry::types::SpecialistStatus, renewal,
};

/// A specialist was registered on `registered_on`: their first renewal cycle opens, and a
/// registration recorded with a date so far back that the cycle has already ended lapses
/// at once, as the sweep would have lapsed it, so the registry never shows an `ACTIVE`
/// registration whose cycle is over.
pub async fn specialist_registered<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_id: i64,
    registered_on: NaiveDate,
) -> DomainResult<()> {
    renewal::cycles::open_cycle(db, specialist_id, 1, registered_on, caller.now()).await?;
    renewal::sweep::lapse_ended_of(db, caller, &[specialist_id], caller.today()).await?;
    Ok(())
}

/// A specialist's status changed on `effective_on`: their renewal cycles follow it (a
/// revoked or deregistered registration closes its cycle; a reinstated one reopens).
pub async fn specialist_status_changed<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    status: SpecialistStatus,
    effective_on: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    renewal::cycles::follow_status(db, specialist_id, status, effective_on, now).await
}

/// What makes these specialists eligible to advise (their status, their cycles) changed:
/// their Active List entries are listed or taken off accordingly, as changed at `now`.
pub async fn standing_changed<C: ConnectionTrait>(
    db: &C,
    specialist_ids: &[i64],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    active_list::eligibility::refresh(db, specialist_ids, now).await
}

/// Of `match_ids`, those that are completed engagements of the specialist: the
/// engagements a deemed-attendance claim may cite.
pub async fn completed_engagements_among<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    match_ids: &[i64],
) -> DomainResult<Vec<i64>> {
    matching::matches::completed_among(db, specialist_id, match_ids).await
}
