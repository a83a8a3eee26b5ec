//! The alumni community: opt-in profiles whose every field has its own audience, the
//! alumni directory that honours those choices for every caller, and activity reports.
//!
//! A viewer is ranked: anybody 0 (public), a current member 1 (alumni), camp staff 2. A
//! field is shown when its visibility's rank is at most the viewer's, and always to the
//! member themselves. A member is listed only to those who may see their display name, and
//! a filter on a field matches only where the viewer may see that field, so hidden values
//! cannot be probed through filters. Members who left are never listed.

use std::collections::HashMap;

use entities::{
    camp_application, camp_cohort, camp_program, community_member, member_interest, person,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Select, Set, sea_query::Query,
};
use serde::Deserialize;
use serde_json::json;

use super::types::{ProfileField, Visibility, parse_link};
use crate::domain::{
    Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    camp::{
        applications::{completed_cohorts_of, is_alumnus},
        people,
        types::{ApplicationStatus, ProgramKind},
    },
    consent,
    error::Violations,
    find_in_order,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
    registry::types::{parse_optional_text, parse_required_text},
    versioned::Versioned,
};

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

/// Whether the person is a current member of the community.
pub async fn is_member<C: ConnectionTrait>(db: &C, person_id: i64) -> DomainResult<bool> {
    Ok(community_member::Entity::find_by_id(person_id)
        .filter(community_member::Column::LeftAt.is_null())
        .count(db)
        .await?
        > 0)
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

fn parse_interests(v: &mut Violations, values: &[String]) -> Vec<String> {
    if values.len() > MAX_INTERESTS {
        v.push("interests", format!("at most {MAX_INTERESTS} interests"));
    }
    let mut parsed: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, value)| {
            v.check(&format!("interests.{i}"), parse_required_text(value, 40))
                .map(|s| s.to_lowercase())
        })
        .collect();
    parsed.sort();
    parsed.dedup();
    parsed
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
            interest: Set(interest.clone()),
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

/// The caller's own profile, if they are a current member.
pub async fn mine<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<Option<ProfileView>> {
    let Some(person) = people::own(db, caller).await? else {
        return Ok(None);
    };
    let viewer = viewer(db, caller).await?;
    Ok(views(
        db,
        viewer,
        vec![
            community_member::Entity::find_by_id(person.id)
                .filter(community_member::Column::LeftAt.is_null())
                .one(db)
                .await?,
        ],
    )
    .await?
    .pop()
    .flatten())
}

/// Filters of the alumni directory; empty means any. Each matches only where the viewer
/// may see the field it reads.
#[derive(Debug, Clone, Default)]
pub struct AlumniFilter {
    /// Completed one of these cohorts.
    pub cohort_ids: Vec<i64>,
    /// Completed a cohort of one of these programs.
    pub programs: Vec<ProgramKind>,
    /// Lists one of these interests.
    pub interests: Vec<String>,
    pub open_to_mentoring: Option<bool>,
}

fn completed_in(cohorts: Condition) -> Condition {
    Condition::all().add(
        community_member::Column::PersonId.in_subquery(
            Query::select()
                .column(camp_application::Column::PersonId)
                .from(camp_application::Entity)
                .and_where(
                    camp_application::Column::Status.eq(ApplicationStatus::Completed.as_str()),
                )
                .cond_where(cohorts)
                .to_owned(),
        ),
    )
}

fn select(viewer: Viewer, filter: &AlumniFilter) -> Select<community_member::Entity> {
    let mut select = community_member::Entity::find()
        .filter(community_member::Column::LeftAt.is_null())
        .filter(sees(viewer, ProfileField::DisplayName));
    if !filter.cohort_ids.is_empty() {
        select = select
            .filter(sees(viewer, ProfileField::Cohorts))
            .filter(completed_in(Condition::all().add(
                camp_application::Column::CohortId.is_in(filter.cohort_ids.clone()),
            )));
    }
    if !filter.programs.is_empty() {
        let cohorts = Query::select()
            .column(camp_cohort::Column::Id)
            .from(camp_cohort::Entity)
            .and_where(
                camp_cohort::Column::ProgramId.in_subquery(
                    Query::select()
                        .column(camp_program::Column::Id)
                        .from(camp_program::Entity)
                        .and_where(
                            camp_program::Column::Kind
                                .is_in(filter.programs.iter().map(|p| p.as_str())),
                        )
                        .to_owned(),
                ),
            )
            .to_owned();
        select = select
            .filter(sees(viewer, ProfileField::Cohorts))
            .filter(completed_in(
                Condition::all().add(camp_application::Column::CohortId.in_subquery(cohorts)),
            ));
    }
    if !filter.interests.is_empty() {
        let wanted: Vec<String> = filter
            .interests
            .iter()
            .map(|i| i.trim().to_lowercase())
            .collect();
        select = select.filter(sees(viewer, ProfileField::Interests)).filter(
            community_member::Column::PersonId.in_subquery(
                Query::select()
                    .column(member_interest::Column::PersonId)
                    .from(member_interest::Entity)
                    .and_where(member_interest::Column::Interest.is_in(wanted))
                    .to_owned(),
            ),
        );
    }
    if let Some(open) = filter.open_to_mentoring {
        select = select
            .filter(sees(viewer, ProfileField::OpenToMentoring))
            .filter(community_member::Column::OpenToMentoring.eq(open));
    }
    select
}

/// Completes member rows into views: their people and completed cohorts, two statements
/// for any number of rows.
async fn views<C: ConnectionTrait>(
    db: &C,
    viewer: Viewer,
    members: Vec<Option<community_member::Model>>,
) -> DomainResult<Vec<Option<ProfileView>>> {
    let ids: Vec<i64> = members.iter().flatten().map(|m| m.person_id).collect();
    if ids.is_empty() {
        return Ok(members.into_iter().map(|_| None).collect());
    }
    // The people and their cohorts are read concurrently: a page waits for one round trip.
    let (people, mut cohorts) = tokio::try_join!(
        find_in_order::<person::Entity, _>(db, person::Column::Id, &ids, Condition::all(), |p| {
            p.id
        }),
        completed_cohorts_of(db, &ids)
    )?;
    let mut people: HashMap<i64, person::Model> =
        people.into_iter().flatten().map(|p| (p.id, p)).collect();
    Ok(members
        .into_iter()
        .map(|member| {
            let member = member?;
            let person = people.remove(&member.person_id)?;
            let cohort_ids = cohorts.remove(&member.person_id).unwrap_or_default();
            Some(ProfileView {
                member,
                person,
                cohort_ids,
                viewer,
            })
        })
        .collect())
}

/// A page of the alumni directory as the caller may see it, in the order members joined.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &AlumniFilter,
    args: &PageArgs,
) -> DomainResult<Page<ProfileView>> {
    let viewer = viewer(db, caller).await?;
    let keys = [SortKey {
        column: community_member::Column::PersonId,
        kind: KeyKind::Int,
    }];
    let page = paginate(
        db,
        select(viewer, filter),
        "PERSON_ASC",
        &keys,
        true,
        args,
        |row| vec![KeyValue::Int(row.person_id)],
    )
    .await?;
    let (cursors, rows): (Vec<String>, Vec<community_member::Model>) =
        page.items.into_iter().unzip();
    let views = views(db, viewer, rows.into_iter().map(Some).collect()).await?;
    Ok(Page {
        items: cursors
            .into_iter()
            .zip(views)
            .filter_map(|(c, v)| Some((c, v?)))
            .collect(),
        has_previous_page: page.has_previous_page,
        has_next_page: page.has_next_page,
    })
}

/// How many members the caller would find with the filter.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &AlumniFilter,
) -> DomainResult<u64> {
    let viewer = viewer(db, caller).await?;
    Ok(select(viewer, filter).count(db).await?)
}

/// Profiles by person id, as the caller may see them (null where not listed to them).
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<ProfileView>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let viewer = viewer(db, caller).await?;
    let condition = Condition::all()
        .add(community_member::Column::LeftAt.is_null())
        .add(sees(viewer, ProfileField::DisplayName));
    let rows = find_in_order::<community_member::Entity, _>(
        db,
        community_member::Column::PersonId,
        ids,
        condition,
        |m| m.person_id,
    )
    .await?;
    views(db, viewer, rows).await
}
