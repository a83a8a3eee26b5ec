//! Analytics in the schema: aggregates only, for analysts and registry staff.

pub mod query;

/// Analytics' registration in the schema: aggregates only, no nodes, no person.
pub const AREA: super::area::Area = super::area::Area {
    name: "analytics",
    nodes: &[],
    attach_loaders: super::area::Area::no_loaders,
    person_level_types: &[],
    analyst_readable_types: &[
        "Breakdown",
        "BreakdownCell",
        "CycleStatusCount",
        "MatchingPerformance",
        "RatingSummary",
        "RenewalHealth",
        "RenewalRound",
        "SpecialistPeriod",
        "SupplyDemand",
        "SupplyDemandCell",
        "TargetProgress",
    ],
    roots: super::area::query_roots::<query::AnalyticsQuery>,
    read_scope: &crate::domain::scopes::ANALYTICS_READ,
    write_scope: None,
};
