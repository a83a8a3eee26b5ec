//! Checks a document against the schema without running it: what a trusted document
//! passes once, when it is registered, so that its requests skip validation.

use std::sync::{Arc, OnceLock};

use async_graphql::{
    Request, ServerError, ValidationResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation},
    parser::{
        parse_query,
        types::{DocumentOperations, OperationDefinition},
    },
};

use crate::{
    domain::documents::Validator,
    graphql::{KakehashiSchema, builder, limits},
};

/// What the validation-only schema answers when a document passed every rule.
const PASSED: &str = "\u{0}validated";

/// Stops every request once it is validated: its resolvers never run.
struct ValidateOnly;

impl ExtensionFactory for ValidateOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ValidateOnly)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ValidateOnly {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await?;
        Err(vec![ServerError::new(PASSED, None)])
    }
}

/// The schema with every rule and limit of the served one (strict validation, depth and
/// complexity), that stops after validation.
fn schema() -> &'static KakehashiSchema {
    static SCHEMA: OnceLock<KakehashiSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| builder().extension(ValidateOnly).finish())
}

/// The errors validation reports only because the request gives no variables: working
/// out the operation's complexity reads the arguments, and a variable without a value is an
/// error there (`Variable first is not defined.`). A request of the document gives the real
/// values, and its complexity is checked again then.
fn for_want_of_values(operation: &OperationDefinition) -> Vec<String> {
    operation
        .variable_definitions
        .iter()
        .map(|definition| format!("Variable {} is not defined.", definition.node.name.node))
        .collect()
}

/// Checks documents as a request of them would be: the limits on their text and shape,
/// then every operation of the document against the schema.
pub struct SchemaValidator;

impl SchemaValidator {
    async fn check(text: &str) -> Result<(), String> {
        limits::check_text(text).map_err(|refused| refused.0)?;
        let document = parse_query(text).map_err(|err| err.to_string())?;
        limits::check_document(&document).map_err(|refused| refused.0)?;
        let operations: Vec<(Option<String>, &OperationDefinition)> = match &document.operations {
            DocumentOperations::Single(operation) => vec![(None, &operation.node)],
            DocumentOperations::Multiple(operations) => operations
                .iter()
                .map(|(name, operation)| (Some(name.to_string()), &operation.node))
                .collect(),
        };
        for (name, operation) in operations {
            let mut request = Request::new(text);
            if let Some(name) = name {
                request = request.operation_name(name);
            }
            let artefacts = for_want_of_values(operation);
            let response = schema().execute(request).await;
            let problems: Vec<&str> = response
                .errors
                .iter()
                .map(|e| e.message.as_str())
                .filter(|message| *message != PASSED)
                .filter(|message| !artefacts.iter().any(|a| a == message))
                .collect();
            if !problems.is_empty() {
                return Err(problems.join("; "));
            }
        }
        Ok(())
    }
}

impl Validator for SchemaValidator {
    fn validate(&self, text: &str) -> impl Future<Output = Result<(), String>> + Send {
        Self::check(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn documents_are_checked_against_the_schema_without_running() {
        let valid = "query A { viewer { role } } query B { viewer { authenticated } }";
        assert_eq!(SchemaValidator.validate(valid).await, Ok(()));
        let with_variables = "query S($first: Int!, $after: String) {
            specialists(first: $first, after: $after) { totalCount } }";
        assert_eq!(SchemaValidator.validate(with_variables).await, Ok(()));
        let with_input = "mutation R($input: RegisterTrustedDocumentsInput!) {
            registerTrustedDocuments(input: $input) { added } }";
        assert_eq!(SchemaValidator.validate(with_input).await, Ok(()));
        let undeclared = "query S { specialists(first: $first) { totalCount } }";
        assert!(SchemaValidator.validate(undeclared).await.is_err());
        assert_eq!(SchemaValidator.validate(with_variables).await, Ok(()));
        let unknown = SchemaValidator.validate("{ viewer { shoeSize } }").await;
        assert!(unknown.is_err_and(|why| why.contains("shoeSize")));
        assert!(SchemaValidator.validate("{ viewer {").await.is_err());
        let deep = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
        assert!(SchemaValidator.validate(&deep).await.is_err());
        // One bad operation spoils the document.
        let mixed = "query A { viewer { role } } query B { viewer { nope } }";
        assert!(SchemaValidator.validate(mixed).await.is_err());
    }
}
