//! Batch loaders of renewal: the nested renewal fields of a page cost a fixed number of
//! statements.

use std::collections::HashMap;

use entities::{course, deemed_attendance_claim, renewal_cycle, training_completion};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    domain::{
        Caller, DomainResult,
        renewal::{
            claims, completions,
            cycles::{self, CycleView},
            policy::{self, Policy, Requirement, Satisfaction},
        },
    },
    graphql::area::{keyed, loader, with_loader},
};

/// A requirement of a cycle and what satisfied it.
#[derive(Clone)]
pub struct RequirementState {
    pub requirement: Requirement,
    pub by_course: Option<(training_completion::Model, course::Model)>,
    pub by_claim: Option<i64>,
}

/// A cycle's policy and requirements.
#[derive(Clone)]
pub struct CycleDetail {
    pub policy: Policy,
    pub requirements: Vec<RequirementState>,
}

loader!(
    /// Cycles' policies and requirement states, by cycle id; six statements (see `details`).
    CycleDetails, CycleDetailLoader, CycleDetail,
    |db, _caller, keys| details(db, keys).await
);

/// The policies and requirement states of cycles: one statement for the cycles, two for
/// the policies, two for completions and courses, one for claims.
async fn details(db: &DatabaseConnection, keys: &[i64]) -> DomainResult<HashMap<i64, CycleDetail>> {
    let rows = renewal_cycle::Entity::find()
        .filter(renewal_cycle::Column::Id.is_in(keys.to_vec()))
        .all(db)
        .await?;
    let policies = policy::all(db).await?;
    let holdings = cycles::holdings(db, &rows).await?;
    let mut result = HashMap::new();
    for row in rows {
        let Some(policy) = policy::for_start(&policies, row.starts_on) else {
            continue;
        };
        let held = holdings.get(&row.id).cloned().unwrap_or_default();
        let states = cycles::evaluate(policy, &row, &held);
        let requirements = policy
            .requirements
            .iter()
            .zip(states)
            .map(|(r, s)| RequirementState {
                requirement: r.clone(),
                by_course: match s {
                    Satisfaction::Course(id) => {
                        held.completions.iter().find(|(c, _)| c.id == id).cloned()
                    }
                    _ => None,
                },
                by_claim: match s {
                    Satisfaction::Claim(id) => Some(id),
                    _ => None,
                },
            })
            .collect();
        result.insert(
            row.id,
            CycleDetail {
                policy: policy.clone(),
                requirements,
            },
        );
    }
    Ok(result)
}

loader!(
    /// Every cycle of each specialist, oldest first, by specialist id; one statement.
    SpecialistCycles, SpecialistCycleLoader, Vec<CycleView>,
    |db, caller, keys| cycles::of_specialists(db, keys, caller.today()).await
);

loader!(
    /// Every completion of each specialist with its course, by specialist id; two statements.
    SpecialistCompletions, SpecialistCompletionLoader,
    Vec<(training_completion::Model, course::Model)>,
    |db, _caller, keys| completions::of_specialists(db, keys).await
);

/// Loads the details of a whole page of cycles at once when the query selects them, so a
/// page costs the same statements whatever its size (see `prime_status_histories`).
pub async fn prime_cycle_details(
    ctx: &async_graphql::Context<'_>,
    ids: Vec<i64>,
) -> async_graphql::Result<()> {
    let wanted = ["requirements", "policy"]
        .iter()
        .any(|field| crate::graphql::connection::nodes_select(ctx, field));
    if wanted && !ids.is_empty() {
        crate::graphql::context::data::<CycleDetails>(ctx)?
            .load_many(ids)
            .await?;
    }
    Ok(())
}

/// Loads the cycles and completions of a whole page of specialists at once when the
/// query selects fields that need them.
pub async fn prime_specialist_renewal(
    ctx: &async_graphql::Context<'_>,
    ids: Vec<i64>,
) -> async_graphql::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let selects = |field: &str| crate::graphql::connection::nodes_select(ctx, field);
    if [
        "currentCycle",
        "renewalCycles",
        "latestRenewalOn",
        "renewalDeadline",
        "renewalCount",
    ]
    .iter()
    .any(|f| selects(f))
    {
        crate::graphql::context::data::<SpecialistCycles>(ctx)?
            .load_many(ids.clone())
            .await?;
    }
    if ["trainingCompletions", "courseCompletionDates"]
        .iter()
        .any(|f| selects(f))
    {
        crate::graphql::context::data::<SpecialistCompletions>(ctx)?
            .load_many(ids)
            .await?;
    }
    Ok(())
}

loader!(
    /// Cycles by id, as the caller may see them (staff, or the specialist); one statement.
    CyclesById, CycleLoader, CycleView,
    |db, caller, keys| async {
        Ok(keyed(cycles::by_ids(db, caller, keys).await?, |v| v.row.id))
    }.await
);

loader!(
    /// Deemed-attendance claims by id, as staff or the specialist may see them; one statement.
    ClaimsById, ClaimLoader, deemed_attendance_claim::Model,
    |db, caller, keys| async { Ok(keyed(claims::by_ids(db, caller, keys).await?, |c| c.id)) }.await
);

/// Attaches renewal's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    let request = with_loader(request, CycleDetailLoader::new(db, caller));
    let request = with_loader(request, SpecialistCycleLoader::new(db, caller));
    let request = with_loader(request, CycleLoader::new(db, caller));
    let request = with_loader(request, ClaimLoader::new(db, caller));
    with_loader(request, SpecialistCompletionLoader::new(db, caller))
}
