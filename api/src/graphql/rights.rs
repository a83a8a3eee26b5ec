//! The rights of the people in the data, over GraphQL: requests to erase or to stop use,
//! and staff decisions on them.

use crate::graphql::connection::order_input;
use crate::graphql::connection::page_cost;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use entities::{consent_record, consent_terms, erasure_request, retention_period};

use crate::{
    domain::{
        consent::{self, Audience as DomainAudience, Purpose as DomainPurpose},
        erasure::{
            self, Decision, ErasureKind as DomainKind, ErasurePart as DomainPart,
            ErasureStatus as DomainStatus, NewRequest,
        },
        pagination::PageArgs,
        personal_data,
        retention::{self, RetentionKind as DomainRetentionKind},
    },
    graphql::{
        connection::{ConnectionData, CountFuture, connection},
        context::{caller, db},
        error::GqlResultExt,
        node::{NodeKind, decode_input_id, encode_id},
        payload::record_payloads,
        scalars::{Date, DateTime},
    },
};

/// What a consent is for.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainPurpose")]
pub enum ConsentPurpose {
    /// Publishing consent-based fields of a registration in the public registry (items:
    /// `NAME`, `KANA`, `BIRTH_YEAR_MONTH`, `EMPLOYER`, `PREFECTURE`).
    RegistryPublication,
    /// Showing a field of an alumni community profile beyond camp staff (items: the
    /// profile's fields, `DISPLAY_NAME` … `SPECIALIST`).
    CommunityProfile,
    /// The terms of a Security Camp application (item: `COHORT_<id>`).
    CampTerms,
}

/// To whom a given disclosure consent discloses.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainAudience")]
pub enum ConsentAudience {
    /// Anybody.
    Public,
    /// Members of the alumni community.
    Alumni,
}

/// One entry of a person's consent ledger: a consent given or withdrawn, under which
/// version of the terms, when and by whom. Entries are never changed; the latest entry of
/// an item is its current state.
pub struct ConsentRecord(pub consent_record::Model);

/// One entry of a person's consent ledger: a consent given or withdrawn, under which
/// version of the terms, when and by whom. Entries are never changed; the latest entry of
/// an item is its current state.
#[Object]
impl ConsentRecord {
    /// What the consent is for.
    async fn purpose(&self) -> ConsentPurpose {
        self.0.purpose.into()
    }

    /// What it covers: a field, or `COHORT_<id>` for camp terms.
    async fn item(&self) -> &str {
        &self.0.item
    }

    /// Given (true) or withdrawn (false).
    async fn given(&self) -> bool {
        self.0.given
    }

    /// To whom a given disclosure consent discloses; null for terms and withdrawals.
    async fn audience(&self) -> Option<ConsentAudience> {
        self.0.audience.map(Into::into)
    }

    /// The version of the terms it was given or withdrawn under (`BEFORE_LEDGER` for
    /// consents recorded before the ledger existed, whose terms' version is unknown).
    async fn terms_version(&self) -> &str {
        &self.0.terms_version
    }

    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.recorded_at)
    }

    /// Who recorded it: your own `sub` when you did; otherwise only the role of who did
    /// (`PROGRAM_STAFF`, `CAMP_STAFF`, `ADMIN`, `SYSTEM`), `seed` or `migration` (the audit
    /// trail names the staff member).
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by
    }
}

/// One version of the terms a kind of consent is given under.
pub struct ConsentTerms(pub consent_terms::Model);

/// One version of the terms a kind of consent is given under.
#[Object]
impl ConsentTerms {
    /// The kind of consent.
    async fn purpose(&self) -> ConsentPurpose {
        self.0.purpose.into()
    }

    /// The version's name, as consents cite it.
    async fn version(&self) -> &str {
        &self.0.version
    }

    /// From this day (Japan), consents are given under this version.
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }

    /// The terms' title, in Japanese.
    async fn title(&self) -> &str {
        &self.0.title
    }
}

/// What a person asks for.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainKind")]
pub enum ErasureKind {
    /// Erase the parts named.
    Erasure,
    /// Stop using them; carried out the same way.
    StopOfUse,
}

/// A part of what is held about a person that can be erased (anonymised in place).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainPart")]
pub enum ErasurePart {
    /// A specialist's publication in the public registry: every disclosure consent is
    /// withdrawn. The statutory record itself is kept.
    RegistryPublication,
    /// A specialist's Active List entry: withdrawn, its biography and domains emptied.
    ActiveListEntry,
    /// An individual's community profile: they leave, and it is anonymised.
    CommunityProfile,
    /// An individual's activity reports: titles replaced, links removed.
    AlumniActivities,
    /// The answers of an individual's decided camp applications.
    CampApplications,
    /// A company's contact person, e-mail and telephone (company users).
    CompanyContact,
}

/// Where a request stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainStatus")]
pub enum ErasureStatus {
    /// Made, waiting for staff.
    Requested,
    /// Carried out: the parts are anonymised.
    CarriedOut,
    /// Refused by staff, with the reason.
    Refused,
}

/// A person's request to erase what is held about them, or to stop its use, and the
/// decision on it.
pub struct ErasureRequest(pub erasure_request::Model);

/// A person's request to erase what is held about them, or to stop its use, and the
/// decision on it.
#[Object]
impl ErasureRequest {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        encode_id(NodeKind::ERASURE_REQUEST, self.0.id)
    }

    /// The requester's `sub`.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// Erasure, or stop of use.
    async fn kind(&self) -> ErasureKind {
        self.0.kind.into()
    }

    /// The parts asked for.
    async fn parts(&self) -> Vec<ErasurePart> {
        erasure::parts_of(&self.0)
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Why the person asks.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// Where it stands.
    async fn status(&self) -> ErasureStatus {
        self.0.status.into()
    }

    /// When it was made.
    async fn requested_at(&self) -> DateTime {
        DateTime(self.0.requested_at)
    }

    /// When staff decided it; null while it waits.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(DateTime)
    }

    /// Staff's reason (required for a refusal).
    async fn decision_reason(&self) -> Option<&str> {
        self.0.decision_reason.as_deref()
    }
}

connection!(
    ErasureRequestConnection,
    ErasureRequestEdge,
    ErasureRequest,
    "requests to erase"
);

/// A request to erase, or to stop use.
#[derive(InputObject)]
pub struct RequestErasureInput {
    /// Erasure, or stop of use.
    pub kind: ErasureKind,
    /// The parts: a specialist's registry publication and Active List entry; an
    /// individual's community profile, activities and camp applications; a company
    /// user's company contact.
    pub parts: Vec<ErasurePart>,
    /// Why (at most 2,000 characters).
    pub reason: String,
}

/// How staff decide a request.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureDecision {
    /// Anonymise every part now, in one transaction.
    CarryOut,
    /// Refuse, giving the reason (for example a record the law requires to be kept).
    Refuse,
}

/// A staff decision on a request.
#[derive(InputObject)]
pub struct DecideErasureRequestInput {
    /// The request (global ID).
    pub request_id: ID,
    /// Carry it out, or refuse it.
    pub decision: ErasureDecision,
    /// The reason: required to refuse.
    pub reason: Option<String>,
}

record_payloads! {
    "The request after the change, or null when `userErrors` is not empty."
    request as "request": ErasureRequest from erasure_request::Model;
    /// The result of `requestErasure`.
    RequestErasurePayload,
    /// The result of `decideErasureRequest`.
    DecideErasureRequestPayload,
}

/// A kind of record with a retention period.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRetentionKind")]
pub enum RetentionKind {
    /// Answers of decided camp applications, counted from the cohort's last day.
    CampApplicationAnswers,
    /// Profiles of members who left the community, counted from the day they left.
    LeftCommunityProfiles,
}

/// How long one kind of record no longer needed is kept before `kakehashi retention
/// sweep` anonymises it.
pub struct RetentionPeriod(pub retention_period::Model);

/// How long one kind of record no longer needed is kept before `kakehashi retention
/// sweep` anonymises it.
#[Object]
impl RetentionPeriod {
    /// The kind of record.
    async fn kind(&self) -> RetentionKind {
        self.0.kind.into()
    }

    /// Months kept.
    async fn months(&self) -> i32 {
        self.0.months
    }

    /// What is kept, and from when the period counts.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// When the period was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// A new retention period.
#[derive(InputObject)]
pub struct UpdateRetentionPeriodInput {
    /// The kind of record.
    pub kind: RetentionKind,
    /// Months kept, 1–1200.
    pub months: i32,
}

record_payloads! {
    "The period after the change, or null when `userErrors` is not empty."
    retention_period as "retentionPeriod": RetentionPeriod from retention_period::Model;
    /// The result of `updateRetentionPeriod`.
    RetentionPeriodPayload,
}

order_input!(ErasureRequestOrderInput, ErasureRequestOrderBy, "erasure requests", {
        /// When the request came in (the default, newest first).
        Received,
});

#[derive(Default)]
pub struct RightsQuery;

#[Object]
impl RightsQuery {
    /// The caller's consent ledger, newest first (at most 1,000 entries): every disclosure
    /// consent they gave or withdrew and the camp terms they accepted, each with the
    /// terms' version and time. Specialists and individuals (`PERSON`).
    #[graphql(complexity = "100 * child_complexity + 1")]
    async fn my_consents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ConsentRecord>> {
        Ok(personal_data::my_consents(db(ctx)?, caller(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(ConsentRecord)
            .collect())
    }

    /// Every version of the terms consents are given under, newest first per kind. Public.
    async fn consent_terms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ConsentTerms>> {
        Ok(consent::terms(db(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(ConsentTerms)
            .collect())
    }

    /// How long each kind of record no longer needed is kept. Registry staff.
    async fn retention_periods(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<RetentionPeriod>> {
        Ok(retention::periods(db(ctx)?, caller(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(RetentionPeriod)
            .collect())
    }

    /// Requests to erase or to stop use, newest first: registry staff see every request,
    /// a requester their own. `first` and `last` default to 20 and are capped at 100.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn erasure_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Page size, from the start (or after `after`).")] first: Option<i32>,
        #[graphql(desc = "Page size, from the end (or before `before`).")] last: Option<i32>,
        #[graphql(desc = "Only requests with one of these statuses.")] statuses: Option<
            Vec<ErasureStatus>,
        >,
        #[graphql(desc = "How to order the erasure requests; their own order when omitted.")]
        order_by: Option<ErasureRequestOrderInput>,
    ) -> async_graphql::Result<ErasureRequestConnection> {
        let db = db(ctx)?.clone();
        let caller = caller(ctx)?.clone();
        let statuses: Vec<DomainStatus> = statuses
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let page = erasure::list(
            &db,
            &caller,
            &statuses,
            &PageArgs::new(first, after, last, before)
                .directed(ErasureRequestOrderInput::direction_of(&order_by)),
        )
        .await
        .gql()?;
        let counter = Arc::new(move || {
            let (db, caller, statuses) = (db.clone(), caller.clone(), statuses.clone());
            Box::pin(async move { erasure::count(&db, &caller, &statuses).await }) as CountFuture
        });
        Ok(ErasureRequestConnection(ConnectionData::new(
            page,
            ErasureRequest,
            counter,
        )))
    }
}

#[derive(Default)]
pub struct RightsMutation;

#[Object]
impl RightsMutation {
    /// Changes how long one kind of record is kept (administrators), from the next sweep
    /// on. Audited.
    async fn update_retention_period(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period.")] input: UpdateRetentionPeriodInput,
    ) -> async_graphql::Result<RetentionPeriodPayload> {
        let result = retention::set_period(
            db(ctx)?,
            caller(ctx)?,
            input.kind.into(),
            input.months,
            caller(ctx)?.now(),
        )
        .await;
        RetentionPeriodPayload::from_result(result)
    }

    /// Asks to erase parts of what is held about you, or to stop their use (specialists,
    /// individuals, company users). Registry staff decide; one request waits at a time.
    /// Audited.
    async fn request_erasure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request.")] input: RequestErasureInput,
    ) -> async_graphql::Result<RequestErasurePayload> {
        let result = erasure::request(
            db(ctx)?,
            caller(ctx)?,
            NewRequest {
                kind: input.kind.into(),
                parts: input.parts.into_iter().map(Into::into).collect(),
                reason: input.reason,
            },
            caller(ctx)?.now(),
        )
        .await;
        RequestErasurePayload::from_result(result)
    }

    /// Decides a request (registry staff): carried out, every part is anonymised in place
    /// in one transaction with the decision and its audit event; refused, with a reason.
    async fn decide_erasure_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision.")] input: DecideErasureRequestInput,
    ) -> async_graphql::Result<DecideErasureRequestPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = async {
            let id = decode_input_id(
                &input.request_id,
                NodeKind::ERASURE_REQUEST,
                "request_id",
                "erasure request",
            )?;
            let decision = match input.decision {
                ErasureDecision::CarryOut => Decision::CarryOut,
                ErasureDecision::Refuse => Decision::Refuse,
            };
            erasure::decide(
                db,
                caller,
                id,
                decision,
                input.reason.as_deref(),
                caller.now(),
            )
            .await
        }
        .await;
        DecideErasureRequestPayload::from_result(result)
    }
}

impl NodeKind {
    pub const ERASURE_REQUEST: NodeKind = NodeKind::named("ErasureRequest");
}

/// Data subjects' rights' registration in the schema.
pub const AREA: super::area::Area = super::area::Area {
    name: "rights",
    nodes: &[super::node::node_type!(
        ErasureRequest,
        NodeKind::ERASURE_REQUEST,
        |ctx, keys| {
            let rows = erasure::by_ids(db(ctx)?, caller(ctx)?, &keys).await.gql()?;
            Ok(super::node::aligned(rows, ErasureRequest))
        }
    )],
    attach_loaders: super::area::Area::no_loaders,
    person_level_types: &["ConsentRecord", "ErasureRequest"],
    analyst_readable_types: &["ConsentTerms", "RetentionPeriod"],
    roots: super::area::roots::<RightsQuery, RightsMutation>,
    read_scope: &crate::domain::scopes::RIGHTS_READ,
    write_scope: Some(&crate::domain::scopes::RIGHTS_WRITE),
};
