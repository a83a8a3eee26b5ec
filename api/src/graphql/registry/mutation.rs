//! Registry mutations. Each takes one `input` and returns a payload whose `userErrors`
//! lists every problem with the input; when it is non-empty nothing was written.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::types::{ExamSeason, Specialist, SpecialistStatus, StatusChange};
use crate::graphql::active_list::types::Industry;
use crate::{
    domain::{
        DomainError,
        registry::{
            commands::{
                self, Change, ContactPatch, NewSpecialist, ProfilePatch, SpecialistPatch,
                StatusChangeRequest,
            },
            view::Disclosure,
        },
    },
    graphql::{
        context::{caller, db},
        error::{UserError, user_errors},
        node::{NodeKind, decode_input_id},
        scalars::Date,
    },
};

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
    /// Date the registration takes effect: an April 1 or October 1.
    pub registered_on: Date,
    /// What to publish; nothing by default.
    pub disclosure: Option<DisclosureInput>,
}

/// The result of `registerSpecialist`.
#[derive(SimpleObject)]
pub struct RegisterSpecialistPayload {
    /// The new registration, or null when `userErrors` is not empty.
    pub specialist: Option<Specialist>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of `updateSpecialist` and `updateMyProfile`.
#[derive(SimpleObject)]
pub struct UpdateSpecialistPayload {
    /// The updated registration, or null when `userErrors` is not empty.
    pub specialist: Option<Specialist>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

/// The result of `changeSpecialistStatus`.
#[derive(SimpleObject)]
pub struct ChangeSpecialistStatusPayload {
    /// The registration after the change, or null when `userErrors` is not empty.
    pub specialist: Option<Specialist>,
    /// The history entry the change appended.
    pub status_change: Option<StatusChange>,
    /// Problems with the input; empty on success.
    pub user_errors: Vec<UserError>,
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

fn change<T>(value: MaybeUndefined<T>) -> Change<T> {
    match value {
        MaybeUndefined::Undefined => Change::Keep,
        MaybeUndefined::Null => Change::Clear,
        MaybeUndefined::Value(v) => Change::Set(v),
    }
}

fn specialist_key(id: &ID) -> Result<i64, DomainError> {
    decode_input_id(id, NodeKind::SPECIALIST, "id", "specialist")
}

#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Registers a specialist. Registry staff (`ADMIN`, `PROGRAM_STAFF`) only.
    async fn register_specialist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration.")] input: RegisterSpecialistInput,
    ) -> async_graphql::Result<RegisterSpecialistPayload> {
        let disclosure = input.disclosure.unwrap_or_default();
        let new = NewSpecialist {
            registration_number: input.registration_number,
            family_name: input.family_name,
            given_name: input.given_name,
            family_name_kana: input.family_name_kana,
            given_name_kana: input.given_name_kana,
            birth_year_month: input.birth_year_month,
            email: input.email,
            phone: input.phone,
            prefecture: input.prefecture,
            employer: input.employer,
            employer_industry: input.employer_industry.map(Into::into),
            exam_year: input.exam_passed_year,
            exam_season: input.exam_passed_season.into(),
            registered_on: input.registered_on.0,
            disclosure: Disclosure {
                name: disclosure.name.unwrap_or(false),
                kana: disclosure.kana.unwrap_or(false),
                birth_year_month: disclosure.birth_year_month.unwrap_or(false),
                employer: disclosure.employer.unwrap_or(false),
                prefecture: disclosure.prefecture.unwrap_or(false),
            },
        };
        Ok(
            match commands::register(db(ctx)?, caller(ctx)?, new).await {
                Ok(view) => RegisterSpecialistPayload {
                    specialist: Some(Specialist(view)),
                    user_errors: Vec::new(),
                },
                Err(err) => RegisterSpecialistPayload {
                    specialist: None,
                    user_errors: user_errors(err)?,
                },
            },
        )
    }

    /// Corrects a registration's personal details. Registry staff only.
    async fn update_specialist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The corrections.")] input: UpdateSpecialistInput,
    ) -> async_graphql::Result<UpdateSpecialistPayload> {
        let patch = SpecialistPatch {
            family_name: input.family_name,
            given_name: input.given_name,
            family_name_kana: input.family_name_kana,
            given_name_kana: input.given_name_kana,
            birth_year_month: input.birth_year_month,
            contact: ContactPatch {
                email: input.email,
                phone: change(input.phone),
                prefecture: input.prefecture,
                employer: change(input.employer),
                employer_industry: change(input.employer_industry.map_value(Into::into)),
            },
            exam_year: input.exam_passed_year,
            exam_season: input.exam_passed_season.map(Into::into),
        };
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = match specialist_key(&input.id) {
            Ok(key) => commands::update(db, caller, key, input.expected_version, patch).await,
            Err(err) => Err(err),
        };
        Ok(match result {
            Ok(view) => UpdateSpecialistPayload {
                specialist: Some(Specialist(view)),
                user_errors: Vec::new(),
            },
            Err(err) => UpdateSpecialistPayload {
                specialist: None,
                user_errors: user_errors(err)?,
            },
        })
    }

    /// Moves a registration to a new status and appends the change to its history.
    /// Registry staff only.
    async fn change_specialist_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The status change.")] input: ChangeSpecialistStatusInput,
    ) -> async_graphql::Result<ChangeSpecialistStatusPayload> {
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = match specialist_key(&input.id) {
            Ok(id) => {
                let request = StatusChangeRequest {
                    id,
                    status: input.status.into(),
                    effective_on: input.effective_on.0,
                    reason: input.reason,
                    expected_version: input.expected_version,
                };
                commands::change_status(db, caller, request).await
            }
            Err(err) => Err(err),
        };
        Ok(match result {
            Ok((view, change)) => ChangeSpecialistStatusPayload {
                specialist: Some(Specialist(view)),
                status_change: Some(change.into()),
                user_errors: Vec::new(),
            },
            Err(err) => ChangeSpecialistStatusPayload {
                specialist: None,
                status_change: None,
                user_errors: user_errors(err)?,
            },
        })
    }

    /// Updates your own contact details and disclosure consents. Role `SPECIALIST` only.
    async fn update_my_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes to your profile.")] input: UpdateMyProfileInput,
    ) -> async_graphql::Result<UpdateSpecialistPayload> {
        let disclosure = input.disclosure.unwrap_or_default();
        let patch = ProfilePatch {
            contact: ContactPatch {
                email: input.email,
                phone: change(input.phone),
                prefecture: input.prefecture,
                employer: change(input.employer),
                employer_industry: change(input.employer_industry.map_value(Into::into)),
            },
            disclose_name: disclosure.name,
            disclose_kana: disclosure.kana,
            disclose_birth_year_month: disclosure.birth_year_month,
            disclose_employer: disclosure.employer,
            disclose_prefecture: disclosure.prefecture,
            terms_version: input.terms_version,
        };
        Ok(
            match commands::update_my_profile(db(ctx)?, caller(ctx)?, input.expected_version, patch)
                .await
            {
                Ok(view) => UpdateSpecialistPayload {
                    specialist: Some(Specialist(view)),
                    user_errors: Vec::new(),
                },
                Err(err) => UpdateSpecialistPayload {
                    specialist: None,
                    user_errors: user_errors(err)?,
                },
            },
        )
    }
}
