//! The right of access (APPI Article 33): everything Kakehashi holds about the caller, in
//! one JSON document they can download.
//!
//! A specialist gets their registration and its history, renewal cycles, training, claims,
//! reminders, Active List entry and matches; an individual (a camp applicant or alumnus,
//! or a specialist who is one) their person record, applications, community profile,
//! interests, activities and RSVPs; a company user their company and its requests (not
//! the matches on them, which hold the specialists' data). Everyone gets the audit events
//! they caused, their consent ledger and their requests to erase. Rows are given whole, as stored, so nothing held is left out by a view.

use crate::domain::permissions;
use chrono::{DateTime, Utc};
use entities::{
    active_list_entry, alumni_activity, audit_event, camp_application, community_member, company,
    consultation_request, deemed_attendance_claim, erasure_request, event_rsvp, match_session,
    matching, member_interest, person, renewal_cycle, renewal_reminder, specialist,
    specialist_status_event, training_completion,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value, json};

use super::{
    Actor, Caller, DomainResult, consent,
    matching::scope::{Scope, scope_of},
    registry::own_specialist_id,
};

/// Reads every row of `E` matching `condition` as JSON objects, oldest first.
async fn rows<E, C>(db: &C, condition: sea_orm::Condition, order: E::Column) -> DomainResult<Value>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    Ok(Value::Array(
        E::find()
            .filter(condition)
            .order_by_asc(order)
            .into_json()
            .all(db)
            .await?,
    ))
}

fn one(values: Value) -> Value {
    match values {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        _ => Value::Null,
    }
}

fn by<C: ColumnTrait>(column: C, id: i64) -> sea_orm::Condition {
    sea_orm::Condition::all().add(column.eq(id))
}

/// Whose consents the caller's are: their registration and their person record, where
/// they have them.
pub async fn consent_holders<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> DomainResult<Vec<consent::Holder>> {
    let mut holders = Vec::new();
    if let Some(id) = own_specialist_id(db, actor).await? {
        holders.push(consent::Holder::Specialist(id));
    }
    if let Some(subject) = actor.individual_subject()
        && let Some(person) = person::Entity::find()
            .filter(person::Column::Subject.eq(subject))
            .one(db)
            .await?
    {
        holders.push(consent::Holder::Person(person.id));
    }
    Ok(holders)
}

/// The caller's consent ledger, newest first: every consent they gave or withdrew, with
/// the terms' version. Specialists and individuals.
pub async fn my_consents<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> DomainResult<Vec<entities::consent_record::Model>> {
    caller.actor.allow(&permissions::READ_OWN_CONSENTS)?;
    let holders = consent_holders(db, &caller.actor).await?;
    consent::history(db, &holders).await
}

/// Everything held about the caller, as of `now`. Specialists, individuals and company
/// users only: staff and systems hold no personal record of their own here.
pub async fn held_about<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    now: DateTime<Utc>,
) -> DomainResult<Value> {
    caller.actor.allow(&permissions::READ_OWN_PERSONAL_DATA)?;
    caller.actor.allow_scope(&super::scopes::RIGHTS_READ)?;
    let Actor::Principal(principal) = &caller.actor else {
        return Ok(Value::Null);
    };
    let mut held = Map::new();
    held.insert("subject".into(), json!(principal.subject));
    held.insert("role".into(), json!(principal.role.as_str()));
    held.insert("generatedAt".into(), json!(now.to_rfc3339()));

    if let Some(id) = own_specialist_id(db, &caller.actor).await? {
        held_as_specialist(db, id, &mut held).await?;
    }
    if let Some(subject) = caller.actor.individual_subject() {
        held_as_person(db, subject, &mut held).await?;
    }
    if let Scope::Company(id) = scope_of(db, &caller.actor).await? {
        held_as_company(db, id, &mut held).await?;
    }

    let holders = consent_holders(db, &caller.actor).await?;
    if !holders.is_empty() {
        held.insert(
            "consentRecords".into(),
            rows::<entities::consent_record::Entity, _>(
                db,
                consent::of_holders(&holders),
                entities::consent_record::Column::Id,
            )
            .await?,
        );
    }
    held.insert(
        "erasureRequests".into(),
        rows::<erasure_request::Entity, _>(
            db,
            sea_orm::Condition::all()
                .add(erasure_request::Column::Subject.eq(principal.subject.as_str())),
            erasure_request::Column::Id,
        )
        .await?,
    );
    held.insert(
        "auditEvents".into(),
        rows::<audit_event::Entity, _>(
            db,
            sea_orm::Condition::all()
                .add(audit_event::Column::ActorSubject.eq(principal.subject.as_str())),
            audit_event::Column::Id,
        )
        .await?,
    );
    Ok(Value::Object(held))
}

/// What the register holds about a specialist: the registration, its history, renewal,
/// training, claims, reminders, the Active List entry, matches and their sessions.
async fn held_as_specialist<C: ConnectionTrait>(
    db: &C,
    id: i64,
    held: &mut Map<String, Value>,
) -> DomainResult<()> {
    use specialist_status_event::Column as Status;
    held.insert(
        "specialist".into(),
        one(rows::<specialist::Entity, _>(
            db,
            by(specialist::Column::Id, id),
            specialist::Column::Id,
        )
        .await?),
    );
    held.insert(
        "statusHistory".into(),
        rows::<specialist_status_event::Entity, _>(db, by(Status::SpecialistId, id), Status::Id)
            .await?,
    );
    held.insert(
        "renewalCycles".into(),
        rows::<renewal_cycle::Entity, _>(
            db,
            by(renewal_cycle::Column::SpecialistId, id),
            renewal_cycle::Column::Id,
        )
        .await?,
    );
    held.insert(
        "trainingCompletions".into(),
        rows::<training_completion::Entity, _>(
            db,
            by(training_completion::Column::SpecialistId, id),
            training_completion::Column::Id,
        )
        .await?,
    );
    held.insert(
        "deemedAttendanceClaims".into(),
        rows::<deemed_attendance_claim::Entity, _>(
            db,
            by(deemed_attendance_claim::Column::SpecialistId, id),
            deemed_attendance_claim::Column::Id,
        )
        .await?,
    );
    held.insert(
        "renewalReminders".into(),
        rows::<renewal_reminder::Entity, _>(
            db,
            by(renewal_reminder::Column::SpecialistId, id),
            renewal_reminder::Column::Id,
        )
        .await?,
    );
    held.insert(
        "activeListEntry".into(),
        one(rows::<active_list_entry::Entity, _>(
            db,
            by(active_list_entry::Column::SpecialistId, id),
            active_list_entry::Column::Id,
        )
        .await?),
    );
    held.insert(
        "matches".into(),
        rows::<matching::Entity, _>(
            db,
            by(matching::Column::SpecialistId, id),
            matching::Column::Id,
        )
        .await?,
    );
    let match_ids: Vec<i64> = matching::Entity::find()
        .select_only()
        .column(matching::Column::Id)
        .filter(matching::Column::SpecialistId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    held.insert(
        "matchSessions".into(),
        rows::<match_session::Entity, _>(
            db,
            sea_orm::Condition::all().add(match_session::Column::MatchId.is_in(match_ids)),
            match_session::Column::Id,
        )
        .await?,
    );
    Ok(())
}

/// What the camps and the community hold about a person: the person, applications, the
/// community profile, interests, activity reports and RSVPs.
async fn held_as_person<C: ConnectionTrait>(
    db: &C,
    subject: &str,
    held: &mut Map<String, Value>,
) -> DomainResult<()> {
    let person = person::Entity::find()
        .filter(person::Column::Subject.eq(subject))
        .one(db)
        .await?;
    if let Some(person) = person {
        let id = person.id;
        held.insert(
            "person".into(),
            one(
                rows::<person::Entity, _>(db, by(person::Column::Id, id), person::Column::Id)
                    .await?,
            ),
        );
        held.insert(
            "campApplications".into(),
            rows::<camp_application::Entity, _>(
                db,
                by(camp_application::Column::PersonId, id),
                camp_application::Column::Id,
            )
            .await?,
        );
        held.insert(
            "communityProfile".into(),
            one(rows::<community_member::Entity, _>(
                db,
                by(community_member::Column::PersonId, id),
                community_member::Column::PersonId,
            )
            .await?),
        );
        held.insert(
            "interests".into(),
            rows::<member_interest::Entity, _>(
                db,
                by(member_interest::Column::PersonId, id),
                member_interest::Column::Interest,
            )
            .await?,
        );
        held.insert(
            "alumniActivities".into(),
            rows::<alumni_activity::Entity, _>(
                db,
                by(alumni_activity::Column::PersonId, id),
                alumni_activity::Column::Id,
            )
            .await?,
        );
        held.insert(
            "eventRsvps".into(),
            rows::<event_rsvp::Entity, _>(
                db,
                by(event_rsvp::Column::PersonId, id),
                event_rsvp::Column::Id,
            )
            .await?,
        );
    }
    Ok(())
}

/// What matching holds about a company user's company: the company and its requests.
async fn held_as_company<C: ConnectionTrait>(
    db: &C,
    id: i64,
    held: &mut Map<String, Value>,
) -> DomainResult<()> {
    held.insert(
        "company".into(),
        one(
            rows::<company::Entity, _>(db, by(company::Column::Id, id), company::Column::Id)
                .await?,
        ),
    );
    held.insert(
        "consultationRequests".into(),
        rows::<consultation_request::Entity, _>(
            db,
            by(consultation_request::Column::CompanyId, id),
            consultation_request::Column::Id,
        )
        .await?,
    );
    Ok(())
}
