//! What an operation costs, and the charge against its caller's budget.
//!
//! The points an operation asks for are the complexity async-graphql computes while it
//! validates the document (a connection's page counts its selection once per row asked
//! for, see `connection::page_cost`). [`CostMeter`] charges them as validation ends, so an
//! operation the budget cannot pay for is refused before any resolver (and any SQL) runs.
//! Once the operation has run, what it actually read is counted from its response (every
//! field of every object returned, every list item) and the difference is refunded: a
//! page of 100 that finds 3 rows costs what 3 rows cost.

use std::sync::{
    Arc, Mutex, PoisonError,
    atomic::{AtomicUsize, Ordering},
};

use async_graphql::{
    ServerError, ValidationResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation},
};

use super::error::ErrorCode;
use crate::domain::rate_limit::{PrincipalKey, RateLimiter, Standing, Throttled};

/// One operation's account with its caller's budget: attached to the request, read again
/// by the HTTP layer once the operation has run.
#[derive(Clone)]
pub struct CostTicket(Arc<Ticket>);

/// The state of a [`CostTicket`].
pub struct Ticket {
    limiter: RateLimiter,
    principal: PrincipalKey,
    requested: AtomicUsize,
    outcome: Mutex<Option<Result<Standing, Throttled>>>,
}

impl CostTicket {
    pub fn new(limiter: RateLimiter, principal: PrincipalKey) -> Self {
        Self(Arc::new(Ticket {
            limiter,
            principal,
            requested: AtomicUsize::new(0),
            outcome: Mutex::new(None),
        }))
    }

    fn outcome(&self) -> std::sync::MutexGuard<'_, Option<Result<Standing, Throttled>>> {
        self.0
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Charges `points`, remembering the outcome for [`CostTicket::settle`].
    fn charge(&self, points: usize) -> Result<Standing, Throttled> {
        self.0.requested.store(points, Ordering::Relaxed);
        let outcome = self.0.limiter.charge(&self.0.principal, points as f64);
        *self.outcome() = Some(outcome);
        outcome
    }

    /// Refunds what the operation asked for but did not read, and writes
    /// `extensions.cost` into its response. An operation that never reached the charge (a
    /// document that did not parse or validate) costs nothing.
    pub fn settle(&self, response: &mut async_graphql::Response) {
        let requested = self.0.requested.load(Ordering::Relaxed);
        let outcome = *self.outcome();
        let (actual, standing) = match outcome {
            None => (0, self.0.limiter.standing(&self.0.principal)),
            Some(Err(throttled)) => (0, throttled.standing),
            Some(Ok(_)) => {
                let actual = actual_cost(&response.data).min(requested);
                let standing = self
                    .0
                    .limiter
                    .refund(&self.0.principal, (requested - actual) as f64);
                (actual, standing)
            }
        };
        response.extensions.insert(
            "cost".to_owned(),
            cost_value(requested as u64, actual as u64, standing),
        );
    }
}

/// `{ requested, actual, limit: { maximum, remaining, restoreRate } }`.
pub fn cost_value(requested: u64, actual: u64, standing: Standing) -> Value {
    let mut limit = async_graphql::indexmap::IndexMap::new();
    limit.insert(
        async_graphql::Name::new("maximum"),
        Value::from(standing.budget.maximum.floor() as i64),
    );
    limit.insert(
        async_graphql::Name::new("remaining"),
        Value::from(standing.remaining.floor().max(0.0) as i64),
    );
    limit.insert(
        async_graphql::Name::new("restoreRate"),
        Value::from(standing.budget.restore_rate),
    );
    let mut cost = async_graphql::indexmap::IndexMap::new();
    cost.insert(
        async_graphql::Name::new("requested"),
        Value::from(requested),
    );
    cost.insert(async_graphql::Name::new("actual"), Value::from(actual));
    cost.insert(async_graphql::Name::new("limit"), Value::Object(limit));
    Value::Object(cost)
}

/// The points an operation's response shows it read: one per field of every object in
/// it, a list's items each counted.
pub fn actual_cost(data: &Value) -> usize {
    match data {
        Value::Object(fields) => fields
            .values()
            .map(|value| 1 + actual_cost_below(value))
            .sum(),
        Value::List(items) => items.iter().map(actual_cost).sum(),
        _ => 0,
    }
}

fn actual_cost_below(value: &Value) -> usize {
    match value {
        Value::Object(_) | Value::List(_) => actual_cost(value),
        _ => 0,
    }
}

/// The message of a refused operation.
pub fn throttled_message(requested: usize, throttled: &Throttled) -> String {
    format!(
        "this operation costs {requested} points and {} are left of {}; the budget refills \
         {} points a second: retry after {} s",
        throttled.standing.remaining.floor().max(0.0),
        throttled.standing.budget.maximum,
        throttled.standing.budget.restore_rate,
        throttled.retry_after_secs,
    )
}

/// A `THROTTLED` error naming the seconds to wait (`extensions.retryAfter`).
pub fn throttled_error(requested: usize, throttled: &Throttled) -> ServerError {
    let mut error = ServerError::new(throttled_message(requested, throttled), None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", ErrorCode::Throttled.as_str());
    extensions.set("retryAfter", throttled.retry_after_secs);
    error.extensions = Some(extensions);
    error
}

/// The schema extension that charges each operation's complexity as validation ends.
pub struct CostMeter;

impl ExtensionFactory for CostMeter {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostMeter)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for CostMeter {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let validated = next.run(ctx).await?;
        if let Some(ticket) = ctx.data_opt::<CostTicket>()
            && let Err(throttled) = ticket.charge(validated.complexity)
        {
            return Err(vec![throttled_error(validated.complexity, &throttled)]);
        }
        Ok(validated)
    }
}

/// The seconds a `THROTTLED` response asks the client to wait, if it is one: the longest
/// of its errors'.
pub fn retry_after(response: &async_graphql::Response) -> Option<u64> {
    let code = Value::from(ErrorCode::Throttled.as_str());
    response
        .errors
        .iter()
        .filter_map(|e| e.extensions.as_ref())
        .filter(|x| x.get("code") == Some(&code))
        .filter_map(|x| match x.get("retryAfter") {
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actual_cost_counts_every_field_returned_and_every_item() {
        let data = Value::from_json(serde_json::json!({
            "specialists": {
                "edges": [
                    { "node": { "id": "a", "name": "x" } },
                    { "node": { "id": "b", "name": "y" } }
                ],
                "pageInfo": { "hasNextPage": false }
            }
        }))
        .unwrap();
        // specialists(1) + edges(1) + 2 × (node(1) + 2 fields) + pageInfo(1) + 1 field.
        assert_eq!(actual_cost(&data), 1 + 1 + 2 * 3 + 1 + 1);
        assert_eq!(actual_cost(&Value::Null), 0);
    }
}
