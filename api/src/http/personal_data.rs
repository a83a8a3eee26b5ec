//! `GET /me/personal-data.json`: the caller's right of access as a file to keep.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{AppHttpState, errors::domain_error, graphql::authenticate};
use crate::domain::personal_data;

/// Everything held about the bearer of the token, as a JSON attachment.
pub async fn get(State(state): State<AppHttpState>, headers: HeaderMap) -> Response {
    let caller = match authenticate(&state, &headers, "GET /me/personal-data.json").await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let held = match personal_data::held_about(&state.db, &caller, caller.now()).await {
        Ok(held) => held,
        Err(err) => return domain_error(err),
    };
    let mut response = (StatusCode::OK, axum::Json(held)).into_response();
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"kakehashi-personal-data.json\""),
    );
    response
}
