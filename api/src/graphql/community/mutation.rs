//! Mutations of the alumni community. Each takes one `input` and returns a payload
//! whose `userErrors` lists every problem with the input; when it is non-empty nothing was
//! written.

use super::inputs::{
    CancelCommunityEventInput, CancelEventRsvpInput, CreateCommunityEventInput,
    FeatureAlumniActivityInput, JoinCommunityInput, LeaveCommunityInput,
    RecordEventAttendanceInput, RemoveAlumniActivityInput, ReportAlumniActivityInput,
    RsvpCommunityEventInput, UpdateCommunityProfileInput,
};
use async_graphql::{Context, Object, SimpleObject};

use crate::{
    domain::{
        DomainResult,
        community::{
            activities::{self, ActivityInput},
            events::{self, EventInput},
            members::{self},
        },
    },
    graphql::{
        community::objects::{AlumniActivity, AlumniProfile, CommunityEvent, EventRsvp},
        context::{caller, db},
        error::{GqlResultExt, UserError, payload},
        node::{NodeKind, decode_input_id},
        payload::record_payloads,
    },
};

record_payloads! {
    "Your profile after the change, or null when `userErrors` is not empty."
    profile as "profile": AlumniProfile from members::ProfileView;
    /// The result of `joinCommunity`.
    JoinCommunityPayload,
    /// The result of `updateCommunityProfile`.
    UpdateCommunityProfilePayload,
}

record_payloads! {
    "The report (as it was, for a removal), or null when `userErrors` is not empty."
    activity as "activity": AlumniActivity from entities::alumni_activity::Model;
    /// The result of `reportAlumniActivity`.
    ReportAlumniActivityPayload,
    /// The result of `removeAlumniActivity`.
    RemoveAlumniActivityPayload,
    /// The result of `featureAlumniActivity`.
    FeatureAlumniActivityPayload,
}

record_payloads! {
    "The event after the change, or null when `userErrors` is not empty."
    event as "event": CommunityEvent from entities::community_event::Model;
    /// The result of `createCommunityEvent`.
    CreateCommunityEventPayload,
    /// The result of `cancelCommunityEvent`.
    CancelCommunityEventPayload,
}

/// The result of `leaveCommunity`.
#[derive(SimpleObject)]
pub struct LeaveCommunityPayload {
    /// Whether you left; false when `userErrors` is not empty.
    pub left: bool,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// The result of `rsvpCommunityEvent`.
#[derive(SimpleObject)]
pub struct RsvpCommunityEventPayload {
    /// Your RSVP: `GOING`, or `WAITLISTED` when the event is full; null when `userErrors`
    /// is not empty.
    pub rsvp: Option<EventRsvp>,
    /// The event after the change (its places left and waitlist), for a client's cache;
    /// null when `userErrors` is not empty.
    pub event: Option<CommunityEvent>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The result of `cancelEventRsvp`.
#[derive(SimpleObject)]
pub struct CancelEventRsvpPayload {
    /// Your RSVP, now `CANCELLED`; null when `userErrors` is not empty.
    pub rsvp: Option<EventRsvp>,
    /// The event after the change (a place freed goes to the first on the waitlist), for
    /// a client's cache; null when `userErrors` is not empty.
    pub event: Option<CommunityEvent>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// The result of `recordEventAttendance`.
#[derive(SimpleObject)]
pub struct RecordEventAttendancePayload {
    /// The RSVPs recorded; empty when `userErrors` is not empty.
    pub rsvps: Vec<EventRsvp>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// An RSVP after a change, and the event as it now stands.
type RsvpChange = (Option<EventRsvp>, Option<CommunityEvent>, Vec<UserError>);

async fn rsvp_change(
    db: &sea_orm::DatabaseConnection,
    result: DomainResult<entities::event_rsvp::Model>,
) -> async_graphql::Result<RsvpChange> {
    let (rsvp, user_errors) = payload(result)?;
    let event = match &rsvp {
        Some(rsvp) => events::by_ids(db, &[rsvp.event_id])
            .await
            .gql()?
            .pop()
            .flatten()
            .map(CommunityEvent),
        None => None,
    };
    Ok((rsvp.map(EventRsvp), event, user_errors))
}

#[derive(Default)]
pub struct CommunityMutation;

#[Object]
impl CommunityMutation {
    /// Joins the alumni community (an alumnus, for themselves), or joins again after
    /// leaving.
    async fn join_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your profile and who sees each field.")] input: JoinCommunityInput,
    ) -> async_graphql::Result<JoinCommunityPayload> {
        let profile = input.profile.into();
        JoinCommunityPayload::from_result(members::join(db(ctx)?, caller(ctx)?, profile).await)
    }

    /// Changes your community profile and who sees each field.
    async fn update_community_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCommunityProfileInput,
    ) -> async_graphql::Result<UpdateCommunityProfilePayload> {
        let (version, profile) = (input.expected_version, input.profile.into());
        let result = members::update(db(ctx)?, caller(ctx)?, version, profile).await;
        UpdateCommunityProfilePayload::from_result(result)
    }

    /// Leaves the community: you are no longer listed, nor are your activities. You may
    /// join again.
    async fn leave_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version of your profile.")] input: LeaveCommunityInput,
    ) -> async_graphql::Result<LeaveCommunityPayload> {
        let (left, user_errors) =
            payload(members::leave(db(ctx)?, caller(ctx)?, input.expected_version).await)?;
        Ok(LeaveCommunityPayload {
            left: left.is_some(),
            user_errors,
        })
    }

    /// Reports something you did (a current member).
    async fn report_alumni_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity.")] input: ReportAlumniActivityInput,
    ) -> async_graphql::Result<ReportAlumniActivityPayload> {
        let activity = ActivityInput {
            occurred_on: input.occurred_on.0,
            kind: input.kind.into(),
            title: input.title,
            link: input.link,
        };
        ReportAlumniActivityPayload::from_result(
            activities::report(db(ctx)?, caller(ctx)?, activity).await,
        )
    }

    /// Removes one of your own activity reports.
    async fn remove_alumni_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: RemoveAlumniActivityInput,
    ) -> async_graphql::Result<RemoveAlumniActivityPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.activity_id,
                NodeKind::ALUMNI_ACTIVITY,
                "activity_id",
                "activity",
            )?;
            activities::remove_activity(db, caller, id).await
        }
        .await;
        RemoveAlumniActivityPayload::from_result(result)
    }

    /// Features an activity report, or stops featuring it. Camp staff only.
    async fn feature_alumni_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: FeatureAlumniActivityInput,
    ) -> async_graphql::Result<FeatureAlumniActivityPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.activity_id,
                NodeKind::ALUMNI_ACTIVITY,
                "activity_id",
                "activity",
            )?;
            activities::feature(db, caller, id, input.featured.unwrap_or(true)).await
        }
        .await;
        FeatureAlumniActivityPayload::from_result(result)
    }

    /// Schedules a community event. Camp staff only.
    async fn create_community_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CreateCommunityEventInput,
    ) -> async_graphql::Result<CreateCommunityEventPayload> {
        let event = EventInput {
            title: input.title,
            description: input.description,
            starts_at: input.starts_at.0,
            ends_at: input.ends_at.0,
            online: input.online.unwrap_or(false),
            place: input.place,
            prefecture: input.prefecture,
            capacity: input.capacity,
        };
        CreateCommunityEventPayload::from_result(
            events::create(db(ctx)?, caller(ctx)?, event).await,
        )
    }

    /// Calls off an event that has not started. Camp staff only.
    async fn cancel_community_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CancelCommunityEventInput,
    ) -> async_graphql::Result<CancelCommunityEventPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.event_id,
                NodeKind::COMMUNITY_EVENT,
                "event_id",
                "event",
            )?;
            events::cancel(db, caller, id, input.expected_version).await
        }
        .await;
        CancelCommunityEventPayload::from_result(result)
    }

    /// Answers an event (a current member): `GOING` while places are left, `WAITLISTED`
    /// after.
    async fn rsvp_community_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: RsvpCommunityEventInput,
    ) -> async_graphql::Result<RsvpCommunityEventPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.event_id,
                NodeKind::COMMUNITY_EVENT,
                "event_id",
                "event",
            )?;
            events::rsvp(db, caller, id).await
        }
        .await;
        let (rsvp, event, user_errors) = rsvp_change(db, result).await?;
        Ok(RsvpCommunityEventPayload {
            rsvp,
            event,
            user_errors,
        })
    }

    /// Cancels your RSVP; a place you held goes to the longest-waiting member.
    async fn cancel_event_rsvp(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CancelEventRsvpInput,
    ) -> async_graphql::Result<CancelEventRsvpPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.event_id,
                NodeKind::COMMUNITY_EVENT,
                "event_id",
                "event",
            )?;
            events::cancel_rsvp(db, caller, id).await
        }
        .await;
        let (rsvp, event, user_errors) = rsvp_change(db, result).await?;
        Ok(CancelEventRsvpPayload {
            rsvp,
            event,
            user_errors,
        })
    }

    /// Records who attended an event that has started. Camp staff only; everyone named
    /// must have held a place.
    async fn record_event_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event and the people.")] input: RecordEventAttendanceInput,
    ) -> async_graphql::Result<RecordEventAttendancePayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.event_id,
                NodeKind::COMMUNITY_EVENT,
                "event_id",
                "event",
            )?;
            let people = input
                .person_ids
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    decode_input_id(p, NodeKind::PERSON, &format!("person_ids.{i}"), "person")
                })
                .collect::<DomainResult<Vec<_>>>()?;
            events::record_attendance(db, caller, id, &people, input.attended.unwrap_or(true)).await
        }
        .await;
        let (rsvps, user_errors) = payload(result)?;
        Ok(RecordEventAttendancePayload {
            rsvps: rsvps
                .unwrap_or_default()
                .into_iter()
                .map(EventRsvp)
                .collect(),
            user_errors,
        })
    }
}
