//! `idempotency_keys`: the first response to a `POST /graphql` sent with an
//! `Idempotency-Key`, per caller and key, kept for replays until it expires.

use sea_orm::entity::prelude::*;

use crate::enums::idempotency::IdempotencyState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// A fingerprint of the caller (hex SHA-256 of the token's subject and authority).
    #[sea_orm(primary_key, auto_increment = false)]
    pub principal: String,
    /// The key as the client sent it (1–255 printable ASCII characters).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Hex SHA-256 of the request body as canonical JSON.
    pub request_hash: String,
    /// `RUNNING` or `COMPLETED`.
    pub state: IdempotencyState,
    /// Which run holds the key; a run that takes over a stale one counts up.
    pub attempt: i32,
    /// The HTTP status of the stored response (`COMPLETED` only).
    pub status: Option<i32>,
    /// The `Content-Type` of the stored response (`COMPLETED` only).
    pub content_type: Option<String>,
    /// The stored response body, byte for byte (`COMPLETED` only).
    pub body: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
    /// Until when a `RUNNING` row is held by its run; after it, another may take over.
    pub locked_until: DateTimeUtc,
    /// When the key may be used again for another request (24 hours after it was first).
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
