//! Batch loaders of the Active List: the nested fields of a page cost a fixed number of
//! statements.

use std::collections::HashMap;

use async_graphql::{
    Context,
    dataloader::{DataLoader, HashMapCache, Loader},
};
use entities::guidance_theme;
use sea_orm::DatabaseConnection;

use crate::{
    domain::{
        Caller,
        active_list::{
            search::{self, Contact, EntryLists, EntryView},
            themes,
        },
        registry::view::SpecialistView,
    },
    graphql::{context::data, error::to_graphql},
};

/// The per-request loader of guidance themes, by id.
pub type Themes = DataLoader<ThemeLoader, HashMapCache>;

/// Loads guidance themes by id; one statement.
pub struct ThemeLoader {
    pub db: DatabaseConnection,
}

impl Loader<i64> for ThemeLoader {
    type Value = guidance_theme::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(themes::by_ids(&self.db, keys)
            .await
            .map_err(to_graphql)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect())
    }
}

/// The per-request loader of entries' specialists, by specialist id.
pub type EntrySpecialists = DataLoader<EntrySpecialistLoader, HashMapCache>;

/// Loads specialists as the caller may see them, with their contact details; one
/// statement.
pub struct EntrySpecialistLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for EntrySpecialistLoader {
    type Value = (Option<SpecialistView>, Contact);
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        search::specialists_of(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)
    }
}

/// The per-request loader of a specialist's entry as the caller may see it.
pub type SpecialistEntries = DataLoader<SpecialistEntryLoader, HashMapCache>;

/// Loads the entries of specialists, by specialist id.
pub struct SpecialistEntryLoader {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

impl Loader<i64> for SpecialistEntryLoader {
    type Value = EntryView;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, EntryView>, Self::Error> {
        search::of_specialists(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)
    }
}

/// Loads the themes and specialists of a whole page at once when the query selects them.
pub async fn prime_entries(ctx: &Context<'_>, entries: &[&EntryView]) -> async_graphql::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let look_ahead = ctx.look_ahead();
    let selects = |field: &str| {
        look_ahead
            .field("edges")
            .field("node")
            .field(field)
            .exists()
            || look_ahead.field("nodes").field(field).exists()
    };
    if selects("themes") {
        let ids: Vec<i64> = entries
            .iter()
            .flat_map(|e| EntryLists(&e.row).theme_ids())
            .collect();
        data::<Themes>(ctx)?.load_many(ids).await?;
    }
    if selects("specialist") || selects("contact") {
        data::<EntrySpecialists>(ctx)?
            .load_many(entries.iter().map(|e| e.row.specialist_id))
            .await?;
    }
    Ok(())
}
