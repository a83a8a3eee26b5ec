//! Active List mutations. Each takes one `input` and returns a payload whose `userErrors`
//! lists every problem with the input; when it is non-empty nothing was written.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use super::types::{ActiveListEntry, FeePolicy, GuidanceTheme, Industry, ThemeCategory};
use crate::graphql::scalars::Yen;
use crate::{
    domain::{
        DomainResult,
        active_list::{
            entries::{self, Availability, Decision, EntryInput},
            search::EntryView,
            themes::{self, ThemeInput},
        },
    },
    graphql::{
        context::{caller, db},
        error::{UserError, payload},
        node::{NodeKind, decode_input_id},
    },
};

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

/// A change of state of your own entry.
#[derive(InputObject, Default)]
pub struct MyActiveListEntryInput {
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

/// The result of the entry mutations.
#[derive(SimpleObject)]
pub struct ActiveListEntryPayload {
    /// The entry after the change, or null when `userErrors` is not empty.
    pub entry: Option<ActiveListEntry>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of the theme mutations.
#[derive(SimpleObject)]
pub struct GuidanceThemePayload {
    /// The theme after the change, or null when `userErrors` is not empty.
    pub theme: Option<GuidanceTheme>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
}

fn entry_payload(result: DomainResult<EntryView>) -> async_graphql::Result<ActiveListEntryPayload> {
    let (entry, user_errors) = payload(result)?;
    Ok(ActiveListEntryPayload {
        entry: entry.map(ActiveListEntry),
        user_errors,
    })
}

fn theme_payload(
    result: DomainResult<entities::guidance_theme::Model>,
) -> async_graphql::Result<GuidanceThemePayload> {
    let (theme, user_errors) = payload(result)?;
    Ok(GuidanceThemePayload {
        theme: theme.map(GuidanceTheme),
        user_errors,
    })
}

#[derive(Default)]
pub struct ActiveListMutation;

#[Object]
impl ActiveListMutation {
    /// Creates or rewrites your Active List entry; saving confirms it as of today. A new
    /// entry is a draft; rewriting a published one sends it back to review. Role
    /// `SPECIALIST` only.
    async fn save_my_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry.")] input: SaveMyActiveListEntryInput,
    ) -> async_graphql::Result<ActiveListEntryPayload> {
        let input = EntryInput {
            expected_version: input.expected_version,
            theme_codes: input.themes,
            industries: input.industries.into_iter().map(Into::into).collect(),
            domains: input.domains,
            prefectures: input.prefectures,
            remote_ok: input.remote_ok,
            languages: input.languages,
            fee_policy: input.fee_policy.into(),
            fee_min_yen: input.fee_min_yen.map(|y| y.0),
            fee_max_yen: input.fee_max_yen.map(|y| y.0),
            capacity: input.capacity,
            bio_ja: input.bio_ja,
            bio_en: input.bio_en,
        };
        entry_payload(entries::save_mine(db(ctx)?, caller(ctx)?, input).await)
    }

    /// Submits your draft or rejected entry for review; you must be eligible (`ACTIVE`,
    /// cycle not `OVERDUE`). Role `SPECIALIST` only.
    async fn submit_my_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The submission.", default)] input: MyActiveListEntryInput,
    ) -> async_graphql::Result<ActiveListEntryPayload> {
        entry_payload(entries::submit_mine(db(ctx)?, caller(ctx)?, input.expected_version).await)
    }

    /// Pauses or resumes your entry, or changes its capacity, without a new review; it
    /// also confirms the entry as of today (call it with neither to confirm only). Role
    /// `SPECIALIST` only.
    async fn set_my_active_list_availability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The change.")] input: SetMyActiveListAvailabilityInput,
    ) -> async_graphql::Result<ActiveListEntryPayload> {
        let availability = Availability {
            expected_version: input.expected_version,
            paused: input.paused,
            capacity: input.capacity,
        };
        entry_payload(entries::set_availability(db(ctx)?, caller(ctx)?, availability).await)
    }

    /// Withdraws your entry from the list; saving it again starts a new draft. Role
    /// `SPECIALIST` only.
    async fn withdraw_my_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The withdrawal.", default)] input: MyActiveListEntryInput,
    ) -> async_graphql::Result<ActiveListEntryPayload> {
        entry_payload(entries::withdraw_mine(db(ctx)?, caller(ctx)?, input.expected_version).await)
    }

    /// Publishes, rejects, suspends or reinstates an entry. Registry staff only.
    async fn review_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: ReviewActiveListEntryInput,
    ) -> async_graphql::Result<ActiveListEntryPayload> {
        let result = match decode_input_id(
            &input.entry_id,
            NodeKind::ACTIVE_LIST_ENTRY,
            "id",
            "Active List entry",
        ) {
            Ok(id) => {
                entries::decide(
                    db(ctx)?,
                    caller(ctx)?,
                    id,
                    input.decision.into(),
                    input.comment,
                )
                .await
            }
            Err(err) => Err(err),
        };
        entry_payload(result)
    }

    /// Adds a guidance theme. Registry staff only.
    async fn create_guidance_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme.")] input: CreateGuidanceThemeInput,
    ) -> async_graphql::Result<GuidanceThemePayload> {
        let input = ThemeInput {
            code: Some(input.code),
            name_ja: Some(input.name_ja),
            name_en: Some(input.name_en),
            description: Some(input.description),
            category: Some(input.category.into()),
            display_order: input.display_order,
            active: None,
        };
        theme_payload(themes::create(db(ctx)?, caller(ctx)?, input).await)
    }

    /// Changes or retires a guidance theme. Registry staff only.
    async fn update_guidance_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateGuidanceThemeInput,
    ) -> async_graphql::Result<GuidanceThemePayload> {
        let changes = ThemeInput {
            code: None,
            name_ja: input.name_ja,
            name_en: input.name_en,
            description: input.description,
            category: input.category.map(Into::into),
            display_order: input.display_order,
            active: input.active,
        };
        let result =
            match decode_input_id(&input.id, NodeKind::GUIDANCE_THEME, "id", "guidance theme") {
                Ok(id) => themes::update(db(ctx)?, caller(ctx)?, id, changes).await,
                Err(err) => Err(err),
            };
        theme_payload(result)
    }
}
