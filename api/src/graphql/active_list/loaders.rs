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
            entries::{self, EntryLists, EntrySpecialist, EntryView},
            themes,
        },
    },
    graphql::{active_list::objects::GuidanceTheme, context::data, error::to_graphql},
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

/// The themes of these ids through the page's loader, in display order.
pub async fn themes_in_order(
    ctx: &Context<'_>,
    ids: impl IntoIterator<Item = i64>,
) -> async_graphql::Result<Vec<GuidanceTheme>> {
    let mut themes: Vec<guidance_theme::Model> = data::<Themes>(ctx)?
        .load_many(ids)
        .await?
        .into_values()
        .collect();
    themes.sort_by_key(|t| (t.display_order, t.id));
    Ok(themes.into_iter().map(GuidanceTheme).collect())
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
    type Value = EntrySpecialist;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        entries::specialists_of(&self.db, &self.caller, keys)
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
        entries::of_specialists(&self.db, &self.caller, keys)
            .await
            .map_err(to_graphql)
    }
}

/// Loads the themes and specialists of a whole page at once, concurrently, when the query
/// selects them, and hands them to the page's loaders: the nested fields then read them
/// from the loaders' caches without another batching round. Themes the search already
/// read (`known_themes`) are not read again.
pub async fn prime_entries(
    ctx: &Context<'_>,
    entries: &[&EntryView],
    known_themes: Vec<guidance_theme::Model>,
) -> async_graphql::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let selects = |field: &str| crate::graphql::connection::nodes_select(ctx, field);
    let themes = data::<Themes>(ctx)?;
    let specialists = data::<EntrySpecialists>(ctx)?;
    let theme_ids: Vec<i64> = if selects("themes") {
        let mut ids: Vec<i64> = entries
            .iter()
            .flat_map(|e| EntryLists(&e.row).theme_ids())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| !known_themes.iter().any(|t| t.id == *id));
        ids
    } else {
        Vec::new()
    };
    let specialist_ids: Vec<i64> = if selects("specialist") || selects("contact") {
        let mut ids: Vec<i64> = entries.iter().map(|e| e.row.specialist_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    } else {
        Vec::new()
    };
    let load_themes = async {
        if theme_ids.is_empty() {
            return Ok(HashMap::new());
        }
        themes.loader().load(&theme_ids).await
    };
    let load_specialists = async {
        if specialist_ids.is_empty() {
            return Ok(HashMap::new());
        }
        specialists.loader().load(&specialist_ids).await
    };
    let (theme_rows, specialist_rows) = tokio::try_join!(load_themes, load_specialists)?;
    themes
        .feed_many(
            known_themes
                .into_iter()
                .map(|t| (t.id, t))
                .chain(theme_rows),
        )
        .await;
    specialists.feed_many(specialist_rows).await;
    Ok(())
}

/// Attaches the Active List's per-request loaders.
pub fn attach(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    caller: &Caller,
) -> async_graphql::Request {
    use crate::graphql::area::with_loader;
    let request = with_loader(request, ThemeLoader { db: db.clone() });
    let request = with_loader(
        request,
        EntrySpecialistLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    );
    with_loader(
        request,
        SpecialistEntryLoader {
            db: db.clone(),
            caller: caller.clone(),
        },
    )
}
