//! Reads of the alumni directory within what the viewer may see: the member list, counts,
//! batches by id and the caller's own membership.

use super::super::types::ProfileField;
use crate::domain::{
    Caller, DomainResult,
    camp::{
        applications::completed_cohorts_of,
        people,
        types::{ApplicationStatus, ProgramKind},
    },
    find_in_order,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
};
use entities::{
    camp_application, camp_cohort, camp_program, community_member, member_interest, person,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select,
    sea_query::Query,
};
use std::collections::HashMap;

use super::{ProfileView, Viewer, sees, viewer};

/// Whether the person is a current member of the community.
pub async fn is_member<C: ConnectionTrait>(db: &C, person_id: i64) -> DomainResult<bool> {
    Ok(community_member::Entity::find_by_id(person_id)
        .filter(community_member::Column::LeftAt.is_null())
        .count(db)
        .await?
        > 0)
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
            .map(|i| super::commands::interest_key(i))
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
