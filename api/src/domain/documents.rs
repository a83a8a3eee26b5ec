//! Persisted operations: GraphQL documents a request names by id instead of sending their
//! text.
//!
//! Two kinds are kept, both in `persisted_documents` so that every replica finds them:
//!
//! - Trusted documents: a partner's build tool (Relay's `persistConfig`, Apollo's
//!   persisted-query manifest) writes `{ id: document }`; staff register them. Each is
//!   checked against the schema when registered (by a [`Validator`] the caller passes in:
//!   this module knows nothing of GraphQL), so it is never checked again. Registering an
//!   id again with the same text changes nothing; with another text it is refused.
//! - Automatically persisted queries (Apollo's APQ): a client sends the SHA-256 of its
//!   document, and the document itself the first time; any caller may store one, kept
//!   under its hash once it passes the same check.
//!
//! Who may run what is decided by the request path (`KAKEHASHI_TRUSTED_DOCUMENTS_ONLY`);
//! here are the rules of the store.

use std::{collections::HashMap, future::Future};

use entities::{enums::documents::DocumentSource, persisted_document};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Select, Set, SqlErr,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{
    CHUNK, Caller, DomainError, DomainResult, FieldError, audit, begin_write,
    error::Violations,
    find_in_order,
    pagination::{Direction, Page, PageArgs, paginate_by_id},
    permissions,
};

/// The most documents one registration takes (a manifest of a large application holds a
/// few hundred).
pub const MAX_DOCUMENTS: usize = 1_000;
/// The longest id: Relay's are 32 (MD5) or 64 (SHA-256) hex digits.
pub const MAX_ID_CHARS: usize = 200;

/// Checks a document against the schema the service runs, as a request would be.
pub trait Validator: Sync {
    /// Why `text` is not a document the service would run (it does not parse, names a
    /// field the schema lacks, passes a limit), in a sentence; nothing when it is.
    fn validate(&self, text: &str) -> impl Future<Output = Result<(), String>> + Send;
}

/// One document to register: the partner's id and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub id: String,
    pub text: String,
}

/// What a registration did: each document as stored, in the order given, and how many of
/// them were new.
#[derive(Debug, Clone)]
pub struct Registration {
    pub documents: Vec<persisted_document::Model>,
    pub added: usize,
}

/// SHA-256 of `text`, lower-case hex: the hash APQ names a document by.
pub fn sha256_hex(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// The documents of a manifest file: Relay's map `{ "<id>": "<document>" }`, or Apollo's
/// persisted-query manifest (`{ "format": "apollo-persisted-query-manifest", "version": 1,
/// "operations": [{ "id", "name", "type", "body" }] }`).
pub fn parse_manifest(text: &str) -> Result<Vec<NewDocument>, String> {
    #[derive(Deserialize)]
    struct ApolloOperation {
        id: String,
        body: String,
    }
    #[derive(Deserialize)]
    struct ApolloManifest {
        version: u32,
        operations: Vec<ApolloOperation>,
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|err| format!("not JSON: {err}"))?;
    if value.get("format").and_then(|f| f.as_str()) == Some("apollo-persisted-query-manifest") {
        let manifest: ApolloManifest = serde_json::from_value(value)
            .map_err(|err| format!("not an Apollo persisted-query manifest: {err}"))?;
        if manifest.version != 1 {
            return Err(format!(
                "Apollo manifest version {} is not supported (only 1)",
                manifest.version
            ));
        }
        return Ok(manifest
            .operations
            .into_iter()
            .map(|op| NewDocument {
                id: op.id,
                text: op.body,
            })
            .collect());
    }
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_value(value)
        .map_err(|_| "neither a Relay map of ids to documents nor an Apollo manifest".to_owned())?;
    map.into_iter()
        .map(|(id, text)| match text {
            serde_json::Value::String(text) => Ok(NewDocument { id, text }),
            _ => Err(format!("the document of `{id}` is not a string")),
        })
        .collect()
}

/// Whether `id` may name a document: 1–200 printable ASCII characters, no spaces.
fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > MAX_ID_CHARS || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "must be 1 to {MAX_ID_CHARS} printable ASCII characters without spaces"
        ));
    }
    Ok(())
}

/// Checks the input of a registration as a whole, then each document against the schema:
/// every problem at once.
async fn check_documents(
    documents: &[NewDocument],
    client: Option<&str>,
    validator: &impl Validator,
) -> DomainResult<()> {
    let mut violations = Violations::default();
    if documents.is_empty() || documents.len() > MAX_DOCUMENTS {
        violations.push(
            "documents",
            format!(
                "give 1 to {MAX_DOCUMENTS} documents, not {}",
                documents.len()
            ),
        );
    }
    if client.is_some_and(|c| c.trim().is_empty() || c.chars().count() > 200) {
        violations.push("client", "must be 1 to 200 characters");
    }
    let mut first_text: HashMap<&str, &str> = HashMap::new();
    for (i, document) in documents.iter().enumerate() {
        violations.check(&format!("documents.{i}.id"), check_id(&document.id));
        if first_text
            .insert(&document.id, &document.text)
            .is_some_and(|earlier| earlier != document.text)
        {
            violations.push(
                &format!("documents.{i}.id"),
                "is given twice with different documents",
            );
        }
        if let Err(why) = validator.validate(&document.text).await {
            violations.push(&format!("documents.{i}.document"), why);
        }
    }
    violations.into_result()
}

/// Registers trusted documents, all or none: staff only. Each must pass `validator`; an id
/// already registered with the same text is left as it is (one stored by APQ becomes
/// trusted), with another text it is a conflict.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    documents: &[NewDocument],
    client: Option<&str>,
    validator: &impl Validator,
) -> DomainResult<Registration> {
    caller
        .actor
        .allow(&permissions::REGISTER_TRUSTED_DOCUMENTS)?;
    let client = client.map(str::trim);
    check_documents(documents, client, validator).await?;
    let txn = begin_write(db).await?;
    let ids: Vec<String> = documents.iter().map(|d| d.id.clone()).collect();
    let mut stored = stored_by_id(&txn, &ids).await?;
    refuse_changed_texts(documents, &stored)?;
    let mut added = 0;
    for document in documents {
        let row = match stored.remove(&document.id) {
            Some(row) if row.source == DocumentSource::Trusted => row,
            Some(row) => trust(&txn, caller, row, client).await?,
            None => {
                added += 1;
                insert(&txn, caller, document, DocumentSource::Trusted, client).await?
            }
        };
        stored.insert(document.id.clone(), row);
    }
    let documents: Vec<persisted_document::Model> = documents
        .iter()
        .filter_map(|d| stored.get(&d.id).cloned())
        .collect();
    audit::record(
        &txn,
        caller,
        audit::AuditEntry {
            action: "documents.register",
            target_type: "TrustedDocument",
            target_id: format!("{} documents", documents.len()),
            details: serde_json::json!({
                "client": client,
                "added": added,
                "ids": documents.iter().map(|d| d.document_id.as_str()).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Registration { documents, added })
}

/// The stored documents with these ids, by id.
async fn stored_by_id<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
) -> DomainResult<HashMap<String, persisted_document::Model>> {
    let mut rows = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for row in persisted_document::Entity::find()
            .filter(persisted_document::Column::DocumentId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            rows.insert(row.document_id.clone(), row);
        }
    }
    Ok(rows)
}

/// Refuses ids already registered with another text: a partner's id names one document
/// for good (a client built against the old text would run the new one).
fn refuse_changed_texts(
    documents: &[NewDocument],
    stored: &HashMap<String, persisted_document::Model>,
) -> DomainResult<()> {
    let mut conflicts: Vec<FieldError> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| stored.get(&d.id).is_some_and(|row| row.body != d.text))
        .map(|(i, _)| {
            FieldError::new(
                &format!("documents.{i}.id"),
                "is already registered with another document; give the new one a new id",
            )
        })
        .collect();
    match conflicts.len() {
        0 => Ok(()),
        1 => Err(DomainError::Conflict(conflicts.remove(0))),
        _ => Err(DomainError::Invalid(conflicts)),
    }
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    document: &NewDocument,
    source: DocumentSource,
    client: Option<&str>,
) -> DomainResult<persisted_document::Model> {
    let registered_by = (source == DocumentSource::Trusted).then(|| caller.actor.subject());
    Ok(persisted_document::ActiveModel {
        document_id: Set(document.id.clone()),
        sha256: Set(sha256_hex(&document.text)),
        body: Set(document.text.clone()),
        source: Set(source),
        client: Set(client.map(str::to_owned)),
        registered_by: Set(registered_by.map(str::to_owned)),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Makes a document stored by APQ a trusted one: staff registered the same text.
async fn trust<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    row: persisted_document::Model,
    client: Option<&str>,
) -> DomainResult<persisted_document::Model> {
    let mut active = row.into_active_model();
    active.source = Set(DocumentSource::Trusted);
    active.client = Set(client.map(str::to_owned));
    active.registered_by = Set(Some(caller.actor.subject().to_owned()));
    Ok(active.update(db).await?)
}

/// The document a request names by id (`documentId`, Relay's `doc_id`).
pub async fn by_document_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> DomainResult<Option<persisted_document::Model>> {
    Ok(persisted_document::Entity::find()
        .filter(persisted_document::Column::DocumentId.eq(id))
        .one(db)
        .await?)
}

/// The document whose text has this SHA-256 (APQ's `sha256Hash`), a trusted one first.
pub async fn by_sha256<C: ConnectionTrait>(
    db: &C,
    hash: &str,
) -> DomainResult<Option<persisted_document::Model>> {
    Ok(persisted_document::Entity::find()
        .filter(persisted_document::Column::Sha256.eq(hash.to_ascii_lowercase()))
        // `TRUSTED` sorts after `APQ`.
        .order_by_desc(persisted_document::Column::Source)
        .order_by_asc(persisted_document::Column::Id)
        .one(db)
        .await?)
}

/// Refuses an APQ request whose document does not have the hash it names.
pub fn check_hash(hash: &str, text: &str) -> DomainResult<()> {
    if !hash.eq_ignore_ascii_case(&sha256_hex(text)) {
        return Err(DomainError::invalid(
            "sha256_hash",
            "provided sha does not match query",
        ));
    }
    Ok(())
}

/// Stores a document sent through APQ under its hash, once it passes `validator` (any
/// caller may: it is the protocol). A document already stored is returned as it is.
pub async fn store_apq(
    db: &DatabaseConnection,
    caller: &Caller,
    hash: &str,
    text: &str,
    validator: &impl Validator,
) -> DomainResult<persisted_document::Model> {
    check_hash(hash, text)?;
    if let Some(row) = by_sha256(db, hash).await? {
        return Ok(row);
    }
    validator
        .validate(text)
        .await
        .map_err(|why| DomainError::invalid("query", why))?;
    let document = NewDocument {
        id: hash.to_ascii_lowercase(),
        text: text.to_owned(),
    };
    match insert(db, caller, &document, DocumentSource::Apq, None).await {
        Ok(row) => Ok(row),
        // Another replica stored it first.
        Err(DomainError::Db(err))
            if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            by_document_id(db, &document.id)
                .await?
                .ok_or(DomainError::Db(err))
        }
        Err(other) => Err(other),
    }
}

fn trusted(caller: &Caller) -> DomainResult<Select<persisted_document::Entity>> {
    caller.actor.allow(&permissions::READ_TRUSTED_DOCUMENTS)?;
    Ok(persisted_document::Entity::find()
        .filter(persisted_document::Column::Source.eq(DocumentSource::Trusted)))
}

/// A page of the trusted documents, newest first: staff only.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    args: &PageArgs,
) -> DomainResult<Page<persisted_document::Model>> {
    paginate_by_id(
        db,
        trusted(caller)?,
        persisted_document::Column::Id,
        Direction::Descending,
        args,
        |row| row.id,
    )
    .await
}

/// How many trusted documents there are: staff only.
pub async fn count<C: ConnectionTrait>(db: &C, caller: &Caller) -> DomainResult<u64> {
    Ok(trusted(caller)?.count(db).await?)
}

/// Trusted documents by key, for `node`: staff only, others see none.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    ids: &[i64],
) -> DomainResult<Vec<Option<persisted_document::Model>>> {
    if caller
        .actor
        .allow(&permissions::READ_TRUSTED_DOCUMENTS)
        .is_err()
    {
        return Ok(vec![None; ids.len()]);
    }
    find_in_order::<persisted_document::Entity, _>(
        db,
        persisted_document::Column::Id,
        ids,
        Condition::all().add(persisted_document::Column::Source.eq(DocumentSource::Trusted)),
        |row| row.id,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_maps_and_apollo_manifests_are_read() {
        let relay = r#"{ "0a1b": "query A { viewer { role } }" }"#;
        assert_eq!(
            parse_manifest(relay).unwrap(),
            vec![NewDocument {
                id: "0a1b".into(),
                text: "query A { viewer { role } }".into()
            }]
        );
        let apollo = r#"{ "format": "apollo-persisted-query-manifest", "version": 1,
            "operations": [{ "id": "abc", "name": "A", "type": "query",
                             "body": "query A { viewer { role } }" }] }"#;
        assert_eq!(parse_manifest(apollo).unwrap()[0].id, "abc");
        assert!(parse_manifest("[1]").is_err());
        assert!(parse_manifest(r#"{ "a": 1 }"#).is_err());
        let v2 =
            r#"{ "format": "apollo-persisted-query-manifest", "version": 2, "operations": [] }"#;
        assert!(parse_manifest(v2).unwrap_err().contains("version 2"));
    }

    #[test]
    fn hashes_are_lower_case_hex_and_checked_in_any_case() {
        let hash = sha256_hex("{ viewer { role } }");
        assert_eq!(hash.len(), 64);
        assert!(check_hash(&hash.to_ascii_uppercase(), "{ viewer { role } }").is_ok());
        assert!(check_hash(&hash, "{ viewer { authenticated } }").is_err());
    }

    #[test]
    fn ids_are_printable_without_spaces() {
        assert!(check_id("MyQuery:0a1b").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("a b").is_err());
        assert!(check_id(&"a".repeat(201)).is_err());
    }
}
