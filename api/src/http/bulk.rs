//! `POST /bulk/{kind}`: a CSV file to import as a job (`companies`), and
//! `GET /bulk/jobs/{id}`: where the job stands. Same bearer token and the same rules as
//! the GraphQL API; the job's progress is also `bulkJob(id:)` there.

use axum::{
    body::{Body, to_bytes},
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    AppHttpState,
    errors::{domain_error, error_response},
    graphql::authenticate,
};
use crate::{
    domain::bulk::{
        file::{Charset, MAX_FILE_BYTES},
        jobs,
        types::BulkKind,
    },
    graphql::{
        error::ErrorCode,
        node::{NodeKind, decode_id_of, encode_id},
    },
};

/// The kinds of file served, by their path.
fn kind_of(path: &str) -> Option<BulkKind> {
    match path {
        "companies" => Some(BulkKind::Companies),
        _ => None,
    }
}

/// The charset a `text/csv` content type names: `Ok(None)` when it names none; why it
/// is refused when it is not CSV or names an encoding not read here.
fn charset_of(headers: &HeaderMap) -> Result<Option<Charset>, &'static str> {
    let unsupported = |message| message;
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case("text/csv") {
        return Err(unsupported("send the file as `Content-Type: text/csv`"));
    }
    for parameter in parts {
        if let Some((name, label)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
        {
            return match Charset::from_label(label) {
                Some(charset) => Ok(Some(charset)),
                None => Err(unsupported(
                    "the charset must be utf-8 or shift_jis (or left out to be detected)",
                )),
            };
        }
    }
    Ok(None)
}

/// `POST /bulk/{kind}`: accepts the file and answers 202 with the job (`{"job":{"id"}}`
/// and a `Location`) before its rows are applied; the same file again answers 200 with
/// the job it made before.
pub async fn post(
    State(state): State<AppHttpState>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let caller = match authenticate(&state, &headers, &format!("POST /bulk/{kind}")).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let Some(kind) = kind_of(&kind) else {
        return error_response(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such kind of file: POST /bulk/companies",
        );
    };
    let charset = match charset_of(&headers) {
        Ok(charset) => charset,
        Err(refused) => {
            return error_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::BadUserInput,
                refused,
            );
        }
    };
    let Ok(bytes) = to_bytes(body, MAX_FILE_BYTES).await else {
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            "the file is larger than 20 MiB: split it",
        );
    };
    let submitted = match jobs::submit(&state.db, &caller, kind, &bytes, charset).await {
        Ok(submitted) => submitted,
        Err(err) => return domain_error(err),
    };
    let id = encode_id(NodeKind::BULK_JOB, submitted.job.id);
    let status = match submitted.work {
        Some(work) => {
            tokio::spawn(jobs::run(state.db.clone(), caller, work));
            StatusCode::ACCEPTED
        }
        None => StatusCode::OK,
    };
    let mut response = (status, axum::Json(json!({ "job": { "id": id.0 } }))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/bulk/jobs/{}", id.0)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// `GET /bulk/jobs/{id}`: the job's status and counts, as `bulkJob(id:)` gives them.
pub async fn job(
    State(state): State<AppHttpState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = match authenticate(&state, &headers, "GET /bulk/jobs").await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    if let Err(refused) = caller
        .actor
        .allow_scope(&crate::domain::scopes::MATCHING_READ)
    {
        return domain_error(refused);
    }
    let not_found = || error_response(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no such job");
    let Some(key) = decode_id_of(&async_graphql::ID(id.clone()), NodeKind::BULK_JOB) else {
        return not_found();
    };
    let job = match jobs::by_ids(&state.db, &caller, &[key]).await {
        Ok(rows) => rows.into_iter().flatten().next(),
        Err(err) => return domain_error(err),
    };
    let Some(job) = job else {
        return not_found();
    };
    axum::Json(json!({ "job": {
        "id": id,
        "kind": job.kind.as_str(),
        "status": job.status.as_str(),
        "rowsTotal": job.rows_total,
        "rowsDone": job.rows_done,
        "rowsRejected": job.rows_rejected,
        "fileSha256": job.file_sha256,
        "createdAt": job.created_at.to_rfc3339(),
        "finishedAt": job.finished_at.map(|at| at.to_rfc3339()),
    }}))
    .into_response()
}
