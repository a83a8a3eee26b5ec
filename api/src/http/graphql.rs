//! `/graphql`: JSON over POST (queries and mutations, batches of up to 10), queries over
//! GET, and GraphiQL for browsers while introspection is on.

use async_graphql::{
    BatchRequest, BatchResponse,
    parser::{
        parse_query,
        types::{DocumentOperations, OperationType},
    },
};
use async_graphql_axum::GraphQLResponse;
use axum::{
    Extension,
    body::{Body, to_bytes},
    extract::{ConnectInfo, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppHttpState,
    errors::{RETRY_AFTER_SECONDS, error_response, method_not_allowed, unauthenticated},
    idempotency, persisted,
};
use crate::{
    domain::{
        Actor, Caller, audit,
        rate_limit::{PrincipalKey, Throttled},
    },
    graphql::{
        cost::{self, CostTicket},
        error::{ErrorCode, TIMED_OUT, code_client_errors},
        limits, prepare_request,
    },
};

/// The peer's address, when the server was started with it (tests call the router
/// without one).
pub type Peer = Option<Extension<ConnectInfo<std::net::SocketAddr>>>;

/// Whose budget a request spends: the token's subject, or for an anonymous caller the
/// address the trusted proxy header names (else the connection's).
fn principal_key(
    state: &AppHttpState,
    caller: &Caller,
    headers: &HeaderMap,
    peer: &Peer,
) -> PrincipalKey {
    let forwarded = state
        .client_ip_header
        .as_ref()
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .map(str::to_owned);
    let address = forwarded.or_else(|| {
        peer.as_ref()
            .map(|Extension(ConnectInfo(a))| a.ip().to_string())
    });
    PrincipalKey::of(&caller.actor, address.as_deref())
}

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most operations in one JSON batch.
pub const MAX_BATCH: usize = 10;
/// Most errors one operation's response lists: a document with thousands of mistakes
/// gets the first ones and a count of the rest, not a response many times its size.
pub const MAX_ERRORS: usize = 50;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The caller, from the `Authorization` header. A token that does not verify is answered
/// with 401, and the refusal (what was asked, and why; never the token) is audited.
pub(super) async fn authenticate(
    state: &AppHttpState,
    headers: &HeaderMap,
    what: &str,
) -> Result<Caller, Response> {
    let request_id = request_id(headers);
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::new(Actor::Anonymous, request_id).with_clock(state.clock));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "the Authorization header must be `Bearer <token>`".to_owned());
    let refused = match token.map(|token| state.verifier.verify(token)) {
        Ok(Ok(principal)) => {
            return Ok(Caller::new(Actor::Principal(principal), request_id).with_clock(state.clock));
        }
        Ok(Err(err)) => err.0,
        Err(reason) => reason,
    };
    tracing::info!(reason = %refused, "bearer token refused");
    let caller = Caller::new(Actor::Anonymous, request_id).with_clock(state.clock);
    match state.refused_tokens.admit(tokio::time::Instant::now()) {
        Some(0) => audit_refusal(state, &caller, what, ErrorCode::Unauthenticated, &refused).await,
        Some(before) => {
            let reason = format!(
                "{refused} ({before} refused tokens before this one were not audited one by one)"
            );
            audit_refusal(state, &caller, what, ErrorCode::Unauthenticated, &reason).await;
        }
        None => {}
    }
    Err(unauthenticated(&refused))
}

/// Appends a refused attempt to the audit trail. A trail that cannot be written (the
/// database is away) is logged; the refusal stands either way.
async fn audit_refusal(
    state: &AppHttpState,
    caller: &Caller,
    what: &str,
    code: ErrorCode,
    reason: &str,
) {
    if let Err(err) = audit::record_refusal(&state.db, caller, what, code.as_str(), reason).await {
        tracing::warn!(error = %err, "refusal not audited");
    }
}

/// The operation a request names (or the document's first, when it names none).
fn operation_of<'a>(
    document: &'a async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a async_graphql::Positioned<async_graphql::parser::types::OperationDefinition>> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next(),
    }
}

/// The names of the root fields of a mutation: what a refused write tried to do.
fn mutation_label(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> String {
    let fields: Vec<&str> = operation_of(document, operation_name)
        .map(|op| {
            op.node
                .selection_set
                .node
                .items
                .iter()
                .filter_map(|item| match &item.node {
                    async_graphql::parser::types::Selection::Field(f) => {
                        Some(f.node.name.node.as_str())
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    format!("mutation {}", fields.join(","))
}

/// The first error of a response that refused the caller, if any.
fn refusal_of(response: &async_graphql::Response) -> Option<(ErrorCode, String)> {
    response.errors.iter().find_map(|e| {
        let code = e.extensions.as_ref()?.get("code")?;
        [ErrorCode::Forbidden, ErrorCode::Unauthenticated]
            .into_iter()
            .find(|c| *code == async_graphql::Value::from(c.as_str()))
            .map(|c| (c, e.message.clone()))
    })
}

/// Whether no operation of the response produced data because the database was away.
fn unavailable(response: &BatchResponse) -> bool {
    match response {
        BatchResponse::Single(r) => nothing_ran(r),
        BatchResponse::Batch(rs) => !rs.is_empty() && rs.iter().all(nothing_ran),
    }
}

/// Answers in the media type the client asked for: the GraphQL one when it accepts it,
/// plain JSON otherwise (older clients). When nothing ran because the database is away,
/// the status is 503 with `Retry-After`, so clients and proxies know to come back.
fn respond(headers: &HeaderMap, response: BatchResponse) -> Response {
    let unavailable = unavailable(&response);
    // Every operation refused for want of points: 429, and when to come back.
    let throttled = match &response {
        BatchResponse::Single(r) => cost::retry_after(r),
        BatchResponse::Batch(rs) => rs
            .iter()
            .map(cost::retry_after)
            .collect::<Option<Vec<u64>>>()
            .and_then(|waits| waits.into_iter().max()),
    };
    let mut http = GraphQLResponse(response).into_response();
    let wants_graphql_type = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(GRAPHQL_RESPONSE_JSON));
    if !wants_graphql_type {
        http.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if let Some(seconds) = throttled {
        *http.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        http.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if unavailable {
        *http.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        http.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    http
}

/// A `THROTTLED` response for a caller whose budget is spent, with `extensions.cost`.
fn throttled_response(throttled: &Throttled) -> async_graphql::Response {
    let mut response =
        async_graphql::Response::from_errors(vec![cost::throttled_error(0, throttled)]);
    response.extensions.insert(
        "cost".to_owned(),
        cost::cost_value(0, 0, throttled.standing),
    );
    response
}

/// A response that refuses the operation before it runs.
fn refusal(code: ErrorCode, message: String) -> async_graphql::Response {
    let mut error = async_graphql::ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code.as_str());
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

/// Keeps the first [`MAX_ERRORS`] errors of a response and says how many were left out,
/// under the code of the first.
fn cap_errors(response: &mut async_graphql::Response) {
    if response.errors.len() <= MAX_ERRORS {
        return;
    }
    let left_out = response.errors.len() - MAX_ERRORS;
    response.errors.truncate(MAX_ERRORS);
    let code = response.errors[0]
        .extensions
        .as_ref()
        .and_then(|x| x.get("code"))
        .cloned();
    let mut more = async_graphql::ServerError::new(
        format!("{left_out} more errors are left out; correct these first"),
        None,
    );
    if let Some(code) = code {
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", code);
        more.extensions = Some(extensions);
    }
    response.errors.push(more);
}

/// Whether nothing of the operation ran because the database was away.
fn nothing_ran(response: &async_graphql::Response) -> bool {
    let code = async_graphql::Value::from(ErrorCode::ServiceUnavailable.as_str());
    matches!(response.data, async_graphql::Value::Null)
        && !response.errors.is_empty()
        && response
            .errors
            .iter()
            .all(|e| e.extensions.as_ref().and_then(|x| x.get("code")) == Some(&code))
}

/// The type of the operation a request would run, if its document names one.
fn operation_type(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<OperationType> {
    operation_of(document, operation_name).map(|op| op.node.ty)
}

async fn execute(
    state: &AppHttpState,
    caller: Caller,
    principal: PrincipalKey,
    batch: BatchRequest,
) -> BatchResponse {
    if let Some(limiter) = &state.limiter
        && let Err(err) = limiter.load(&principal).await
    {
        // The request itself will find the database away; the bucket starts full here.
        tracing::warn!(error = %err, "rate limit bucket not read");
    }
    let limit = if caller.actor == Actor::Anonymous {
        state.limits.anonymous_request_timeout
    } else {
        state.limits.request_timeout
    };
    // One deadline for the whole HTTP request, batches included.
    let deadline = tokio::time::Instant::now() + limit;
    let run = |request: async_graphql::Request| async {
        // An exhausted budget refuses before the document is even parsed.
        let ticket = match &state.limiter {
            None => None,
            Some(limiter) => match limiter.charge(&principal, 0.0) {
                Ok(_) => Some(CostTicket::new(limiter.clone(), principal.clone())),
                Err(throttled) => return throttled_response(&throttled),
            },
        };
        // A document named by id or hash, or stored through APQ, was validated when stored.
        let (request, stored) = match state.persisted.resolve(&caller, request).await {
            Ok(resolved) => resolved,
            Err(refused) => return refused.into(),
        };
        let (mut request, validated) = match state.documents.prepare(request) {
            Ok(prepared) => prepared,
            Err(refused) => return refusal(ErrorCode::BadUserInput, refused.0),
        };
        if let Err(refused) = limits::check_variables(&request.variables) {
            return refusal(ErrorCode::BadUserInput, refused.0);
        }
        let operation_name = request.operation_name.clone();
        // The names of a mutation's fields, to audit a refused write.
        let write = request.parsed_query().ok().and_then(|document| {
            (operation_type(document, operation_name.as_deref()) == Some(OperationType::Mutation))
                .then(|| mutation_label(document, operation_name.as_deref()))
        });
        // The text is needed again only to record a first successful validation.
        let validated = validated || stored;
        let first_seen = (!validated).then(|| (request.query.clone(), operation_name));
        // Analysts' and systems' requests take the schemas with their guards.
        let schema = state.schemas.for_caller(&caller, validated);
        let mut request = prepare_request(request, &state.db, caller.clone());
        if let Some(ticket) = &ticket {
            request = request.data(ticket.clone());
        }
        let execution = schema.execute(request);
        // Past the deadline, or when the service stops, the execution is dropped: its
        // futures stop, and a transaction it held is rolled back as its connection goes
        // back to the pool.
        let mut response = tokio::select! {
            finished = tokio::time::timeout_at(deadline, execution) => match finished {
                Ok(response) => response,
                Err(_) => {
                    tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
                    return refusal(ErrorCode::Timeout, TIMED_OUT.to_owned());
                }
            },
            () = state.shutdown.cancelled() => {
                tracing::warn!("request cancelled: the service is stopping");
                return refusal(
                    ErrorCode::ServiceUnavailable,
                    "the service is stopping; a change not yet committed was rolled back: \
                     read before retrying a mutation"
                        .to_owned(),
                );
            }
        };
        // Parse, validation and limit errors carry no path; errors of resolvers do.
        if let Some((query, operation)) = first_seen
            && response.errors.iter().all(|e| !e.path.is_empty())
        {
            state.documents.mark_validated(&query, operation.as_deref());
        }
        if let Some(ticket) = &ticket {
            ticket.settle(&mut response);
        }
        code_client_errors(&mut response);
        cap_errors(&mut response);
        if let Some(label) = &write
            && let Some((code, reason)) = refusal_of(&response)
        {
            audit_refusal(state, &caller, label, code, &reason).await;
        }
        response
    };
    match batch {
        BatchRequest::Single(request) => run(request).await.into(),
        BatchRequest::Batch(requests) => {
            let mut responses: Vec<async_graphql::Response> = Vec::with_capacity(requests.len());
            // Once the database is found away (or the service is stopping), the rest of the
            // batch is not tried: each would wait for a connection in turn.
            let mut given_up = false;
            for request in requests {
                let response = if given_up {
                    let why = if state.shutdown.is_draining() {
                        "not run: the service is stopping; retry shortly"
                    } else {
                        "not run: the database is unavailable; retry shortly"
                    };
                    refusal(ErrorCode::ServiceUnavailable, why.to_owned())
                } else {
                    run(request).await
                };
                given_up = given_up || nothing_ran(&response);
                responses.push(response);
            }
            BatchResponse::Batch(responses)
        }
    }
}

pub async fn post(
    State(state): State<AppHttpState>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadUserInput,
            "send the request as Content-Type: application/json",
        );
    }
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            "the request body is larger than 1 MiB",
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return too_large();
    }
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return too_large();
    };
    let caller = match authenticate(&state, &headers, "POST /graphql").await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let batch: BatchRequest = match persisted::parse_batch(&bytes) {
        Ok(batch) => batch,
        Err(err) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ErrorCode::BadUserInput,
                &format!("the body is not a GraphQL request: {err}"),
            );
        }
    };
    if let BatchRequest::Batch(requests) = &batch
        && (requests.is_empty() || requests.len() > MAX_BATCH)
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            &format!(
                "a batch holds 1 to {MAX_BATCH} operations, not {}",
                requests.len()
            ),
        );
    }
    let key = match idempotency::key_of(&headers) {
        Ok(key) => key,
        Err(why) => return idempotency::refused(&why),
    };
    let budget = principal_key(&state, &caller, &headers, &peer);
    let Some(key) = key else {
        let response = execute(&state, caller, budget, batch).await;
        return respond(&headers, response);
    };
    let principal = match idempotency::principal_of(&caller) {
        Ok(principal) => principal,
        Err(why) => return idempotency::refused(&why),
    };
    let run = {
        let (state, headers) = (state.clone(), headers.clone());
        async move {
            let response = execute(&state, caller, budget, batch).await;
            let kept = !cut_off(&response);
            (respond(&headers, response), kept)
        }
    };
    idempotency::once(&state, principal, key, &bytes, run).await
}

/// Whether nothing of any operation was kept: each was refused because the database was
/// away or the caller's budget was spent, or cut off at the time limit or by a stop (what
/// it had not committed was rolled back). An idempotency key is released for such a
/// request rather than replaying it.
fn cut_off(response: &BatchResponse) -> bool {
    let codes = [
        ErrorCode::ServiceUnavailable,
        ErrorCode::Timeout,
        ErrorCode::Throttled,
    ]
    .map(|code| async_graphql::Value::from(code.as_str()));
    let one = |r: &async_graphql::Response| {
        matches!(r.data, async_graphql::Value::Null)
            && !r.errors.is_empty()
            && r.errors.iter().all(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .is_some_and(|code| codes.contains(code))
            })
    };
    match response {
        BatchResponse::Single(r) => one(r),
        BatchResponse::Batch(rs) => !rs.is_empty() && rs.iter().all(one),
    }
}

/// Whether the operation the request would run is a query (GET may run nothing else).
fn is_query(request: &async_graphql::Request) -> bool {
    if limits::check_text(&request.query).is_err() {
        // Let execution refuse it with its reason.
        return true;
    }
    let Ok(document) = parse_query(&request.query) else {
        // Let execution report the syntax error.
        return true;
    };
    operation_type(&document, request.operation_name.as_deref())
        .is_none_or(|ty| ty == OperationType::Query)
}

/// The query-string form of a GraphQL request (GraphQL over HTTP).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    /// JSON object, URL-encoded.
    variables: Option<String>,
    /// JSON object, URL-encoded.
    extensions: Option<String>,
    /// The id of a trusted document, instead of `query`.
    document_id: Option<String>,
    /// Relay's name for `documentId`.
    #[serde(rename = "doc_id")]
    doc_id: Option<String>,
}

/// Reads an optional URL-encoded JSON parameter.
fn json_param<T: serde::de::DeserializeOwned + Default>(
    name: &str,
    raw: Option<String>,
) -> Result<T, String> {
    raw.map(|raw| {
        serde_json::from_str(&raw).map_err(|err| format!("{name} is not a JSON object: {err}"))
    })
    .transpose()
    .map(Option::unwrap_or_default)
}

fn request_from(params: GetParams) -> Result<async_graphql::Request, String> {
    let reference = persisted::reference(params.document_id, params.doc_id);
    let extensions = json_param("extensions", params.extensions)?;
    let query = params
        .query
        .filter(|q| !q.trim().is_empty())
        .or_else(|| (reference.is_some() || persisted::names_apq(&extensions)).then(String::new))
        .ok_or("pass the query as ?query=…, or POST it as JSON")?;
    let mut request =
        async_graphql::Request::new(query).variables(json_param("variables", params.variables)?);
    request.extensions = extensions;
    if let Some(reference) = reference {
        request = request.data(reference);
    }
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    Ok(request)
}

pub async fn get(
    State(state): State<AppHttpState>,
    peer: Peer,
    headers: HeaderMap,
    params: Result<Query<GetParams>, QueryRejection>,
) -> Response {
    let params = match params {
        Ok(Query(params)) => params,
        Err(err) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ErrorCode::BadUserInput,
                &format!("the query string is not a GraphQL request: {err}"),
            );
        }
    };
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html && state.introspection && params.query.is_none() {
        return super::explorer::page();
    }
    let request = match request_from(params) {
        Ok(request) => request,
        Err(message) => {
            return error_response(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, &message);
        }
    };
    let request = match state.persisted.supply(request).await {
        Ok(request) => request,
        Err(refused) => return respond(&headers, async_graphql::Response::from(refused).into()),
    };
    if !is_query(&request) {
        return method_not_allowed("POST", "mutations must be sent with POST");
    }
    let caller = match authenticate(&state, &headers, "GET /graphql").await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let principal = principal_key(&state, &caller, &headers, &peer);
    let response = execute(&state, caller, principal, BatchRequest::Single(request)).await;
    respond(&headers, response)
}
