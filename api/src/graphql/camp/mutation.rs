//! Mutations of the camps and the community. Each takes one `input` and returns a payload
//! whose `userErrors` lists every problem with the input; when it is non-empty nothing was
//! written.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::types::{
    ActivityKind, AlumniActivity, AlumniProfile, CampApplication, CampApplicationStatus,
    CampCohort, CampCohortStatus, CampProgram, CommunityEvent, EventRsvp, Person, ProfileField,
    ProfileVisibility,
};
use crate::{
    domain::{
        DomainResult,
        camp::{
            applications::{self, ApplicationInput, Decision},
            cohorts::{self, CohortInput, TrackInput},
            community::{self, ActivityInput, ProfileInput},
            events::{self, EventInput},
            people::{self, PersonInput},
            programs::{self, ProgramChanges},
        },
    },
    graphql::{
        context::{caller, db},
        error::{GqlResultExt, UserError, payload},
        node::{NodeKind, decode_input_id},
        scalars::{Date, DateTime},
    },
};

/// Changes to a program's name, description or eligibility rules. Omitted fields stay as
/// they are.
#[derive(InputObject)]
pub struct UpdateCampProgramInput {
    /// The program's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The youngest eligible age on a cohort's first day (6–99); null removes the limit.
    pub min_age: MaybeUndefined<i32>,
    /// The oldest eligible age on a cohort's first day (6–99); null removes the limit.
    pub max_age: MaybeUndefined<i32>,
    /// Whether someone who completed a cohort of the program may not apply again.
    pub attend_once: Option<bool>,
}

/// The result of `updateCampProgram`.
#[derive(SimpleObject)]
pub struct CampProgramPayload {
    /// The program after the change, or null when `userErrors` is not empty.
    pub program: Option<CampProgram>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// A track or class of a cohort.
#[derive(InputObject)]
pub struct CampTrackInput {
    /// Name, unique within the cohort.
    pub name: String,
    /// What it teaches.
    #[graphql(default)]
    pub description: String,
    /// How many it takes: 1 to the cohort's capacity.
    pub capacity: i32,
}

impl From<CampTrackInput> for TrackInput {
    fn from(t: CampTrackInput) -> Self {
        Self {
            name: t.name,
            description: t.description,
            capacity: t.capacity,
        }
    }
}

/// A cohort to plan. Its fiscal year follows its first day; it starts `PLANNED`.
#[derive(InputObject)]
pub struct CreateCampCohortInput {
    /// Its program (global ID).
    pub program_id: ID,
    /// Name.
    pub name: String,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Whether it is held online; false by default.
    pub online: Option<bool>,
    /// Where it is held in person (required unless online).
    pub venue: Option<String>,
    /// The prefecture it is held in (JIS X 0401 code).
    pub prefecture: Option<String>,
    /// How many take part at most (1–10,000).
    pub capacity: i32,
    /// First day applications are taken.
    pub applications_open_on: Date,
    /// Last day applications are taken: before the first day.
    pub applications_close_on: Date,
    /// The application assignment's questions (up to 20).
    #[graphql(default)]
    pub questions: Vec<String>,
    /// Its tracks or classes (1–20).
    pub tracks: Vec<CampTrackInput>,
}

/// Changes to a cohort. Omitted fields stay as they are; tracks and questions change only
/// while it is `PLANNED`.
#[derive(InputObject)]
pub struct UpdateCampCohortInput {
    /// The cohort's global ID.
    pub id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// Name.
    pub name: Option<String>,
    /// First day.
    pub starts_on: Option<Date>,
    /// Last day.
    pub ends_on: Option<Date>,
    /// Whether it is held online.
    pub online: Option<bool>,
    /// Where it is held in person; an empty string removes it.
    pub venue: Option<String>,
    /// The prefecture it is held in; an empty string removes it.
    pub prefecture: Option<String>,
    /// How many take part at most; not below the places taken.
    pub capacity: Option<i32>,
    /// First day applications are taken.
    pub applications_open_on: Option<Date>,
    /// Last day applications are taken.
    pub applications_close_on: Option<Date>,
    /// The assignment's questions, replacing the current ones.
    pub questions: Option<Vec<String>>,
    /// Its tracks, replacing the current ones.
    pub tracks: Option<Vec<CampTrackInput>>,
}

/// Moves a cohort on to its next state.
#[derive(InputObject)]
pub struct AdvanceCampCohortInput {
    /// The cohort's global ID.
    pub cohort_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
    /// The next state: `PLANNED → APPLICATIONS_OPEN → SELECTING → IN_SESSION → COMPLETED`.
    pub status: CampCohortStatus,
}

/// The result of the cohort mutations.
#[derive(SimpleObject)]
pub struct CampCohortPayload {
    /// The cohort after the change, or null when `userErrors` is not empty.
    pub cohort: Option<CampCohort>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Your personal details.
#[derive(InputObject)]
pub struct SaveMyPersonInput {
    /// The `version` you read; leave it out the first time, give it to change what you
    /// saved.
    pub expected_version: Option<i32>,
    /// Full name.
    pub name: String,
    /// Name reading in kana.
    pub name_kana: String,
    /// Date of birth.
    pub birth_date: Date,
    /// E-mail address.
    pub email: String,
    /// Where you live (JIS X 0401 code).
    pub prefecture: Option<String>,
}

/// The result of `saveMyPerson`.
#[derive(SimpleObject)]
pub struct PersonPayload {
    /// Your person record after the change, or null when `userErrors` is not empty.
    pub person: Option<Person>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// An application to a cohort.
#[derive(InputObject)]
pub struct ApplyToCampCohortInput {
    /// The cohort (global ID).
    pub cohort_id: ID,
    /// 1 to 3 of its tracks (global IDs), most wanted first.
    pub preferred_track_ids: Vec<ID>,
    /// Answers to the cohort's questions, in order (each up to 10,000 characters).
    #[graphql(default)]
    pub answers: Vec<String>,
    /// The version of the camp's terms (`consentTerms`, purpose `CAMP_TERMS`) you showed
    /// the applicant. If given and not the version in force, nothing is written; left out,
    /// the version in force is recorded.
    pub terms_version: Option<String>,
}

/// Withdraws an application.
#[derive(InputObject)]
pub struct WithdrawCampApplicationInput {
    /// The application (global ID).
    pub application_id: ID,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// A guardian's consent to the application of a minor.
#[derive(InputObject)]
pub struct RecordGuardianConsentInput {
    /// The application (global ID).
    pub application_id: ID,
    /// The guardian's name, as they gave it (at most 100 characters).
    pub guardian_name: String,
    /// The `version` you read; if it changed since, nothing is written.
    pub expected_version: i32,
}

/// The result of the application mutations.
#[derive(SimpleObject)]
pub struct CampApplicationPayload {
    /// The application after the change, or null when `userErrors` is not empty.
    pub application: Option<CampApplication>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// One decision on an application.
#[derive(InputObject)]
pub struct CampDecisionInput {
    /// The application (global ID).
    pub application_id: ID,
    /// Its new state: from `APPLIED` to `SELECTED`, `WAITLISTED` or `REJECTED` (while the
    /// cohort is `SELECTING`); from `WAITLISTED` to `SELECTED` or `REJECTED` (also
    /// `IN_SESSION`); `SELECTED → ATTENDED → COMPLETED` (`IN_SESSION` or `COMPLETED`).
    pub status: CampApplicationStatus,
    /// For `SELECTED`: the track (global ID); the first preference by default.
    pub track_id: Option<ID>,
}

/// Decisions on applications, taken together or not at all.
#[derive(InputObject)]
pub struct DecideCampApplicationsInput {
    /// 1 to 500 decisions.
    pub decisions: Vec<CampDecisionInput>,
}

/// The result of `decideCampApplications`.
#[derive(SimpleObject)]
pub struct DecideCampApplicationsPayload {
    /// The applications after the decisions, in the order given; empty when `userErrors`
    /// is not empty.
    pub applications: Vec<CampApplication>,
    /// Problems with the decisions, under `input.decisions.<i>`; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Who sees one field of your profile.
#[derive(InputObject)]
pub struct FieldVisibilityInput {
    /// The field.
    pub field: ProfileField,
    /// Who sees it.
    pub visibility: ProfileVisibility,
}

/// Your community profile. Fields left out keep their value (their default when joining:
/// everything visible to alumni; e-mail and the specialist registration to staff only).
#[derive(InputObject)]
pub struct CommunityProfileInput {
    /// The `version` you read (`updateCommunityProfile` only).
    pub expected_version: Option<i32>,
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

impl From<CommunityProfileInput> for ProfileInput {
    fn from(input: CommunityProfileInput) -> Self {
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

/// The result of `joinCommunity` and `updateCommunityProfile`.
#[derive(SimpleObject)]
pub struct CommunityProfilePayload {
    /// Your profile after the change, or null when `userErrors` is not empty.
    pub profile: Option<AlumniProfile>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Leaves the community.
#[derive(InputObject)]
pub struct LeaveCommunityInput {
    /// The `version` of your profile you read.
    pub expected_version: i32,
}

/// The result of `leaveCommunity`.
#[derive(SimpleObject)]
pub struct LeaveCommunityPayload {
    /// Whether you left; false when `userErrors` is not empty.
    pub left: bool,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of the activity mutations.
#[derive(SimpleObject)]
pub struct AlumniActivityPayload {
    /// The report (as it was, for a removal), or null when `userErrors` is not empty.
    pub activity: Option<AlumniActivity>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of the event mutations.
#[derive(SimpleObject)]
pub struct CommunityEventPayload {
    /// The event after the change, or null when `userErrors` is not empty.
    pub event: Option<CommunityEvent>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Names an event you answer.
#[derive(InputObject)]
pub struct EventRsvpInput {
    /// The event (global ID).
    pub event_id: ID,
}

/// The result of `rsvpCommunityEvent` and `cancelEventRsvp`.
#[derive(SimpleObject)]
pub struct EventRsvpPayload {
    /// Your RSVP after the change: `GOING` or `WAITLISTED` (or `CANCELLED`); null when
    /// `userErrors` is not empty.
    pub rsvp: Option<EventRsvp>,
    /// The event after the change (its places left and waitlist), for a client's cache;
    /// null when `userErrors` is not empty.
    pub event: Option<CommunityEvent>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of `recordEventAttendance`.
#[derive(SimpleObject)]
pub struct RecordEventAttendancePayload {
    /// The RSVPs recorded; empty when `userErrors` is not empty.
    pub rsvps: Vec<EventRsvp>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

fn maybe(value: MaybeUndefined<i32>) -> Option<Option<i32>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

fn cohort_payload(
    result: DomainResult<entities::camp_cohort::Model>,
) -> async_graphql::Result<CampCohortPayload> {
    let (cohort, user_errors) = payload(result)?;
    Ok(CampCohortPayload {
        cohort: cohort.map(CampCohort),
        user_errors,
    })
}

fn application_payload(
    result: DomainResult<entities::camp_application::Model>,
) -> async_graphql::Result<CampApplicationPayload> {
    let (application, user_errors) = payload(result)?;
    Ok(CampApplicationPayload {
        application: application.map(CampApplication),
        user_errors,
    })
}

fn profile_payload(
    result: DomainResult<community::ProfileView>,
) -> async_graphql::Result<CommunityProfilePayload> {
    let (profile, user_errors) = payload(result)?;
    Ok(CommunityProfilePayload {
        profile: profile.map(AlumniProfile),
        user_errors,
    })
}

fn activity_payload(
    result: DomainResult<entities::alumni_activity::Model>,
) -> async_graphql::Result<AlumniActivityPayload> {
    let (activity, user_errors) = payload(result)?;
    Ok(AlumniActivityPayload {
        activity: activity.map(AlumniActivity),
        user_errors,
    })
}

fn event_payload(
    result: DomainResult<entities::community_event::Model>,
) -> async_graphql::Result<CommunityEventPayload> {
    let (event, user_errors) = payload(result)?;
    Ok(CommunityEventPayload {
        event: event.map(CommunityEvent),
        user_errors,
    })
}

/// The payload of an RSVP change, with the event as it now stands.
async fn rsvp_payload(
    db: &sea_orm::DatabaseConnection,
    result: DomainResult<entities::event_rsvp::Model>,
) -> async_graphql::Result<EventRsvpPayload> {
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
    Ok(EventRsvpPayload {
        rsvp: rsvp.map(EventRsvp),
        event,
        user_errors,
    })
}

fn cohort_input(input_tracks: Option<Vec<CampTrackInput>>, fields: CohortInput) -> CohortInput {
    CohortInput {
        tracks: input_tracks.map(|t| t.into_iter().map(Into::into).collect()),
        ..fields
    }
}

#[derive(Default)]
pub struct CampMutation;

#[Object]
impl CampMutation {
    /// Changes a program's name, description or eligibility rules. Camp staff only; new
    /// rules apply to applications made from then on.
    async fn update_camp_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCampProgramInput,
    ) -> async_graphql::Result<CampProgramPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let changes = ProgramChanges {
            name: input.name,
            description: input.description,
            min_age: maybe(input.min_age),
            max_age: maybe(input.max_age),
            attend_once: input.attend_once,
        };
        let result = async {
            let id = decode_input_id(&input.id, NodeKind::CAMP_PROGRAM, "id", "camp program")?;
            programs::update(db, caller, id, input.expected_version, changes).await
        }
        .await;
        let (program, user_errors) = payload(result)?;
        Ok(CampProgramPayload {
            program: program.map(CampProgram),
            user_errors,
        })
    }

    /// Plans a cohort with its tracks. Camp staff only.
    async fn create_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cohort.")] input: CreateCampCohortInput,
    ) -> async_graphql::Result<CampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let program = decode_input_id(
                &input.program_id,
                NodeKind::CAMP_PROGRAM,
                "program_id",
                "camp program",
            )?;
            let fields = CohortInput {
                program_id: Some(program),
                name: Some(input.name),
                starts_on: Some(input.starts_on.0),
                ends_on: Some(input.ends_on.0),
                online: input.online,
                venue: input.venue,
                prefecture: input.prefecture,
                capacity: Some(input.capacity),
                applications_open_on: Some(input.applications_open_on.0),
                applications_close_on: Some(input.applications_close_on.0),
                questions: Some(input.questions),
                tracks: None,
            };
            cohorts::create(db, caller, cohort_input(Some(input.tracks), fields)).await
        }
        .await;
        cohort_payload(result)
    }

    /// Changes a cohort. Camp staff only.
    async fn update_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCampCohortInput,
    ) -> async_graphql::Result<CampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(&input.id, NodeKind::CAMP_COHORT, "id", "cohort")?;
            let fields = CohortInput {
                program_id: None,
                name: input.name,
                starts_on: input.starts_on.map(|d| d.0),
                ends_on: input.ends_on.map(|d| d.0),
                online: input.online,
                venue: input.venue,
                prefecture: input.prefecture,
                capacity: input.capacity,
                applications_open_on: input.applications_open_on.map(|d| d.0),
                applications_close_on: input.applications_close_on.map(|d| d.0),
                questions: input.questions,
                tracks: None,
            };
            cohorts::update(
                db,
                caller,
                id,
                input.expected_version,
                cohort_input(input.tracks, fields),
            )
            .await
        }
        .await;
        cohort_payload(result)
    }

    /// Moves a cohort on to its next state. Camp staff only.
    async fn advance_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cohort and its next state.")] input: AdvanceCampCohortInput,
    ) -> async_graphql::Result<CampCohortPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.cohort_id,
                NodeKind::CAMP_COHORT,
                "cohort_id",
                "cohort",
            )?;
            cohorts::advance(db, caller, id, input.expected_version, input.status.into()).await
        }
        .await;
        cohort_payload(result)
    }

    /// Saves your personal details (`PERSON` or `SPECIALIST` token): needed to apply and
    /// to join the community. A specialist's record is linked to their registration.
    async fn save_my_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your details.")] input: SaveMyPersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let details = PersonInput {
            name: input.name,
            name_kana: input.name_kana,
            birth_date: input.birth_date.0,
            email: input.email,
            prefecture: input.prefecture,
        };
        let result =
            people::save_mine(db(ctx)?, caller(ctx)?, input.expected_version, details).await;
        let (person, user_errors) = payload(result)?;
        Ok(PersonPayload {
            person: person.map(Person),
            user_errors,
        })
    }

    /// Applies to a cohort (`PERSON` or `SPECIALIST` token, personal details saved). Refused
    /// with the reason outside its application window, or when the program's rules (age on
    /// the first day, attended once) exclude you.
    async fn apply_to_camp_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: ApplyToCampCohortInput,
    ) -> async_graphql::Result<CampApplicationPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let cohort_id = decode_input_id(
                &input.cohort_id,
                NodeKind::CAMP_COHORT,
                "cohort_id",
                "cohort",
            )?;
            let preferred_track_ids = input
                .preferred_track_ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    decode_input_id(
                        id,
                        NodeKind::CAMP_TRACK,
                        &format!("preferred_track_ids.{i}"),
                        "track",
                    )
                })
                .collect::<DomainResult<Vec<_>>>()?;
            applications::apply(
                db,
                caller,
                ApplicationInput {
                    cohort_id,
                    preferred_track_ids,
                    answers: input.answers,
                    terms_version: input.terms_version,
                },
            )
            .await
        }
        .await;
        application_payload(result)
    }

    /// Withdraws an application: the applicant their own, camp staff any. A selected
    /// applicant's place is freed.
    async fn withdraw_camp_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: WithdrawCampApplicationInput,
    ) -> async_graphql::Result<CampApplicationPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.application_id,
                NodeKind::CAMP_APPLICATION,
                "application_id",
                "application",
            )?;
            applications::withdraw(db, caller, id, input.expected_version).await
        }
        .await;
        application_payload(result)
    }

    /// Records a guardian's consent to the application of a minor (under 18 on the
    /// cohort's first day), without which it cannot be selected or waitlisted: the
    /// applicant's own account (where the guardian gives it) or camp staff. Recording it
    /// again replaces the guardian's name and the time. Audited.
    async fn record_guardian_consent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consent.")] input: RecordGuardianConsentInput,
    ) -> async_graphql::Result<CampApplicationPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.application_id,
                NodeKind::CAMP_APPLICATION,
                "application_id",
                "application",
            )?;
            applications::record_guardian_consent(
                db,
                caller,
                id,
                &input.guardian_name,
                input.expected_version,
            )
            .await
        }
        .await;
        application_payload(result)
    }

    /// Records decisions on applications, all or none: selection (never beyond a track's
    /// or the cohort's capacity), waitlisting, rejection, attendance and completion. Camp
    /// staff only.
    async fn decide_camp_applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decisions.")] input: DecideCampApplicationsInput,
    ) -> async_graphql::Result<DecideCampApplicationsPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let decisions = input
                .decisions
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    Ok(Decision {
                        application_id: decode_input_id(
                            &d.application_id,
                            NodeKind::CAMP_APPLICATION,
                            &format!("decisions.{i}.application_id"),
                            "application",
                        )?,
                        status: d.status.into(),
                        track_id: match &d.track_id {
                            Some(id) => Some(decode_input_id(
                                id,
                                NodeKind::CAMP_TRACK,
                                &format!("decisions.{i}.track_id"),
                                "track",
                            )?),
                            None => None,
                        },
                    })
                })
                .collect::<DomainResult<Vec<_>>>()?;
            applications::decide(db, caller, decisions).await
        }
        .await;
        let (applications, user_errors) = payload(result)?;
        Ok(DecideCampApplicationsPayload {
            applications: applications
                .unwrap_or_default()
                .into_iter()
                .map(CampApplication)
                .collect(),
            user_errors,
        })
    }

    /// Joins the alumni community (an alumnus, for themselves), or joins again after
    /// leaving.
    async fn join_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your profile and who sees each field.")] input: CommunityProfileInput,
    ) -> async_graphql::Result<CommunityProfilePayload> {
        if input.expected_version.is_some() {
            return profile_payload(Err(crate::domain::DomainError::invalid(
                "expected_version",
                "is for updateCommunityProfile; leave it out to join",
            )));
        }
        profile_payload(community::join(db(ctx)?, caller(ctx)?, input.into()).await)
    }

    /// Changes your community profile and who sees each field.
    async fn update_community_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: CommunityProfileInput,
    ) -> async_graphql::Result<CommunityProfilePayload> {
        let Some(version) = input.expected_version else {
            return profile_payload(Err(crate::domain::DomainError::invalid(
                "expected_version",
                "is required",
            )));
        };
        profile_payload(community::update(db(ctx)?, caller(ctx)?, version, input.into()).await)
    }

    /// Leaves the community: you are no longer listed, nor are your activities. You may
    /// join again.
    async fn leave_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version of your profile.")] input: LeaveCommunityInput,
    ) -> async_graphql::Result<LeaveCommunityPayload> {
        let (left, user_errors) =
            payload(community::leave(db(ctx)?, caller(ctx)?, input.expected_version).await)?;
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
    ) -> async_graphql::Result<AlumniActivityPayload> {
        let activity = ActivityInput {
            occurred_on: input.occurred_on.0,
            kind: input.kind.into(),
            title: input.title,
            link: input.link,
        };
        activity_payload(community::report(db(ctx)?, caller(ctx)?, activity).await)
    }

    /// Removes one of your own activity reports.
    async fn remove_alumni_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: RemoveAlumniActivityInput,
    ) -> async_graphql::Result<AlumniActivityPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.activity_id,
                NodeKind::ALUMNI_ACTIVITY,
                "activity_id",
                "activity",
            )?;
            community::remove_activity(db, caller, id).await
        }
        .await;
        activity_payload(result)
    }

    /// Features an activity report, or stops featuring it. Camp staff only.
    async fn feature_alumni_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: FeatureAlumniActivityInput,
    ) -> async_graphql::Result<AlumniActivityPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.activity_id,
                NodeKind::ALUMNI_ACTIVITY,
                "activity_id",
                "activity",
            )?;
            community::feature(db, caller, id, input.featured.unwrap_or(true)).await
        }
        .await;
        activity_payload(result)
    }

    /// Schedules a community event. Camp staff only.
    async fn create_community_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CreateCommunityEventInput,
    ) -> async_graphql::Result<CommunityEventPayload> {
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
        event_payload(events::create(db(ctx)?, caller(ctx)?, event).await)
    }

    /// Calls off an event that has not started. Camp staff only.
    async fn cancel_community_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CancelCommunityEventInput,
    ) -> async_graphql::Result<CommunityEventPayload> {
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
        event_payload(result)
    }

    /// Answers an event (a current member): `GOING` while places are left, `WAITLISTED`
    /// after.
    async fn rsvp_community_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: EventRsvpInput,
    ) -> async_graphql::Result<EventRsvpPayload> {
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
        rsvp_payload(db, result).await
    }

    /// Cancels your RSVP; a place you held goes to the longest-waiting member.
    async fn cancel_event_rsvp(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: EventRsvpInput,
    ) -> async_graphql::Result<EventRsvpPayload> {
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
        rsvp_payload(db, result).await
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
