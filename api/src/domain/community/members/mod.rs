//! The alumni community: opt-in profiles whose every field has its own audience, the
//! alumni directory that honours those choices for every caller, and activity reports.
//!
//! A viewer is ranked: anybody 0 (public), a current member 1 (alumni), camp staff 2. A
//! field is shown when its visibility's rank is at most the viewer's, and always to the
//! member themselves. A member is listed only to those who may see their display name, and
//! a filter on a field matches only where the viewer may see that field, so hidden values
//! cannot be probed through filters. Members who left are never listed.

use entities::{community_member, person};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::types::{ProfileField, Visibility};
use crate::domain::{
    Caller, DomainError, DomainResult, camp::people, consent, versioned::Versioned,
};

mod commands;
mod queries;

pub use commands::{ProfileInput, join, leave, record_profile_consents, update};
pub use queries::{AlumniFilter, by_ids, count, is_member, list, mine};

/// The most interests a profile lists.
pub const MAX_INTERESTS: usize = 10;

/// Who is looking, for visibility decisions.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    /// 0 anybody, 1 a current community member, 2 camp staff.
    pub rank: i16,
    /// The viewer's own person record, when they have one.
    pub person_id: Option<i64>,
}

/// Ranks the caller (one statement for a person acting for themselves).
pub async fn viewer<C: ConnectionTrait>(db: &C, caller: &Caller) -> DomainResult<Viewer> {
    if caller.actor.is_camp_staff() {
        return Ok(Viewer {
            rank: Visibility::Staff.rank(),
            person_id: None,
        });
    }
    let Some(own) = people::own(db, caller).await? else {
        return Ok(Viewer {
            rank: Visibility::Public.rank(),
            person_id: None,
        });
    };
    let member = is_member(db, own.id).await?;
    Ok(Viewer {
        rank: if member {
            Visibility::Alumni.rank()
        } else {
            Visibility::Public.rank()
        },
        person_id: Some(own.id),
    })
}

fn visibility_column(field: ProfileField) -> community_member::Column {
    use community_member::Column as C;
    match field {
        ProfileField::DisplayName => C::DisplayNameVisibility,
        ProfileField::Affiliation => C::AffiliationVisibility,
        ProfileField::Prefecture => C::PrefectureVisibility,
        ProfileField::Bio => C::BioVisibility,
        ProfileField::Interests => C::InterestsVisibility,
        ProfileField::OpenToMentoring => C::MentoringVisibility,
        ProfileField::Cohorts => C::CohortsVisibility,
        ProfileField::Link => C::LinkVisibility,
        ProfileField::Email => C::EmailVisibility,
        ProfileField::Activities => C::ActivitiesVisibility,
        ProfileField::Specialist => C::SpecialistVisibility,
    }
}

/// The rank a member chose for a field.
pub fn rank_of(member: &community_member::Model, field: ProfileField) -> i16 {
    match field {
        ProfileField::DisplayName => member.display_name_visibility,
        ProfileField::Affiliation => member.affiliation_visibility,
        ProfileField::Prefecture => member.prefecture_visibility,
        ProfileField::Bio => member.bio_visibility,
        ProfileField::Interests => member.interests_visibility,
        ProfileField::OpenToMentoring => member.mentoring_visibility,
        ProfileField::Cohorts => member.cohorts_visibility,
        ProfileField::Link => member.link_visibility,
        ProfileField::Email => member.email_visibility,
        ProfileField::Activities => member.activities_visibility,
        ProfileField::Specialist => member.specialist_visibility,
    }
}

/// The disclosure consents a member's row holds, as the consent ledger records them: a
/// field shown beyond staff is a consent given to that audience; a member who left has
/// withdrawn them all.
pub fn profile_consents(member: &community_member::Model) -> Vec<(String, consent::State)> {
    ProfileField::ALL
        .iter()
        .map(|field| {
            let state = match Visibility::of_rank(rank_of(member, *field)) {
                _ if member.left_at.is_some() => consent::State::Withdrawn,
                Visibility::Public => consent::State::Given(Some(consent::Audience::Public)),
                Visibility::Alumni => consent::State::Given(Some(consent::Audience::Alumni)),
                Visibility::Staff => consent::State::Withdrawn,
            };
            (field.as_str().to_owned(), state)
        })
        .collect()
}

/// "The viewer may see `field` of the member in this row", as SQL.
pub(super) fn sees(viewer: Viewer, field: ProfileField) -> Condition {
    let mut condition = Condition::any().add(visibility_column(field).lte(viewer.rank));
    if let Some(me) = viewer.person_id {
        condition = condition.add(community_member::Column::PersonId.eq(me));
    }
    condition
}

/// A member's profile as one viewer may see it: every accessor returns `None` for a field
/// hidden from that viewer.
#[derive(Debug, Clone)]
pub struct ProfileView {
    pub member: community_member::Model,
    pub person: person::Model,
    /// The cohorts the member completed.
    pub cohort_ids: Vec<i64>,
    pub viewer: Viewer,
}

impl ProfileView {
    pub fn is_self(&self) -> bool {
        self.viewer.person_id == Some(self.member.person_id)
    }

    /// Whether the viewer may see `field`.
    pub fn sees(&self, field: ProfileField) -> bool {
        self.is_self() || rank_of(&self.member, field) <= self.viewer.rank
    }

    fn shown<T>(&self, field: ProfileField, value: impl FnOnce() -> T) -> Option<T> {
        self.sees(field).then(value)
    }

    pub fn display_name(&self) -> Option<&str> {
        self.shown(ProfileField::DisplayName, || {
            self.member.display_name.as_str()
        })
    }
    pub fn affiliation(&self) -> Option<&str> {
        self.shown(ProfileField::Affiliation, || {
            self.member.affiliation.as_deref()
        })
        .flatten()
    }
    pub fn prefecture_code(&self) -> Option<&str> {
        self.shown(ProfileField::Prefecture, || {
            self.person.prefecture_code.as_deref()
        })
        .flatten()
    }
    pub fn bio(&self) -> Option<&str> {
        self.shown(ProfileField::Bio, || self.member.bio.as_str())
    }
    pub fn interests(&self) -> Option<Vec<String>> {
        self.shown(ProfileField::Interests, || {
            Vec::<String>::deserialize(&self.member.interests).unwrap_or_default()
        })
    }
    pub fn open_to_mentoring(&self) -> Option<bool> {
        self.shown(ProfileField::OpenToMentoring, || {
            self.member.open_to_mentoring
        })
    }
    pub fn cohort_ids(&self) -> Option<&[i64]> {
        self.shown(ProfileField::Cohorts, || self.cohort_ids.as_slice())
    }
    pub fn link(&self) -> Option<&str> {
        self.shown(ProfileField::Link, || self.member.link.as_deref())
            .flatten()
    }
    pub fn email(&self) -> Option<&str> {
        self.shown(ProfileField::Email, || self.person.email.as_str())
    }
    pub fn is_registered_specialist(&self) -> Option<bool> {
        self.shown(ProfileField::Specialist, || {
            self.person.specialist_id.is_some()
        })
    }
    /// The member's choices, for themselves and staff only.
    pub fn visibility(&self) -> Option<Vec<(ProfileField, Visibility)>> {
        (self.is_self() || self.viewer.rank >= Visibility::Staff.rank()).then(|| {
            ProfileField::ALL
                .iter()
                .map(|f| (*f, Visibility::of_rank(rank_of(&self.member, *f))))
                .collect()
        })
    }
}

const VERSIONED: Versioned<community_member::Entity> = Versioned {
    id: community_member::Column::PersonId,
    version: community_member::Column::Version,
    updated_at: community_member::Column::UpdatedAt,
    field: "expected_version",
    what: "community profile",
};

pub(super) async fn own_membership<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<(person::Model, community_member::Model)> {
    let person = people::require_own(db, caller).await?;
    let member = community_member::Entity::find_by_id(person.id)
        .filter(community_member::Column::LeftAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("", "you are not a member of the community; join it first")
        })?;
    Ok((person, member))
}
