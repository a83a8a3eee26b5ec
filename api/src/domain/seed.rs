//! The demo data of every area, written in the order the areas depend on each other.
//!
//! Each area seeds its own tables (`registry::seed`, `renewal::seed`, …); this is the one
//! place that runs them all, so that no area's seeder calls another's.

use sea_orm::DatabaseConnection;

use super::{Caller, DomainResult, active_list, camp, community, matching, registry, renewal};

/// Fills an empty database with `count` synthetic specialists and everything the other
/// areas write for them: cycles, the course catalogue and training, Active List entries,
/// organizations, companies, requests and matches, the camps and the community.
/// `on_progress` is told how many specialists have been written so far.
pub async fn seed_demo(
    db: &DatabaseConnection,
    caller: &Caller,
    count: u32,
    on_progress: impl FnMut(u64),
) -> DomainResult<u64> {
    let written = registry::seed::seed_specialists(db, caller, count, on_progress).await?;
    // Renewal cycles from the histories, then the catalogue and training of open cycles.
    renewal::cycles::backfill(db, caller.clock).await?;
    renewal::seed::seed_training(db, caller.clock).await?;
    active_list::seed::seed_entries(db, caller.clock).await?;
    matching::seed::seed_matching(db, count, caller.clock).await?;
    camp::seed::seed_camps(db, count, caller.clock).await?;
    community::seed::seed_community(db, caller.clock).await?;
    Ok(written)
}
