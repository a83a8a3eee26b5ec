//! `/graphql`: JSON over POST (queries and mutations, batches of up to 10), queries over
//! GET, and GraphiQL for browsers while introspection is on.

use async_graphql::{
    BatchRequest, BatchResponse,
    http::GraphiQLSource,
    parser::{
        parse_query,
        types::{DocumentOperations, OperationType},
    },
};
use async_graphql_axum::GraphQLResponse;
use axum::{
    body::{Body, to_bytes},
    extract::{Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    AppHttpState,
    errors::{error_response, method_not_allowed, unauthenticated},
};
use crate::{
    domain::{Actor, Caller, Role},
    graphql::{
        error::{ErrorCode, code_client_errors},
        prepare_request,
    },
};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most operations in one JSON batch.
pub const MAX_BATCH: usize = 10;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The caller, from the `Authorization` header; `Err` says why the token was refused.
pub(super) fn authenticate(state: &AppHttpState, headers: &HeaderMap) -> Result<Caller, String> {
    let request_id = request_id(headers);
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::new(Actor::Anonymous, request_id));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "the Authorization header must be `Bearer <token>`".to_owned())?;
    match state.verifier.verify(token) {
        Ok(principal) => Ok(Caller::new(Actor::Principal(principal), request_id)),
        Err(err) => {
            tracing::info!(reason = %err, "bearer token refused");
            Err(err.0)
        }
    }
}

/// Answers in the media type the client asked for: the GraphQL one when it accepts it,
/// plain JSON otherwise (older clients).
fn respond(headers: &HeaderMap, response: BatchResponse) -> Response {
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
    http
}

async fn execute(state: &AppHttpState, caller: Caller, batch: BatchRequest) -> BatchResponse {
    let analyst = caller.actor.role() == Some(Role::Analyst);
    let run = |request: async_graphql::Request| async {
        let (request, validated) = state.documents.prepare(request);
        // The text is needed again only to record a first successful validation.
        let first_seen =
            (!validated).then(|| (request.query.clone(), request.operation_name.clone()));
        // Analysts' requests, few and heavy, take the guarded schema, always fully validated.
        let schema = if analyst {
            &state.schemas.for_analysts
        } else if validated {
            &state.schemas.prevalidated
        } else {
            &state.schemas.validating
        };
        let mut response = schema
            .execute(prepare_request(request, &state.db, caller.clone()))
            .await;
        // Parse, validation and limit errors carry no path; errors of resolvers do.
        if let Some((query, operation)) = first_seen
            && response.errors.iter().all(|e| !e.path.is_empty())
        {
            state.documents.mark_validated(&query, operation.as_deref());
        }
        code_client_errors(&mut response);
        response
    };
    match batch {
        BatchRequest::Single(request) => run(request).await.into(),
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(run(request).await);
            }
            BatchResponse::Batch(responses)
        }
    }
}

pub async fn post(State(state): State<AppHttpState>, headers: HeaderMap, body: Body) -> Response {
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
    let caller = match authenticate(&state, &headers) {
        Ok(caller) => caller,
        Err(reason) => return unauthenticated(&reason),
    };
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
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
    let response = execute(&state, caller, batch).await;
    respond(&headers, response)
}

/// Whether the operation the request would run is a query (GET may run nothing else).
fn is_query(request: &async_graphql::Request) -> bool {
    let Ok(document) = parse_query(&request.query) else {
        // Let execution report the syntax error.
        return true;
    };
    let operation = match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next(),
    };
    operation.is_none_or(|op| op.node.ty == OperationType::Query)
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
    let query = params
        .query
        .filter(|q| !q.trim().is_empty())
        .ok_or("pass the query as ?query=…, or POST it as JSON")?;
    let mut request =
        async_graphql::Request::new(query).variables(json_param("variables", params.variables)?);
    request.extensions = json_param("extensions", params.extensions)?;
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    Ok(request)
}

pub async fn get(
    State(state): State<AppHttpState>,
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
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("Kakehashi")
                .finish(),
        )
        .into_response();
    }
    let request = match request_from(params) {
        Ok(request) => request,
        Err(message) => {
            return error_response(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, &message);
        }
    };
    if !is_query(&request) {
        return method_not_allowed("POST", "mutations must be sent with POST");
    }
    let caller = match authenticate(&state, &headers) {
        Ok(caller) => caller,
        Err(reason) => return unauthenticated(&reason),
    };
    let response = execute(&state, caller, BatchRequest::Single(request)).await;
    respond(&headers, response)
}
