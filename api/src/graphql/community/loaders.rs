//! Batch loaders of the community: whatever a page of profiles or events nests costs one
//! statement per kind of object, whatever the page's size.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use entities::{alumni_activity, event_rsvp};
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller,
        camp::programs,
        community::{
            activities, events,
            members::{self, ProfileView},
        },
    },
    graphql::{
        area::{every_key, keyed, loader, with_loader},
        camp::loaders::{CampPrograms, Cohorts},
        error::to_graphql,
    },
};

/// How many of a member's latest activities their profile shows.
pub const RECENT_ACTIVITIES: usize = 20;

loader!(
    /// Community profiles by person id, as the caller may see them (`None` for people who
    /// are not members, or whom the caller may not see).
    Profiles, ProfileLoader, Option<ProfileView>,
    |db, caller, keys| async {
        let found = keyed(members::by_ids(db, caller, keys).await?, |v| v.member.person_id);
        Ok(every_key(keys, found.into_iter().map(|(id, v)| (id, Some(v))).collect()))
    }.await
);

loader!(
    /// A member's latest activities, by person id; read only for profiles whose activities
    /// the caller may see.
    RecentActivities, RecentActivityLoader, Vec<alumni_activity::Model>,
    |db, _caller, keys| activities::recent_activities_of(db, keys, RECENT_ACTIVITIES).await
);

loader!(
    /// The RSVPs of each event the caller may see, by event id.
    EventRsvps, EventRsvpLoader, Vec<event_rsvp::Model>,
    |db, caller, keys| events::rsvps_of(db, caller, keys).await
);

/// Reads the cohorts (and their programs) and the recent activities a page of profiles
/// shows up front, when the query selects them, and feeds them to the request's loaders:
/// the nested fields then find them cached, without a loader round each.
pub async fn prime_profiles(
    ctx: &async_graphql::Context<'_>,
    views: &[&ProfileView],
) -> async_graphql::Result<()> {
    use crate::domain::community::types::ProfileField;
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

/// Attaches the community's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    let request = with_loader(request, ProfileLoader::new(db, caller));
    let request = with_loader(request, RecentActivityLoader::new(db, caller));
    with_loader(request, EventRsvpLoader::new(db, caller))
}
