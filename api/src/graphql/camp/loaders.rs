//! Batch loaders of the camps and the community: whatever a page nests costs one
//! statement per kind of object, whatever the page's size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{
    alumni_activity, camp_application, camp_cohort, camp_program, camp_track, event_rsvp, person,
};
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller,
        camp::{
            applications, cohorts,
            community::{self, ProfileView},
            events, people, programs,
        },
    },
    graphql::error::to_graphql,
};

/// How many of a member's latest activities their profile shows.
pub const RECENT_ACTIVITIES: usize = 20;

/// Declares a per-request loader: its alias, struct, key → value, and the domain call that
/// loads a batch (`db`, `caller` and `keys` in scope) into a `HashMap`.
macro_rules! loader {
    ($(#[$meta:meta])* $alias:ident, $name:ident, $value:ty, |$db:ident, $caller:ident, $keys:ident| $load:expr) => {
        $(#[$meta])*
        pub type $alias = DataLoader<$name, HashMapCache>;

        $(#[$meta])*
        pub struct $name {
            pub db: DatabaseConnection,
            pub caller: Caller,
        }

        impl Loader<i64> for $name {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, $value>, Self::Error> {
                let ($db, $caller, $keys) = (&self.db, &self.caller, keys);
                let loaded: crate::domain::DomainResult<HashMap<i64, $value>> = $load;
                loaded.map_err(to_graphql)
            }
        }
    };
}

fn keyed<T>(rows: Vec<Option<T>>, key: impl Fn(&T) -> i64) -> HashMap<i64, T> {
    rows.into_iter()
        .flatten()
        .map(|row| (key(&row), row))
        .collect()
}

/// An answer for every key, the default for those with nothing: a loader caches only the
/// keys it returns, so a key left out would be asked for again.
fn every_key<T: Default>(keys: &[i64], mut found: HashMap<i64, T>) -> HashMap<i64, T> {
    keys.iter()
        .map(|key| (*key, found.remove(key).unwrap_or_default()))
        .collect()
}

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
    |db, caller, keys| async { Ok(cohorts::application_counts(db, caller, keys).await?.unwrap_or_default()) }.await
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

loader!(
    /// Community profiles by person id, as the caller may see them (`None` for people who
    /// are not members, or whom the caller may not see).
    Profiles, ProfileLoader, Option<ProfileView>,
    |db, caller, keys| async {
        let found = keyed(community::by_ids(db, caller, keys).await?, |v| v.member.person_id);
        Ok(every_key(keys, found.into_iter().map(|(id, v)| (id, Some(v))).collect()))
    }.await
);

loader!(
    /// A member's latest activities, by person id; read only for profiles whose activities
    /// the caller may see.
    RecentActivities, RecentActivityLoader, Vec<alumni_activity::Model>,
    |db, _caller, keys| community::recent_activities_of(db, keys, RECENT_ACTIVITIES).await
);

loader!(
    /// The RSVPs of each event the caller may see, by event id.
    EventRsvps, EventRsvpLoader, Vec<event_rsvp::Model>,
    |db, caller, keys| events::rsvps_of(db, caller, keys).await
);

/// Attaches the camp loaders to a request.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    fn new<L: Loader<i64>>(loader: L) -> DataLoader<L, HashMapCache> {
        DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
    }
    let (db, caller) = (db.clone(), caller.clone());
    request
        .data(new(CampProgramLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(CohortLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(CohortTrackLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(ApplicationCountLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(PersonLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(CompletedCohortLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(ProfileLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(RecentActivityLoader {
            db: db.clone(),
            caller: caller.clone(),
        }))
        .data(new(EventRsvpLoader { db, caller }))
}

/// Reads the cohorts (and their programs) and the recent activities a page of profiles
/// shows up front, when the query selects them, and feeds them to the request's loaders:
/// the nested fields then find them cached, without a loader round each.
pub async fn prime_profiles(
    ctx: &async_graphql::Context<'_>,
    views: &[&ProfileView],
) -> async_graphql::Result<()> {
    use crate::domain::camp::types::ProfileField;
    use crate::graphql::{connection::nodes_select, context::data};
    if views.is_empty() {
        return Ok(());
    }
    let cohorts = data::<Cohorts>(ctx)?;
    let programs = data::<CampPrograms>(ctx)?;
    let activities = data::<RecentActivities>(ctx)?;
    let mut cohort_ids: Vec<i64> = if nodes_select(ctx, "cohorts") {
        views
            .iter()
            .filter_map(|v| v.cohort_ids())
            .flatten()
            .copied()
            .collect()
    } else {
        Vec::new()
    };
    cohort_ids.sort_unstable();
    cohort_ids.dedup();
    let members: Vec<i64> = if nodes_select(ctx, "activities") {
        views
            .iter()
            .filter(|v| v.sees(ProfileField::Activities))
            .map(|v| v.member.person_id)
            .collect()
    } else {
        Vec::new()
    };
    let load_cohorts = async {
        if cohort_ids.is_empty() {
            return Ok((HashMap::new(), HashMap::new()));
        }
        // Six programs: read them all alongside the cohorts.
        tokio::try_join!(cohorts.loader().load(&cohort_ids), async {
            Ok(programs::list(&cohorts.loader().db)
                .await
                .map_err(to_graphql)?
                .into_iter()
                .map(|p| (p.id, p))
                .collect::<HashMap<_, _>>())
        })
    };
    let load_activities = async {
        if members.is_empty() {
            return Ok(HashMap::new());
        }
        activities.loader().load(&members).await
    };
    let ((cohort_rows, program_rows), activity_rows) =
        tokio::try_join!(load_cohorts, load_activities)?;
    cohorts.feed_many(cohort_rows).await;
    programs.feed_many(program_rows).await;
    // Members with no activity read as an empty list, not as a miss to load again.
    let activity_rows: HashMap<i64, Vec<alumni_activity::Model>> = members
        .iter()
        .map(|id| (*id, activity_rows.get(id).cloned().unwrap_or_default()))
        .collect();
    activities.feed_many(activity_rows).await;
    Ok(())
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
