//! Output types of matches: the match, its candidates and score, its sessions, and a
//! specialist's completed engagements.

use super::super::loaders::{Requests, Sessions};
use crate::{
    domain::matching::{
        candidates::{Candidate, ScoreParts as DomainScoreParts},
        matches::{Engagements, sessions},
        types::MatchStatus as DomainMatchStatus,
    },
    graphql::{
        active_list::{
            loaders::{EntrySpecialists, themes_in_order},
            objects::{ActiveListEntry, GuidanceTheme},
        },
        connection::connection,
        context::data,
        node::{NodeKind, encode_id},
        registry::objects::Specialist,
        scalars::{Date, DateTime},
    },
};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::matching;

use super::sessions::MatchSession;

use super::ConsultationRequest;

/// Where a match stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainMatchStatus")]
pub enum MatchStatus {
    /// Proposed to the specialist, waiting for an answer until `respondBy`.
    Proposed,
    /// Accepted by the specialist; holds one place of their capacity.
    Accepted,
    /// The engagement is running; holds one place of their capacity.
    Active,
    /// The engagement is over, with its outcome.
    Completed,
    /// Declined by the specialist.
    Declined,
    /// Called off before completion.
    Cancelled,
    /// Not answered within the response window.
    Expired,
}

/// The parts of a candidate's score, each from 0 to 1; the score is their weighted sum
/// (themes 40, region 20, industry, capacity, responsiveness and ratings 10 each).
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ScoreParts {
    /// Share of the request's themes the entry holds.
    pub theme_coverage: f64,
    /// 1 when the entry serves the prefecture in person, 0.7 when both sides accept remote
    /// work, 0.4 when it serves the same region, else 0.
    pub region_fit: f64,
    /// 1 when the entry is strong in the company's industry.
    pub industry_fit: f64,
    /// Share of the specialist's capacity still free.
    pub capacity_left: f64,
    /// Share of the last two years' proposals the specialist answered in time (0.5 without
    /// history).
    pub responsiveness: f64,
    /// Companies' average rating of the specialist, 1–5 mapped to 0–1 (0.5 without
    /// ratings).
    pub past_ratings: f64,
}

impl From<DomainScoreParts> for ScoreParts {
    fn from(p: DomainScoreParts) -> Self {
        Self {
            theme_coverage: p.theme_coverage,
            region_fit: p.region_fit,
            industry_fit: p.industry_fit,
            capacity_left: p.capacity_left,
            responsiveness: p.responsiveness,
            past_ratings: p.past_ratings,
        }
    }
}

/// A specialist ranked for a consultation request.
pub struct MatchCandidate {
    pub entry: ActiveListEntry,
    pub candidate: Candidate,
}

/// A specialist ranked for a consultation request, with the parts of their score.
#[Object]
impl MatchCandidate {
    /// The specialist's Active List entry (and through it, the specialist).
    async fn entry(&self) -> &ActiveListEntry {
        &self.entry
    }

    /// The score, 0 to 100.
    async fn score(&self) -> f64 {
        self.candidate.score
    }

    /// Why: the parts of the score.
    async fn parts(&self) -> ScoreParts {
        self.candidate.parts.into()
    }

    /// The request's themes the entry holds.
    async fn matched_themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<GuidanceTheme>> {
        themes_in_order(ctx, self.candidate.matched_theme_ids.iter().copied()).await
    }
}

/// A specialist proposed for a consultation request, from proposal to completed
/// engagement.
///
/// Seen by the company, its organization, the specialist and registry staff.
pub struct Match(pub matching::Model);

/// A specialist proposed for a consultation request, from proposal to completed
/// engagement.
///
/// Seen by the company, its organization, the specialist and registry staff.
#[Object]
impl Match {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::MATCH, self.0.id)
    }

    /// The request.
    async fn request(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ConsultationRequest>> {
        Ok(data::<Requests>(ctx)?
            .load_one(self.0.request_id)
            .await?
            .map(ConsultationRequest))
    }

    /// The specialist, with the fields you may see of them.
    async fn specialist(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Specialist>> {
        let loaded = data::<EntrySpecialists>(ctx)?
            .load_one(self.0.specialist_id)
            .await?;
        Ok(loaded.and_then(|(view, _)| view).map(Specialist))
    }

    /// Where it stands.
    async fn status(&self) -> MatchStatus {
        self.0.status.into()
    }

    /// The candidate's score when proposed, 0 to 100.
    async fn score(&self) -> Option<f64> {
        self.0
            .score
            .get("score")
            .and_then(serde_json::Value::as_f64)
    }

    /// The parts of that score.
    async fn score_parts(&self) -> Option<ScoreParts> {
        self.0
            .score
            .get("parts")
            .and_then(|p| serde_json::from_value::<DomainScoreParts>(p.clone()).ok())
            .map(Into::into)
    }

    /// When it was proposed.
    async fn proposed_at(&self) -> DateTime {
        DateTime(self.0.proposed_at)
    }

    /// The last day the specialist may answer (five business days, Japanese public
    /// holidays excluded).
    async fn respond_by(&self) -> Date {
        Date(self.0.respond_by)
    }

    /// When the specialist answered.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(DateTime)
    }

    /// Why the specialist declined, if they said.
    async fn decline_reason(&self) -> Option<&str> {
        self.0.decline_reason.as_deref()
    }

    /// Why it was cancelled, if said.
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }

    /// The day the engagement started.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }

    /// The day it was completed.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }

    /// The sessions of the engagement, in the order they were held; those withdrawn as
    /// logged by mistake only when asked for.
    async fn sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = false,
            desc = "Include the sessions withdrawn as logged by mistake (they count for nothing)."
        )]
        include_withdrawn: bool,
    ) -> async_graphql::Result<Vec<MatchSession>> {
        Ok(data::<Sessions>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|s| include_withdrawn || s.withdrawn_at.is_none())
            .map(MatchSession)
            .collect())
    }

    /// Hours of its sessions, those withdrawn left out.
    async fn total_hours(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        let sessions = data::<Sessions>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(sessions::counted_minutes(&sessions) as f64 / 60.0)
    }

    /// Measures put in place, when completed.
    async fn measures(&self) -> Vec<String> {
        self.0
            .measures
            .as_ref()
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default()
    }

    /// The company's step on the 4-step guide after the engagement.
    async fn guide_step_after(&self) -> Option<i32> {
        self.0.guide_step_after.map(i32::from)
    }

    /// The company's rating of the engagement, 1–5.
    async fn company_rating(&self) -> Option<i32> {
        self.0.company_rating.map(i32::from)
    }

    /// The company's comment.
    async fn company_comment(&self) -> Option<&str> {
        self.0.company_comment.as_deref()
    }

    /// The specialist's rating of the engagement, 1–5.
    async fn specialist_rating(&self) -> Option<i32> {
        self.0.specialist_rating.map(i32::from)
    }

    /// The specialist's comment.
    async fn specialist_comment(&self) -> Option<&str> {
        self.0.specialist_comment.as_deref()
    }

    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the match last changed: what `updatedSince` and the `UPDATED_AT` order read.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// A specialist's completed engagements: evidence for deemed attendance.
pub struct CompletedEngagements(pub Engagements);

/// A specialist's completed engagements through matching, newest first: the evidence a
/// deemed-attendance claim cites (`matchIds`).
#[Object]
impl CompletedEngagements {
    /// How many.
    async fn count(&self) -> usize {
        self.0.matches.len()
    }

    /// Hours of all their sessions.
    async fn total_hours(&self) -> f64 {
        self.0.minutes as f64 / 60.0
    }

    /// The engagements.
    async fn matches(&self) -> Vec<Match> {
        self.0.matches.iter().cloned().map(Match).collect()
    }
}

connection!(MatchConnection, MatchEdge, Match, "matches");
