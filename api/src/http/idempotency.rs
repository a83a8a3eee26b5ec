//! `Idempotency-Key` on `POST /graphql` (IETF draft-ietf-httpapi-idempotency-key-header):
//! a signed-in client that retries a request with the key it first sent gets the first
//! response again, byte for byte, with `Idempotent-Replayed: true`, and nothing runs twice.
//! The same key with another request is a 422 (`IDEMPOTENCY_KEY_REUSED`); while the first
//! request still runs, a 409 (`IDEMPOTENCY_IN_PROGRESS`) with `Retry-After`. Keys live in
//! the database (`domain::idempotency`), so every replica sees them.

use std::{future::Future, time::Duration};

use axum::{
    body::{Body, to_bytes},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::Response,
};
use tracing::Instrument;

use super::{
    AppHttpState,
    errors::{RETRY_AFTER_SECONDS, domain_error, error_response},
};
use crate::{
    domain::{
        Actor, Caller,
        idempotency::{self, Begun, Claim, StoredResponse},
    },
    graphql::error::ErrorCode,
};

/// The request header naming the key.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The response header marking a replay.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// The longest key accepted.
pub const MAX_KEY_CHARS: usize = 255;
/// How long past the request time limit a running key stays held: the time to store its
/// response. Past it, the run is taken for lost (its replica stopped) and a retry runs.
pub const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// A key as the client chose it: 1–255 printable ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Reads a header value: a Structured Field string (`"8e03978e-…"`, RFC 8941 §3.3.3),
    /// or, leniently, a bare key of letters, digits and the token characters
    /// ``!#$%&'*+-.^_`|~:/`` (an unquoted UUID, say).
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim_matches([' ', '\t']);
        let key = match value.strip_prefix('"') {
            Some(quoted) => unquote(quoted)?,
            None if value.bytes().all(is_bare_key_char) => value.to_owned(),
            None => {
                return Err(
                    "the Idempotency-Key must be a quoted string of printable ASCII characters, \
                     such as \"8e03978e-40d5-43e8-bc93-6894a57f9324\""
                        .to_owned(),
                );
            }
        };
        if key.is_empty() || key.len() > MAX_KEY_CHARS {
            return Err(format!(
                "the Idempotency-Key must hold 1 to {MAX_KEY_CHARS} characters, not {}",
                key.len()
            ));
        }
        Ok(Self(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A character of a bare key: `tchar` (RFC 9110), `:` or `/`, as in a Structured Field
/// token, except that a key may start with any of them.
fn is_bare_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&b)
}

/// The characters of an sf-string after its opening quote, unescaped; nothing may follow
/// the closing quote.
fn unquote(quoted: &str) -> Result<String, String> {
    let mut key = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped @ ('"' | '\\')) => key.push(escaped),
                _ => return Err("in the Idempotency-Key, `\\` may escape only `\"` or `\\`".into()),
            },
            '"' if chars.as_str().is_empty() => return Ok(key),
            '"' => return Err("nothing may follow the Idempotency-Key's closing quote".into()),
            ' '..='~' => key.push(c),
            _ => {
                return Err("the Idempotency-Key may hold printable ASCII characters only".into());
            }
        }
    }
    Err("the Idempotency-Key lacks its closing quote".into())
}

/// The request's key, if it sent one; why a malformed or repeated one is refused.
pub fn key_of(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, String> {
    let mut values = headers.get_all(&IDEMPOTENCY_KEY).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err("send one Idempotency-Key header, not several".to_owned());
    }
    let value = value
        .to_str()
        .map_err(|_| "the Idempotency-Key may hold printable ASCII characters only".to_owned())?;
    IdempotencyKey::parse(value).map(Some)
}

/// Whose keys a request's key is among: a signed-in caller's. An anonymous request has
/// no one to keep its key for (anyone could replay anyone's), so it is refused.
pub fn principal_of(caller: &Caller) -> Result<String, String> {
    match &caller.actor {
        Actor::Principal(principal) => Ok(idempotency::principal_fingerprint(principal)),
        _ => Err("sign in to send an Idempotency-Key: keys are kept per caller".to_owned()),
    }
}

/// 400 for a key that cannot be used, saying why.
pub fn refused(message: &str) -> Response {
    error_response(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message)
}

/// A response to send, and whether anything of the request may have been kept: `false`
/// when it was refused before it ran or cut off (the database was unavailable, the time
/// limit passed, the service was stopping), so the key is released for a retry.
pub type Outcome = (Response, bool);

/// Runs `run` once for `key`: the first time, storing its response; again with the same
/// body, replaying the stored response without running it. `body` is the request as
/// received (valid JSON). The run and the storing of its response go on even if the client
/// goes away meanwhile, so its retry finds the response.
pub async fn once<F>(
    state: &AppHttpState,
    principal: String,
    key: IdempotencyKey,
    body: &[u8],
    run: F,
) -> Response
where
    F: Future<Output = Outcome> + Send + 'static,
{
    let request_hash = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(json) => idempotency::request_fingerprint(&json),
        Err(err) => {
            let message = format!("the body is not a GraphQL request: {err}");
            return error_response(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, &message);
        }
    };
    let lease = chrono::Duration::from_std(state.limits.request_timeout + LEASE_MARGIN)
        .unwrap_or(idempotency::RETENTION);
    let now = state.clock.now();
    let begun = idempotency::begin(
        &state.db,
        &principal,
        key.as_str(),
        &request_hash,
        now,
        lease,
    )
    .await;
    match begun {
        Err(err) => domain_error(err),
        Ok(Begun::Replay(stored)) => replay(stored),
        Ok(Begun::Mismatch) => error_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was sent with a different request in the last 24 hours; \
             send a new request with a new key",
        ),
        Ok(Begun::InProgress) => {
            let mut response = error_response(
                StatusCode::CONFLICT,
                ErrorCode::IdempotencyInProgress,
                "the first request with this Idempotency-Key is still running; retry shortly \
                 to get its response",
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
            response
        }
        Ok(Begun::Fresh(claim)) => {
            let db = state.db.clone();
            let task = async move {
                let (response, kept) = run.await;
                settle(&db, &claim, response, kept).await
            };
            match tokio::spawn(task.instrument(tracing::Span::current())).await {
                Ok(response) => response,
                Err(err) => {
                    // The run panicked: what it did is unknown, so the key stays held until
                    // its lease ends.
                    tracing::error!(error = %err, "idempotent request failed");
                    error_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        ErrorCode::Internal,
                        "internal error; the request id identifies it in our logs",
                    )
                }
            }
        }
    }
}

/// Stores the response of a run that may have kept something, or releases the key of one
/// that did not; returns the response to send.
async fn settle(
    db: &sea_orm::DatabaseConnection,
    claim: &Claim,
    response: Response,
    kept: bool,
) -> Response {
    if !kept {
        if let Err(err) = idempotency::release(db, claim).await {
            tracing::warn!(error = %err, "idempotency key not released; it frees at its lease's end");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "response body not readable");
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "internal error; the request id identifies it in our logs",
            );
        }
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: body.to_vec(),
    };
    match idempotency::complete(db, claim, &stored).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!("idempotency key was taken over before its response was stored")
        }
        Err(err) => tracing::error!(error = %err, "idempotent response not stored"),
    }
    Response::from_parts(parts, Body::from(body))
}

/// The stored response, as it was first sent, marked as a replay.
fn replay(stored: StoredResponse) -> Response {
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    if let Some(value) = stored
        .content_type
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(value: &str) -> Result<String, String> {
        IdempotencyKey::parse(value).map(|k| k.as_str().to_owned())
    }

    #[test]
    fn a_quoted_key_is_read_as_a_structured_field_string() {
        assert_eq!(key("\"8e03978e-40d5\"").unwrap(), "8e03978e-40d5");
        assert_eq!(key(" \"a b\" ").unwrap(), "a b");
        assert_eq!(
            key(r#""say \"hi\" \\ there""#).unwrap(),
            r#"say "hi" \ there"#
        );
    }

    #[test]
    fn a_bare_token_is_accepted_leniently() {
        assert_eq!(key("order-2026-001").unwrap(), "order-2026-001");
        assert_eq!(
            key("8e03978e-40d5-43e8-bc93-6894a57f9324").unwrap(),
            "8e03978e-40d5-43e8-bc93-6894a57f9324"
        );
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in [
            "",
            "\"\"",
            "\"open",
            "\"a\"b",
            "\"a\";p=1",
            "a;p=1",
            r#""a\n""#,
            "two words",
            "bare\"quote",
            "back\\slash",
            "\"caf\u{e9}\"",
        ] {
            assert!(key(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_key_holds_at_most_255_characters() {
        assert!(key(&"k".repeat(255)).is_ok());
        assert!(key(&"k".repeat(256)).is_err());
        assert!(key(&format!("\"{}\"", "k".repeat(256))).is_err());
    }
}
