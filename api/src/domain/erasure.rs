//! Erasure and stop of use (APPI Articles 34 and 35): a person asks, staff decide, and what
//! is carried out is carried out in one transaction with its audit event.
//!
//! Nothing is deleted: what a person asks to erase is *anonymised in place*, so counts,
//! rankings, figures and the audit trail stay true. The statutory registry record is kept
//! (the Act requires it); its publication is withdrawn instead.
//!
//! | part | who may ask | what is done |
//! | --- | --- | --- |
//! | `REGISTRY_PUBLICATION` | a specialist | every disclosure consent withdrawn: the public registry shows no name, kana, birth year-month, employer or prefecture |
//! | `ACTIVE_LIST_ENTRY` | a specialist | the entry withdrawn from the list, its biography and domains emptied |
//! | `COMMUNITY_PROFILE` | an individual | the member leaves; display name replaced, affiliation, biography, interests and link removed |
//! | `ALUMNI_ACTIVITIES` | an individual | each report's title replaced and link removed |
//! | `CAMP_APPLICATIONS` | an individual | the answers and guardian's name of every decided application removed (status and dates stay, for the figures); an application still undecided keeps them until withdrawn or decided |
//! | `COMPANY_CONTACT` | a company user | the company's contact person, e-mail and telephone removed |

use crate::domain::permissions;
use chrono::{DateTime, Utc};
use entities::{
    active_list_entry, alumni_activity, camp_application, community_member, company,
    erasure_request, member_interest, person, specialist,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::Deserialize;
use serde_json::json;

use super::{
    Actor, Caller, DomainError, DomainResult, Role, Visible,
    active_list::{postings, types::EntryStatus},
    audit::{self, AuditEntry},
    begin_write,
    camp::types::ApplicationStatus,
    community::members::record_profile_consents,
    matching::scope::{Scope, scope_of},
    pagination::{Direction, KeyKind, KeyValue, Page, PageArgs, SortKey, paginate_by_time},
    registry::own_specialist_id,
    registry::{commands::record_publication_consents, types::parse_required_text},
    stored_enum::stored_enum,
};
pub use entities::enums::erasure::{ErasureKind, ErasureStatus};

stored_enum! {
    /// A part of what is held about a person that can be erased.
    ErasurePart {
        RegistryPublication = "REGISTRY_PUBLICATION",
        ActiveListEntry = "ACTIVE_LIST_ENTRY",
        CommunityProfile = "COMMUNITY_PROFILE",
        AlumniActivities = "ALUMNI_ACTIVITIES",
        CampApplications = "CAMP_APPLICATIONS",
        CompanyContact = "COMPANY_CONTACT",
    }
}

impl ErasurePart {
    /// The role that may ask for this part.
    fn role(self) -> Role {
        match self {
            ErasurePart::RegistryPublication | ErasurePart::ActiveListEntry => Role::Specialist,
            ErasurePart::CommunityProfile
            | ErasurePart::AlumniActivities
            | ErasurePart::CampApplications => Role::Person,
            ErasurePart::CompanyContact => Role::SmeUser,
        }
    }
}

/// What replaces a display name or a title that was erased.
pub const ERASED: &str = "（削除済み）";

/// The roles that make requests.
pub(crate) const REQUESTERS: &[Role] = &[Role::Specialist, Role::Person, Role::SmeUser];

/// A request as made.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub kind: ErasureKind,
    pub parts: Vec<ErasurePart>,
    pub reason: String,
}

/// The parts a stored request names.
pub fn parts_of(row: &erasure_request::Model) -> Vec<ErasurePart> {
    Vec::<String>::deserialize(&row.parts)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| ErasurePart::parse(p))
        .collect()
}

/// Records a request of the caller, to be decided by staff. A specialist asks for the
/// specialist's parts, an individual (role `PERSON`, or a specialist for their camp
/// record) for theirs, a company user for the company's contact.
pub async fn request(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewRequest,
    now: DateTime<Utc>,
) -> DomainResult<erasure_request::Model> {
    caller.actor.allow(&permissions::REQUEST_ERASURE)?;
    let Actor::Principal(principal) = &caller.actor else {
        return Err(DomainError::Unauthenticated);
    };
    let mut parts = input.parts.clone();
    parts.sort_by_key(|p| p.as_str());
    parts.dedup();
    let reason = parse_required_text(&input.reason, 2000)
        .map_err(|reason| DomainError::invalid("reason", reason))?;
    if parts.is_empty() {
        return Err(DomainError::invalid("parts", "name at least one part"));
    }
    // A specialist is also an individual in the camps (same subject).
    let may = |part: &ErasurePart| {
        part.role() == principal.role
            || (principal.role == Role::Specialist && part.role() == Role::Person)
    };
    if let Some(part) = parts.iter().find(|p| !may(p)) {
        return Err(DomainError::invalid(
            "parts",
            format!(
                "{} is not held about a {} token",
                part.as_str(),
                principal.role
            ),
        ));
    }
    let txn = begin_write(db).await?;
    let (specialist_id, person_id, company_id) = whose(&txn, &caller.actor).await?;
    if parts.contains(&ErasurePart::CampApplications) {
        applications_settled(&txn, person_id, "parts").await?;
    }
    let pending = erasure_request::Entity::find()
        .filter(erasure_request::Column::Subject.eq(principal.subject.as_str()))
        .filter(erasure_request::Column::Status.eq(ErasureStatus::Requested.as_str()))
        .count(&txn)
        .await?;
    if pending > 0 {
        return Err(DomainError::conflict(
            "",
            "a request of yours is waiting for a decision",
        ));
    }
    let row = erasure_request::ActiveModel {
        subject: Set(principal.subject.clone()),
        role: Set(principal.role.as_str().to_owned()),
        kind: Set(input.kind),
        specialist_id: Set(specialist_id),
        person_id: Set(person_id),
        company_id: Set(company_id),
        parts: Set(json!(parts.iter().map(|p| p.as_str()).collect::<Vec<_>>())),
        reason: Set(reason),
        status: Set(ErasureStatus::Requested),
        requested_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two requests made at once: the database lets one wait, not both.
    .map_err(|err| {
        DomainError::from_db_unique(err, "", "a request of yours is waiting for a decision")
    })?;
    audit_request(&txn, caller, "erasure.request", &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// A staff decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    CarryOut,
    Refuse,
}

/// Decides a request (registry staff): carried out, every part is anonymised in the same
/// transaction as the decision and its audit event; refused, the reason is recorded.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    decision: Decision,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> DomainResult<erasure_request::Model> {
    caller.actor.allow(&permissions::DECIDE_ERASURE)?;
    let reason = match (decision, reason.map(str::trim).filter(|r| !r.is_empty())) {
        (Decision::Refuse, None) => {
            return Err(DomainError::invalid("reason", "a refusal gives its reason"));
        }
        (_, reason) => reason.map(str::to_owned),
    };
    let txn = begin_write(db).await?;
    let row = erasure_request::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "erasure request",
            field: "request_id",
        })?;
    if row.status != ErasureStatus::Requested {
        return Err(DomainError::conflict(
            "request_id",
            format!("the request is already {}", row.status),
        ));
    }
    let status = match decision {
        Decision::CarryOut => {
            carry_out(&txn, caller, &row, now).await?;
            ErasureStatus::CarriedOut
        }
        Decision::Refuse => ErasureStatus::Refused,
    };
    let result = erasure_request::Entity::update_many()
        .set(erasure_request::ActiveModel {
            status: Set(status),
            decided_at: Set(Some(now)),
            decided_by: Set(Some(caller.actor.subject().to_owned())),
            decision_reason: Set(reason),
            version: Set(row.version + 1),
            ..Default::default()
        })
        .filter(erasure_request::Column::Id.eq(id))
        .filter(erasure_request::Column::Version.eq(row.version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(DomainError::conflict(
            "request_id",
            "the request was decided meanwhile",
        ));
    }
    let row = erasure_request::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound {
            entity: "erasure request",
            field: "request_id",
        })?;
    let action = match status {
        ErasureStatus::CarriedOut => "erasure.carry_out",
        _ => "erasure.refuse",
    };
    audit_request(&txn, caller, action, &row).await?;
    txn.commit().await?;
    Ok(row)
}

/// The caller's registration, person record and company, where they have them.
async fn whose<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> DomainResult<(Option<i64>, Option<i64>, Option<i64>)> {
    let specialist_id = own_specialist_id(db, actor).await?;
    let person_id = match actor.individual_subject() {
        Some(subject) => person::Entity::find()
            .filter(person::Column::Subject.eq(subject))
            .one(db)
            .await?
            .map(|p| p.id),
        None => None,
    };
    let company_id = match scope_of(db, actor).await? {
        Scope::Company(id) => Some(id),
        _ => None,
    };
    Ok((specialist_id, person_id, company_id))
}

/// Anonymises every part a request names, in the requester's records.
async fn carry_out<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    row: &erasure_request::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let (specialist_id, person_id, company_id) = (row.specialist_id, row.person_id, row.company_id);
    for part in parts_of(row) {
        match part {
            ErasurePart::RegistryPublication => {
                if let Some(id) = specialist_id {
                    withdraw_publication(db, caller, id, now).await?;
                }
            }
            ErasurePart::ActiveListEntry => {
                if let Some(id) = specialist_id {
                    withdraw_entry(db, id, now).await?;
                }
            }
            ErasurePart::CommunityProfile => {
                if let Some(id) = person_id {
                    anonymise_member(db, caller, id, now).await?;
                }
            }
            ErasurePart::AlumniActivities => {
                if let Some(id) = person_id {
                    alumni_activity::Entity::update_many()
                        .set(alumni_activity::ActiveModel {
                            title: Set(ERASED.to_owned()),
                            link: Set(None),
                            featured: Set(false),
                            ..Default::default()
                        })
                        .filter(alumni_activity::Column::PersonId.eq(id))
                        .exec(db)
                        .await?;
                }
            }
            ErasurePart::CampApplications => {
                // An application may have moved on since the request: still undecided, its
                // answers are what selection reads, and erasing them later is nobody's job.
                applications_settled(db, person_id, "decision").await?;
                if let Some(id) = person_id {
                    erase_decided_answers(db, Some(id), None, now).await?;
                }
            }
            ErasurePart::CompanyContact => {
                if let Some(id) = company_id {
                    company::Entity::update_many()
                        .set(company::ActiveModel {
                            contact_name: Set(ERASED.to_owned()),
                            contact_email: Set(String::new()),
                            contact_phone: Set(None),
                            updated_at: Set(now),
                            ..Default::default()
                        })
                        .col_expr(
                            company::Column::Version,
                            Expr::col(company::Column::Version).add(1),
                        )
                        .filter(company::Column::Id.eq(id))
                        .exec(db)
                        .await?;
                }
            }
        }
    }
    Ok(())
}

async fn withdraw_publication<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    specialist_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    // Versions move on, so that a form read before cannot put anything back.
    specialist::Entity::update_many()
        .set(specialist::ActiveModel {
            disclose_name: Set(false),
            disclose_kana: Set(false),
            disclose_birth_year_month: Set(false),
            disclose_employer: Set(false),
            disclose_prefecture: Set(false),
            updated_at: Set(now),
            ..Default::default()
        })
        .col_expr(
            specialist::Column::Version,
            Expr::col(specialist::Column::Version).add(1),
        )
        .filter(specialist::Column::Id.eq(specialist_id))
        .exec(db)
        .await?;
    if let Some(row) = specialist::Entity::find_by_id(specialist_id)
        .one(db)
        .await?
    {
        record_publication_consents(db, caller, &row, None).await?;
    }
    Ok(())
}

async fn withdraw_entry<C: ConnectionTrait>(
    db: &C,
    specialist_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let entries: Vec<i64> = active_list_entry::Entity::find()
        .filter(active_list_entry::Column::SpecialistId.eq(specialist_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    active_list_entry::Entity::update_many()
        .set(active_list_entry::ActiveModel {
            status: Set(EntryStatus::Withdrawn),
            bio_ja: Set(String::new()),
            bio_en: Set(None),
            domains: Set(json!([])),
            paused: Set(true),
            updated_at: Set(now),
            ..Default::default()
        })
        .col_expr(
            active_list_entry::Column::Version,
            Expr::col(active_list_entry::Column::Version).add(1),
        )
        .filter(active_list_entry::Column::Id.is_in(entries.clone()))
        .exec(db)
        .await?;
    postings::sync(db, &entries).await
}

async fn anonymise_member<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    person_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Some(member) = community_member::Entity::find_by_id(person_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let member = community_member::ActiveModel {
        person_id: Set(person_id),
        display_name: Set(ERASED.to_owned()),
        affiliation: Set(None),
        bio: Set(String::new()),
        interests: Set(json!([])),
        open_to_mentoring: Set(false),
        link: Set(None),
        left_at: Set(Some(member.left_at.unwrap_or(now))),
        version: Set(member.version + 1),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    record_profile_consents(db, caller, &member, None).await?;
    member_interest::Entity::delete_many()
        .filter(member_interest::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The statuses of an application still in selection: its answers are in use.
const UNSETTLED: [ApplicationStatus; 3] = [
    ApplicationStatus::Applied,
    ApplicationStatus::Selected,
    ApplicationStatus::Waitlisted,
];

/// Refuses to erase camp applications while one of the person's is still in selection
/// (applied, selected or waitlisted): it is withdrawn first, or its camp held.
async fn applications_settled<C: ConnectionTrait>(
    db: &C,
    person_id: Option<i64>,
    field: &'static str,
) -> DomainResult<()> {
    let Some(person_id) = person_id else {
        return Ok(());
    };
    let unsettled = camp_application::Entity::find()
        .filter(camp_application::Column::PersonId.eq(person_id))
        .filter(camp_application::Column::Status.is_in(UNSETTLED.iter().map(|s| s.as_str())))
        .count(db)
        .await?;
    if unsettled > 0 {
        return Err(DomainError::invalid(
            field,
            "an application is still in selection (applied, selected or waitlisted): \
             withdraw it, or wait until its camp is held, before its answers are erased",
        ));
    }
    Ok(())
}

/// Removes the answers, and the guardian's name, of decided applications (rejected,
/// withdrawn, attended, completed): of one person, or of cohorts that ended before
/// `ended_before`. Statuses and dates stay for the figures; applications still undecided
/// keep what selection needs. Returns how many applications were anonymised, each
/// stamped as changed at `now`.
pub async fn erase_decided_answers<C: ConnectionTrait>(
    db: &C,
    person_id: Option<i64>,
    ended_before: Option<chrono::NaiveDate>,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    use camp_application::Column as A;
    let decided = [
        ApplicationStatus::Rejected,
        ApplicationStatus::Withdrawn,
        ApplicationStatus::Attended,
        ApplicationStatus::Completed,
    ];
    // Only answers not yet removed, so a second run counts nothing.
    let mut condition = Visible::everything()
        .and(A::Status.is_in(decided.iter().map(|s| s.as_str())))
        .and(Expr::cust(
            "(CAST(answers AS TEXT) <> '[]' OR guardian_name IS NOT NULL \
             OR guardian_recorded_by IS NOT NULL)",
        ));
    if let Some(id) = person_id {
        condition = condition.and(A::PersonId.eq(id));
    }
    if let Some(before) = ended_before {
        condition = condition.and(
            A::CohortId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(entities::camp_cohort::Column::Id)
                    .from(entities::camp_cohort::Entity)
                    .and_where(entities::camp_cohort::Column::EndsOn.lt(before))
                    .to_owned(),
            ),
        );
    }
    let result = camp_application::Entity::update_many()
        .set(camp_application::ActiveModel {
            answers: Set(json!([])),
            guardian_name: Set(None),
            guardian_recorded_by: Set(None),
            updated_at: Set(now),
            ..Default::default()
        })
        .col_expr(A::Version, Expr::col(A::Version).add(1))
        .filter(condition)
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

async fn audit_request<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &erasure_request::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "ErasureRequest",
            target_id: row.id.to_string(),
            details: json!({ "kind": row.kind, "parts": row.parts, "status": row.status }),
        },
    )
    .await
}

/// Requests as the caller may see them: registry staff all, a requester their own.
fn visible(caller: &Caller) -> DomainResult<Visible> {
    if caller.actor.is_registry_staff() {
        return Ok(Visible::everything());
    }
    caller
        .actor
        .allow(&permissions::READ_OWN_ERASURE_REQUESTS)?;
    Ok(Visible::within(sea_orm::Condition::all().add(
        erasure_request::Column::Subject.eq(caller.actor.subject()),
    )))
}

/// The requests the caller sees, of these statuses (any when empty).
fn of_statuses(caller: &Caller, statuses: &[ErasureStatus]) -> DomainResult<Visible> {
    let visible = visible(caller)?;
    Ok(if statuses.is_empty() {
        visible
    } else {
        visible.and(erasure_request::Column::Status.is_in(statuses.iter().map(|s| s.as_str())))
    })
}

/// A page of requests, newest first, optionally of some statuses.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    statuses: &[ErasureStatus],
    args: &PageArgs,
) -> DomainResult<Page<erasure_request::Model>> {
    let condition = of_statuses(caller, statuses)?;
    paginate_by_time(
        db,
        erasure_request::Entity::find().filter(condition),
        (
            "REQUESTED_AT",
            SortKey {
                column: erasure_request::Column::RequestedAt,
                kind: KeyKind::Instant,
            },
        ),
        erasure_request::Column::Id,
        Direction::Descending,
        args,
        |row| (KeyValue::instant(row.requested_at), row.id),
    )
    .await
}

/// How many requests the caller sees with these statuses.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    statuses: &[ErasureStatus],
) -> DomainResult<u64> {
    let condition = of_statuses(caller, statuses)?;
    Ok(erasure_request::Entity::find()
        .filter(condition)
        .count(db)
        .await?)
}

/// Requests by id as the caller may see them, for `node`.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<erasure_request::Model>>> {
    let Ok(condition) = visible(caller) else {
        return Ok(vec![None; ids.len()]);
    };
    crate::domain::find_in_order::<erasure_request::Entity, _>(
        db,
        erasure_request::Column::Id,
        ids,
        condition.into_condition(),
        |row| row.id,
    )
    .await
}
