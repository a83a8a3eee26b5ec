//! Mutation payloads: one type per mutation, so that a client's fragments, generated types
//! and cache updates follow the mutation they belong to, and a mutation can gain a field
//! without every other mutation gaining it too.
//!
//! Most mutations change one record; [`record_payloads!`] declares their payloads at once.
//! A payload with more to say (the cycle a renewal opened, the event after an RSVP) is
//! written out beside its mutation.

/// Declares the payloads of mutations that change one record: each holds the record
/// after the change (null when `userErrors` is not empty) and `userErrors`, and is built
/// from the domain's answer with `from_result`.
///
/// ```ignore
/// record_payloads! {
///     "The match after the change, or null when `userErrors` is not empty."
///     matched as "match": Match from entities::matching::Model;
///     /// The result of `acceptMatch`.
///     AcceptMatchPayload,
/// }
/// ```
macro_rules! record_payloads {
    (
        $doc:literal $field:ident as $name_in_api:literal : $object:ident from $model:ty;
        $( $(#[$meta:meta])* $payload:ident ),+ $(,)?
    ) => {
        $(
            $(#[$meta])*
            #[derive(async_graphql::SimpleObject)]
            pub struct $payload {
                #[doc = $doc]
                #[graphql(name = $name_in_api)]
                pub $field: Option<$object>,
                /// Problems with the input; when not empty, nothing was written.
                pub user_errors: Vec<$crate::graphql::error::UserError>,
            }

            impl $payload {
                /// The payload of the domain's answer: the record, or the problems with
                /// the input (any other error fails the request).
                pub fn from_result(
                    result: $crate::domain::DomainResult<$model>,
                ) -> async_graphql::Result<Self> {
                    let (value, user_errors) = $crate::graphql::error::payload(result)?;
                    Ok(Self {
                        $field: value.map($object),
                        user_errors,
                    })
                }
            }
        )+
    };
}
pub(crate) use record_payloads;
