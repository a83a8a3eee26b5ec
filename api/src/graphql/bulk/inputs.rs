//! Inputs of bulk data. Files are uploaded over HTTP (`POST /bulk/{kind}`), not through
//! GraphQL, so there are none yet.
