//! Batch loaders of the camps: whatever a page nests costs one statement per kind of
//! object, whatever the page's size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{camp_application, camp_cohort, camp_cohort_move, camp_program, camp_track, person};
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller,
        camp::{applications, cohorts, people, programs},
    },
    graphql::{
        area::{every_key, keyed, loader, with_loader},
        community::loaders::Profiles,
        error::to_graphql,
    },
};

loader!(
    /// Camp programs by id (public).
    CampPrograms, CampProgramLoader, camp_program::Model,
    |db, _caller, keys| async {
        Ok(programs::by_ids(db, keys).await?.into_iter().map(|p| (p.id, p)).collect())
    }.await
);

loader!(
    /// Cohorts by id (public).
    Cohorts, CohortLoader, camp_cohort::Model,
    |db, _caller, keys| async { Ok(keyed(cohorts::by_ids(db, keys).await?, |c| c.id)) }.await
);

loader!(
    /// The tracks of each cohort, by cohort id (public).
    CohortTracks, CohortTrackLoader, Vec<camp_track::Model>,
    |db, _caller, keys| Ok(every_key(keys, cohorts::tracks_of(db, keys).await?))
);

loader!(
    /// How many applications each cohort has, by cohort id (camp staff; empty otherwise).
    ApplicationCounts, ApplicationCountLoader, i64,
    |db, caller, keys| async {
        Ok(cohorts::application_counts(db, caller, keys).await?.unwrap_or_default())
    }.await
);

loader!(
    /// The moves of each cohort, by cohort id (camp staff; empty otherwise).
    CohortMoves, CohortMoveLoader, Vec<camp_cohort_move::Model>,
    |db, caller, keys| async {
        let moves = cohorts::moves_of(db, caller, keys).await?.unwrap_or_default();
        Ok(every_key(keys, moves))
    }.await
);

loader!(
    /// People by id, as the caller may see them (camp staff, or the person themselves).
    People, PersonLoader, person::Model,
    |db, caller, keys| async { Ok(keyed(people::by_ids(db, caller, keys).await?, |p| p.id)) }.await
);

loader!(
    /// The cohorts each person completed, by person id.
    CompletedCohorts, CompletedCohortLoader, Vec<i64>,
    |db, _caller, keys| Ok(every_key(keys, applications::completed_cohorts_of(db, keys).await?))
);

/// Attaches the camps' per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    let request = with_loader(request, CampProgramLoader::new(db, caller));
    let request = with_loader(request, CohortLoader::new(db, caller));
    let request = with_loader(request, CohortTrackLoader::new(db, caller));
    let request = with_loader(request, ApplicationCountLoader::new(db, caller));
    let request = with_loader(request, CohortMoveLoader::new(db, caller));
    let request = with_loader(request, PersonLoader::new(db, caller));
    with_loader(request, CompletedCohortLoader::new(db, caller))
}

/// Reads what a page of applications nests, when the query selects it, up front and feeds
/// it to the request's loaders: applicants, their completed cohorts and community profiles,
/// the cohorts (applied to and completed), their programs and tracks. The page then costs
/// the same statements whatever its size, however the nested fields are scheduled.
pub async fn prime_applications(
    ctx: &async_graphql::Context<'_>,
    applications: &[&camp_application::Model],
) -> async_graphql::Result<()> {
    use crate::graphql::{connection::nodes_select_path as selects, context::data};
    if applications.is_empty() {
        return Ok(());
    }
    let unique = |mut ids: Vec<i64>| {
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let person_ids = unique(applications.iter().map(|a| a.person_id).collect());
    let applied_to = unique(applications.iter().map(|a| a.cohort_id).collect());
    let wants = |path: &[&str], ids: &[i64]| {
        if selects(ctx, path) {
            ids.to_vec()
        } else {
            Vec::new()
        }
    };
    let people_ids = wants(&["applicant"], &person_ids);
    let completed_ids = wants(&["applicant", "completedCohorts"], &person_ids);
    let profile_ids = wants(&["applicant", "communityProfile"], &person_ids);
    let mut cohort_ids = wants(&["cohort"], &applied_to);
    let mut track_ids = wants(&["preferredTracks"], &applied_to);
    track_ids.extend(wants(&["cohort", "tracks"], &applied_to));
    let track_ids = unique(track_ids);
    let people = data::<People>(ctx)?;
    let completed = data::<CompletedCohorts>(ctx)?;
    let profiles = data::<Profiles>(ctx)?;
    let tracks = data::<CohortTracks>(ctx)?;
    async fn load<L: Loader<i64, Error = async_graphql::Error>>(
        loader: &DataLoader<L, HashMapCache>,
        keys: &[i64],
    ) -> async_graphql::Result<HashMap<i64, L::Value>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        loader.loader().load(keys).await
    }
    let (people_rows, completed_rows, profile_rows, track_rows) = tokio::try_join!(
        load(people, &people_ids),
        load(completed, &completed_ids),
        load(profiles, &profile_ids),
        load(tracks, &track_ids),
    )?;
    cohort_ids.extend(completed_rows.values().flatten().copied());
    let cohort_ids = unique(cohort_ids);
    let cohorts = data::<Cohorts>(ctx)?;
    let programs = data::<CampPrograms>(ctx)?;
    let cohort_rows = load(cohorts, &cohort_ids).await?;
    if !cohort_rows.is_empty()
        && (selects(ctx, &["cohort", "program"])
            || selects(ctx, &["applicant", "completedCohorts", "program"]))
    {
        // Six programs: read them all.
        let all = programs::list(&cohorts.loader().db)
            .await
            .map_err(to_graphql)?;
        programs.feed_many(all.into_iter().map(|p| (p.id, p))).await;
    }
    people.feed_many(people_rows).await;
    completed.feed_many(completed_rows).await;
    profiles.feed_many(profile_rows).await;
    tracks.feed_many(track_rows).await;
    cohorts.feed_many(cohort_rows).await;
    Ok(())
}
