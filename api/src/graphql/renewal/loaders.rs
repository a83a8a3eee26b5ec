//! Batch loaders of renewal: the nested renewal fields of a page cost a fixed number of
//! statements.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{course, deemed_attendance_claim, renewal_cycle, training_completion};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    domain::{
        Caller,
        renewal::{
            claims, completions,
            cycles::{self, CycleView},
            policy::{self, Policy, Requirement, Satisfaction},
        },
    },
    graphql::error::to_graphql,
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

/// The per-request loader of cycle details, by cycle id.
pub type CycleDetails = DataLoader<CycleDetailLoader, HashMapCache>;

/// Loads cycles' policies and requirement states: one statement for the cycles, two for
/// the policies, two for completions and courses, one for claims.
pub struct CycleDetailLoader {
    pub db: DatabaseConnection,
}

impl Loader<i64> for CycleDetailLoader {
    type Value = CycleDetail;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, CycleDetail>, Self::Error> {
        let run = async {
            let rows = renewal_cycle::Entity::find()
                .filter(renewal_cycle::Column::Id.is_in(keys.to_vec()))
                .all(&self.db)
                .await?;
            let policies = policy::all(&self.db).await?;
            let holdings = cycles::holdings(&self.db, &rows).await?;
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
            Ok::<_, crate::domain::DomainError>(result)
        };
        run.await.map_err(to_graphql)
    }
}

/// The per-request loader of a specialist's cycles, by specialist id.
pub type SpecialistCycles = DataLoader<SpecialistCycleLoader, HashMapCache>;

/// Loads every cycle of the specialists, oldest first; one statement.
pub struct SpecialistCycleLoader {
    pub db: DatabaseConnection,
    /// The request's date in Japan, for the cycles' status.
    pub today: chrono::NaiveDate,
}

impl Loader<i64> for SpecialistCycleLoader {
    type Value = Vec<CycleView>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<CycleView>>, Self::Error> {
        cycles::of_specialists(&self.db, keys, self.today)
            .await
            .map_err(to_graphql)
    }
}

/// The per-request loader of a specialist's completions, by specialist id.
pub type SpecialistCompletions = DataLoader<SpecialistCompletionLoader, HashMapCache>;

/// Loads every completion of the specialists with its course; two statements.
pub struct SpecialistCompletionLoader {
    pub db: DatabaseConnection,
}

impl Loader<i64> for SpecialistCompletionLoader {
    type Value = Vec<(training_completion::Model, course::Model)>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        completions::of_specialists(&self.db, keys)
            .await
            .map_err(to_graphql)
    }
}

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

/// The per-request loader of cycles by id, as the caller may see them.
pub type CyclesById = DataLoader<CycleLoader, HashMapCache>;

/// Loads cycles by id for the caller (staff, or the specialist); one statement.
pub struct CycleLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for CycleLoader {
    type Value = CycleView;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, CycleView>, Self::Error> {
        Ok(cycles::by_ids(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)?
            .into_iter()
            .flatten()
            .map(|view| (view.row.id, view))
            .collect())
    }
}

/// The per-request loader of deemed-attendance claims by id, as the caller may see them.
pub type ClaimsById = DataLoader<ClaimLoader, HashMapCache>;

/// Loads claims by id for the caller (staff, or the specialist); one statement.
pub struct ClaimLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for ClaimLoader {
    type Value = deemed_attendance_claim::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[i64],
    ) -> Result<HashMap<i64, deemed_attendance_claim::Model>, Self::Error> {
        Ok(claims::by_ids(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)?
            .into_iter()
            .flatten()
            .map(|claim| (claim.id, claim))
            .collect())
    }
}

/// Attaches renewal's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    use crate::graphql::area::with_loader;
    let request = with_loader(request, CycleDetailLoader { db: db.clone() });
    let request = with_loader(
        request,
        SpecialistCycleLoader {
            db: db.clone(),
            today: caller.today(),
        },
    );
    let request = with_loader(
        request,
        CycleLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    );
    let request = with_loader(
        request,
        ClaimLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    );
    with_loader(request, SpecialistCompletionLoader { db: db.clone() })
}
