//! Registry mutations. Each takes one `input` and returns a payload whose `userErrors`
//! lists every problem with the input; when it is non-empty nothing was written.

use super::inputs::{
    ChangeSpecialistStatusInput, RegisterSpecialistInput, UpdateMyProfileInput,
    UpdateSpecialistInput,
};
use async_graphql::{Context, ID, MaybeUndefined, Object, SimpleObject};

use super::objects::{Specialist, StatusChange};
use crate::{
    domain::{
        DomainError,
        registry::{
            commands::{
                self, Change, ContactPatch, NewSpecialist, ProfilePatch, SpecialistPatch,
                StatusChangeRequest,
            },
            views::Disclosure,
        },
    },
    graphql::{
        context::{caller, db},
        error::{UserError, user_errors},
        node::{NodeKind, decode_input_id},
        payload::record_payloads,
    },
};

record_payloads! {
    "The registration after the change, or null when `userErrors` is not empty."
    specialist as "specialist": Specialist from crate::domain::registry::views::SpecialistView;
    /// The result of `registerSpecialist`.
    RegisterSpecialistPayload,
    /// The result of `updateSpecialist`.
    UpdateSpecialistPayload,
    /// The result of `updateMyProfile`.
    UpdateMyProfilePayload,
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
        RegisterSpecialistPayload::from_result(
            commands::register(db(ctx)?, caller(ctx)?, new).await,
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
        UpdateSpecialistPayload::from_result(result)
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
    ) -> async_graphql::Result<UpdateMyProfilePayload> {
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
        let (db, caller) = (db(ctx)?, caller(ctx)?);
        let result = commands::update_my_profile(db, caller, input.expected_version, patch).await;
        UpdateMyProfilePayload::from_result(result)
    }
}
