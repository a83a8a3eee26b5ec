//! `persisted_documents`: GraphQL documents a request may name by id instead of sending
//! their text.

use sea_orm::entity::prelude::*;

use crate::enums::documents::DocumentSource;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persisted_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The id requests name it by: the partner's (a Relay or Apollo manifest's key), or
    /// for an automatically persisted query the SHA-256 of its text. Unique.
    pub document_id: String,
    /// SHA-256 of `body`, lower-case hex.
    pub sha256: String,
    /// The document's text.
    pub body: String,
    pub source: DocumentSource,
    /// The partner application the document belongs to, when its registrar named one.
    pub client: Option<String>,
    /// The subject of the staff member who registered it (trusted documents).
    pub registered_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
