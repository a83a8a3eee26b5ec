//! Active List mutations. Each takes one `input` and returns a payload whose `userErrors`
//! lists every problem with the input; when it is non-empty nothing was written.

use super::inputs::{
    CreateGuidanceThemeInput, ReviewActiveListEntryInput, SaveMyActiveListEntryInput,
    SetMyActiveListAvailabilityInput, SubmitMyActiveListEntryInput, UpdateGuidanceThemeInput,
    WithdrawMyActiveListEntryInput,
};
use async_graphql::{Context, Object};

use super::objects::{ActiveListEntry, GuidanceTheme};
use crate::{
    domain::active_list::{
        entries::{self, Availability, EntryInput, EntryView},
        themes::{self, ThemeInput},
    },
    graphql::{
        context::{caller, db},
        node::{NodeKind, decode_input_id},
        payload::record_payloads,
    },
};

record_payloads! {
    "The entry after the change, or null when `userErrors` is not empty."
    entry as "entry": ActiveListEntry from EntryView;
    /// The result of `saveMyActiveListEntry`.
    SaveMyActiveListEntryPayload,
    /// The result of `submitMyActiveListEntry`.
    SubmitMyActiveListEntryPayload,
    /// The result of `setMyActiveListAvailability`.
    SetMyActiveListAvailabilityPayload,
    /// The result of `withdrawMyActiveListEntry`.
    WithdrawMyActiveListEntryPayload,
    /// The result of `reviewActiveListEntry`.
    ReviewActiveListEntryPayload,
}

record_payloads! {
    "The theme after the change, or null when `userErrors` is not empty."
    theme as "theme": GuidanceTheme from entities::guidance_theme::Model;
    /// The result of `createGuidanceTheme`.
    CreateGuidanceThemePayload,
    /// The result of `updateGuidanceTheme`.
    UpdateGuidanceThemePayload,
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
    ) -> async_graphql::Result<SaveMyActiveListEntryPayload> {
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
        SaveMyActiveListEntryPayload::from_result(
            entries::save_mine(db(ctx)?, caller(ctx)?, input).await,
        )
    }

    /// Submits your draft or rejected entry for review; you must be eligible (`ACTIVE`,
    /// cycle not `OVERDUE`). Role `SPECIALIST` only.
    async fn submit_my_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The submission.", default)] input: SubmitMyActiveListEntryInput,
    ) -> async_graphql::Result<SubmitMyActiveListEntryPayload> {
        SubmitMyActiveListEntryPayload::from_result(
            entries::submit_mine(db(ctx)?, caller(ctx)?, input.expected_version).await,
        )
    }

    /// Pauses or resumes your entry, or changes its capacity, without a new review; it
    /// also confirms the entry as of today (call it with neither to confirm only). Role
    /// `SPECIALIST` only.
    async fn set_my_active_list_availability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The change.")] input: SetMyActiveListAvailabilityInput,
    ) -> async_graphql::Result<SetMyActiveListAvailabilityPayload> {
        let availability = Availability {
            expected_version: input.expected_version,
            paused: input.paused,
            capacity: input.capacity,
        };
        SetMyActiveListAvailabilityPayload::from_result(
            entries::set_availability(db(ctx)?, caller(ctx)?, availability).await,
        )
    }

    /// Withdraws your entry from the list; saving it again starts a new draft. Role
    /// `SPECIALIST` only.
    async fn withdraw_my_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The withdrawal.", default)] input: WithdrawMyActiveListEntryInput,
    ) -> async_graphql::Result<WithdrawMyActiveListEntryPayload> {
        WithdrawMyActiveListEntryPayload::from_result(
            entries::withdraw_mine(db(ctx)?, caller(ctx)?, input.expected_version).await,
        )
    }

    /// Publishes, rejects, suspends or reinstates an entry. Registry staff only.
    async fn review_active_list_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: ReviewActiveListEntryInput,
    ) -> async_graphql::Result<ReviewActiveListEntryPayload> {
        let result = match decode_input_id(
            &input.entry_id,
            NodeKind::ACTIVE_LIST_ENTRY,
            "entry_id",
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
        ReviewActiveListEntryPayload::from_result(result)
    }

    /// Adds a guidance theme. Registry staff only.
    async fn create_guidance_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme.")] input: CreateGuidanceThemeInput,
    ) -> async_graphql::Result<CreateGuidanceThemePayload> {
        let input = ThemeInput {
            code: Some(input.code),
            name_ja: Some(input.name_ja),
            name_en: Some(input.name_en),
            description: Some(input.description),
            category: Some(input.category.into()),
            display_order: input.display_order,
            active: None,
        };
        CreateGuidanceThemePayload::from_result(themes::create(db(ctx)?, caller(ctx)?, input).await)
    }

    /// Changes or retires a guidance theme. Registry staff only.
    async fn update_guidance_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateGuidanceThemeInput,
    ) -> async_graphql::Result<UpdateGuidanceThemePayload> {
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
        UpdateGuidanceThemePayload::from_result(result)
    }
}
