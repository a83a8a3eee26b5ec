//! Persisted operations on the wire: a request may name its document instead of sending
//! its text.
//!
//! - `documentId` (or Relay's `doc_id`) in the POST body or the GET query string names a
//!   trusted document (see `domain::documents`).
//! - Apollo's automatic persisted queries: `extensions.persistedQuery.sha256Hash` names a
//!   document by the SHA-256 of its text. Sent alone, an unknown hash is answered with
//!   `PersistedQueryNotFound` (code `PERSISTED_QUERY_NOT_FOUND`), and the client sends
//!   the hash again with the text, which is checked against the hash, validated and
//!   stored for every replica.
//!
//! A document found in the store was validated when it was stored, so its requests run on
//! the schemas that skip validation. With `KAKEHASHI_TRUSTED_DOCUMENTS_ONLY`, a service
//! account (a token with a `scope` claim) runs trusted documents only: its free-form
//! text, and documents stored through APQ, are refused with `PERSISTED_QUERY_REQUIRED`.
//! A hot document costs no SQL: the texts found are kept in a bounded in-process cache
//! (a trusted id names one text for good).

use std::{
    any::TypeId,
    num::NonZeroUsize,
    sync::{Arc, Mutex},
};

use async_graphql::{BatchRequest, Request, Response};
use entities::enums::documents::DocumentSource;
use lru::LruCache;
use sea_orm::DatabaseConnection;
use serde::de::Error as _;

use crate::{
    domain::{Caller, DomainError, documents},
    graphql::{
        documents::validator::SchemaValidator,
        error::{ErrorCode, classify},
    },
};

/// Texts kept per process; the least recently used goes first.
const CAPACITY: usize = 1024;

/// What Apollo clients look for in the error of an unknown hash or id.
pub const NOT_FOUND_MESSAGE: &str = "PersistedQueryNotFound";

/// The id a request named its document by (`documentId`, `doc_id`), kept with the request
/// until the store supplies the text.
#[derive(Debug, Clone)]
pub struct DocumentRef(pub String);

/// Marks a request whose text the store already supplied (GET looks the text up first,
/// to know whether the operation is a query).
#[derive(Debug, Clone, Copy)]
struct Supplied(DocumentSource);

/// A document found in the store.
#[derive(Debug)]
struct Known {
    text: String,
    source: DocumentSource,
}

/// How a request names a stored document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum By {
    Id,
    Sha256,
}

/// The store of persisted documents as the request path sees it.
pub struct PersistedDocuments {
    db: DatabaseConnection,
    trusted_only: bool,
    cache: Mutex<LruCache<(By, String), Arc<Known>>>,
}

fn data_of<T: 'static>(request: &Request) -> Option<&T> {
    request
        .data
        .get(&TypeId::of::<T>())
        .and_then(|value| value.downcast_ref::<T>())
}

/// Why a request was refused before it ran: its code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

impl From<Refusal> for Response {
    fn from(refusal: Refusal) -> Self {
        let mut error = async_graphql::ServerError::new(refusal.message, None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", refusal.code.as_str());
        error.extensions = Some(extensions);
        Response::from_errors(vec![error])
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

fn not_found() -> Refusal {
    refusal(ErrorCode::PersistedQueryNotFound, NOT_FOUND_MESSAGE)
}

fn failed(err: DomainError) -> Refusal {
    let (code, message) = classify(err);
    refusal(code, message)
}

/// The hash of APQ's `extensions.persistedQuery`, if the request carries one.
fn apq_hash(request: &Request) -> Result<Option<String>, Refusal> {
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let persisted = persisted.clone().into_json().map_err(|_| {
        refusal(
            ErrorCode::BadUserInput,
            "extensions.persistedQuery is not JSON",
        )
    })?;
    let version = persisted.get("version").and_then(serde_json::Value::as_u64);
    let hash = persisted
        .get("sha256Hash")
        .and_then(serde_json::Value::as_str);
    match (version, hash) {
        (Some(1), Some(hash)) => Ok(Some(hash.to_owned())),
        (Some(1), None) => Err(refusal(
            ErrorCode::BadUserInput,
            "extensions.persistedQuery needs a sha256Hash",
        )),
        _ => Err(refusal(
            ErrorCode::BadUserInput,
            "PersistedQueryNotSupported: only version 1 of persisted queries is supported",
        )),
    }
}

/// Whether the extensions of a GET request name an APQ document.
pub fn names_apq(extensions: &async_graphql::Extensions) -> bool {
    extensions.contains_key("persistedQuery")
}

/// The document id a GET or POST names, `documentId` first.
pub fn reference(document_id: Option<String>, doc_id: Option<String>) -> Option<DocumentRef> {
    document_id
        .or(doc_id)
        .filter(|id| !id.is_empty())
        .map(DocumentRef)
}

/// Reads a POST body: one GraphQL request or a batch, each of which may name its document
/// with `documentId` or `doc_id` instead of sending `query`.
pub fn parse_batch(bytes: &[u8]) -> Result<BatchRequest, serde_json::Error> {
    match serde_json::from_slice::<serde_json::Value>(bytes)? {
        serde_json::Value::Array(items) => Ok(BatchRequest::Batch(
            items.into_iter().map(parse_one).collect::<Result<_, _>>()?,
        )),
        single => Ok(BatchRequest::Single(parse_one(single)?)),
    }
}

fn parse_one(value: serde_json::Value) -> Result<Request, serde_json::Error> {
    let serde_json::Value::Object(mut fields) = value else {
        return Err(serde_json::Error::custom("a request is a JSON object"));
    };
    let mut id = |name: &str| match fields.remove(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(id)) => Ok(Some(id)),
        Some(_) => Err(serde_json::Error::custom(format!(
            "{name} must be a string"
        ))),
    };
    let reference = reference(id("documentId")?, id("doc_id")?);
    if fields.get("query").is_some_and(serde_json::Value::is_null) {
        fields.remove("query");
    }
    let mut request: Request = serde_json::from_value(serde_json::Value::Object(fields))?;
    if let Some(reference) = reference {
        request = request.data(reference);
    }
    Ok(request)
}

impl PersistedDocuments {
    pub fn new(db: DatabaseConnection, trusted_only: bool) -> Self {
        Self {
            db,
            trusted_only,
            cache: Mutex::new(LruCache::new(
                NonZeroUsize::MIN.saturating_add(CAPACITY - 1),
            )),
        }
    }

    /// The stored document named `key` by `by`. A cached one from APQ is read again when
    /// `fresh` (it may have been registered as trusted since).
    async fn find(&self, by: By, key: &str, fresh: bool) -> Result<Option<Arc<Known>>, Refusal> {
        let cache_key = (by, key.to_owned());
        let cached = self
            .cache
            .lock()
            .ok()
            .and_then(|mut cache| cache.get(&cache_key).cloned());
        if let Some(known) = cached
            && !(fresh && known.source == DocumentSource::Apq)
        {
            return Ok(Some(known));
        }
        let row = match by {
            By::Id => documents::by_document_id(&self.db, key).await,
            By::Sha256 => documents::by_sha256(&self.db, key).await,
        }
        .map_err(failed)?;
        Ok(row.map(|row| {
            let known = Arc::new(Known {
                text: row.body,
                source: row.source,
            });
            if let Ok(mut cache) = self.cache.lock() {
                cache.put(cache_key, known.clone());
            }
            known
        }))
    }

    /// For GET: fills in the text of a document named by id, or by hash alone, so that the
    /// operation's type can be read before anything runs.
    pub async fn supply(&self, mut request: Request) -> Result<Request, Refusal> {
        let source = self.supply_text(&mut request, false).await?;
        if let Some(source) = source {
            request = request.data(Supplied(source));
        }
        Ok(request)
    }

    /// Fills in the text of a request that names its document by id or hash alone; the
    /// document's source, when the text came from the store.
    async fn supply_text(
        &self,
        request: &mut Request,
        fresh: bool,
    ) -> Result<Option<DocumentSource>, Refusal> {
        if let Some(Supplied(source)) = data_of::<Supplied>(request) {
            return Ok(Some(*source));
        }
        let by = match (data_of::<DocumentRef>(request), apq_hash(request)?) {
            (Some(DocumentRef(id)), _) => (By::Id, id.clone()),
            (None, Some(hash)) if request.query.trim().is_empty() => (By::Sha256, hash),
            (None, _) => return Ok(None),
        };
        if by.0 == By::Id && !request.query.trim().is_empty() {
            return Err(refusal(
                ErrorCode::BadUserInput,
                "send either `documentId` (or `doc_id`) or `query`, not both",
            ));
        }
        let known = self.find(by.0, &by.1, fresh).await?.ok_or_else(not_found)?;
        request.query = known.text.clone();
        Ok(Some(known.source))
    }

    /// Resolves the document of a request before it is parsed: fills in the text of one
    /// named by id or hash, stores one APQ sends with its hash, and applies
    /// `KAKEHASHI_TRUSTED_DOCUMENTS_ONLY`. Tells whether the document was validated when
    /// it was stored; a refusal is the response to give.
    pub async fn resolve(
        &self,
        caller: &Caller,
        mut request: Request,
    ) -> Result<(Request, bool), Refusal> {
        let restricted = self.trusted_only && caller.actor.scopes().is_some();
        let mut source = self.supply_text(&mut request, restricted).await?;
        if source.is_none()
            && let Some(hash) = apq_hash(&request)?
        {
            source = self
                .register_apq(caller, &hash, &request.query, restricted)
                .await?;
        }
        if restricted && source != Some(DocumentSource::Trusted) {
            return Err(refusal(
                ErrorCode::PersistedQueryRequired,
                "this service account runs trusted documents only: send the `documentId` of \
                 a registered document instead of its text",
            ));
        }
        Ok((request, source.is_some()))
    }

    /// APQ's second request, the hash with the text: the text must have the hash; a new one
    /// is validated and stored (not for a caller restricted to trusted documents). A text
    /// that does not validate is left for execution to report.
    async fn register_apq(
        &self,
        caller: &Caller,
        hash: &str,
        text: &str,
        restricted: bool,
    ) -> Result<Option<DocumentSource>, Refusal> {
        documents::check_hash(hash, text).map_err(failed)?;
        if let Some(known) = self.find(By::Sha256, hash, restricted).await? {
            return Ok(Some(known.source));
        }
        if restricted {
            return Ok(None);
        }
        match documents::store_apq(&self.db, caller, hash, text, &SchemaValidator).await {
            Ok(row) => Ok(Some(row.source)),
            Err(DomainError::Invalid(_)) => Ok(None),
            Err(err) => Err(failed(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_may_name_its_document_instead_of_sending_it() {
        let BatchRequest::Single(request) =
            parse_batch(br#"{ "documentId": "abc", "variables": { "n": 1 } }"#).unwrap()
        else {
            panic!("one request");
        };
        assert_eq!(data_of::<DocumentRef>(&request).unwrap().0, "abc");
        assert!(request.query.is_empty());
        let BatchRequest::Batch(requests) =
            parse_batch(br#"[{ "doc_id": "r1", "query": null }, { "query": "{ a }" }]"#).unwrap()
        else {
            panic!("a batch");
        };
        assert_eq!(data_of::<DocumentRef>(&requests[0]).unwrap().0, "r1");
        assert!(data_of::<DocumentRef>(&requests[1]).is_none());
        assert!(parse_batch(br#"{ "documentId": 7 }"#).is_err());
        assert!(parse_batch(b"3").is_err());
    }
}
