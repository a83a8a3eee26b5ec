//! Matches: a specialist proposed for a consultation request, from proposal to completed
//! engagement.
//!
//! | from | action | to | who |
//! | --- | --- | --- | --- |
//! | (none) | `propose` | `PROPOSED` | the company, its organization, staff |
//! | `PROPOSED` | `accept` (within the window, still listed, capacity left) | `ACCEPTED` | the specialist |
//! | `PROPOSED` | `decline` | `DECLINED` | the specialist |
//! | `PROPOSED` | the sweep, after the window | `EXPIRED` | the system |
//! | `ACCEPTED` | `start` | `ACTIVE` | either side |
//! | `PROPOSED`, `ACCEPTED`, `ACTIVE` | `cancel` | `CANCELLED` | either side |
//! | `ACTIVE` | `complete` | `COMPLETED` | either side |
//!
//! An accepted or running match holds one place of the specialist's capacity: accepting
//! raises the entry's `active_matches` with one conditional update that checks the capacity,
//! so concurrent accepts can never overfill it; completing or cancelling gives it back. The
//! first accept of a request wins: the request becomes `MATCHED` and its other proposals are
//! cancelled.

use chrono::NaiveDate;
use entities::{active_list_entry, consultation_request, matching};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, sea_query::Query};

use super::{scope::Scope, types::MatchStatus};
use crate::domain::{
    DomainError, DomainResult, Role, Visible,
    active_list::{eligibility::is_listed_on, types::EntryStatus},
    places::Places,
    versioned::Versioned,
};

mod commands;
mod queries;
pub mod sessions;

pub use commands::{
    Outcome, SweepReport, accept, cancel, complete, decline, propose, rate, start, sweep,
};
pub use queries::{
    Engagements, MatchFilter, MatchOrder, by_ids, completed_among, completed_of, count, list,
};
pub use sessions::{SessionCorrection, SessionInput, correct_session, log_session, sessions_of};

/// Business days a specialist has to answer a proposal.
pub const RESPONSE_BUSINESS_DAYS: u32 = 5;

/// The roles that act for the company side of a match.
pub(crate) const COMPANY_SIDE: &[Role] = &[
    Role::Admin,
    Role::ProgramStaff,
    Role::SupportOrgStaff,
    Role::SmeUser,
];

/// Everybody who takes part in matching.
pub(crate) const PARTIES: &[Role] = &[
    Role::Admin,
    Role::ProgramStaff,
    Role::SupportOrgStaff,
    Role::SmeUser,
    Role::Specialist,
];

const VERSIONED: Versioned<matching::Entity> = Versioned {
    id: matching::Column::Id,
    version: matching::Column::Version,
    updated_at: matching::Column::UpdatedAt,
    field: "expected_version",
    what: "match",
};

/// Which side of a match the caller is on.
pub use super::types::MatchSide as Side;

fn status_of(row: &matching::Model) -> MatchStatus {
    row.status
}

/// The matches a scope sees; filters narrow it and never widen it.
fn visible(scope: Scope) -> Visible {
    let of_requests = |c: Condition| {
        Visible::within(
            Condition::all().add(
                matching::Column::RequestId.in_subquery(
                    Query::select()
                        .column(consultation_request::Column::Id)
                        .from(consultation_request::Entity)
                        .cond_where(c)
                        .to_owned(),
                ),
            ),
        )
    };
    match scope {
        Scope::All => Visible::everything(),
        Scope::Organization(org) => of_requests(
            Condition::any()
                .add(consultation_request::Column::OrganizationId.eq(org))
                .add(
                    consultation_request::Column::CompanyId
                        .in_subquery(super::companies::supported_by(org)),
                ),
        ),
        Scope::Company(id) => {
            of_requests(Condition::all().add(consultation_request::Column::CompanyId.eq(id)))
        }
        Scope::Specialist(s) => {
            Visible::within(Condition::all().add(matching::Column::SpecialistId.eq(s)))
        }
        Scope::Nothing => Visible::nothing(),
    }
}

/// The places an Active List entry holds for accepted and running matches.
const ENGAGEMENTS: Places<active_list_entry::Entity> = Places {
    id: active_list_entry::Column::Id,
    held: active_list_entry::Column::ActiveMatches,
    capacity: active_list_entry::Column::Capacity,
    updated_at: Some(active_list_entry::Column::UpdatedAt),
};

/// Refuses an answer when the specialist is no longer on the Active List: their entry was
/// suspended or withdrawn, or their registration or renewal cycle took them off it, after
/// the proposal was made.
pub(super) async fn ensure_still_listed<C: ConnectionTrait>(
    db: &C,
    entry_id: i64,
    today: NaiveDate,
) -> DomainResult<()> {
    let entry = active_list_entry::Entity::find_by_id(entry_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "Active List entry",
            field: "match_id",
        })?;
    if entry.status != EntryStatus::Published {
        return Err(DomainError::invalid(
            "match_id",
            format!(
                "your Active List entry is {}: a proposal is accepted only while it is published",
                entry.status.as_str()
            ),
        ));
    }
    if !is_listed_on(entry.eligible_until, today) {
        return Err(DomainError::invalid(
            "match_id",
            "you are not on the Active List now (your registration is not active, or your renewal cycle is overdue): a proposal is accepted only while you are",
        ));
    }
    Ok(())
}

/// The day an engagement starts: `on` (today when not given), neither before the day the
/// proposal was accepted nor in the future.
pub(super) fn start_day(
    row: &matching::Model,
    on: Option<NaiveDate>,
    today: NaiveDate,
) -> DomainResult<NaiveDate> {
    let accepted = row
        .responded_at
        .map_or(today, crate::domain::calendar::japan_date);
    let on = on.unwrap_or(today);
    if on < accepted || on > today {
        return Err(crate::domain::DomainError::invalid(
            "started_on",
            format!("must be between the day the proposal was accepted ({accepted}) and today"),
        ));
    }
    Ok(on)
}
