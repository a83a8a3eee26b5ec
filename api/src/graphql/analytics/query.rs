//! Queries of the analysts' figures: the active count on any date, its series, the
//! progress towards the 50,000-specialist target, breakdowns, renewal health, and the
//! Active List against demand.

use async_graphql::{Context, Enum, Object, SimpleObject};

use crate::graphql::LARGE_READ_COST;
use crate::graphql::scalars::Yen;
use crate::{
    domain::analytics::{
        breakdown::{self, Breakdown as DomainBreakdown, Dimension as DomainDimension},
        registry::{self, Interval as DomainInterval, Period, TargetProgress as DomainProgress},
        renewal::{self as health, RenewalHealth as DomainHealth, RenewalRound as DomainRound},
        supply::{
            self, MatchingPerformance as DomainPerformance, Ratings as DomainRatings,
            SupplyDemand as DomainSupply, SupplyDemandCell as DomainSupplyCell,
        },
    },
    graphql::{
        context::{caller, db},
        error::GqlResultExt,
        renewal::objects::RenewalCycleStatus as CycleStatus,
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
    /// Renewals taking effect in the period (the renewed cycle's next day), as
    /// `renewalHealth` counts them.
    pub renewals: u64,
    /// Registrations lapsed in the period (taking effect on the day after the cycle's
    /// last day, as `renewalHealth` counts them), recorded by the period's end.
    pub lapses: u64,
    /// Voluntary deregistrations in the period.
    pub deregistrations: u64,
    /// Revocations in the period.
    pub revocations: u64,
    /// Active registrations suspended in the period.
    pub suspensions: u64,
    /// Registrations made active again (after a suspension or a lapse) in the period.
    pub reinstatements: u64,
    /// Of `lapses`, `deregistrations` and `revocations`, those of registrations that were
    /// not active at the time (suspended, or lapsed before): they leave no mark on the
    /// active count. So that the flows
    /// add up: the change of `activeAtEnd` from the period before is `registrations +
    /// reinstatements - suspensions - lapses - deregistrations - revocations +
    /// endedWhileInactive` (`netFlow`), for changes recorded by the period's end.
    pub ended_while_inactive: u64,
    /// The change of the active count the flows above account for.
    pub net_flow: i64,
}

impl From<Period> for SpecialistPeriod {
    fn from(p: Period) -> Self {
        let net_flow = p.net_flow();
        Self {
            starts_on: Date(p.starts_on),
            ends_on: Date(p.ends_on),
            active_at_end: p.active_at_end,
            registrations: p.registrations,
            renewals: p.renewals,
            lapses: p.lapses,
            deregistrations: p.deregistrations,
            revocations: p.revocations,
            suspensions: p.suspensions,
            reinstatements: p.reinstatements,
            ended_while_inactive: p.ended_while_inactive,
            net_flow,
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
    /// Net growth needed per month to reach the target on time: `gap / monthsLeft` (the
    /// whole gap when no whole month is left).
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
    /// Whether the count is withheld: fewer than 10 people, or hidden with such a cell so
    /// that it cannot be worked out from the totals.
    pub suppressed: bool,
}

/// The active count at a month end, split by a dimension.
#[derive(SimpleObject)]
pub struct Breakdown {
    /// The month end the figures describe (the last one on or before the date asked for).
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

/// How many cycles have a status.
#[derive(SimpleObject)]
pub struct CycleStatusCount {
    /// The status, today.
    pub status: CycleStatus,
    /// Cycles with it.
    pub count: u64,
}

/// One registration round of renewal health.
#[derive(SimpleObject)]
pub struct RenewalRound {
    /// Its first day (April 1 or October 1).
    pub starts_on: Date,
    /// Its last day, or `to` for the last round.
    pub ends_on: Date,
    /// Renewals taking effect in the round: on the day after the renewed cycle's last
    /// day, the basis of `specialistSeries.renewals`.
    pub renewed: u64,
    /// Lapses taking effect in the round: on the day after the lapsed cycle's last day,
    /// the basis of `specialistSeries.lapses`.
    pub lapsed: u64,
    /// Lapsed over renewed plus lapsed (0 to 1), or null when none ended either way.
    pub lapse_rate: Option<f64>,
    /// Deemed-attendance claims submitted in the round.
    pub claims_filed: u64,
    /// Claims approved in the round.
    pub claims_approved: u64,
    /// Claims rejected in the round.
    pub claims_rejected: u64,
    /// Course fees saved by the claims approved in the round, in yen.
    pub fees_saved_yen: Yen,
}

impl From<DomainRound> for RenewalRound {
    fn from(r: DomainRound) -> Self {
        Self {
            starts_on: Date(r.starts_on),
            ends_on: Date(r.ends_on),
            renewed: r.renewed,
            lapsed: r.lapsed,
            lapse_rate: r.lapse_rate,
            claims_filed: r.claims_filed,
            claims_approved: r.claims_approved,
            claims_rejected: r.claims_rejected,
            fees_saved_yen: Yen(r.fees_saved_yen),
        }
    }
}

/// Renewal health: today's cycles by status, and per round the lapse rate and the uptake
/// of deemed attendance.
#[derive(SimpleObject)]
pub struct RenewalHealth {
    /// Today (Japan): the date of `cyclesByStatus` and `claimsPending`.
    pub as_of: Date,
    /// Every cycle by its status today.
    pub cycles_by_status: Vec<CycleStatusCount>,
    /// Deemed-attendance claims waiting for review today.
    pub claims_pending: u64,
    /// The rounds from the one holding `from` to the one holding `to`.
    pub rounds: Vec<RenewalRound>,
}

impl From<DomainHealth> for RenewalHealth {
    fn from(h: DomainHealth) -> Self {
        Self {
            as_of: Date(h.as_of),
            cycles_by_status: h
                .cycles_by_status
                .into_iter()
                .map(|(status, count)| CycleStatusCount {
                    status: status.into(),
                    count,
                })
                .collect(),
            claims_pending: h.claims_pending,
            rounds: h.rounds.into_iter().map(Into::into).collect(),
        }
    }
}

/// Supply and demand in one guidance theme or prefecture.
#[derive(SimpleObject)]
pub struct SupplyDemandCell {
    /// The theme's code or the prefecture's JIS code.
    pub key: String,
    /// Its name.
    pub label: String,
    /// Published entries (specialists) offering it, or null when fewer than 10.
    pub supply: Option<u64>,
    /// Whether `supply` is withheld: fewer than 10 people.
    pub supply_suppressed: bool,
    /// Open consultation requests (companies) asking for it.
    pub demand: u64,
}

impl From<DomainSupplyCell> for SupplyDemandCell {
    fn from(c: DomainSupplyCell) -> Self {
        Self {
            key: c.key,
            label: c.label,
            supply_suppressed: c.supply.is_none(),
            supply: c.supply,
            demand: c.demand,
        }
    }
}

/// The published Active List against the open consultation requests, today.
#[derive(SimpleObject)]
pub struct SupplyDemand {
    /// Today (Japan).
    pub as_of: Date,
    /// Entries on the published list.
    pub published_entries: u64,
    /// Of those, entries that also advise remotely (they serve every prefecture).
    pub remote_entries: u64,
    /// Requests still looking for a specialist (`OPEN` or `MATCHING`).
    pub open_requests: u64,
    /// Every active guidance theme, in display order.
    pub by_theme: Vec<SupplyDemandCell>,
    /// The 47 prefectures; supply counts entries advising there in person.
    pub by_prefecture: Vec<SupplyDemandCell>,
}

impl From<DomainSupply> for SupplyDemand {
    fn from(s: DomainSupply) -> Self {
        Self {
            as_of: Date(s.as_of),
            published_entries: s.published_entries,
            remote_entries: s.remote_entries,
            open_requests: s.open_requests,
            by_theme: s.by_theme.into_iter().map(Into::into).collect(),
            by_prefecture: s.by_prefecture.into_iter().map(Into::into).collect(),
        }
    }
}

/// Ratings given on one side of completed engagements.
#[derive(SimpleObject)]
pub struct RatingSummary {
    /// How many ratings.
    pub count: u64,
    /// Their mean (1 to 5), or null without ratings.
    pub average: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5 stars, in that order.
    pub distribution: Vec<u64>,
}

impl From<DomainRatings> for RatingSummary {
    fn from(r: DomainRatings) -> Self {
        Self {
            count: r.count,
            average: r.average,
            distribution: r.distribution.to_vec(),
        }
    }
}

/// How matching performed between two dates.
#[derive(SimpleObject)]
pub struct MatchingPerformance {
    /// The first day counted.
    pub from: Date,
    /// The last day counted.
    pub to: Date,
    /// Consultation requests filed in the span.
    pub requests_filed: u64,
    /// Of those, requests a specialist has accepted.
    pub requests_matched: u64,
    /// The median time from filing to the accepted match, in days, over those requests;
    /// null when none was matched.
    pub median_days_to_match: Option<f64>,
    /// Engagements (accepted matches) that ended in the span: completed, or cancelled
    /// after acceptance (dated by their last change).
    pub engagements_ended: u64,
    /// Of those, engagements completed.
    pub engagements_completed: u64,
    /// Completed over ended (0 to 1), or null when none ended.
    pub completion_rate: Option<f64>,
    /// Companies' ratings of the specialists, for engagements completed in the span.
    pub company_ratings: RatingSummary,
    /// Specialists' ratings of the companies, for the same engagements.
    pub specialist_ratings: RatingSummary,
}

impl From<DomainPerformance> for MatchingPerformance {
    fn from(p: DomainPerformance) -> Self {
        Self {
            from: Date(p.from),
            to: Date(p.to),
            requests_filed: p.requests_filed,
            requests_matched: p.requests_matched,
            median_days_to_match: p.median_days_to_match,
            engagements_ended: p.engagements_ended,
            engagements_completed: p.engagements_completed,
            completion_rate: p.completion_rate,
            company_ratings: p.company_ratings.into(),
            specialist_ratings: p.specialist_ratings.into(),
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
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
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
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
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
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
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

    /// The active count at a month end by prefecture, region, age band or employer
    /// industry: the last day of the latest month that ended on or before `asOf` and before
    /// today (the answer's `asOf` says which). A cell counting fewer than 10 people is
    /// suppressed (`value: null, suppressed: true`), and so are as many others as it takes
    /// that no suppressed cell can be worked out from this or any other published table
    /// (regions from their prefectures, any table from the national count). Analysts,
    /// registry staff and administrators.
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
    async fn specialist_breakdown(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to split by.")] by: BreakdownDimension,
        #[graphql(
            desc = "The date; not in the future. The breakdown describes the month end on or before it."
        )]
        as_of: Date,
    ) -> async_graphql::Result<Breakdown> {
        Ok(
            breakdown::breakdown(db(ctx)?, caller(ctx)?, by.into(), as_of.0)
                .await
                .gql()?
                .into(),
        )
    }

    /// Renewal health: every cycle by its status today, claims waiting for review, and per
    /// registration round from `from` to `to` the renewals and lapses taking effect in it
    /// (with the lapse rate), deemed-attendance claims filed, approved and rejected, and
    /// the course fees the approved ones saved. A renewal or a lapse takes effect on the
    /// day after the cycle's last day, the date basis of `specialistSeries`: a cycle
    /// ending on September 30 counts in the round from October 1 in both. Analysts,
    /// registry staff and administrators.
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
    async fn renewal_health(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A day in the first round.")] from: Date,
        #[graphql(desc = "The last day counted; not in the future. Today by default.")] to: Option<
            Date,
        >,
    ) -> async_graphql::Result<RenewalHealth> {
        let to = match to {
            Some(to) => to.0,
            None => caller(ctx)?.today(),
        };
        Ok(health::renewal_health(db(ctx)?, caller(ctx)?, from.0, to)
            .await
            .gql()?
            .into())
    }

    /// The published Active List against the open consultation requests today, by guidance
    /// theme and by prefecture. Supply counts people: a cell under 10 is withheld. Analysts,
    /// registry staff and administrators.
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
    async fn active_list_supply_demand(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<SupplyDemand> {
        Ok(supply::supply_demand(db(ctx)?, caller(ctx)?)
            .await
            .gql()?
            .into())
    }

    /// How matching performed between two dates: requests filed and matched, the median
    /// time to an accepted match, the completion rate of engagements and the ratings on
    /// both sides. Analysts, registry staff and administrators.
    #[graphql(complexity = "LARGE_READ_COST + child_complexity")]
    async fn matching_performance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first day counted.")] from: Date,
        #[graphql(desc = "The last day counted; not in the future. Today by default.")] to: Option<
            Date,
        >,
    ) -> async_graphql::Result<MatchingPerformance> {
        let to = match to {
            Some(to) => to.0,
            None => caller(ctx)?.today(),
        };
        Ok(
            supply::matching_performance(db(ctx)?, caller(ctx)?, from.0, to)
                .await
                .gql()?
                .into(),
        )
    }
}
