//! Idempotency keys: a client that sends a request with a key it chose, and retries it with
//! the same key, has it run once. The first run's response is kept, per caller and key,
//! for [`RETENTION`]; a retry gets that response again and runs nothing.
//!
//! | a row for (caller, key)                    | [`begin`] answers                 |
//! | ------------------------------------------ | --------------------------------- |
//! | none, or expired                           | `Fresh`: this run holds the key   |
//! | another request's fingerprint              | `Mismatch`                        |
//! | `COMPLETED`                                | `Replay` of the stored response   |
//! | `RUNNING`, its lease not over              | `InProgress`                      |
//! | `RUNNING`, its lease over (a lost replica) | `Fresh`: this run takes it over   |
//!
//! A run that holds the key ends with [`complete`] (the response is stored) or, when
//! nothing of it ran, [`release`] (the row goes, so the client may retry). Every step is
//! one conditional statement, so replicas racing on one key get exactly one `Fresh`; a
//! run that was taken over can no longer complete or release the key (its `attempt` is
//! stale). [`prune`] deletes expired keys.

use chrono::{DateTime, Duration, Utc};
use entities::{
    enums::idempotency::IdempotencyState,
    idempotency_key::{self, Column},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};
use sha2::{Digest, Sha256};

use super::{DomainError, DomainResult, Principal};

/// How long a key and its response are kept after the first request.
pub const RETENTION: Duration = Duration::hours(24);

/// How many times [`begin`] looks again when another run changed the row between its
/// statements (a release, a take-over, a prune).
const RACE_RETRIES: usize = 3;

/// The key of a run that holds it: what [`complete`] and [`release`] act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    principal: String,
    key: String,
    attempt: i32,
}

/// A response as it was sent, to send again byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What a request with a key may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begun {
    /// Run it: this run holds the key.
    Fresh(Claim),
    /// Send this response again; run nothing.
    Replay(StoredResponse),
    /// The key was used for another request.
    Mismatch,
    /// The first request with the key is still running.
    InProgress,
}

/// The caller a key belongs to: a fingerprint of the token's subject and of everything
/// that decides what it may see and do (role, registration, organization, company,
/// provider, client and scopes). The same subject with other rights has other keys, so a
/// replay never hands one authority's answer to another.
pub fn principal_fingerprint(principal: &Principal) -> String {
    let mut scopes = principal.scopes.clone();
    if let Some(scopes) = &mut scopes {
        scopes.sort();
    }
    let parts = serde_json::json!([
        principal.subject,
        principal.role.as_str(),
        principal.specialist_registration_number,
        principal.org_id,
        principal.company_id,
        principal.provider_id,
        principal.client_id,
        scopes,
    ]);
    hex_sha256(parts.to_string().as_bytes())
}

/// The fingerprint of a request body: hex SHA-256 of its JSON with object keys sorted and
/// no whitespace, so a client that serialises its retry differently (another key order,
/// other spacing) still sends the same request.
pub fn request_fingerprint(body: &serde_json::Value) -> String {
    hex_sha256(canonical(body).to_string().as_bytes())
}

fn canonical(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), canonical(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Takes `key` for a run of the request whose fingerprint is `request_hash`, or says why
/// not. `lease` is how long the run may hold the key before another may take it over:
/// longer than any request may run.
pub async fn begin<C: ConnectionTrait>(
    db: &C,
    principal: &str,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> DomainResult<Begun> {
    for _ in 0..RACE_RETRIES {
        if insert_running(db, principal, key, request_hash, now, lease).await? {
            return Ok(Begun::Fresh(claim(principal, key, 1)));
        }
        let Some(row) = idempotency_key::Entity::find_by_id((principal.to_owned(), key.to_owned()))
            .one(db)
            .await?
        else {
            continue; // released or pruned since: try to insert again
        };
        if let Some(begun) = decide(db, row, request_hash, now, lease).await? {
            return Ok(begun);
        }
    }
    // Other runs kept changing the row: as for any run in progress, the client retries.
    Ok(Begun::InProgress)
}

/// Inserts the row of a fresh run unless there is one; whether it did.
async fn insert_running<C: ConnectionTrait>(
    db: &C,
    principal: &str,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> DomainResult<bool> {
    let row = idempotency_key::ActiveModel {
        principal: Set(principal.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        state: Set(IdempotencyState::Running),
        attempt: Set(1),
        status: Set(None),
        content_type: Set(None),
        body: Set(None),
        created_at: Set(now),
        locked_until: Set(now + lease),
        expires_at: Set(now + RETENTION),
    };
    let inserted = idempotency_key::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::Principal, Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// What an existing row means for the request; `None` when another run changed it first.
async fn decide<C: ConnectionTrait>(
    db: &C,
    row: idempotency_key::Model,
    request_hash: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> DomainResult<Option<Begun>> {
    if row.expires_at <= now {
        // An old use of the key: the request is new, whatever it is.
        let renewed = idempotency_key::ActiveModel {
            request_hash: Set(request_hash.to_owned()),
            state: Set(IdempotencyState::Running),
            attempt: Set(row.attempt + 1),
            status: Set(None),
            content_type: Set(None),
            body: Set(None),
            created_at: Set(now),
            locked_until: Set(now + lease),
            expires_at: Set(now + RETENTION),
            ..Default::default()
        };
        return take_over(db, &row, renewed).await;
    }
    if row.request_hash != request_hash {
        return Ok(Some(Begun::Mismatch));
    }
    match row.state {
        IdempotencyState::Completed => stored(row).map(|r| Some(Begun::Replay(r))),
        IdempotencyState::Running if row.locked_until > now => Ok(Some(Begun::InProgress)),
        IdempotencyState::Running => {
            // The run that held it is gone (its replica stopped): this one runs instead.
            tracing::warn!(key = %row.key, "taking over an idempotency key whose lease ended");
            let renewed = idempotency_key::ActiveModel {
                attempt: Set(row.attempt + 1),
                locked_until: Set(now + lease),
                ..Default::default()
            };
            take_over(db, &row, renewed).await
        }
    }
}

/// Writes `renewed` over `row` if no other run changed it since it was read.
async fn take_over<C: ConnectionTrait>(
    db: &C,
    row: &idempotency_key::Model,
    renewed: idempotency_key::ActiveModel,
) -> DomainResult<Option<Begun>> {
    let result = idempotency_key::Entity::update_many()
        .set(renewed)
        .filter(Column::Principal.eq(&row.principal))
        .filter(Column::Key.eq(&row.key))
        .filter(Column::Attempt.eq(row.attempt))
        .filter(Column::State.eq(row.state))
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1)
        .then(|| Begun::Fresh(claim(&row.principal, &row.key, row.attempt + 1))))
}

fn claim(principal: &str, key: &str, attempt: i32) -> Claim {
    Claim {
        principal: principal.to_owned(),
        key: key.to_owned(),
        attempt,
    }
}

/// The response a completed row holds; a row without one is corrupt.
fn stored(row: idempotency_key::Model) -> DomainResult<StoredResponse> {
    let status = row.status.and_then(|s| u16::try_from(s).ok());
    match (status, row.body) {
        (Some(status), Some(body)) => Ok(StoredResponse {
            status,
            content_type: row.content_type,
            body,
        }),
        _ => Err(DomainError::Db(sea_orm::DbErr::Custom(format!(
            "idempotency key {:?} is completed without a response",
            row.key
        )))),
    }
}

/// Stores the response of the run that holds `claim`; whether it still held it (a run
/// taken over after its lease did not, and its response is not kept).
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    claim: &Claim,
    response: &StoredResponse,
) -> DomainResult<bool> {
    let done = idempotency_key::ActiveModel {
        state: Set(IdempotencyState::Completed),
        status: Set(Some(i32::from(response.status))),
        content_type: Set(response.content_type.clone()),
        body: Set(Some(response.body.clone())),
        ..Default::default()
    };
    let result = idempotency_key::Entity::update_many()
        .set(done)
        .filter(held_by(claim))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives the key of a run of which nothing ran back (the database was unavailable, the
/// request was cut off at its time limit or by a stop), so that the client may retry it.
pub async fn release<C: ConnectionTrait>(db: &C, claim: &Claim) -> DomainResult<()> {
    idempotency_key::Entity::delete_many()
        .filter(held_by(claim))
        .exec(db)
        .await?;
    Ok(())
}

/// The row `claim` holds, while it still does.
fn held_by(claim: &Claim) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(Column::Principal.eq(&claim.principal))
        .add(Column::Key.eq(&claim.key))
        .add(Column::Attempt.eq(claim.attempt))
        .add(Column::State.eq(IdempotencyState::Running))
}

/// Deletes every key expired at `now`; how many. Run daily (`kakehashi idempotency prune`).
pub async fn prune<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> DomainResult<u64> {
    let result = idempotency_key::Entity::delete_many()
        .filter(Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn principal() -> Principal {
        Principal {
            subject: "desk".to_owned(),
            role: Role::SupportOrgStaff,
            specialist_registration_number: None,
            org_id: Some("CCI_13".to_owned()),
            company_id: None,
            provider_id: None,
            client_id: None,
            scopes: Some(vec![
                "matching:write".to_owned(),
                "matching:read".to_owned(),
            ]),
        }
    }

    #[test]
    fn a_request_has_one_fingerprint_whatever_its_key_order_and_spacing() {
        let a: serde_json::Value = serde_json::from_str(
            r#"{"query":"mutation { x }","variables":{"a":1,"b":[2,{"d":3,"c":4}]}}"#,
        )
        .unwrap();
        let b: serde_json::Value = serde_json::from_str(
            "{ \"variables\": { \"b\": [2, {\"c\": 4, \"d\": 3}], \"a\": 1 },\n  \"query\": \"mutation { x }\" }",
        )
        .unwrap();
        assert_eq!(request_fingerprint(&a), request_fingerprint(&b));
        assert_eq!(request_fingerprint(&a).len(), 64);
    }

    #[test]
    fn requests_that_differ_in_a_value_or_an_order_of_a_list_differ() {
        let a = serde_json::json!({ "variables": { "ids": [1, 2] } });
        let b = serde_json::json!({ "variables": { "ids": [2, 1] } });
        let c = serde_json::json!({ "variables": { "ids": [1, 3] } });
        assert_ne!(request_fingerprint(&a), request_fingerprint(&b));
        assert_ne!(request_fingerprint(&a), request_fingerprint(&c));
    }

    #[test]
    fn a_callers_keys_follow_its_authority_not_only_its_subject() {
        let one = principal();
        let mut reordered = principal();
        reordered.scopes = Some(vec![
            "matching:read".to_owned(),
            "matching:write".to_owned(),
        ]);
        assert_eq!(
            principal_fingerprint(&one),
            principal_fingerprint(&reordered)
        );
        let mut other_org = principal();
        other_org.org_id = Some("CCI_14".to_owned());
        assert_ne!(
            principal_fingerprint(&one),
            principal_fingerprint(&other_org)
        );
        let mut no_scope_claim = principal();
        no_scope_claim.scopes = None;
        assert_ne!(
            principal_fingerprint(&one),
            principal_fingerprint(&no_scope_claim)
        );
    }
}
