//! Renewal queries.

use super::inputs::{
    CourseFilterInput, CourseOrderInput, DeemedAttendanceClaimFilterInput,
    DeemedAttendanceClaimOrderBy, DeemedAttendanceClaimOrderInput, RenewalCycleFilterInput,
    RenewalCycleOrderBy, RenewalCycleOrderInput, RenewalReminderOrderBy, RenewalReminderOrderInput,
};
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use super::objects::{
    Course, CourseConnection, DeemedAttendanceClaim, DeemedAttendanceClaimConnection,
    DeemedAttendanceSavings, RenewalCycle, RenewalCycleConnection, RenewalReminder,
    RenewalReminderConnection, RequirementPolicy,
};
use crate::{
    domain::{
        pagination::{ListOrder, PageArgs},
        renewal::{
            claims::{self, ClaimFilter},
            courses::{self, CourseFilter},
            cycles::{self, CycleFilter},
            policy,
            sweep::{self, ReminderOrder},
        },
    },
    graphql::{
        connection::{ConnectionData, CountFuture},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, decode_input_id, decode_input_ids},
        scalars::Date,
    },
};

#[derive(Default)]
pub struct RenewalQuery;

#[Object]
impl RenewalQuery {
    /// Every requirement policy, oldest first. Public: the rules are no secret.
    async fn requirement_policies(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<RequirementPolicy>> {
        let policies = policy::all(db(ctx)?).await.gql()?;
        Ok(policies.iter().map(Into::into).collect())
    }

    /// The course catalogue, in the order courses were added. Public. `first` and `last`
    /// default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the courses must meet.")] filter: Option<CourseFilterInput>,
        #[graphql(desc = "How to order the courses; their own order when omitted.")]
        order_by: Option<CourseOrderInput>,
    ) -> async_graphql::Result<CourseConnection> {
        let db = db(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = CourseFilter {
            kinds: filter
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            fiscal_years: filter.fiscal_years.unwrap_or_default(),
        };
        let page = courses::list(
            &db,
            &filter,
            &PageArgs::new(first, after, last, before)
                .directed(CourseOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { courses::count(&db, &filter).await }) as CountFuture
        });
        Ok(CourseConnection(ConnectionData::new(page, Course, counter)))
    }

    /// Renewal cycles by application deadline, soonest first. Registry staff only.
    /// `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn renewal_cycles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the cycles must meet.")] filter: Option<
            RenewalCycleFilterInput,
        >,
        #[graphql(desc = "How to order the renewal cycles; their own order when omitted.")]
        order_by: Option<RenewalCycleOrderInput>,
    ) -> async_graphql::Result<RenewalCycleConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let filter = CycleFilter {
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            deadline_before: filter.deadline_before.map(|d| d.0),
            prefectures: filter.prefectures.unwrap_or_default(),
            awaiting_decision: filter.awaiting_decision.unwrap_or(false),
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let order = match order_by.and_then(|order| order.field) {
            None | Some(RenewalCycleOrderBy::Deadline) => ListOrder::Own,
            Some(RenewalCycleOrderBy::UpdatedAt) => ListOrder::UpdatedAt,
        };
        let page = cycles::list(
            &db,
            &caller,
            &filter,
            order,
            &PageArgs::new(first, after, last, before)
                .directed(RenewalCycleOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let ids: Vec<i64> = page.items.iter().map(|(_, c)| c.row.id).collect();
        super::loaders::prime_cycle_details(ctx, ids).await?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { cycles::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(RenewalCycleConnection(ConnectionData::new(
            page,
            RenewalCycle,
            counter,
        )))
    }

    /// Deemed-attendance claims, oldest first: registry staff see every claim, a
    /// specialist their own. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn deemed_attendance_claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Conditions the claims must meet.")] filter: Option<
            DeemedAttendanceClaimFilterInput,
        >,
        #[graphql(
            desc = "How to order the deemed-attendance claims; their own order when omitted."
        )]
        order_by: Option<DeemedAttendanceClaimOrderInput>,
    ) -> async_graphql::Result<DeemedAttendanceClaimConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let cycle_ids = decode_input_ids(
            filter.cycles,
            NodeKind::RENEWAL_CYCLE,
            "filter.cycles",
            "renewal cycle",
        )
        .gql()?;
        let filter = ClaimFilter {
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            cycle_ids,
            updated_since: filter.updated_since.map(|t| t.0),
        };
        let order = match order_by.and_then(|order| order.field) {
            None | Some(DeemedAttendanceClaimOrderBy::Filed) => ListOrder::Own,
            Some(DeemedAttendanceClaimOrderBy::UpdatedAt) => ListOrder::UpdatedAt,
        };
        let page = claims::list(
            &db,
            &caller,
            &filter,
            order,
            &PageArgs::new(first, after, last, before)
                .directed(DeemedAttendanceClaimOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, filter) = (db.clone(), caller.clone(), filter.clone());
            Box::pin(async move { claims::count(&db, &caller, &filter).await }) as CountFuture
        });
        Ok(DeemedAttendanceClaimConnection(ConnectionData::new(
            page,
            DeemedAttendanceClaim,
            counter,
        )))
    }

    /// Approved deemed-attendance claims and the course fees they saved: overall
    /// (registry staff and analysts), or for one specialist (registry staff, or the
    /// specialist themself).
    async fn deemed_attendance_savings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A specialist's global ID; omit for the total.")] specialist_id: Option<
            ID,
        >,
    ) -> async_graphql::Result<DeemedAttendanceSavings> {
        let specialist = specialist_id
            .as_ref()
            .map(|id| decode_input_id(id, NodeKind::SPECIALIST, "specialist_id", "specialist"))
            .transpose()
            .gql()?;
        let savings = claims::savings(db(ctx)?, caller(ctx)?, specialist)
            .await
            .gql()?;
        Ok(savings.into())
    }

    /// The reminders written by the run of `asOf`, in the order written unless `orderBy`
    /// says otherwise. Registry staff
    /// only. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn renewal_reminders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The date of the reminder run.")] as_of: Date,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "How to order the reminders; the order written when omitted.")]
        order_by: Option<RenewalReminderOrderInput>,
    ) -> async_graphql::Result<RenewalReminderConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let args = PageArgs::new(first, after, last, before)
            .directed(RenewalReminderOrderInput::direction_of(&order_by));
        let order = match order_by.and_then(|order| order.field) {
            None | Some(RenewalReminderOrderBy::Written) => ReminderOrder::Written,
            Some(RenewalReminderOrderBy::ApplicationDue) => ReminderOrder::ApplicationDue,
        };
        let page = sweep::reminders(&db, &caller, as_of.0, order, &args)
            .await
            .gql()?;
        let counter = Arc::new(move || {
            let (db, caller) = (db.clone(), caller.clone());
            Box::pin(async move { sweep::reminder_count(&db, &caller, as_of.0).await })
                as CountFuture
        });
        Ok(RenewalReminderConnection(ConnectionData::new(
            page,
            RenewalReminder,
            counter,
        )))
    }
}
