//! Queries of the registry's figures: the active count on any date, its series, and the
//! progress towards the 50,000-specialist target.

use async_graphql::{Context, Enum, Object, SimpleObject};

use crate::{
    domain::analytics::{
        breakdown::{self, Breakdown as DomainBreakdown, Dimension as DomainDimension},
        registry::{self, Interval as DomainInterval, Period, TargetProgress as DomainProgress},
    },
    graphql::{
        context::{caller, db},
        error::GqlResultExt,
        scalars::Date,
    },
};

/// How a series is cut.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainInterval")]
pub enum SeriesInterval {
    /// Calendar months.
    Month,
    /// Registration rounds: half-years from April 1 and October 1.
    Round,
}

/// One period of the registry's series.
#[derive(SimpleObject)]
pub struct SpecialistPeriod {
    /// Its first day.
    pub starts_on: Date,
    /// Its last day counted: the period's end, or today for the current period.
    pub ends_on: Date,
    /// Registered and active specialists at its end, as known then.
    pub active_at_end: u64,
    /// Registrations effective in the period.
    pub registrations: u64,
    /// Renewals taking effect in the period.
    pub renewals: u64,
    /// Registrations lapsed in the period.
    pub lapses: u64,
    /// Voluntary deregistrations in the period.
    pub deregistrations: u64,
    /// Revocations in the period.
    pub revocations: u64,
}

impl From<Period> for SpecialistPeriod {
    fn from(p: Period) -> Self {
        Self {
            starts_on: Date(p.starts_on),
            ends_on: Date(p.ends_on),
            active_at_end: p.active_at_end,
            registrations: p.registrations,
            renewals: p.renewals,
            lapses: p.lapses,
            deregistrations: p.deregistrations,
            revocations: p.revocations,
        }
    }
}

/// Where the registry stands against a target.
#[derive(SimpleObject)]
pub struct TargetProgress {
    /// The target count.
    pub target: u64,
    /// The date it is to be reached by.
    pub by: Date,
    /// Today (Japan): the date the figures are for.
    pub as_of: Date,
    /// Registered and active specialists today.
    pub current: u64,
    /// Specialists still missing (0 once the target is reached).
    pub gap: u64,
    /// Whole months from today to the target date.
    pub months_left: u32,
    /// Net growth needed per month to reach the target on time.
    pub needed_per_month: f64,
    /// How many registration rounds the trend was fitted over.
    pub rounds: u32,
    /// The recent trend: net growth per month, a least-squares fit over those rounds'
    /// closing counts.
    pub trend_per_month: f64,
    /// The count the trend gives on the target date.
    pub projected_on_target_date: f64,
    /// When the trend reaches the target, or null if it never does.
    pub projected_date: Option<Date>,
}

impl From<DomainProgress> for TargetProgress {
    fn from(p: DomainProgress) -> Self {
        Self {
            target: p.target,
            by: Date(p.by),
            as_of: Date(p.as_of),
            current: p.current,
            gap: p.gap,
            months_left: p.months_left,
            needed_per_month: p.needed_per_month,
            rounds: u32::try_from(p.rounds).unwrap_or(u32::MAX),
            trend_per_month: p.trend_per_month,
            projected_on_target_date: p.projected_on_target_date,
            projected_date: p.projected_date.map(Date),
        }
    }
}

/// What a breakdown splits the active count by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainDimension")]
pub enum BreakdownDimension {
    /// The 47 prefectures (key: JIS X 0401 code).
    Prefecture,
    /// The eight regions.
    Region,
    /// Age on the date: under 30, 30s, 40s, 50s, 60 and over.
    AgeBand,
    /// The employer's industry: a JSIC major division letter (`A`–`T`), and `NOT_GIVEN`
    /// for specialists without one recorded.
    Industry,
}

/// One cell of a breakdown.
#[derive(SimpleObject)]
pub struct BreakdownCell {
    /// Its key (a prefecture code, a region, an age band or an industry letter).
    pub key: String,
    /// Its name.
    pub label: String,
    /// How many specialists it counts, or null when suppressed.
    pub value: Option<u64>,
    /// Whether the count is withheld: fewer than 10 people, or the one other cell hidden so
    /// that no hidden cell can be recovered from the total.
    pub suppressed: bool,
}

/// The active count on a date, split by a dimension.
#[derive(SimpleObject)]
pub struct Breakdown {
    /// The date.
    pub as_of: Date,
    /// The active count on the date, across all cells.
    pub total: u64,
    /// The cells, in a fixed order.
    pub cells: Vec<BreakdownCell>,
}

impl From<DomainBreakdown> for Breakdown {
    fn from(b: DomainBreakdown) -> Self {
        Self {
            as_of: Date(b.as_of),
            total: b.total,
            cells: b
                .cells
                .into_iter()
                .map(|c| BreakdownCell {
                    key: c.key,
                    label: c.label,
                    suppressed: c.value.is_none(),
                    value: c.value,
                })
                .collect(),
        }
    }
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// Registered and active specialists on a date (Japan), computed from the status
    /// history as it was known on that date: a change recorded later never alters a past
    /// figure. Analysts, registry staff and administrators.
    async fn specialist_count(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The date; not in the future.")] as_of: Date,
    ) -> async_graphql::Result<u64> {
        registry::active_count(db(ctx)?, caller(ctx)?, as_of.0)
            .await
            .gql()
    }

    /// The registry period by period from `from` to `to`: the active count at each
    /// period's end (as known then), registrations, renewals, lapses, deregistrations and
    /// revocations. At most 400 periods. Analysts, registry staff and administrators.
    async fn specialist_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A day in the first period.")] from: Date,
        #[graphql(desc = "The last day counted; not in the future.")] to: Date,
        #[graphql(desc = "Months or registration rounds.")] interval: SeriesInterval,
    ) -> async_graphql::Result<Vec<SpecialistPeriod>> {
        Ok(
            registry::series(db(ctx)?, caller(ctx)?, from.0, to.0, interval.into())
                .await
                .gql()?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }

    /// Progress towards a target: today's count, the gap, the growth needed per month, the
    /// recent trend fitted over the last `rounds` registration rounds, the projected count
    /// on the target date and the date the trend reaches the target. Analysts, registry
    /// staff and administrators.
    async fn target_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The target count.", default = 50000)] target: u64,
        #[graphql(
            desc = "The date to reach it by.",
            default_with = "Date(chrono::NaiveDate::from_ymd_opt(2030, 4, 1).unwrap_or_default())"
        )]
        by: Date,
        #[graphql(
            desc = "Registration rounds to fit the trend over (2 to 40).",
            default = 6
        )]
        rounds: u32,
    ) -> async_graphql::Result<TargetProgress> {
        Ok(
            registry::target_progress(db(ctx)?, caller(ctx)?, target, by.0, rounds as usize)
                .await
                .gql()?
                .into(),
        )
    }

    /// The active count on a date by prefecture, region, age band or employer industry. A cell counting fewer
    /// than 10 people is suppressed (`value: null, suppressed: true`); when only one cell is,
    /// the smallest other is too, so the total never gives a hidden cell away. Analysts,
    /// registry staff and administrators.
    async fn specialist_breakdown(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to split by.")] by: BreakdownDimension,
        #[graphql(desc = "The date; not in the future.")] as_of: Date,
    ) -> async_graphql::Result<Breakdown> {
        Ok(
            breakdown::breakdown(db(ctx)?, caller(ctx)?, by.into(), as_of.0)
                .await
                .gql()?
                .into(),
        )
    }
}
