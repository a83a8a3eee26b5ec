//! Activity reports: what alumni tell the community they did (talks, CTFs, research,
//! publications…), shown to whoever may see the member's activities, featured by staff.

use crate::domain::community::permissions;
use std::collections::HashMap;

use chrono::NaiveDate;
use entities::{alumni_activity, community_member};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Select, Set, sea_query::Query,
};
use serde_json::json;

use super::types::{ActivityKind, ProfileField, parse_link};
use crate::domain::{
    CHUNK, Caller, DomainError, DomainResult,
    audit::{self, AuditEntry},
    begin_write,
    camp::people,
    error::Violations,
    find_in_order,
    pagination::{KeyKind, KeyValue, Page, PageArgs, SortKey, paginate},
    registry::types::parse_required_text,
};

use super::members::{Viewer, own_membership, sees, viewer};

/// An activity as the alumnus reports it.
#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub occurred_on: NaiveDate,
    pub kind: ActivityKind,
    pub title: String,
    pub link: Option<String>,
}

/// The first day an activity may be dated: the first camp was held in 2004.
pub fn earliest_activity() -> NaiveDate {
    NaiveDate::from_ymd_opt(2004, 1, 1).unwrap_or_default()
}

/// Reports an activity (a current member, for themselves).
pub async fn report(
    db: &DatabaseConnection,
    caller: &Caller,
    input: ActivityInput,
) -> DomainResult<alumni_activity::Model> {
    let (person, _) = own_membership(db, caller).await?;
    let mut v = Violations::default();
    if input.occurred_on > caller.today() || input.occurred_on < earliest_activity() {
        v.push("occurred_on", "must be between 2004-01-01 and today");
    }
    let title = v.check("title", parse_required_text(&input.title, 200));
    let link = match &input.link {
        Some(link) => v.check("link", parse_link(link)).flatten(),
        None => None,
    };
    v.into_result()?;
    let txn = begin_write(db).await?;
    let row = alumni_activity::ActiveModel {
        person_id: Set(person.id),
        occurred_on: Set(input.occurred_on),
        kind: Set(input.kind),
        title: Set(title.unwrap_or_default()),
        link: Set(link),
        featured: Set(false),
        featured_at: Set(None),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_activity(&txn, caller, "community.activity.report", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Removes one of the caller's own activity reports.
pub async fn remove_activity(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> DomainResult<alumni_activity::Model> {
    let person = people::require_own(db, caller).await?;
    let txn = begin_write(db).await?;
    let row = alumni_activity::Entity::find_by_id(id)
        .filter(alumni_activity::Column::PersonId.eq(person.id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "activity",
            field: "activity_id",
        })?;
    alumni_activity::Entity::delete_by_id(id).exec(&txn).await?;
    audit_activity(&txn, caller, "community.activity.remove", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// Features an activity, or stops featuring it (camp staff).
pub async fn feature(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    featured: bool,
) -> DomainResult<alumni_activity::Model> {
    caller.actor.allow(&permissions::FEATURE_ACTIVITIES)?;
    let txn = begin_write(db).await?;
    let row = alumni_activity::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "activity",
            field: "activity_id",
        })?;
    let mut active: alumni_activity::ActiveModel = row.into();
    active.featured = Set(featured);
    active.featured_at = Set(featured.then(|| caller.now()));
    let row = active.update(&txn).await?;
    audit_activity(&txn, caller, "community.activity.feature", &row).await?;
    txn.commit().await?;
    Ok(row)
}

async fn audit_activity<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &alumni_activity::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "AlumniActivity",
            target_id: row.id.to_string(),
            details: json!({ "kind": row.kind, "featured": row.featured }),
        },
    )
    .await
}

/// Filters of the activity list; empty means any.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub featured: Option<bool>,
    pub kinds: Vec<ActivityKind>,
    /// Activities of any of these members (person ids).
    pub person_ids: Vec<i64>,
}

/// "The activity is by a current member who lets the viewer see their activities", as SQL.
fn shown_activities(viewer: Viewer) -> sea_orm::sea_query::SimpleExpr {
    alumni_activity::Column::PersonId.in_subquery(
        Query::select()
            .column(community_member::Column::PersonId)
            .from(community_member::Entity)
            .and_where(community_member::Column::LeftAt.is_null())
            .cond_where(sees(viewer, ProfileField::Activities))
            .to_owned(),
    )
}

/// Activities of current members who let the viewer see their activities.
fn activity_select(viewer: Viewer, filter: &ActivityFilter) -> Select<alumni_activity::Entity> {
    let mut select = alumni_activity::Entity::find().filter(shown_activities(viewer));
    if let Some(featured) = filter.featured {
        select = select.filter(alumni_activity::Column::Featured.eq(featured));
    }
    if !filter.kinds.is_empty() {
        select = select
            .filter(alumni_activity::Column::Kind.is_in(filter.kinds.iter().map(|k| k.as_str())));
    }
    if !filter.person_ids.is_empty() {
        select = select.filter(alumni_activity::Column::PersonId.is_in(filter.person_ids.clone()));
    }
    select
}

/// A page of activities the caller may see, latest first.
pub async fn activities<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ActivityFilter,
    args: &PageArgs,
) -> DomainResult<Page<alumni_activity::Model>> {
    let viewer = viewer(db, caller).await?;
    let keys = [
        SortKey {
            column: alumni_activity::Column::OccurredOn,
            kind: KeyKind::Date,
        },
        SortKey {
            column: alumni_activity::Column::Id,
            kind: KeyKind::Int,
        },
    ];
    paginate(
        db,
        activity_select(viewer, filter),
        "OCCURRED_ON_DESC",
        &keys,
        false,
        args,
        |row| vec![KeyValue::date(row.occurred_on), KeyValue::Int(row.id)],
    )
    .await
}

/// How many activities the caller would find with the filter.
pub async fn count_activities<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filter: &ActivityFilter,
) -> DomainResult<u64> {
    let viewer = viewer(db, caller).await?;
    Ok(activity_select(viewer, filter).count(db).await?)
}

/// Activities by id as the caller may see them, in the order of `ids`.
pub async fn activities_by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<alumni_activity::Model>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let viewer = viewer(db, caller).await?;
    let condition = Condition::all().add(shown_activities(viewer));
    find_in_order::<alumni_activity::Entity, _>(
        db,
        alumni_activity::Column::Id,
        ids,
        condition,
        |a| a.id,
    )
    .await
}

/// The latest `limit` activities of each member, for profiles whose activities the viewer
/// was found to see ([`ProfileView::sees`]); one statement per [`CHUNK`] members.
pub async fn recent_activities_of<C: ConnectionTrait>(
    db: &C,
    person_ids: &[i64],
    limit: usize,
) -> DomainResult<HashMap<i64, Vec<alumni_activity::Model>>> {
    let mut found: HashMap<i64, Vec<alumni_activity::Model>> = HashMap::new();
    for chunk in person_ids.chunks(CHUNK) {
        for row in alumni_activity::Entity::find()
            .filter(alumni_activity::Column::PersonId.is_in(chunk.to_vec()))
            .order_by_desc(alumni_activity::Column::OccurredOn)
            .order_by_desc(alumni_activity::Column::Id)
            .all(db)
            .await?
        {
            let list = found.entry(row.person_id).or_default();
            if list.len() < limit {
                list.push(row);
            }
        }
    }
    Ok(found)
}
