//! Output types of the Active List.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entities::guidance_theme;

use super::loaders::{EntrySpecialists, themes_in_order};
use crate::graphql::scalars::Yen;
use crate::{
    domain::active_list::{
        entries::{EntryLists, EntryView},
        types::{
            EntryStatus as DomainEntryStatus, FeePolicy as DomainFeePolicy,
            ThemeCategory as DomainThemeCategory,
        },
    },
    graphql::{
        connection::connection,
        context::data,
        node::{NodeKind, encode_id},
        reference::{Industry, Prefecture},
        registry::objects::Specialist,
        scalars::{Date, DateTime},
    },
};

/// The six categories of guidance themes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainThemeCategory")]
pub enum ThemeCategory {
    /// Governance: policies, roles and rules.
    Governance,
    /// Supplier and supply-chain management.
    SupplierManagement,
    /// Identifying assets and risks.
    RiskIdentification,
    /// Protection and detection.
    ProtectionDetection,
    /// Incident response.
    IncidentResponse,
    /// Recovery.
    Recovery,
}

/// Where an Active List entry stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainEntryStatus")]
pub enum ActiveListEntryStatus {
    /// Being written; not listed.
    Draft,
    /// Waiting for staff review; not listed.
    PendingReview,
    /// Published: listed while the specialist is eligible.
    Published,
    /// Sent back by staff with a comment; edit and submit again.
    Rejected,
    /// Taken off the list by staff.
    Suspended,
    /// Taken off the list by the specialist.
    Withdrawn,
}

/// How a specialist charges.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainFeePolicy")]
pub enum FeePolicy {
    /// At the specialist's fee.
    Paid,
    /// Paid for by a subsidy or a support programme.
    Subsidised,
    /// Free of charge.
    ProBono,
}

/// A topic a specialist can advise SMEs on (指導テーマ).
pub struct GuidanceTheme(pub guidance_theme::Model);

/// A topic a specialist can advise SMEs on (指導テーマ).
#[Object]
impl GuidanceTheme {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::GUIDANCE_THEME, self.0.id)
    }

    /// Stable code (`INCIDENT_RESPONSE_PLAN`), used in filters and entries.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name in Japanese.
    async fn name_ja(&self) -> &str {
        &self.0.name_ja
    }

    /// Name in English.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// What advice on it covers.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Its category.
    async fn category(&self) -> ThemeCategory {
        self.0.category.into()
    }

    /// Position in lists (smallest first).
    async fn display_order(&self) -> i32 {
        self.0.display_order
    }

    /// False once retired: kept on entries that have it, not offered for new ones.
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// How to reach a specialist.
#[derive(SimpleObject)]
pub struct SpecialistContact {
    /// E-mail.
    pub email: String,
    /// Telephone number, if given.
    pub phone: Option<String>,
}

/// A specialist's offer to advise SMEs, on the Active List.
///
/// Everybody but analysts sees published entries of eligible specialists (`ACTIVE`, cycle
/// not `OVERDUE`) with the specialist's public fields; support organizations also see how
/// to contact them; staff and the specialist see every entry and its review state.
pub struct ActiveListEntry(pub EntryView);

impl ActiveListEntry {
    fn lists(&self) -> EntryLists<'_> {
        EntryLists(&self.0.row)
    }

    fn full<T>(&self, value: T) -> Option<T> {
        self.0.access.full.then_some(value)
    }
}

/// A specialist's offer to advise SMEs, on the Active List.
///
/// Everybody but analysts sees published entries of eligible specialists (`ACTIVE`, cycle
/// not `OVERDUE`) with the specialist's public fields; support organizations also see how
/// to contact them; staff and the specialist see every entry and its review state.
#[Object]
impl ActiveListEntry {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::ACTIVE_LIST_ENTRY, self.0.row.id)
    }

    /// The specialist, with the fields you may see of them.
    async fn specialist(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Specialist>> {
        let loaded = data::<EntrySpecialists>(ctx)?
            .load_one(self.0.row.specialist_id)
            .await?;
        Ok(loaded.and_then(|(view, _)| view).map(Specialist))
    }

    /// How to reach the specialist. Support organizations, staff and the specialist only.
    async fn contact(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<SpecialistContact>> {
        if !self.0.access.contact {
            return Ok(None);
        }
        let loaded = data::<EntrySpecialists>(ctx)?
            .load_one(self.0.row.specialist_id)
            .await?;
        Ok(loaded.map(|(_, contact)| SpecialistContact {
            email: contact.email,
            phone: contact.phone,
        }))
    }

    /// Guidance themes, in display order (retired ones included).
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<GuidanceTheme>> {
        themes_in_order(ctx, self.lists().theme_ids()).await
    }

    /// Industries of strength.
    async fn industries(&self) -> Vec<Industry> {
        self.lists()
            .industries()
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Domains of strength, in the specialist's words.
    async fn domains(&self) -> Vec<String> {
        serde_json::from_value(self.0.row.domains.clone()).unwrap_or_default()
    }

    /// Prefectures served in person.
    async fn prefectures(&self) -> Vec<Prefecture> {
        self.lists()
            .prefectures()
            .iter()
            .filter_map(|code| Prefecture::of_code(code))
            .collect()
    }

    /// Whether the specialist also works remotely.
    async fn remote_ok(&self) -> bool {
        self.0.row.remote_ok
    }

    /// Languages, ISO 639-1 (`ja`, `en`).
    async fn languages(&self) -> Vec<String> {
        self.lists().languages()
    }

    /// How the specialist charges.
    async fn fee_policy(&self) -> FeePolicy {
        self.0.row.fee_policy.into()
    }

    /// Lowest fee, in yen, if given.
    async fn fee_min_yen(&self) -> Option<Yen> {
        self.0.row.fee_min_yen.map(|y| Yen(y.into()))
    }

    /// Highest fee, in yen, if given.
    async fn fee_max_yen(&self) -> Option<Yen> {
        self.0.row.fee_max_yen.map(|y| Yen(y.into()))
    }

    /// How many SMEs the specialist takes on at once.
    async fn capacity(&self) -> i32 {
        i32::from(self.0.row.capacity)
    }

    /// Whether the specialist paused new engagements.
    async fn paused(&self) -> bool {
        self.0.row.paused
    }

    /// How many more SMEs the specialist can take on: the capacity less the matches they
    /// accepted or are running.
    async fn capacity_left(&self) -> i32 {
        i32::from(self.0.row.capacity - self.0.row.active_matches).max(0)
    }

    /// Whether the specialist takes on an SME now: not paused, with capacity left.
    async fn has_capacity(&self) -> bool {
        !self.0.row.paused && self.0.row.active_matches < self.0.row.capacity
    }

    /// A short introduction in Japanese.
    async fn bio_ja(&self) -> &str {
        &self.0.row.bio_ja
    }

    /// A short introduction in English, if given.
    async fn bio_en(&self) -> Option<&str> {
        self.0.row.bio_en.as_deref()
    }

    /// The date the specialist last confirmed the entry.
    async fn confirmed_on(&self) -> Date {
        Date(self.0.row.confirmed_on)
    }

    /// Where the entry stands. Staff and the specialist only.
    async fn status(&self) -> Option<ActiveListEntryStatus> {
        self.full(()).map(|_| self.0.row.status).map(Into::into)
    }

    /// Whether the specialist may be listed today (`ACTIVE`, cycle not `OVERDUE`). Staff
    /// and the specialist only.
    async fn eligible(&self) -> Option<bool> {
        self.full(self.0.eligible)
    }

    /// Not confirmed for 12 months: ranked lower in the list. Staff and the specialist only.
    async fn stale(&self) -> Option<bool> {
        self.full(self.0.stale)
    }

    /// The reviewer's last comment. Staff and the specialist only.
    async fn review_comment(&self) -> Option<&str> {
        self.full(()).and(self.0.row.review_comment.as_deref())
    }

    /// When it was last submitted for review. Staff and the specialist only.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.full(()).and(self.0.row.submitted_at.map(DateTime))
    }

    /// When it was last reviewed. Staff and the specialist only.
    async fn reviewed_at(&self) -> Option<DateTime> {
        self.full(()).and(self.0.row.reviewed_at.map(DateTime))
    }

    /// When staff last published it.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.row.published_at.map(DateTime)
    }

    /// Version for optimistic concurrency. Staff and the specialist only.
    async fn version(&self) -> Option<i32> {
        self.full(self.0.row.version)
    }

    /// When the entry last changed, including a place taken or given back and a change
    /// of eligibility: what `updatedSince` and the `UPDATED_AT` order read. Staff and the
    /// specialist only, as it can reveal a change the public may not see.
    async fn updated_at(&self) -> Option<DateTime> {
        self.full(DateTime(self.0.row.updated_at))
    }
}

connection!(
    ActiveListEntryConnection,
    ActiveListEntryEdge,
    ActiveListEntry,
    "Active List entries"
);
