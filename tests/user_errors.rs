//! Every `userErrors.field` of every mutation names a field of that mutation's input, so
//! a form can put the message next to the field it is about. The test reads the mutations
//! and their input types from the schema, calls each with inputs that break its rules in
//! several ways (malformed IDs, IDs of objects that do not exist, IDs of ones that do with
//! nonsense around them, only the required fields) as each kind of caller, and checks every
//! path it gets back against the input type.

use std::collections::{BTreeSet, HashMap};

use kakehashi::{
    domain::{Role, matching::corporate_number::with_check_digit},
    graphql::node::{NodeKind, encode_id},
};
use serde_json::{Map, Value, json};

use crate::support::TestApp;

const INTROSPECTION: &str = "{ __schema { mutationType { name }
    types { name kind interfaces { name }
      fields { name args { name type { ...Ref } } }
      inputFields { name type { ...Ref } }
      enumValues { name } } } }
    fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType {
      kind name ofType { kind name } } } } }";

struct Schema {
    types: HashMap<String, Value>,
    /// The object types with global IDs.
    nodes: Vec<String>,
}

/// How the values of one call are made up.
#[derive(Clone, Copy, Debug)]
enum Values {
    /// IDs that are not global IDs at all; every optional field given.
    Malformed,
    /// Global IDs of the right type that name nothing; every optional field given.
    Absent,
    /// Global IDs of the right type and key 1 (there, on a seeded database), with
    /// nonsense everywhere else; every optional field given.
    Present,
    /// Only the required fields, with IDs of the right type and key 1.
    RequiredOnly,
}

impl Schema {
    fn kind(&self, name: &str) -> &str {
        self.types[name]["kind"].as_str().unwrap()
    }

    /// The node type an ID field most likely names: `cohortId` → `CampCohort`, `id` of
    /// `updateCampCohort` → `CampCohort`.
    fn node_for(&self, field: &str, mutation: &str) -> Option<&str> {
        let stem = field
            .strip_suffix("Ids")
            .or_else(|| field.strip_suffix("Id"))
            .unwrap_or(field);
        let mutation_lower = mutation.to_lowercase();
        let in_mutation = |n: &&String| mutation_lower.contains(&n.to_lowercase());
        if stem == "id" || stem.is_empty() {
            return self
                .nodes
                .iter()
                .filter(in_mutation)
                .max_by_key(|n| n.len())
                .map(String::as_str);
        }
        let mut upper = stem.to_owned();
        upper[..1].make_ascii_uppercase();
        let mut candidates: Vec<&String> =
            self.nodes.iter().filter(|n| n.ends_with(&upper)).collect();
        candidates.sort_by_key(|n| (!in_mutation(n), n.len()));
        candidates.first().map(|n| n.as_str())
    }

    /// A value of type `ty` for field `field` of `mutation`.
    fn value(&self, ty: &Value, field: &str, mutation: &str, how: Values, depth: usize) -> Value {
        match ty["kind"].as_str().unwrap() {
            "NON_NULL" => self.value(&ty["ofType"], field, mutation, how, depth),
            "LIST" => json!([self.value(&ty["ofType"], field, mutation, how, depth)]),
            _ => {
                let name = ty["name"].as_str().unwrap();
                match self.kind(name) {
                    "ENUM" => self.types[name]["enumValues"][0]["name"].clone(),
                    "INPUT_OBJECT" => self.input(name, mutation, how, depth + 1),
                    _ => self.scalar(name, field, mutation, how),
                }
            }
        }
    }

    fn scalar(&self, name: &str, field: &str, mutation: &str, how: Values) -> Value {
        match name {
            "ID" => {
                let node = self.node_for(field, mutation).unwrap_or("Specialist");
                match how {
                    Values::Malformed => json!("not-an-id"),
                    Values::Absent => json!(encode_id(NodeKind::named(leak(node)), 999_999).0),
                    Values::Present | Values::RequiredOnly => {
                        json!(encode_id(NodeKind::named(leak(node)), 1).0)
                    }
                }
            }
            "Int" => json!(-1),
            "Float" => json!(-1.5),
            "Boolean" => json!(false),
            "Date" => json!("1900-01-01"),
            "DateTime" => json!("1900-01-01T00:00:00Z"),
            "YearMonth" => json!("1900-01"),
            _ => json!(""),
        }
    }

    /// An input object of type `name`: required fields always, optional ones unless only
    /// the required are wanted (and not below a depth of 4).
    fn input(&self, name: &str, mutation: &str, how: Values, depth: usize) -> Value {
        let mut object = Map::new();
        for field in self.types[name]["inputFields"].as_array().unwrap() {
            let required = field["type"]["kind"] == "NON_NULL";
            if !required && (matches!(how, Values::RequiredOnly) || depth > 3) {
                continue;
            }
            let field_name = field["name"].as_str().unwrap();
            object.insert(
                field_name.to_owned(),
                self.value(&field["type"], field_name, mutation, how, depth),
            );
        }
        Value::Object(object)
    }

    /// Whether `path` (as a `userErrors.field`) names a field of the arguments `args`: its
    /// first part is an argument, then each part a field of the input object before it,
    /// or an index into a list.
    fn names_a_field(&self, args: &[Value], path: &[Value]) -> bool {
        let Some(first) = path.first().and_then(Value::as_str) else {
            return false;
        };
        let Some(arg) = args.iter().find(|a| a["name"] == first) else {
            return false;
        };
        let mut ty = &arg["type"];
        let mut rest = &path[1..];
        loop {
            while ty["kind"] == "NON_NULL" {
                ty = &ty["ofType"];
            }
            let Some(part) = rest.first() else {
                return true;
            };
            if ty["kind"] == "LIST" {
                let is_index = part.as_u64().is_some()
                    || part.as_str().is_some_and(|p| p.parse::<usize>().is_ok());
                if !is_index {
                    return false;
                }
                ty = &ty["ofType"];
                rest = &rest[1..];
                continue;
            }
            let Some(name) = ty["name"].as_str() else {
                return false;
            };
            if self.kind(name) != "INPUT_OBJECT" {
                return false;
            }
            let Some(field) = self.types[name]["inputFields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| Some(f["name"].as_str().unwrap()) == part.as_str())
            else {
                return false;
            };
            ty = &field["type"];
            rest = &rest[1..];
        }
    }
}

/// A `&'static str` for a type name read at run time (a handful per test run).
fn leak(name: &str) -> &'static str {
    Box::leak(name.to_owned().into_boxed_str())
}

/// The argument type's GraphQL notation, for the operation's variable declarations.
fn notation(ty: &Value) -> String {
    match ty["kind"].as_str().unwrap() {
        "NON_NULL" => format!("{}!", notation(&ty["ofType"])),
        "LIST" => format!("[{}]", notation(&ty["ofType"])),
        _ => ty["name"].as_str().unwrap().to_owned(),
    }
}

/// The schema as an administrator reads it, and the name of its mutation type.
async fn read_schema(app: &TestApp, admin: &str) -> (Schema, String) {
    let introspection = app.gql(Some(admin), INTROSPECTION, json!({})).await;
    let list = introspection["data"]["__schema"]["types"]
        .as_array()
        .unwrap();
    let types: HashMap<String, Value> = list
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let nodes = list
        .iter()
        .filter(|t| {
            t["kind"] == "OBJECT"
                && t["interfaces"]
                    .as_array()
                    .is_some_and(|i| i.iter().any(|i| i["name"] == "Node"))
        })
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    let mutation_type = introspection["data"]["__schema"]["mutationType"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    (Schema { types, nodes }, mutation_type)
}

/// A token for each kind of caller that may call some mutation.
async fn callers(app: &TestApp, admin: &str) -> [String; 7] {
    [
        app.token(Role::Admin),
        app.token(Role::ProgramStaff),
        app.token(Role::CampStaff),
        app.specialist_token("000001"),
        app.person_token("person-user-errors"),
        app.org_token(&first_org_code(app, admin).await),
        app.company_token(&with_check_digit(3_000_000_001)),
    ]
}

/// The document calling mutation `name` with every argument of `args` as a variable,
/// asking for its user errors.
fn document(name: &str, args: &[Value]) -> String {
    let declarations: Vec<String> = args
        .iter()
        .map(|a| format!("${}: {}", a["name"].as_str().unwrap(), notation(&a["type"])))
        .collect();
    let passed: Vec<String> = args
        .iter()
        .map(|a| format!("{0}: ${0}", a["name"].as_str().unwrap()))
        .collect();
    let (open, close) = if args.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("({})", declarations.join(", ")),
            format!("({})", passed.join(", ")),
        )
    };
    format!("mutation{open} {{ {name}{close} {{ userErrors {{ field message }} }} }}")
}

/// Calls `mutation` with each kind of broken input as each of `tokens`; adds each
/// `userErrors.field` that names no field of its input to `wrong`, and returns how many
/// user errors came back.
async fn check_mutation(
    app: &TestApp,
    schema: &Schema,
    tokens: &[String],
    mutation: &Value,
    wrong: &mut BTreeSet<String>,
) -> usize {
    let name = mutation["name"].as_str().unwrap();
    let args = mutation["args"].as_array().unwrap();
    let query = document(name, args);
    let mut seen = 0;
    for how in [
        Values::Malformed,
        Values::Absent,
        Values::Present,
        Values::RequiredOnly,
    ] {
        let mut variables = Map::new();
        for arg in args {
            let arg_name = arg["name"].as_str().unwrap();
            variables.insert(
                arg_name.to_owned(),
                schema.value(&arg["type"], arg_name, name, how, 0),
            );
        }
        for token in tokens {
            let response = app
                .gql(Some(token), &query, Value::Object(variables.clone()))
                .await;
            let Some(errors) = response["data"][name]["userErrors"].as_array() else {
                continue;
            };
            for error in errors {
                seen += 1;
                let Some(path) = error["field"].as_array() else {
                    continue;
                };
                if !schema.names_a_field(args, path) {
                    wrong.insert(format!("{name}: {} ({})", error["field"], error["message"]));
                }
            }
        }
    }
    seen
}

#[tokio::test]
async fn every_user_error_names_a_field_of_the_mutations_input() {
    let app = TestApp::seeded(60).await;
    let admin = app.token(Role::Admin);
    let (schema, mutation_type) = read_schema(&app, &admin).await;
    let tokens = callers(&app, &admin).await;
    let mut wrong = BTreeSet::new();
    let mut seen = 0;
    let mut mutations = 0;
    for mutation in schema.types[&mutation_type]["fields"].as_array().unwrap() {
        mutations += 1;
        seen += check_mutation(&app, &schema, &tokens, mutation, &mut wrong).await;
    }
    assert!(mutations > 40, "only {mutations} mutations read");
    assert!(seen > 200, "the calls raised only {seen} user errors");
    assert!(
        wrong.is_empty(),
        "userErrors.field that names no input field:\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The code of a seeded support organization.
async fn first_org_code(app: &TestApp, admin: &str) -> String {
    let response = app
        .gql(
            Some(admin),
            "{ supportOrganizations(first: 1) { nodes { code } } }",
            json!({}),
        )
        .await;
    response["data"]["supportOrganizations"]["nodes"][0]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no organization in {response}"))
        .to_owned()
}
