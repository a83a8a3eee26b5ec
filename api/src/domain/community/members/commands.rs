//! Writes on community membership: joining, updating the profile and its consents, leaving.

use super::super::types::{ProfileField, Visibility, parse_link};
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    camp::{
        applications::{completed_cohorts_of, is_alumnus},
        people,
    },
    consent,
    error::Violations,
    registry::types::{parse_optional_text, parse_required_text},
};
use entities::{community_member, member_interest};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;

use super::{MAX_INTERESTS, ProfileView, VERSIONED, Viewer, own_membership, profile_consents};

/// Appends to the consent ledger what `member`'s profile consents became.
pub async fn record_profile_consents<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    member: &community_member::Model,
    terms_shown: Option<&str>,
) -> DomainResult<()> {
    consent::record(
        db,
        caller,
        consent::Holder::Person(member.person_id),
        consent::Purpose::CommunityProfile,
        &profile_consents(member),
        terms_shown,
        caller.now(),
    )
    .await
}

/// A profile as the member gives it; `None` leaves a field as it is (or at its default
/// when joining).
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub display_name: Option<String>,
    /// `Some("")` removes it.
    pub affiliation: Option<String>,
    pub bio: Option<String>,
    pub interests: Option<Vec<String>>,
    pub open_to_mentoring: Option<bool>,
    /// `Some("")` removes it.
    pub link: Option<String>,
    /// Who sees each field; fields not named keep their visibility (or the default).
    pub visibility: Vec<(ProfileField, Visibility)>,
    /// The version of the community's terms the person was shown, when the client says;
    /// it must be the one in force.
    pub terms_version: Option<String>,
}

/// The interests as the member typed them (trimmed, in their order; a repeat that differs
/// only in case is dropped), each at most 40 characters.
fn parse_interests(v: &mut Violations, values: &[String]) -> Vec<String> {
    if values.len() > MAX_INTERESTS {
        v.push("interests", format!("at most {MAX_INTERESTS} interests"));
    }
    let mut keys = std::collections::HashSet::new();
    values
        .iter()
        .enumerate()
        .filter_map(|(i, value)| v.check(&format!("interests.{i}"), parse_required_text(value, 40)))
        .filter(|word| keys.insert(interest_key(word)))
        .collect()
}

/// The key an interest is matched by: the filter finds `Web` with `web` or `WEB`.
pub(crate) fn interest_key(word: &str) -> String {
    word.trim().to_lowercase()
}

/// Writes the profile fields of `input` onto `row`.
fn apply_input(
    v: &mut Violations,
    input: &ProfileInput,
    row: &mut community_member::ActiveModel,
) -> Option<Vec<String>> {
    if let Some(name) = &input.display_name
        && let Some(name) = v.check("display_name", parse_required_text(name, 100))
    {
        row.display_name = Set(name);
    }
    if let Some(text) = &input.affiliation
        && let Some(text) = v.check("affiliation", parse_optional_text(text, 200))
    {
        row.affiliation = Set(text);
    }
    if let Some(text) = &input.bio
        && let Some(text) = v.check("bio", parse_optional_text(text, 2000))
    {
        row.bio = Set(text.unwrap_or_default());
    }
    if let Some(link) = &input.link
        && let Some(link) = v.check("link", parse_link(link))
    {
        row.link = Set(link);
    }
    if let Some(open) = input.open_to_mentoring {
        row.open_to_mentoring = Set(open);
    }
    for (field, visibility) in &input.visibility {
        let rank = visibility.rank();
        use ProfileField as F;
        match field {
            F::DisplayName => row.display_name_visibility = Set(rank),
            F::Affiliation => row.affiliation_visibility = Set(rank),
            F::Prefecture => row.prefecture_visibility = Set(rank),
            F::Bio => row.bio_visibility = Set(rank),
            F::Interests => row.interests_visibility = Set(rank),
            F::OpenToMentoring => row.mentoring_visibility = Set(rank),
            F::Cohorts => row.cohorts_visibility = Set(rank),
            F::Link => row.link_visibility = Set(rank),
            F::Email => row.email_visibility = Set(rank),
            F::Activities => row.activities_visibility = Set(rank),
            F::Specialist => row.specialist_visibility = Set(rank),
        }
    }
    let interests = input
        .interests
        .as_ref()
        .map(|values| parse_interests(v, values));
    if let Some(interests) = &interests {
        row.interests = Set(json!(interests));
    }
    interests
}

async fn write_interests<C: ConnectionTrait>(
    db: &C,
    person_id: i64,
    interests: &[String],
) -> DomainResult<()> {
    member_interest::Entity::delete_many()
        .filter(member_interest::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    member_interest::Entity::insert_many(interests.iter().map(|interest| {
        member_interest::ActiveModel {
            person_id: Set(person_id),
            interest: Set(interest_key(interest)),
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Joins the community (an alumnus, for themselves), or joins again after leaving. Fields
/// not given take their defaults: everything visible to alumni, e-mail and the specialist
/// registration to staff only.
pub async fn join(
    db: &DatabaseConnection,
    caller: &Caller,
    input: ProfileInput,
) -> DomainResult<ProfileView> {
    let person = people::require_own(db, caller).await?;
    if !is_alumnus(db, person.id).await? {
        return Err(DomainError::invalid(
            "",
            "the community is for alumni: complete a Security Camp cohort first",
        ));
    }
    let mut v = Violations::default();
    if input.display_name.is_none() {
        v.push("display_name", "is required");
    }
    let now = caller.now();
    let default = |f: ProfileField| Set(f.default_visibility().rank());
    let mut row = community_member::ActiveModel {
        person_id: Set(person.id),
        display_name: Set(String::new()),
        affiliation: Set(None),
        bio: Set(String::new()),
        interests: Set(json!([])),
        open_to_mentoring: Set(false),
        link: Set(None),
        display_name_visibility: default(ProfileField::DisplayName),
        affiliation_visibility: default(ProfileField::Affiliation),
        prefecture_visibility: default(ProfileField::Prefecture),
        bio_visibility: default(ProfileField::Bio),
        interests_visibility: default(ProfileField::Interests),
        mentoring_visibility: default(ProfileField::OpenToMentoring),
        cohorts_visibility: default(ProfileField::Cohorts),
        link_visibility: default(ProfileField::Link),
        email_visibility: default(ProfileField::Email),
        activities_visibility: default(ProfileField::Activities),
        specialist_visibility: default(ProfileField::Specialist),
        joined_at: Set(now),
        left_at: Set(None),
        version: Set(1),
        updated_at: Set(now),
    };
    let interests = apply_input(&mut v, &input, &mut row).unwrap_or_default();
    v.into_result()?;
    let txn = begin_write(db).await?;
    let existing = community_member::Entity::find_by_id(person.id)
        .one(&txn)
        .await?;
    let member = match existing {
        Some(current) if current.left_at.is_none() => {
            return Err(DomainError::conflict(
                "",
                "you are already a member; change your profile with updateCommunityProfile",
            ));
        }
        Some(current) => {
            row.version = Set(current.version + 1);
            row.update(&txn).await?
        }
        None => row.insert(&txn).await?,
    };
    write_interests(&txn, person.id, &interests).await?;
    audit_member(
        &txn,
        caller,
        "community.join",
        &member,
        input.terms_version.as_deref(),
    )
    .await?;
    txn.commit().await?;
    let cohort_ids = completed_cohorts_of(db, &[person.id])
        .await?
        .remove(&person.id)
        .unwrap_or_default();
    Ok(ProfileView {
        member,
        person: person.clone(),
        cohort_ids,
        viewer: Viewer {
            rank: 1,
            person_id: Some(person.id),
        },
    })
}

/// Changes the caller's own profile at `expected_version`.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: i32,
    input: ProfileInput,
) -> DomainResult<ProfileView> {
    let (person, _) = own_membership(db, caller).await?;
    let mut v = Violations::default();
    let mut changes = <community_member::ActiveModel as Default>::default();
    let interests = apply_input(&mut v, &input, &mut changes);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let member = VERSIONED
        .save(&txn, (person.id, expected_version), changes, caller.now())
        .await?;
    if let Some(interests) = &interests {
        write_interests(&txn, person.id, interests).await?;
    }
    audit_member(
        &txn,
        caller,
        "community.update",
        &member,
        input.terms_version.as_deref(),
    )
    .await?;
    txn.commit().await?;
    let cohort_ids = completed_cohorts_of(db, &[person.id])
        .await?
        .remove(&person.id)
        .unwrap_or_default();
    Ok(ProfileView {
        member,
        person: person.clone(),
        cohort_ids,
        viewer: Viewer {
            rank: 1,
            person_id: Some(person.id),
        },
    })
}

/// Leaves the community: the member is no longer listed, nor are their activities; their
/// RSVPs stay as history. They may join again.
pub async fn leave(
    db: &DatabaseConnection,
    caller: &Caller,
    expected_version: i32,
) -> DomainResult<()> {
    let (person, _) = own_membership(db, caller).await?;
    let txn = begin_write(db).await?;
    let changes = community_member::ActiveModel {
        left_at: Set(Some(caller.now())),
        ..Default::default()
    };
    let member = VERSIONED
        .save(&txn, (person.id, expected_version), changes, caller.now())
        .await?;
    audit_member(&txn, caller, "community.leave", &member, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Records a change of a membership: its audit event and, in the consent ledger, what its
/// profile consents became.
async fn audit_member<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &community_member::Model,
    terms_shown: Option<&str>,
) -> DomainResult<()> {
    record_profile_consents(db, caller, row, terms_shown).await?;
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "CommunityMember",
            target_id: row.person_id.to_string(),
            details: json!({ "left": row.left_at.is_some() }),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interests_keep_the_words_typed_and_drop_a_repeat_in_another_case() {
        let mut v = Violations::default();
        let typed = ["CTF", " Web ", "AI", "web"].map(String::from);
        assert_eq!(parse_interests(&mut v, &typed), ["CTF", "Web", "AI"]);
        assert!(v.into_result().is_ok());
        assert_eq!(interest_key(" Web "), "web");
    }
}
