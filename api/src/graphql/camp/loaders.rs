//! Batch loaders of the camps and the community: whatever a page nests costs one
//! statement per kind of object, whatever the page's size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{alumni_activity, camp_cohort, camp_program, camp_track, event_rsvp, person};
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
                let _ = $caller;
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

loader!(
    /// Camp programs by id (public).
    CampPrograms, CampProgramLoader, camp_program::Model,
    |db, caller, keys| async {
        Ok(programs::by_ids(db, keys).await?.into_iter().map(|p| (p.id, p)).collect())
    }.await
);

loader!(
    /// Cohorts by id (public).
    Cohorts, CohortLoader, camp_cohort::Model,
    |db, caller, keys| async { Ok(keyed(cohorts::by_ids(db, keys).await?, |c| c.id)) }.await
);

loader!(
    /// The tracks of each cohort, by cohort id (public).
    CohortTracks, CohortTrackLoader, Vec<camp_track::Model>,
    |db, caller, keys| cohorts::tracks_of(db, keys).await
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
    |db, caller, keys| applications::completed_cohorts_of(db, keys).await
);

loader!(
    /// Community profiles by person id, as the caller may see them.
    Profiles, ProfileLoader, ProfileView,
    |db, caller, keys| async {
        Ok(keyed(community::by_ids(db, caller, keys).await?, |v| v.member.person_id))
    }.await
);

loader!(
    /// A member's latest activities, by person id; read only for profiles whose activities
    /// the caller may see.
    RecentActivities, RecentActivityLoader, Vec<alumni_activity::Model>,
    |db, caller, keys| community::recent_activities_of(db, keys, RECENT_ACTIVITIES).await
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
