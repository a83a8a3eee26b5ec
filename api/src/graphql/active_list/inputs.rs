//! Input objects of the Active List: the filters, orders and mutation inputs its queries and
//! mutations take.

use super::objects::FeePolicy;
use super::objects::ThemeCategory;
use crate::domain::active_list::entries::{Decision, ThemeMatch as DomainThemeMatch};
use crate::graphql::scalars::{DateTime, Yen};
use crate::graphql::{connection::order_input, reference::Industry};
use async_graphql::Enum;
use async_graphql::ID;
use async_graphql::InputObject;

/// Narrows the Active List. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct ActiveListFilterInput {
    /// Guidance theme codes (see `guidanceThemes`).
    pub themes: Option<Vec<String>>,
    /// Whether entries must hold all the themes or any of them.
    #[graphql(default)]
    pub theme_match: ThemeMatch,
    /// Entries serving any of these prefectures in person (JIS X 0401 codes); with
    /// `remoteOk: true`, also entries that work remotely.
    pub prefectures: Option<Vec<String>>,
    /// Only (or, with `prefectures`, also) entries that work remotely.
    pub remote_ok: Option<bool>,
    /// Entries strong in any of these industries.
    pub industries: Option<Vec<Industry>>,
    /// Entries working in any of these languages (ISO 639-1).
    pub languages: Option<Vec<String>>,
    /// Entries with one of these fee policies.
    pub fee_policies: Option<Vec<FeePolicy>>,
    /// Only entries taking on an SME now (not paused, with capacity left).
    pub has_capacity: Option<bool>,
    /// Only entries changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    /// Registry staff only: an update time can reveal a change the public may not see.
    pub updated_since: Option<DateTime>,
}

/// Your Active List entry, as a whole: what you omit is cleared.
#[derive(InputObject)]
pub struct SaveMyActiveListEntryInput {
    /// The `version` you read, when changing an existing entry.
    pub expected_version: Option<i32>,
    /// Guidance theme codes: 1 to 20 (see `guidanceThemes`).
    pub themes: Vec<String>,
    /// Industries of strength.
    #[graphql(default)]
    pub industries: Vec<Industry>,
    /// Domains of strength in your words (up to 10, each up to 100 characters).
    #[graphql(default)]
    pub domains: Vec<String>,
    /// Prefectures you serve in person (JIS X 0401 codes); may be empty with `remoteOk`.
    #[graphql(default)]
    pub prefectures: Vec<String>,
    /// Whether you also work remotely.
    pub remote_ok: bool,
    /// Languages you work in, ISO 639-1 (at least one).
    pub languages: Vec<String>,
    /// How you charge.
    pub fee_policy: FeePolicy,
    /// Lowest fee in yen (not for `PRO_BONO`).
    pub fee_min_yen: Option<Yen>,
    /// Highest fee in yen (not for `PRO_BONO`).
    pub fee_max_yen: Option<Yen>,
    /// How many SMEs you take on at once, 1 to 20.
    pub capacity: i32,
    /// A short introduction in Japanese (up to 2000 characters).
    pub bio_ja: String,
    /// A short introduction in English (up to 2000 characters).
    pub bio_en: Option<String>,
}

/// Sending your entry for review.
#[derive(InputObject, Default)]
pub struct SubmitMyActiveListEntryInput {
    /// The `version` you read; if the entry changed since, nothing is written.
    pub expected_version: Option<i32>,
}

/// Taking your entry off the Active List.
#[derive(InputObject, Default)]
pub struct WithdrawMyActiveListEntryInput {
    /// The `version` you read; if the entry changed since, nothing is written.
    pub expected_version: Option<i32>,
}

/// What you may change without a new review.
#[derive(InputObject)]
pub struct SetMyActiveListAvailabilityInput {
    /// The `version` you read; if the entry changed since, nothing is written.
    pub expected_version: Option<i32>,
    /// Pause (true) or resume (false) new engagements.
    pub paused: Option<bool>,
    /// How many SMEs you take on at once, 1 to 20.
    pub capacity: Option<i32>,
}

/// A review of an entry.
#[derive(InputObject)]
pub struct ReviewActiveListEntryInput {
    /// The entry's global ID.
    pub entry_id: ID,
    /// The decision.
    pub decision: ActiveListDecision,
    /// For the specialist; required to reject or suspend.
    pub comment: Option<String>,
}

/// A new guidance theme.
#[derive(InputObject)]
pub struct CreateGuidanceThemeInput {
    /// Code: A–Z, 0–9 and `_`, unique; never changes.
    pub code: String,
    /// Name in Japanese.
    pub name_ja: String,
    /// Name in English.
    pub name_en: String,
    /// What advice on it covers.
    pub description: String,
    /// Its category.
    pub category: ThemeCategory,
    /// Position in lists (smallest first); 1000 by default.
    pub display_order: Option<i32>,
}

/// Changes to a guidance theme. Omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateGuidanceThemeInput {
    /// The theme's global ID.
    pub id: ID,
    /// Name in Japanese.
    pub name_ja: Option<String>,
    /// Name in English.
    pub name_en: Option<String>,
    /// What advice on it covers.
    pub description: Option<String>,
    /// Its category.
    pub category: Option<ThemeCategory>,
    /// Position in lists.
    pub display_order: Option<i32>,
    /// False retires the theme: it stays on entries that have it and is not offered anew.
    pub active: Option<bool>,
}

/// A staff decision on an entry.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "Decision")]
pub enum ActiveListDecision {
    /// Publish a pending entry (the specialist must be eligible).
    Publish,
    /// Send a pending entry back; needs a comment.
    Reject,
    /// Take a pending or published entry off the list; needs a comment.
    Suspend,
    /// Put a suspended entry back on the list (the specialist must be eligible).
    Reinstate,
}

/// Whether entries must hold every theme asked for, or any one of them.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "DomainThemeMatch")]
pub enum ThemeMatch {
    /// Any of the themes (the default).
    #[default]
    Any,
    /// All of the themes.
    All,
}

order_input!(ActiveListOrderInput, ActiveListOrderBy, "Active List entries", {
        /// When the entry was last confirmed (the default, most recent first); entries not
        /// confirmed for 12 months come last.
        RecentlyConfirmed,
        /// When the entry was created (oldest first).
        EntryCreated,
        /// When the entry last changed, ties broken by ID (ascending by default): the order
        /// a mirror syncs in with `updatedSince`. Registry staff only.
        UpdatedAt,
});

order_input!(ActiveListReviewOrderInput, ActiveListReviewOrderBy, "entries waiting for review", {
        /// When the entry was submitted (the default, oldest first).
        Submitted,
});
