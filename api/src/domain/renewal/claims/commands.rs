//! Writes on deemed-attendance claims: filing, amending and the staff's review.

use super::super::{
    cycles,
    policy::{self, Requirement, Satisfaction},
    types::{ClaimStatus, CycleState},
};
use crate::domain::renewal::permissions;
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    hooks,
    registry::own_specialist_id,
    versioned::Versioned,
};
use chrono::NaiveDate;
use entities::{claim_match, deemed_attendance_claim, renewal_cycle};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::{MAX_CITED_MATCHES, MAX_EVIDENCE_LINKS};

/// What the specialist did, as they describe it.
#[derive(Debug, Clone)]
pub struct ClaimDetails {
    /// What they did.
    pub activity: String,
    /// For whom (free text).
    pub beneficiary: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub hours: f64,
    pub evidence_links: Vec<String>,
    /// Completed engagements (matches) of the specialist cited as evidence.
    pub cited_match_ids: Vec<i64>,
}

fn check_details(
    details: &ClaimDetails,
    cycle: &renewal_cycle::Model,
    today: NaiveDate,
) -> DomainResult<()> {
    let mut v = Violations::default();
    let length = |value: &str| value.trim().chars().count();
    if !(1..=4000).contains(&length(&details.activity)) {
        v.push("activity", "must be 1–4000 characters");
    }
    if !(1..=500).contains(&length(&details.beneficiary)) {
        v.push("beneficiary", "must be 1–500 characters");
    }
    if details.period_from > details.period_to {
        v.push("period_to", "must not be before periodFrom");
    }
    if details.period_to > today {
        v.push("period_to", "must not be in the future");
    }
    if details.period_to < cycle.starts_on || details.period_from > cycle.ends_on {
        v.push(
            "period_from",
            format!(
                "the period must overlap the cycle ({} to {})",
                cycle.starts_on, cycle.ends_on
            ),
        );
    }
    if !(details.hours.is_finite() && details.hours > 0.0 && details.hours <= 5000.0) {
        v.push("hours", "must be more than 0 and at most 5000");
    }
    if details.evidence_links.len() > MAX_EVIDENCE_LINKS {
        v.push(
            "evidence_links",
            format!("at most {MAX_EVIDENCE_LINKS} links"),
        );
    }
    for (i, link) in details.evidence_links.iter().enumerate() {
        let ok = (link.starts_with("https://") || link.starts_with("http://"))
            && link.len() <= 2000
            && !link.chars().any(char::is_whitespace);
        if !ok {
            v.push(
                &format!("evidence_links.{i}"),
                "must be an http(s) URL without spaces, at most 2000 characters",
            );
        }
    }
    v.into_result()
}

/// Cited engagements must be the specialist's own, completed matches.
async fn check_citations<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    match_ids: &[i64],
) -> DomainResult<()> {
    if match_ids.len() > MAX_CITED_MATCHES {
        return Err(DomainError::invalid(
            "match_ids",
            format!("at most {MAX_CITED_MATCHES} engagements"),
        ));
    }
    if match_ids.is_empty() {
        return Ok(());
    }
    let completed = hooks::completed_engagements_among(db, specialist_id, match_ids).await?;
    let mut v = Violations::default();
    for (i, id) in match_ids.iter().enumerate() {
        if !completed.contains(id) {
            v.push(
                &format!("match_ids.{i}"),
                "is not a completed engagement of yours",
            );
        }
    }
    v.into_result()
}

/// Replaces the engagements a claim cites.
async fn write_citations<C: ConnectionTrait>(
    db: &C,
    claim_id: i64,
    match_ids: &[i64],
) -> DomainResult<()> {
    claim_match::Entity::delete_many()
        .filter(claim_match::Column::ClaimId.eq(claim_id))
        .exec(db)
        .await?;
    let mut ids = match_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    claim_match::Entity::insert_many(ids.into_iter().map(|match_id| claim_match::ActiveModel {
        claim_id: Set(claim_id),
        match_id: Set(match_id),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn cycle_is_open(cycle: &renewal_cycle::Model, today: NaiveDate) -> bool {
    cycle.state == CycleState::Open && today <= cycle.ends_on
}

/// Files a claim against one requirement of the caller's own open cycle.
pub async fn file(
    db: &DatabaseConnection,
    caller: &Caller,
    cycle_id: i64,
    requirement_code: &str,
    details: ClaimDetails,
) -> DomainResult<deemed_attendance_claim::Model> {
    caller.actor.allow(&permissions::FILE_CLAIMS)?;
    let txn = begin_write(db).await?;
    let own = own_specialist_id(&txn, &caller.actor).await?;
    let cycle = renewal_cycle::Entity::find_by_id(cycle_id)
        .one(&txn)
        .await?
        .filter(|c| Some(c.specialist_id) == own)
        .ok_or(DomainError::NotFound {
            entity: "renewal cycle",
            field: "cycle_id",
        })?;
    if !cycle_is_open(&cycle, caller.today()) {
        return Err(DomainError::invalid(
            "cycle_id",
            "the cycle has closed: claims are filed while it runs",
        ));
    }
    let (policy_code, found) = requirement_state(&txn, &cycle, requirement_code).await?;
    let Some((requirement, missing)) = found else {
        return Err(DomainError::invalid(
            "requirement_code",
            format!("the cycle's policy {policy_code} has no requirement {requirement_code}"),
        ));
    };
    if !requirement.deemable {
        return Err(DomainError::invalid(
            "requirement_code",
            format!(
                "{requirement_code} cannot be met by deemed attendance under policy \
                 {policy_code} (the ethics and duties requirement never can)"
            ),
        ));
    }
    if !missing {
        return Err(DomainError::invalid(
            "requirement_code",
            format!("{requirement_code} is already satisfied"),
        ));
    }
    let pending = deemed_attendance_claim::Entity::find()
        .filter(deemed_attendance_claim::Column::CycleId.eq(cycle.id))
        .filter(deemed_attendance_claim::Column::RequirementCode.eq(requirement_code))
        .filter(deemed_attendance_claim::Column::Status.is_in([
            ClaimStatus::Submitted.as_str(),
            ClaimStatus::ChangesRequested.as_str(),
        ]))
        .count(&txn)
        .await?;
    if pending > 0 {
        return Err(DomainError::conflict(
            "requirement_code",
            "a claim for this requirement is already open; amend it instead",
        ));
    }
    check_details(&details, &cycle, caller.today())?;
    check_citations(&txn, cycle.specialist_id, &details.cited_match_ids).await?;
    let now = caller.now();
    let row = deemed_attendance_claim::ActiveModel {
        specialist_id: Set(cycle.specialist_id),
        cycle_id: Set(cycle.id),
        requirement_code: Set(requirement_code.to_owned()),
        activity: Set(details.activity.trim().to_owned()),
        beneficiary: Set(details.beneficiary.trim().to_owned()),
        period_from: Set(details.period_from),
        period_to: Set(details.period_to),
        hours: Set(details.hours),
        evidence_links: Set(json!(details.evidence_links)),
        status: Set(ClaimStatus::Submitted),
        version: Set(1),
        submitted_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    write_citations(&txn, row.id, &details.cited_match_ids).await?;
    audit_claim(&txn, caller, "claim.file", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Amends and resubmits the caller's own claim that is waiting for review or was sent
/// back for changes.
pub async fn amend(
    db: &DatabaseConnection,
    caller: &Caller,
    claim_id: i64,
    details: ClaimDetails,
) -> DomainResult<deemed_attendance_claim::Model> {
    caller.actor.allow(&permissions::AMEND_OWN_CLAIMS)?;
    let txn = begin_write(db).await?;
    let own = own_specialist_id(&txn, &caller.actor).await?;
    let claim = deemed_attendance_claim::Entity::find_by_id(claim_id)
        .one(&txn)
        .await?
        .filter(|c| Some(c.specialist_id) == own)
        .ok_or(DomainError::NotFound {
            entity: "deemed-attendance claim",
            field: "claim_id",
        })?;
    let status = claim.status;
    if !matches!(
        status,
        ClaimStatus::Submitted | ClaimStatus::ChangesRequested
    ) {
        return Err(DomainError::invalid(
            "claim_id",
            format!("a {} claim cannot be amended", status.as_str()),
        ));
    }
    let cycle = renewal_cycle::Entity::find_by_id(claim.cycle_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "renewal cycle",
            field: "claim_id",
        })?;
    if !cycle_is_open(&cycle, caller.today()) {
        return Err(DomainError::invalid(
            "claim_id",
            "the cycle has closed: the claim can no longer change",
        ));
    }
    check_details(&details, &cycle, caller.today())?;
    check_citations(&txn, claim.specialist_id, &details.cited_match_ids).await?;
    write_citations(&txn, claim.id, &details.cited_match_ids).await?;
    let now = caller.now();
    let row = save_claim(
        &txn,
        &claim,
        deemed_attendance_claim::ActiveModel {
            activity: Set(details.activity.trim().to_owned()),
            beneficiary: Set(details.beneficiary.trim().to_owned()),
            period_from: Set(details.period_from),
            period_to: Set(details.period_to),
            hours: Set(details.hours),
            evidence_links: Set(json!(details.evidence_links)),
            status: Set(ClaimStatus::Submitted),
            submitted_at: Set(now),
            ..Default::default()
        },
        caller.now(),
    )
    .await?;
    audit_claim(&txn, caller, "claim.amend", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// A staff decision on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Approve,
    Reject,
    RequestChanges,
}

/// Reviews a submitted claim (registry staff). Rejecting or asking for changes needs a
/// comment; approving satisfies the requirement and records the fee it saved.
pub async fn review(
    db: &DatabaseConnection,
    caller: &Caller,
    claim_id: i64,
    decision: Review,
    comment: Option<String>,
) -> DomainResult<deemed_attendance_claim::Model> {
    caller.actor.allow(&permissions::REVIEW_CLAIMS)?;
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(DomainError::invalid(
            "comment",
            "must be at most 2000 characters",
        ));
    }
    if decision != Review::Approve && comment.is_none() {
        return Err(DomainError::invalid(
            "comment",
            "say why: rejecting or asking for changes needs a comment",
        ));
    }
    let txn = begin_write(db).await?;
    let claim = deemed_attendance_claim::Entity::find_by_id(claim_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "deemed-attendance claim",
            field: "claim_id",
        })?;
    if claim.status != ClaimStatus::Submitted {
        return Err(DomainError::invalid(
            "claim_id",
            format!(
                "only a SUBMITTED claim can be reviewed; this one is {}",
                claim.status
            ),
        ));
    }
    let cycle = renewal_cycle::Entity::find_by_id(claim.cycle_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "renewal cycle",
            field: "claim_id",
        })?;
    let mut fee_saved = None;
    if decision == Review::Approve {
        if cycle.state != CycleState::Open {
            return Err(DomainError::invalid(
                "claim_id",
                "the cycle has closed: the claim can no longer be approved",
            ));
        }
        let (_, found) = requirement_state(&txn, &cycle, &claim.requirement_code).await?;
        let requirement = match found {
            Some((requirement, true)) if requirement.deemable => requirement,
            Some((_, false)) => {
                return Err(DomainError::invalid(
                    "claim_id",
                    "the requirement is already satisfied; reject the claim instead",
                ));
            }
            _ => {
                return Err(DomainError::invalid(
                    "claim_id",
                    "the cycle's policy does not admit deemed attendance for this requirement",
                ));
            }
        };
        fee_saved = Some(requirement.standard_fee_yen);
    }
    let status = match decision {
        Review::Approve => ClaimStatus::Approved,
        Review::Reject => ClaimStatus::Rejected,
        Review::RequestChanges => ClaimStatus::ChangesRequested,
    };
    let now = caller.now();
    let row = save_claim(
        &txn,
        &claim,
        deemed_attendance_claim::ActiveModel {
            status: Set(status),
            review_comment: Set(comment),
            reviewed_by: Set(Some(caller.actor.subject().to_owned())),
            reviewed_at: Set(Some(now)),
            fee_saved_yen: Set(fee_saved),
            ..Default::default()
        },
        caller.now(),
    )
    .await?;
    if decision == Review::Approve {
        cycles::refresh(&txn, &[cycle.id], caller.now()).await?;
    }
    audit_claim(&txn, caller, "claim.review", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// The code of the cycle's policy, and its requirement `code` with whether it is still
/// missing (`None` when the policy has no such requirement).
async fn requirement_state<C: ConnectionTrait>(
    db: &C,
    cycle: &renewal_cycle::Model,
    code: &str,
) -> DomainResult<(String, Option<(Requirement, bool)>)> {
    let policies = policy::all(db).await?;
    let policy = policy::for_start(&policies, cycle.starts_on).ok_or(DomainError::NotFound {
        entity: "requirement policy",
        field: "",
    })?;
    let Some(position) = policy.requirements.iter().position(|r| r.code == code) else {
        return Ok((policy.code.clone(), None));
    };
    let holdings = cycles::holdings(db, std::slice::from_ref(cycle)).await?;
    let held = holdings.get(&cycle.id).cloned().unwrap_or_default();
    let missing = cycles::evaluate(policy, cycle, &held)[position] == Satisfaction::Missing;
    Ok((
        policy.code.clone(),
        Some((policy.requirements[position].clone(), missing)),
    ))
}

/// Writes `changes` to the claim if it is still at the version `claim` was read at,
/// bumping the version; a concurrent change that got there first makes this a `Conflict`.
async fn save_claim<C: ConnectionTrait>(
    db: &C,
    claim: &deemed_attendance_claim::Model,
    changes: deemed_attendance_claim::ActiveModel,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<deemed_attendance_claim::Model> {
    Versioned::<deemed_attendance_claim::Entity> {
        id: deemed_attendance_claim::Column::Id,
        version: deemed_attendance_claim::Column::Version,
        updated_at: deemed_attendance_claim::Column::UpdatedAt,
        field: "claim_id",
        what: "deemed-attendance claim",
    }
    .save(db, (claim.id, claim.version), changes, now)
    .await
}

async fn audit_claim<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    claim: &deemed_attendance_claim::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "DeemedAttendanceClaim",
            target_id: claim.id.to_string(),
            details: json!({ "status": claim.status, "requirement": claim.requirement_code }),
        },
    )
    .await
}
