//! `active_list_entries`: one Active List entry per specialist.

use sea_orm::entity::prelude::*;

use crate::enums::active_list::{EntryStatus, FeePolicy};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "active_list_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub specialist_id: i64,
    /// `DRAFT`, `PENDING_REVIEW`, `PUBLISHED`, `REJECTED`, `SUSPENDED` or `WITHDRAWN`.
    pub status: EntryStatus,
    /// The last day the specialist may be listed (ACTIVE, current cycle not OVERDUE) unless
    /// something changes; null when not eligible. Kept current by every change to the
    /// specialist's status and renewal cycles.
    pub eligible_until: Option<Date>,
    /// Copies of the searchable lists, for display: theme ids (JSON array of numbers) and
    /// prefecture codes, JSIC industry letters and ISO 639-1 languages (arrays of strings).
    pub theme_ids: Json,
    pub prefecture_codes: Json,
    pub industry_codes: Json,
    pub language_codes: Json,
    pub remote_ok: bool,
    /// Free-text strengths, a JSON array of strings.
    pub domains: Json,
    /// `PAID`, `SUBSIDISED` or `PRO_BONO`.
    pub fee_policy: FeePolicy,
    pub fee_min_yen: Option<i32>,
    pub fee_max_yen: Option<i32>,
    /// How many SMEs the specialist takes on at once (1–20).
    pub capacity: i16,
    /// How many of the specialist's matches are accepted or running: never above
    /// `capacity`, raised only by a conditional update that checks it.
    pub active_matches: i16,
    pub paused: bool,
    pub bio_ja: String,
    pub bio_en: Option<String>,
    /// The date the specialist last confirmed the entry.
    pub confirmed_on: Date,
    pub review_comment: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    /// When staff last published it.
    pub published_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
