//! Input objects of the community: the filters, orders and mutation inputs its queries and
//! mutations take.

use crate::domain::community::members::ProfileInput;
use crate::graphql::camp::objects::CampProgramKind;
use crate::graphql::community::objects::ActivityKind;
use crate::graphql::community::objects::ProfileField;
use crate::graphql::community::objects::ProfileVisibility;
use crate::graphql::connection::order_input;
use crate::graphql::scalars::Date;
use crate::graphql::scalars::DateTime;
use async_graphql::ID;
use async_graphql::InputObject;

/// Narrows the alumni directory. Each condition matches only members who let you see the
/// field it reads.
#[derive(InputObject, Default)]
pub struct AlumniFilterInput {
    /// Completed any of these cohorts (global IDs, at most 100).
    pub cohorts: Option<Vec<ID>>,
    /// Completed a cohort of any of these programs.
    pub programs: Option<Vec<CampProgramKind>>,
    /// Lists any of these interests (case-insensitive).
    pub interests: Option<Vec<String>>,
    /// Open to mentoring (true) or not (false).
    pub open_to_mentoring: Option<bool>,
}

/// Narrows the activity reports.
#[derive(InputObject, Default)]
pub struct AlumniActivityFilterInput {
    /// Featured by camp staff (true) or not (false).
    pub featured: Option<bool>,
    /// Of any of these kinds.
    pub kinds: Option<Vec<ActivityKind>>,
    /// Of any of these members (their profiles' global IDs, at most 100).
    pub members: Option<Vec<ID>>,
}

/// Narrows the community events.
#[derive(InputObject, Default)]
pub struct CommunityEventFilterInput {
    /// Starting at or after this instant; now by default, so past events are left out.
    pub from: Option<DateTime>,
    /// Starting before this instant.
    pub until: Option<DateTime>,
    /// Whether cancelled events are listed too; false by default.
    pub include_cancelled: Option<bool>,
}

order_input!(AlumniOrderInput, AlumniOrderBy, "community members", {
        /// When the member joined (the default, earliest first).
        Joined,
});

order_input!(AlumniActivityOrderInput, AlumniActivityOrderBy, "activity reports", {
        /// The day of the activity (the default, latest first).
        OccurredOn,
});

order_input!(CommunityEventOrderInput, CommunityEventOrderBy, "community events", {
        /// When the event starts (the default, soonest first).
        StartsAt,
});

/// Who sees one field of your profile.
#[derive(InputObject)]
pub struct FieldVisibilityInput {
    /// The field.
    pub field: ProfileField,
    /// Who sees it.
    pub visibility: ProfileVisibility,
}

/// Your community profile, as you join or change it. Fields left out keep their value
/// (their default when joining: everything visible to alumni; e-mail and the specialist
/// registration to staff only).
#[derive(InputObject)]
pub struct CommunityProfileFields {
    /// The name you show (up to 100 characters); required to join.
    pub display_name: Option<String>,
    /// School or employer; an empty string removes it.
    pub affiliation: Option<String>,
    /// A few words about you (up to 2,000 characters).
    pub bio: Option<String>,
    /// Your interests (up to 10, each up to 40 characters), replacing the current ones.
    pub interests: Option<Vec<String>>,
    /// Whether you are open to mentoring.
    pub open_to_mentoring: Option<bool>,
    /// Your web page (http or https); an empty string removes it.
    pub link: Option<String>,
    /// Who sees each field; fields not named keep their audience.
    #[graphql(default)]
    pub visibility: Vec<FieldVisibilityInput>,
    /// The version of the community's terms (`consentTerms`, purpose
    /// `COMMUNITY_PROFILE`) you showed the member. If given and not the version in force,
    /// nothing is written; left out, the version in force is recorded.
    pub terms_version: Option<String>,
}

/// Joining the alumni community (or joining again after leaving).
#[derive(InputObject)]
pub struct JoinCommunityInput {
    /// Your profile and who sees each field.
    #[graphql(flatten)]
    pub profile: CommunityProfileFields,
}

/// Changes to your community profile.
#[derive(InputObject)]
pub struct UpdateCommunityProfileInput {
    /// The `version` you read; if the profile changed since, nothing is written.
    pub expected_version: i32,
    /// The changes, and who sees each field.
    #[graphql(flatten)]
    pub profile: CommunityProfileFields,
}

impl From<CommunityProfileFields> for ProfileInput {
    fn from(input: CommunityProfileFields) -> Self {
        Self {
            display_name: input.display_name,
            affiliation: input.affiliation,
            bio: input.bio,
            interests: input.interests,
            open_to_mentoring: input.open_to_mentoring,
            link: input.link,
            visibility: input
                .visibility
                .into_iter()
                .map(|v| (v.field.into(), v.visibility.into()))
                .collect(),
            terms_version: input.terms_version,
        }
    }
}

/// Leaves the community.
#[derive(InputObject)]
pub struct LeaveCommunityInput {
    /// The `version` of your profile you read.
    pub expected_version: i32,
}

/// Something you did as an alumnus.
#[derive(InputObject)]
pub struct ReportAlumniActivityInput {
    /// When (from 2004-01-01 to today).
    pub occurred_on: Date,
    /// What kind of activity.
    pub kind: ActivityKind,
    /// Its title (up to 200 characters).
    pub title: String,
    /// Where to read about it (http or https).
    pub link: Option<String>,
}

/// Names an activity report.
#[derive(InputObject)]
pub struct RemoveAlumniActivityInput {
    /// The report (global ID).
    pub activity_id: ID,
}

/// Features an activity report, or stops featuring it.
#[derive(InputObject)]
pub struct FeatureAlumniActivityInput {
    /// The report (global ID).
    pub activity_id: ID,
    /// Whether to feature it; true by default.
    pub featured: Option<bool>,
}

/// A community event to schedule.
#[derive(InputObject)]
pub struct CreateCommunityEventInput {
    /// Title.
    pub title: String,
    /// What it is about.
    #[graphql(default)]
    pub description: String,
    /// When it starts: in the future.
    pub starts_at: DateTime,
    /// When it ends.
    pub ends_at: DateTime,
    /// Whether it is held online; false by default.
    pub online: Option<bool>,
    /// Where it is held in person (required unless online).
    pub place: Option<String>,
    /// The prefecture it is held in (JIS X 0401 code).
    pub prefecture: Option<String>,
    /// How many it takes (1–10,000).
    pub capacity: i32,
}

/// Cancels an event.
#[derive(InputObject)]
pub struct CancelCommunityEventInput {
    /// The event (global ID).
    pub event_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// An RSVP to an event.
#[derive(InputObject)]
pub struct RsvpCommunityEventInput {
    /// The event (global ID).
    pub event_id: ID,
}

/// Calling off your RSVP to an event.
#[derive(InputObject)]
pub struct CancelEventRsvpInput {
    /// The event (global ID).
    pub event_id: ID,
}

/// Who attended an event.
#[derive(InputObject)]
pub struct RecordEventAttendanceInput {
    /// The event (global ID); it must have started.
    pub event_id: ID,
    /// The people (global IDs of `Person`) who held a place.
    pub person_ids: Vec<ID>,
    /// Whether they attended; true by default (false corrects a mistake).
    pub attended: Option<bool>,
}
