//! Batch loaders of the Active List: the nested fields of a page cost a fixed number of
//! statements.

use std::collections::HashMap;

use async_graphql::{Context, dataloader::Loader};
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
    graphql::{
        active_list::objects::GuidanceTheme,
        area::{loader, with_loader},
        context::data,
    },
};

loader!(
    /// Guidance themes by id; one statement.
    Themes, ThemeLoader, guidance_theme::Model,
    |db, _caller, keys| async {
        Ok(themes::by_ids(db, keys).await?.into_iter().map(|t| (t.id, t)).collect())
    }.await
);

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

loader!(
    /// Entries' specialists by id, as the caller may see them, with contact details; one statement.
    EntrySpecialists, EntrySpecialistLoader, EntrySpecialist,
    |db, caller, keys| entries::specialists_of(db, caller, keys).await
);

loader!(
    /// The entries of specialists as the caller may see them, by specialist id.
    SpecialistEntries, SpecialistEntryLoader, EntryView,
    |db, caller, keys| entries::of_specialists(db, caller, keys).await
);

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
    let request = with_loader(request, ThemeLoader::new(db, caller));
    let request = with_loader(request, EntrySpecialistLoader::new(db, caller));
    with_loader(request, SpecialistEntryLoader::new(db, caller))
}
