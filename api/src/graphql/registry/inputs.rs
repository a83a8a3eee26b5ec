//! Input objects of the registry: the filters, orders and mutation inputs its queries and
//! mutations take.

use super::objects::ExamSeason;
use super::objects::SpecialistStatus;
use crate::domain::registry::queries::SpecialistFilter;
use crate::domain::registry::queries::SpecialistOrderField;
use crate::graphql::connection::OrderDirection;
use crate::graphql::reference::Industry;
use crate::graphql::scalars::Date;
use crate::graphql::scalars::DateTime;
use async_graphql::Enum;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::MaybeUndefined;

/// Narrows a list of specialists. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct SpecialistFilterInput {
    /// Only these prefectures (JIS X 0401 codes, e.g. `["13", "14"]`). For public callers
    /// this matches only specialists who publish their prefecture.
    pub prefectures: Option<Vec<String>>,
    /// Only these statuses. Public callers only ever see `ACTIVE` registrations.
    pub statuses: Option<Vec<SpecialistStatus>>,
    /// Part of a name, in kanji or kana (spaces ignored). For public callers this matches
    /// only names the specialist publishes.
    pub name_contains: Option<String>,
    /// Registered on or after this date.
    pub registered_from: Option<Date>,
    /// Registered on or before this date.
    pub registered_to: Option<Date>,
    /// Only registrations changed at or after this time: what a mirror asks for since its last
    /// sync, paged with `orderBy: { field: UPDATED_AT }`.
    /// Registry staff only: an update time can reveal a change the public may not see.
    pub updated_since: Option<DateTime>,
}

/// How to order a list of specialists.
#[derive(InputObject, Default)]
pub struct SpecialistOrderInput {
    /// The field to order by.
    #[graphql(default)]
    pub field: SpecialistOrderBy,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl From<SpecialistFilterInput> for SpecialistFilter {
    fn from(input: SpecialistFilterInput) -> Self {
        Self {
            prefectures: input.prefectures.unwrap_or_default(),
            statuses: input
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            name_contains: input.name_contains,
            registered_from: input.registered_from.map(|d| d.0),
            registered_to: input.registered_to.map(|d| d.0),
            updated_since: input.updated_since.map(|t| t.0),
        }
    }
}

/// Which fields to publish in the public registry. Omitted fields keep their value
/// (or are `false` for a new registration).
#[derive(InputObject, Default, Clone, Copy)]
pub struct DisclosureInput {
    /// Publish family and given names in kanji.
    pub name: Option<bool>,
    /// Publish the names in kana.
    pub kana: Option<bool>,
    /// Publish birth year and month.
    pub birth_year_month: Option<bool>,
    /// Publish the employer.
    pub employer: Option<bool>,
    /// Publish the prefecture of address.
    pub prefecture: Option<bool>,
}

/// A new registration.
#[derive(InputObject)]
pub struct RegisterSpecialistInput {
    /// Six digits, zero-padded (`011172`); must never have been used.
    pub registration_number: String,
    /// Family name in kanji.
    pub family_name: String,
    /// Given name in kanji.
    pub given_name: String,
    /// Family name in kana.
    pub family_name_kana: String,
    /// Given name in kana.
    pub given_name_kana: String,
    /// Birth year and month, `YYYY-MM`; not in the future.
    pub birth_year_month: String,
    /// Contact e-mail.
    pub email: String,
    /// Contact telephone number.
    pub phone: Option<String>,
    /// Prefecture of address, JIS X 0401 code (`"13"`).
    pub prefecture: String,
    /// Employer, if any.
    pub employer: Option<String>,
    /// The employer's industry (JSIC major division), if known.
    pub employer_industry: Option<Industry>,
    /// Year of the exam passed (2016 or later, not after the registration year).
    pub exam_passed_year: i32,
    /// Sitting of the exam passed.
    pub exam_passed_season: ExamSeason,
    /// Date the registration takes effect: an April 1 or October 1, at most a year ahead.
    /// A past date whose first renewal cycle has already ended is recorded as it would
    /// stand now: the registration and its cycle lapse at once.
    pub registered_on: Date,
    /// What to publish; nothing by default.
    pub disclosure: Option<DisclosureInput>,
}

/// Staff corrections to a registration. Omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateSpecialistInput {
    /// The specialist's global ID.
    pub id: ID,
    /// The `version` you read; if the record changed since, nothing is written.
    pub expected_version: i32,
    /// Family name in kanji.
    pub family_name: Option<String>,
    /// Given name in kanji.
    pub given_name: Option<String>,
    /// Family name in kana.
    pub family_name_kana: Option<String>,
    /// Given name in kana.
    pub given_name_kana: Option<String>,
    /// Birth year and month, `YYYY-MM`.
    pub birth_year_month: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Contact telephone number; null clears it.
    pub phone: MaybeUndefined<String>,
    /// Prefecture of address, JIS X 0401 code.
    pub prefecture: Option<String>,
    /// Employer; null clears it.
    pub employer: MaybeUndefined<String>,
    /// The employer's industry (JSIC major division); null clears it.
    pub employer_industry: MaybeUndefined<Industry>,
    /// Year of the exam passed.
    pub exam_passed_year: Option<i32>,
    /// Sitting of the exam passed.
    pub exam_passed_season: Option<ExamSeason>,
}

/// A status change of a registration.
#[derive(InputObject)]
pub struct ChangeSpecialistStatusInput {
    /// The specialist's global ID.
    pub id: ID,
    /// The new status. `REVOKED` and `DEREGISTERED` are final.
    pub status: SpecialistStatus,
    /// The date (Japan) from which it holds: not in the future, not before the current
    /// status took effect.
    pub effective_on: Date,
    /// Why; kept in the history for good.
    pub reason: String,
    /// The `version` you read, to make sure nobody changed the record meanwhile.
    pub expected_version: Option<i32>,
}

/// What a specialist may change of their own record. Omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateMyProfileInput {
    /// The `version` you read; if the record changed since, nothing is written.
    pub expected_version: i32,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Contact telephone number; null clears it.
    pub phone: MaybeUndefined<String>,
    /// Prefecture of address, JIS X 0401 code.
    pub prefecture: Option<String>,
    /// Employer; null clears it.
    pub employer: MaybeUndefined<String>,
    /// The employer's industry (JSIC major division); null clears it.
    pub employer_industry: MaybeUndefined<Industry>,
    /// What to publish in the public registry.
    pub disclosure: Option<DisclosureInput>,
    /// The version of the publication terms (`consentTerms`, purpose
    /// `REGISTRY_PUBLICATION`) you showed the specialist. If given and not the version in
    /// force, nothing is written; left out, the version in force is recorded.
    pub terms_version: Option<String>,
}

/// Fields a list of specialists can be ordered by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "SpecialistOrderField")]
pub enum SpecialistOrderBy {
    /// Registration number (the default).
    #[default]
    RegistrationNumber,
    /// Registration date, then creation order.
    RegisteredOn,
    /// Family then given name in kana. Registry staff only.
    NameKana,
    /// When the registration last changed, then creation order: the order a mirror syncs
    /// in with `updatedSince` (ascending by default). Registry staff only.
    UpdatedAt,
}
