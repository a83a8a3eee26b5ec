//! Output types of the sessions of an engagement and their corrections.

use async_graphql::{Context, Enum, ID, Object};
use entities::{match_session, match_session_correction};

use super::super::loaders::{Matches, SessionCorrections};
use super::Match;
use crate::{
    domain::matching::types::{MatchSide as DomainMatchSide, SessionTopic as DomainSessionTopic},
    graphql::{
        context::data,
        node::{NodeKind, encode_id},
        scalars::{Date, DateTime},
    },
};

/// What a session of an engagement was about; the classic plan is four visits.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainSessionTopic")]
pub enum SessionTopic {
    /// Finding the risks.
    Risks,
    /// Drafting the basic policy.
    BasicPolicy,
    /// Rules and procedures.
    Rules,
    /// Reviewing what was put in place.
    Review,
    /// Anything else.
    Other,
}

/// A side of a match.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainMatchSide")]
pub enum MatchSide {
    /// The specialist.
    Specialist,
    /// The company's side: the company, its support organization or registry staff acting
    /// for it.
    Company,
}

/// A session of an engagement.
pub struct MatchSession(pub match_session::Model);

/// A session (visit or call) of an engagement, as logged and corrected. Seen by whoever
/// sees its match.
#[Object]
impl MatchSession {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::MATCH_SESSION, self.0.id)
    }

    /// The match whose engagement it belongs to.
    #[graphql(name = "match")]
    async fn engagement(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Match>> {
        Ok(data::<Matches>(ctx)?
            .load_one(self.0.match_id)
            .await?
            .map(Match))
    }

    /// The day it was held.
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }

    /// How long, in hours.
    async fn hours(&self) -> f64 {
        f64::from(self.0.minutes) / 60.0
    }

    /// What it was about.
    async fn topic(&self) -> SessionTopic {
        self.0.topic.into()
    }

    /// Notes.
    async fn notes(&self) -> &str {
        &self.0.notes
    }

    /// Which side logged it; null for sessions logged before the side was recorded.
    async fn logged_by(&self) -> Option<MatchSide> {
        self.0.logged_by_side.map(Into::into)
    }

    /// When it was logged.
    async fn logged_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// 1 when logged, one more with each correction: give it back as `expectedVersion`
    /// to correct the session.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When it was withdrawn as logged by mistake (it then counts for nothing), or null.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(DateTime)
    }

    /// Its corrections, oldest first, each with the values it replaced.
    async fn corrections(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<MatchSessionCorrection>> {
        Ok(data::<SessionCorrections>(ctx)?
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MatchSessionCorrection)
            .collect())
    }
}

/// A correction of a session.
pub struct MatchSessionCorrection(pub match_session_correction::Model);

/// A correction of a session: who made it, when and why, and the values it replaced.
#[Object]
impl MatchSessionCorrection {
    /// The session's version this correction made (2 for the first).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Why the session was corrected.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// Which side corrected it.
    async fn corrected_by(&self) -> MatchSide {
        self.0.corrected_by_side.into()
    }

    /// When.
    async fn corrected_at(&self) -> DateTime {
        DateTime(self.0.corrected_at)
    }

    /// Whether the correction withdrew the session as logged by mistake.
    async fn withdrew(&self) -> bool {
        self.0.withdrew
    }

    /// The day it was held, before the correction.
    async fn held_on_before(&self) -> Date {
        Date(self.0.held_on_before)
    }

    /// How long, in hours, before the correction.
    async fn hours_before(&self) -> f64 {
        f64::from(self.0.minutes_before) / 60.0
    }

    /// What it was about, before the correction.
    async fn topic_before(&self) -> SessionTopic {
        self.0.topic_before.into()
    }

    /// Its notes before the correction.
    async fn notes_before(&self) -> &str {
        &self.0.notes_before
    }
}
