//! Requirement policies: the training a cycle must contain, as versioned data.
//!
//! The policy of a cycle is the one with the latest `effective_from` on or before the
//! cycle's start; cycles that start before every policy follow the earliest one. A policy
//! never changes once created, and may only take effect from a future date, so the rules
//! of a cycle already running never change under it.

use crate::domain::renewal::permissions;
use std::collections::HashSet;

use chrono::NaiveDate;
use entities::{policy_requirement, requirement_policy};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};
use serde_json::json;

use super::{cycle::CycleDates, types::CourseKind};
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    error::Violations,
};

/// One requirement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub code: String,
    pub name: String,
    /// Course kinds that satisfy it.
    pub course_kinds: Vec<CourseKind>,
    /// The year of the cycle (1–3) the course must be completed in; `None` for any year.
    pub cycle_year: Option<u32>,
    /// Whether approved practical experience may satisfy it instead.
    pub deemable: bool,
    /// The course fee an approved claim saves, in yen.
    pub standard_fee_yen: i32,
}

/// A versioned set of requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub effective_from: NaiveDate,
    pub requirements: Vec<Requirement>,
}

impl Policy {}

/// Every policy, oldest first. Two statements; the table holds a handful of rows.
pub async fn all<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<Policy>> {
    let policies = requirement_policy::Entity::find()
        .order_by_asc(requirement_policy::Column::EffectiveFrom)
        .all(db)
        .await?;
    let requirements = policy_requirement::Entity::find()
        .order_by_asc(policy_requirement::Column::PolicyId)
        .order_by_asc(policy_requirement::Column::Position)
        .all(db)
        .await?;
    Ok(policies
        .into_iter()
        .map(|p| Policy {
            requirements: requirements
                .iter()
                .filter(|r| r.policy_id == p.id)
                .map(|r| Requirement {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    course_kinds: r
                        .course_kinds
                        .split(',')
                        .filter_map(CourseKind::parse)
                        .collect(),
                    cycle_year: r.cycle_year.and_then(|y| u32::try_from(y).ok()),
                    deemable: r.deemable,
                    standard_fee_yen: r.standard_fee_yen,
                })
                .collect(),
            id: p.id,
            code: p.code,
            name: p.name,
            effective_from: p.effective_from,
        })
        .collect())
}

/// The policy a cycle starting on `starts_on` follows (see the module documentation).
pub fn for_start(policies: &[Policy], starts_on: NaiveDate) -> Option<&Policy> {
    policies
        .iter()
        .rev()
        .find(|p| p.effective_from <= starts_on)
        .or_else(|| policies.first())
}

/// Something that counts towards a requirement: a completed course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedCourse {
    pub completion_id: i64,
    pub kind: CourseKind,
    pub completed_on: NaiveDate,
}

/// What satisfies a requirement, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Satisfaction {
    Missing,
    /// A training completion (its id).
    Course(i64),
    /// An approved deemed-attendance claim (its id).
    Claim(i64),
}

/// Matches a cycle's completions and approved claims (requirement code, claim id) to the
/// policy's requirements. A completion counts for one requirement at most; the matching
/// satisfies as many requirements as possible (augmenting paths over a handful of rows).
pub fn evaluate(
    policy: &Policy,
    dates: &CycleDates,
    courses: &[CompletedCourse],
    approved_claims: &[(String, i64)],
) -> Vec<Satisfaction> {
    let mut result: Vec<Satisfaction> = policy
        .requirements
        .iter()
        .map(|r| {
            approved_claims
                .iter()
                .find(|(code, _)| *code == r.code)
                .map_or(Satisfaction::Missing, |(_, id)| Satisfaction::Claim(*id))
        })
        .collect();
    let fits = |r: &Requirement, c: &CompletedCourse| {
        r.course_kinds.contains(&c.kind)
            && dates.contains(c.completed_on)
            && r.cycle_year
                .is_none_or(|year| dates.year_of(c.completed_on) == Some(year))
    };
    // owner[c] = the requirement completion c is matched to.
    let mut owner: Vec<Option<usize>> = vec![None; courses.len()];
    fn augment(
        r: usize,
        edges: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut HashSet<usize>,
    ) -> bool {
        for &c in &edges[r] {
            if seen.insert(c) && owner[c].is_none_or(|other| augment(other, edges, owner, seen)) {
                owner[c] = Some(r);
                return true;
            }
        }
        false
    }
    let edges: Vec<Vec<usize>> = policy
        .requirements
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if result[i] == Satisfaction::Missing {
                (0..courses.len())
                    .filter(|&c| fits(r, &courses[c]))
                    .collect()
            } else {
                Vec::new()
            }
        })
        .collect();
    for r in 0..edges.len() {
        augment(r, &edges, &mut owner, &mut HashSet::new());
    }
    for (c, owner) in owner.iter().enumerate() {
        if let Some(r) = owner {
            result[*r] = Satisfaction::Course(courses[c].completion_id);
        }
    }
    result
}

/// A requirement as given by staff.
#[derive(Debug, Clone)]
pub struct NewRequirement {
    pub code: String,
    pub name: String,
    pub course_kinds: Vec<CourseKind>,
    pub cycle_year: Option<u32>,
    pub deemable: bool,
    pub standard_fee_yen: i64,
}

/// A policy as given by staff.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    pub code: String,
    pub name: String,
    pub effective_from: NaiveDate,
    pub requirements: Vec<NewRequirement>,
}

pub use crate::domain::is_code;

/// The rules of a new policy: codes of A–Z, 0–9 and _, names of 1–200 characters, a
/// future effective date, 1–20 requirements with unique codes, each with a course kind, a
/// cycle year of 1–3 when given, a fee within bounds, and ethics never deemable.
fn check_policy(new: &NewPolicy, today: NaiveDate) -> Violations {
    let mut v = Violations::default();
    if !is_code(&new.code) {
        v.push(
            "code",
            "must be 1–40 characters of A–Z, 0–9 and _ (e.g. DEEMED_2028)",
        );
    }
    if new.name.trim().is_empty() || new.name.chars().count() > 200 {
        v.push("name", "must be 1–200 characters");
    }
    if new.effective_from <= today {
        v.push(
            "effective_from",
            "must be a future date: the rules of running cycles never change",
        );
    }
    if new.requirements.is_empty() || new.requirements.len() > 20 {
        v.push("requirements", "must list 1–20 requirements");
    }
    let mut codes = HashSet::new();
    for (i, r) in new.requirements.iter().enumerate() {
        let field = |name: &str| format!("requirements.{i}.{name}");
        if !is_code(&r.code) {
            v.push(&field("code"), "must be 1–40 characters of A–Z, 0–9 and _");
        } else if !codes.insert(r.code.as_str()) {
            v.push(&field("code"), "appears twice in this policy");
        }
        if r.name.trim().is_empty() || r.name.chars().count() > 200 {
            v.push(&field("name"), "must be 1–200 characters");
        }
        if r.course_kinds.is_empty() {
            v.push(&field("course_kinds"), "must name at least one course kind");
        }
        if r.cycle_year.is_some_and(|y| !(1..=3).contains(&y)) {
            v.push(&field("cycle_year"), "must be 1, 2 or 3");
        }
        if !(0..=10_000_000).contains(&r.standard_fee_yen) {
            v.push(
                &field("standard_fee_yen"),
                "must be between 0 and 10,000,000",
            );
        }
        if r.deemable && r.course_kinds.contains(&CourseKind::Ethics) {
            v.push(
                &field("deemable"),
                "the ethics and duties requirement can never be met by deemed attendance",
            );
        }
    }
    v
}

/// Adds a policy (registry staff). It takes effect from a future date, so no running
/// cycle changes rules; cycles already created that start on or after it follow it.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    new: NewPolicy,
) -> DomainResult<Policy> {
    caller.actor.allow(&permissions::ADD_POLICIES)?;
    check_policy(&new, caller.today()).into_result()?;

    let txn = crate::domain::begin_write(db).await?;
    let row = requirement_policy::ActiveModel {
        code: Set(new.code.clone()),
        name: Set(new.name.trim().to_owned()),
        effective_from: Set(new.effective_from),
        created_at: Set(caller.now()),
        created_by: Set(caller.actor.subject().to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(
            err,
            "code",
            "a policy with this code or effective date already exists",
        )
    })?;
    for (position, r) in new.requirements.iter().enumerate() {
        policy_requirement::ActiveModel {
            policy_id: Set(row.id),
            position: Set(i16::try_from(position).unwrap_or(i16::MAX)),
            code: Set(r.code.clone()),
            name: Set(r.name.trim().to_owned()),
            course_kinds: Set(r
                .course_kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            cycle_year: Set(r.cycle_year.and_then(|y| i16::try_from(y).ok())),
            deemable: Set(r.deemable),
            standard_fee_yen: Set(i32::try_from(r.standard_fee_yen).unwrap_or_default()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    // Cycles already created that start under the new policy follow it from now on.
    super::cycles::refresh_starting_from(&txn, new.effective_from, caller.now()).await?;
    audit::record(
        &txn,
        caller,
        AuditEntry {
            action: "renewal.create_policy",
            target_type: "RequirementPolicy",
            target_id: row.code.clone(),
            details: json!({ "effectiveFrom": new.effective_from, "requirements": new.requirements.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    let policies = all(db).await?;
    policies
        .into_iter()
        .find(|p| p.id == row.id)
        .ok_or(DomainError::NotFound {
            entity: "requirement policy",
            field: "",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn req(code: &str, kinds: &[CourseKind], year: Option<u32>) -> Requirement {
        Requirement {
            code: code.into(),
            name: code.into(),
            course_kinds: kinds.to_vec(),
            cycle_year: year,
            deemable: true,
            standard_fee_yen: 20_000,
        }
    }

    fn standard() -> Policy {
        Policy {
            id: 1,
            code: "STANDARD".into(),
            name: "standard".into(),
            effective_from: d(2020, 5, 1),
            requirements: vec![
                req("Y1", &[CourseKind::Online], Some(1)),
                req("Y2", &[CourseKind::Online], Some(2)),
                req("Y3", &[CourseKind::Online], Some(3)),
                req("P", &[CourseKind::Practical, CourseKind::Specified], None),
            ],
        }
    }

    fn course(id: i64, kind: CourseKind, on: NaiveDate) -> CompletedCourse {
        CompletedCourse {
            completion_id: id,
            kind,
            completed_on: on,
        }
    }

    #[test]
    fn the_latest_policy_in_force_at_the_start_applies() {
        let mut later = standard();
        later.id = 2;
        later.effective_from = d(2026, 4, 1);
        let policies = vec![standard(), later];
        assert_eq!(for_start(&policies, d(2026, 3, 31)).unwrap().id, 1);
        assert_eq!(for_start(&policies, d(2026, 4, 1)).unwrap().id, 2);
        // Before every policy: the earliest.
        assert_eq!(for_start(&policies, d(2017, 4, 1)).unwrap().id, 1);
    }

    #[test]
    fn each_online_course_counts_for_its_own_cycle_year() {
        let dates = CycleDates::starting(d(2023, 4, 1)).unwrap();
        let courses = [
            course(1, CourseKind::Online, d(2023, 6, 1)),
            course(2, CourseKind::Online, d(2023, 12, 1)),
            course(3, CourseKind::Practical, d(2025, 1, 10)),
            // Outside the cycle: never counts.
            course(4, CourseKind::Online, d(2026, 4, 1)),
        ];
        let result = evaluate(&standard(), &dates, &courses, &[]);
        assert_eq!(
            result,
            vec![
                Satisfaction::Course(1),
                Satisfaction::Missing,
                Satisfaction::Missing,
                Satisfaction::Course(3)
            ]
        );
    }

    #[test]
    fn overlapping_kinds_are_matched_to_satisfy_the_most() {
        // "Any online or ethics" listed first must not take the only year-1 course.
        let policy = Policy {
            requirements: vec![
                req("ANY", &[CourseKind::Online, CourseKind::Ethics], None),
                req("Y1", &[CourseKind::Online], Some(1)),
            ],
            ..standard()
        };
        let dates = CycleDates::starting(d(2023, 4, 1)).unwrap();
        let courses = [
            course(1, CourseKind::Online, d(2023, 6, 1)),
            course(2, CourseKind::Ethics, d(2024, 6, 1)),
        ];
        assert_eq!(
            evaluate(&policy, &dates, &courses, &[]),
            vec![Satisfaction::Course(2), Satisfaction::Course(1)]
        );
    }

    #[test]
    fn an_approved_claim_satisfies_its_requirement() {
        let dates = CycleDates::starting(d(2023, 4, 1)).unwrap();
        let result = evaluate(&standard(), &dates, &[], &[("P".into(), 9)]);
        assert_eq!(result[3], Satisfaction::Claim(9));
        assert_eq!(result[0], Satisfaction::Missing);
    }
}
