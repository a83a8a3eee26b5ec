//! Output types of the alumni community.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::{alumni_activity, community_event, event_rsvp};

use crate::{
    domain::community::{
        events::{rsvp_status, status_of as event_status},
        members::ProfileView,
        types::{
            ActivityKind as DomainActivityKind, EventStatus as DomainEventStatus,
            ProfileField as DomainProfileField, RsvpStatus as DomainRsvpStatus,
            Visibility as DomainVisibility,
        },
    },
    graphql::{
        camp::{
            loaders::{Cohorts, People},
            objects::{CampCohort, Person},
        },
        community::loaders::{EventRsvps, Profiles, RecentActivities},
        connection::connection,
        context::{caller, data},
        node::{NodeKind, encode_id},
        reference::Prefecture,
        scalars::{Date, DateTime},
    },
};

/// Who may see a field of a community profile.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainVisibility")]
pub enum ProfileVisibility {
    /// Anybody, signed in or not.
    Public,
    /// Members of the alumni community, and staff.
    Alumni,
    /// Camp staff only.
    Staff,
}

/// A field of a community profile whose audience the member chooses.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainProfileField")]
pub enum ProfileField {
    /// The name shown. A member is listed only to those who may see it.
    DisplayName,
    /// School or employer.
    Affiliation,
    /// Prefecture, from the member's personal details.
    Prefecture,
    /// A few words about them.
    Bio,
    /// Their interests.
    Interests,
    /// Whether they are open to mentoring.
    OpenToMentoring,
    /// The cohorts they completed.
    Cohorts,
    /// Their web page.
    Link,
    /// Their e-mail address, from their personal details.
    Email,
    /// Their activity reports.
    Activities,
    /// Whether they are a registered specialist.
    Specialist,
}

/// What an alumnus reports having done.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainActivityKind")]
pub enum ActivityKind {
    /// A talk at a conference or meetup.
    Talk,
    /// A capture-the-flag competition.
    Ctf,
    /// Open-source work.
    OpenSource,
    /// Research: a paper, a vulnerability report.
    Research,
    /// Tutoring at a later camp.
    Tutoring,
    /// Mentoring someone.
    Mentoring,
    /// An award.
    Award,
    /// Anything else.
    Other,
}

/// Whether a community event takes place.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainEventStatus")]
pub enum CommunityEventStatus {
    /// It will take place (or took place).
    Scheduled,
    /// Called off.
    Cancelled,
}

/// A member's answer to an event.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRsvpStatus")]
pub enum RsvpStatus {
    /// Holds a place.
    Going,
    /// Waiting for a place, first come first served.
    Waitlisted,
    /// Cancelled.
    Cancelled,
}

/// Who sees one field of a profile.
#[derive(SimpleObject)]
pub struct FieldVisibility {
    /// The field.
    pub field: ProfileField,
    /// Who sees it.
    pub visibility: ProfileVisibility,
}

/// A member of the alumni community as you may see them: each field the member hid from
/// you reads as null.
pub struct AlumniProfile(pub ProfileView);

/// A member of the alumni community as you may see them: each field the member hid from
/// you reads as null.
#[Object]
impl AlumniProfile {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::ALUMNI_PROFILE, self.0.member.person_id)
    }

    /// The name they show.
    async fn display_name(&self) -> Option<&str> {
        self.0.display_name()
    }

    /// School or employer.
    async fn affiliation(&self) -> Option<&str> {
        self.0.affiliation()
    }

    /// Where they live.
    async fn prefecture(&self) -> Option<Prefecture> {
        self.0.prefecture_code().and_then(Prefecture::of_code)
    }

    /// A few words about them.
    async fn bio(&self) -> Option<&str> {
        self.0.bio()
    }

    /// Their interests.
    async fn interests(&self) -> Option<Vec<String>> {
        self.0.interests()
    }

    /// Whether they are open to mentoring.
    async fn open_to_mentoring(&self) -> Option<bool> {
        self.0.open_to_mentoring()
    }

    /// The cohorts they completed, oldest first.
    async fn cohorts(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<CampCohort>>> {
        let Some(ids) = self.0.cohort_ids() else {
            return Ok(None);
        };
        let found = data::<Cohorts>(ctx)?.load_many(ids.iter().copied()).await?;
        Ok(Some(
            ids.iter()
                .filter_map(|id| found.get(id).cloned().map(CampCohort))
                .collect(),
        ))
    }

    /// Their web page.
    async fn link(&self) -> Option<&str> {
        self.0.link()
    }

    /// Their e-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email()
    }

    /// Whether they are a registered specialist.
    async fn is_registered_specialist(&self) -> Option<bool> {
        self.0.is_registered_specialist()
    }

    /// Their latest activity reports (up to 20), latest first.
    async fn activities(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<AlumniActivity>>> {
        if !self.0.sees(DomainProfileField::Activities) {
            return Ok(None);
        }
        Ok(Some(
            data::<RecentActivities>(ctx)?
                .load_one(self.0.member.person_id)
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(AlumniActivity)
                .collect(),
        ))
    }

    /// Who sees each field: for the member themselves and camp staff (null otherwise).
    async fn visibility(&self) -> Option<Vec<FieldVisibility>> {
        self.0.visibility().map(|fields| {
            fields
                .into_iter()
                .map(|(field, visibility)| FieldVisibility {
                    field: field.into(),
                    visibility: visibility.into(),
                })
                .collect()
        })
    }

    /// When they joined.
    async fn joined_at(&self) -> DateTime {
        DateTime(self.0.member.joined_at)
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.member.version
    }
}

/// Something an alumnus reports having done.
pub struct AlumniActivity(pub alumni_activity::Model);

/// Something an alumnus reports having done.
#[Object]
impl AlumniActivity {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::ALUMNI_ACTIVITY, self.0.id)
    }

    /// The member who reported it, as you may see them.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<AlumniProfile>> {
        Ok(data::<Profiles>(ctx)?
            .load_one(self.0.person_id)
            .await?
            .flatten()
            .map(AlumniProfile))
    }

    /// When it happened.
    async fn occurred_on(&self) -> Date {
        Date(self.0.occurred_on)
    }

    /// What kind of activity it is.
    async fn kind(&self) -> ActivityKind {
        self.0.kind.into()
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Where to read about it.
    async fn link(&self) -> Option<&str> {
        self.0.link.as_deref()
    }

    /// Whether camp staff feature it.
    async fn featured(&self) -> bool {
        self.0.featured
    }

    /// When it was reported.
    async fn reported_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A meetup or study session of the alumni community.
pub struct CommunityEvent(pub community_event::Model);

/// A meetup or study session of the alumni community.
#[Object]
impl CommunityEvent {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::COMMUNITY_EVENT, self.0.id)
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What it is about.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// When it starts.
    async fn starts_at(&self) -> DateTime {
        DateTime(self.0.starts_at)
    }

    /// When it ends.
    async fn ends_at(&self) -> DateTime {
        DateTime(self.0.ends_at)
    }

    /// Whether it is held online.
    async fn online(&self) -> bool {
        self.0.online
    }

    /// Where it is held in person.
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }

    /// The prefecture it is held in.
    async fn prefecture(&self) -> Option<Prefecture> {
        self.0
            .prefecture_code
            .as_deref()
            .and_then(Prefecture::of_code)
    }

    /// How many it takes.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }

    /// Places not yet taken.
    async fn places_left(&self) -> i32 {
        (self.0.capacity - self.0.going_count).max(0)
    }

    /// Whether it takes place.
    async fn status(&self) -> CommunityEventStatus {
        event_status(&self.0).into()
    }

    /// The RSVPs you may see: all of them for camp staff (waitlisted ones in queue order),
    /// your own for a member, none for anybody else.
    async fn rsvps(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EventRsvp>> {
        Ok(data::<EventRsvps>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(EventRsvp)
            .collect())
    }

    /// Your own RSVP, if you answered.
    async fn my_rsvp(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<EventRsvp>> {
        // An individual's RSVP loader holds their own answer only.
        if caller(ctx)?.actor.individual_subject().is_none() {
            return Ok(None);
        }
        let rsvps = data::<EventRsvps>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rsvps.into_iter().next().map(EventRsvp))
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A member's answer to an event.
pub struct EventRsvp(pub event_rsvp::Model);

/// A member's answer to an event.
#[Object]
impl EventRsvp {
    /// The member (camp staff and the member themselves see them).
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(data::<People>(ctx)?
            .load_one(self.0.person_id)
            .await?
            .map(Person))
    }

    /// Their answer.
    async fn status(&self) -> RsvpStatus {
        rsvp_status(&self.0).into()
    }

    /// Whether they attended, as staff recorded.
    async fn attended(&self) -> bool {
        self.0.attended
    }

    /// When they answered last (a waitlist is served in this order).
    async fn answered_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

connection!(
    AlumniProfileConnection,
    AlumniProfileEdge,
    AlumniProfile,
    "alumni"
);
connection!(
    AlumniActivityConnection,
    AlumniActivityEdge,
    AlumniActivity,
    "activity reports"
);
connection!(
    CommunityEventConnection,
    CommunityEventEdge,
    CommunityEvent,
    "community events"
);
