//! Rate limits: every principal has a budget of points that refills over time, and each
//! operation spends what it costs.
//!
//! A replica decides from the buckets it holds in memory, so admitting or refusing a
//! request costs no SQL; it writes what each principal spent to `rate_limit_buckets`
//! every [`RateLimiter::sync`] (about once a second) and takes back the level the replicas
//! together left. A principal it has not seen is read from the table once. Between two
//! writes the replicas do not see each other's spending: with `n` replicas a principal
//! can spend at most `n` times its budget in one sync interval, and the overspend is then
//! owed (the stored level goes below zero and refills from there).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError, Weak},
};

use entities::rate_limit_bucket;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait,
    sea_query::{Alias, Expr, OnConflict, Query, SimpleExpr},
};

use super::{Actor, Clock, DomainResult};

/// One class of callers' budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// The most points a bucket holds (and a full one starts with).
    pub maximum: f64,
    /// Points restored per second.
    pub restore_rate: f64,
}

/// The budgets of signed-in and anonymous callers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budgets {
    pub signed_in: Budget,
    pub anonymous: Budget,
}

impl Default for Budgets {
    fn default() -> Self {
        Self {
            signed_in: Budget {
                maximum: 10_000.0,
                restore_rate: 100.0,
            },
            anonymous: Budget {
                maximum: 5_000.0,
                restore_rate: 25.0,
            },
        }
    }
}

/// Whose budget a request spends: a token's subject, or an anonymous caller's address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrincipalKey(Arc<str>);

impl PrincipalKey {
    /// The key of `actor`; anonymous callers are told apart by `address` (all those whose
    /// address is unknown share one budget).
    pub fn of(actor: &Actor, address: Option<&str>) -> Self {
        let key = match actor {
            Actor::Principal(principal) => format!("token:{}", principal.subject),
            Actor::Anonymous => format!("ip:{}", address.unwrap_or("unknown")),
            Actor::System => "system".to_owned(),
        };
        Self(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn anonymous(&self) -> bool {
        self.0.starts_with("ip:")
    }
}

/// What a bucket shows after a charge or a refund.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub budget: Budget,
    /// Points left now.
    pub remaining: f64,
}

/// A charge refused: the bucket holds fewer points than the operation costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttled {
    pub standing: Standing,
    /// Whole seconds until the bucket holds the points asked for.
    pub retry_after_secs: u64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    level: f64,
    at_ms: i64,
    /// Points spent here (net of refunds) since the last write to the table.
    unsynced: f64,
}

impl Bucket {
    fn refill(&mut self, budget: Budget, now_ms: i64) {
        let elapsed = (now_ms - self.at_ms).max(0) as f64 / 1000.0;
        self.level = (self.level + elapsed * budget.restore_rate).min(budget.maximum);
        self.at_ms = self.at_ms.max(now_ms);
    }
}

/// The buckets of one replica. Cloning shares them.
#[derive(Clone)]
pub struct RateLimiter(Arc<Limiter>);

/// The state a [`RateLimiter`] shares between its clones.
pub struct Limiter {
    db: DatabaseConnection,
    clock: Clock,
    budgets: Budgets,
    buckets: Mutex<HashMap<PrincipalKey, Bucket>>,
}

impl std::ops::Deref for RateLimiter {
    type Target = Limiter;

    fn deref(&self) -> &Limiter {
        &self.0
    }
}

/// Buckets idle this long, with nothing left to write, are dropped from memory (and read
/// again from the table when their principal comes back).
const IDLE_MS: i64 = 60_000;

impl RateLimiter {
    pub fn new(db: DatabaseConnection, clock: Clock, budgets: Budgets) -> Self {
        Self(Arc::new(Limiter {
            db,
            clock,
            budgets,
            buckets: Mutex::default(),
        }))
    }

    /// The budgets this limiter applies.
    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    fn budget(&self, key: &PrincipalKey) -> Budget {
        if key.anonymous() {
            self.budgets.anonymous
        } else {
            self.budgets.signed_in
        }
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    fn buckets(&self) -> std::sync::MutexGuard<'_, HashMap<PrincipalKey, Bucket>> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes sure this replica holds `key`'s bucket: the first time it sees a principal
    /// (or after the bucket went idle) it reads the stored level, one statement.
    pub async fn load(&self, key: &PrincipalKey) -> DomainResult<()> {
        if self.buckets().contains_key(key) {
            return Ok(());
        }
        let stored = rate_limit_bucket::Entity::find_by_id(key.as_str().to_owned())
            .one(&self.db)
            .await?;
        let now_ms = self.now_ms();
        let budget = self.budget(key);
        let mut bucket = match stored {
            Some(row) => Bucket {
                level: row.level,
                at_ms: row.updated_ms.min(now_ms),
                unsynced: 0.0,
            },
            None => Bucket {
                level: budget.maximum,
                at_ms: now_ms,
                unsynced: 0.0,
            },
        };
        bucket.refill(budget, now_ms);
        self.buckets().entry(key.clone()).or_insert(bucket);
        Ok(())
    }

    /// The bucket's standing now, without spending (a principal not loaded shows a full
    /// bucket).
    pub fn standing(&self, key: &PrincipalKey) -> Standing {
        let budget = self.budget(key);
        let now_ms = self.now_ms();
        let remaining = self
            .buckets()
            .get_mut(key)
            .map_or(budget.maximum, |bucket| {
                bucket.refill(budget, now_ms);
                bucket.level
            });
        Standing { budget, remaining }
    }

    /// Spends `points` from `key`'s bucket, or refuses when it holds fewer. A bucket below
    /// one point refuses even a free operation.
    pub fn charge(&self, key: &PrincipalKey, points: f64) -> Result<Standing, Throttled> {
        let budget = self.budget(key);
        let now_ms = self.now_ms();
        let mut buckets = self.buckets();
        let bucket = buckets.entry(key.clone()).or_insert(Bucket {
            level: budget.maximum,
            at_ms: now_ms,
            unsynced: 0.0,
        });
        bucket.refill(budget, now_ms);
        let needed = points.max(1.0);
        if bucket.level < needed {
            let missing = needed - bucket.level;
            let standing = Standing {
                budget,
                remaining: bucket.level,
            };
            return Err(Throttled {
                standing,
                retry_after_secs: (missing / budget.restore_rate).ceil().max(1.0) as u64,
            });
        }
        bucket.level -= points;
        bucket.unsynced += points;
        Ok(Standing {
            budget,
            remaining: bucket.level,
        })
    }

    /// Gives back `points` charged but not used.
    pub fn refund(&self, key: &PrincipalKey, points: f64) -> Standing {
        let budget = self.budget(key);
        let now_ms = self.now_ms();
        let mut buckets = self.buckets();
        let Some(bucket) = buckets.get_mut(key) else {
            return Standing {
                budget,
                remaining: budget.maximum,
            };
        };
        bucket.refill(budget, now_ms);
        bucket.level = (bucket.level + points).min(budget.maximum);
        bucket.unsynced -= points;
        Standing {
            budget,
            remaining: bucket.level,
        }
    }

    /// Writes what each principal spent here since the last write, and takes back the
    /// level all replicas together left; drops buckets idle for a minute. One statement
    /// per principal that spent.
    pub async fn sync(&self) -> DomainResult<()> {
        let now_ms = self.now_ms();
        let spent: Vec<(PrincipalKey, f64)> = {
            let mut buckets = self.buckets();
            buckets.retain(|_, b| b.unsynced != 0.0 || now_ms - b.at_ms < IDLE_MS);
            buckets
                .iter()
                .filter(|(_, b)| b.unsynced != 0.0)
                .map(|(k, b)| (k.clone(), b.unsynced))
                .collect()
        };
        for (key, points) in spent {
            let budget = self.budget(&key);
            let level = self.write(&key, budget, points, now_ms).await?;
            let mut buckets = self.buckets();
            if let Some(bucket) = buckets.get_mut(&key) {
                // What was spent here while the statement ran is still to be written.
                bucket.unsynced -= points;
                bucket.level = level - bucket.unsynced;
                bucket.at_ms = now_ms;
            }
        }
        Ok(())
    }

    /// Adds `spent` to the stored bucket (refilled to `now_ms` first) and returns its
    /// new level.
    async fn write(
        &self,
        key: &PrincipalKey,
        budget: Budget,
        spent: f64,
        now_ms: i64,
    ) -> DomainResult<f64> {
        use sea_orm::sea_query::ExprTrait;
        let table = Alias::new("rate_limit_buckets");
        let level = || Expr::col((table.clone(), rate_limit_bucket::Column::Level));
        let updated = || Expr::col((table.clone(), rate_limit_bucket::Column::UpdatedMs));
        // level + restore × elapsed, never above the maximum; a row written "later" by a
        // replica whose clock runs ahead refills nothing.
        let refilled: SimpleExpr = Expr::case(updated().gte(now_ms), level())
            .finally(
                level().add(
                    Expr::val(now_ms)
                        .sub(updated())
                        .mul(budget.restore_rate / 1000.0),
                ),
            )
            .into();
        let capped: SimpleExpr = Expr::case(refilled.clone().gt(budget.maximum), budget.maximum)
            .finally(refilled)
            .into();
        let statement = Query::insert()
            .into_table(table.clone())
            .columns([
                rate_limit_bucket::Column::Principal,
                rate_limit_bucket::Column::Level,
                rate_limit_bucket::Column::UpdatedMs,
            ])
            .values_panic([
                key.as_str().into(),
                (budget.maximum - spent).into(),
                now_ms.into(),
            ])
            .on_conflict(
                OnConflict::column(rate_limit_bucket::Column::Principal)
                    .values([
                        (rate_limit_bucket::Column::Level, capped.sub(spent)),
                        (
                            rate_limit_bucket::Column::UpdatedMs,
                            Expr::case(updated().gt(now_ms), updated())
                                .finally(now_ms)
                                .into(),
                        ),
                    ])
                    .to_owned(),
            )
            .returning_col(rate_limit_bucket::Column::Level)
            .to_owned();
        let backend = self.db.get_database_backend();
        let row = self.db.query_one_raw(backend.build(&statement)).await?;
        let level = row
            .map(|row| row.try_get::<f64>("", "level"))
            .transpose()?
            .unwrap_or(budget.maximum - spent);
        Ok(level)
    }

    /// Writes spending every `every`, for as long as anything holds this limiter (the
    /// task holds it only while it writes).
    pub fn spawn_sync(&self, every: std::time::Duration) {
        let limiter: Weak<Limiter> = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(limiter) = limiter.upgrade() else {
                    return;
                };
                if let Err(err) = RateLimiter(limiter).sync().await {
                    tracing::warn!(error = %err, "rate limit buckets not written");
                }
            }
        });
    }
}
