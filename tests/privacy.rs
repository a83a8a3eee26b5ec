//! Analysts see aggregates only: a walk of the whole schema proves that an `ANALYST` token
//! reaching any person-level field, by any path, gets `FORBIDDEN` and no data.

use std::collections::{BTreeSet, HashMap, VecDeque};

use kakehashi::{
    domain::{Caller, Role, seed::seed_demo},
    graphql::privacy::{is_analyst_readable, is_person_level},
};
use serde_json::{Value, json};

use crate::support::TestApp;

const INTROSPECTION: &str = "{ __schema { types { name kind
    fields { name type { ...Ref } args { name defaultValue type { ...Ref } } }
    inputFields { name defaultValue type { ...Ref } }
    enumValues { name } } } }
    fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType {
      kind name ofType { kind name } } } } }";

struct Schema {
    types: HashMap<String, Value>,
}

/// A type reference's named type and whether it is non-null.
fn named(ty: &Value) -> (&str, bool) {
    let required = ty["kind"] == "NON_NULL";
    let mut at = ty;
    while at["name"].is_null() {
        at = &at["ofType"];
    }
    (at["name"].as_str().unwrap(), required)
}

fn is_list(ty: &Value) -> bool {
    let mut at = ty;
    while !at.is_null() {
        if at["kind"] == "LIST" {
            return true;
        }
        at = &at["ofType"];
    }
    false
}

impl Schema {
    fn kind(&self, name: &str) -> &str {
        self.types[name]["kind"].as_str().unwrap()
    }

    /// A value of `ty` that passes validation: resolvers of person-level fields must not
    /// run at all, so its meaning does not matter.
    fn placeholder(&self, ty: &Value) -> String {
        if is_list(ty) {
            return "[]".to_owned();
        }
        let (name, _) = named(ty);
        match name {
            "Int" | "Yen" => "1".to_owned(),
            "Float" => "1.0".to_owned(),
            "Boolean" => "false".to_owned(),
            "Date" => "\"2025-04-01\"".to_owned(),
            "DateTime" => "\"2025-04-01T00:00:00Z\"".to_owned(),
            _ => match self.kind(name) {
                "ENUM" => self.types[name]["enumValues"][0]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                "INPUT_OBJECT" => {
                    format!("{{ {} }}", self.required(&self.types[name]["inputFields"]))
                }
                _ => "\"000001\"".to_owned(),
            },
        }
    }

    /// The required arguments (or input fields) of a field, with placeholders.
    fn required(&self, args: &Value) -> String {
        args.as_array()
            .into_iter()
            .flatten()
            .filter(|a| named(&a["type"]).1 && a["defaultValue"].is_null())
            .map(|a| {
                format!(
                    "{}: {}",
                    a["name"].as_str().unwrap(),
                    self.placeholder(&a["type"])
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn call(&self, field: &Value) -> String {
        let name = field["name"].as_str().unwrap();
        let args = self.required(&field["args"]);
        if args.is_empty() {
            name.to_owned()
        } else {
            format!("{name}({args})")
        }
    }
}

/// A field of a person-level type and the query reaching it through readable types.
struct Target {
    path: Vec<String>,
    query: String,
}

/// Every person-level field reachable from `Query` through readable objects, up to three
/// objects deep, with the query that reaches it.
fn targets(schema: &Schema) -> Vec<Target> {
    let mut found = Vec::new();
    // (type, path of response keys, the query's opening and closing parts)
    let mut queue: VecDeque<(String, Vec<String>, String, String)> =
        VecDeque::from([("Query".to_owned(), Vec::new(), String::new(), String::new())]);
    while let Some((parent, path, open, close)) = queue.pop_front() {
        for field in schema.types[&parent]["fields"].as_array().unwrap() {
            let name = field["name"].as_str().unwrap().to_owned();
            let (ty, _) = named(&field["type"]);
            if schema.kind(ty) != "OBJECT" && schema.kind(ty) != "INTERFACE" {
                continue;
            }
            let call = schema.call(field);
            let mut at = path.clone();
            at.push(name);
            if is_person_level(ty) {
                found.push(Target {
                    query: format!("{{ {open}{call} {{ __typename }}{close} }}"),
                    path: at,
                });
            } else if at.len() < 3 && !matches!(ty, "Query" | "Mutation" | "Node") {
                queue.push_back((
                    ty.to_owned(),
                    at,
                    format!("{open}{call} {{ "),
                    format!(" }}{close}"),
                ));
            }
        }
    }
    found
}

/// The app on a database seeded with 400 demo specialists and all that comes with them.
async fn seeded() -> TestApp {
    let app = TestApp::spawn().await;
    seed_demo(&app.db, &Caller::system(), 400, |_| {})
        .await
        .unwrap();
    app
}

/// The schema as the caller of `token` reads it by introspection.
async fn schema(app: &TestApp, token: &str) -> Schema {
    let introspection = app.gql(Some(token), INTROSPECTION, json!({})).await;
    let types: HashMap<String, Value> = introspection["data"]["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    Schema { types }
}

/// Reads `target` as the analyst of `token`: asserts that the answer holds no
/// person-level data and no error but `FORBIDDEN`; returns whether the field itself
/// answered `FORBIDDEN`.
async fn refused_at(app: &TestApp, analyst: &str, target: &Target) -> bool {
    let response = app.gql(Some(analyst), &target.query, json!({})).await;
    let errors = response["errors"].as_array().cloned().unwrap_or_default();
    let forbidden_here = errors.iter().any(|e| {
        e["extensions"]["code"] == "FORBIDDEN"
            && e["path"].as_array().is_some_and(|p| {
                p.last().and_then(Value::as_str) == target.path.last().map(String::as_str)
            })
    });
    let other = errors
        .iter()
        .filter(|e| e["extensions"]["code"] != "FORBIDDEN")
        .collect::<Vec<_>>();
    assert!(other.is_empty(), "{}: {response}", target.query);
    // No person-level data anywhere in the answer.
    assert!(
        !response.to_string().contains("\"__typename\""),
        "{}: {response}",
        target.query
    );
    if !forbidden_here {
        // Only where a readable parent above it was itself refused or empty.
        assert!(target.path.len() > 1, "{}: {response}", target.query);
    }
    forbidden_here
}

#[tokio::test]
async fn every_object_type_is_classified_once_for_analysts() {
    let app = TestApp::spawn().await;
    let schema = schema(&app, &app.token(Role::Analyst)).await;
    let objects: BTreeSet<&str> = schema
        .types
        .iter()
        .filter(|(name, t)| t["kind"] == "OBJECT" && !name.starts_with("__"))
        .map(|(name, _)| name.as_str())
        .collect();
    let unclassified: Vec<&&str> = objects
        .iter()
        .filter(|t| is_person_level(t) == is_analyst_readable(t))
        .collect();
    assert!(
        unclassified.is_empty(),
        "classify each object type once, in its area's person_level_types or analyst_readable_types: {unclassified:?}"
    );
}

/// Every person-level field reachable from Query answers FORBIDDEN and no data.
#[tokio::test]
async fn an_analyst_reaching_any_person_level_field_is_forbidden() {
    let app = seeded().await;
    let analyst = app.token(Role::Analyst);
    let targets = targets(&schema(&app, &analyst).await);
    let roots = targets.iter().filter(|t| t.path.len() == 1).count();
    assert!(roots >= 14, "the walk found only {roots} root fields");
    let mut reached = 0;
    for target in &targets {
        if refused_at(&app, &analyst, target).await {
            reached += 1;
        }
    }
    // Besides the roots: `viewer.specialist`, and the RSVPs of the seeded events (`rsvps`,
    // `myRsvp`); companies are refused to analysts a level above their contact.
    assert!(
        reached >= roots + 3,
        "only {reached} of {} person-level fields were reached",
        targets.len()
    );
}

/// Through `node` and `nodes`, with real IDs of people and their records.
#[tokio::test]
async fn an_analyst_reading_people_by_their_ids_is_forbidden() {
    let app = seeded().await;
    let analyst = app.token(Role::Analyst);
    let admin = app.token(Role::Admin);
    let lists = app
        .gql(
            Some(&admin),
            "{ specialists(first: 1) { nodes { id } } alumni(first: 1) { nodes { id } }
               campApplications(first: 1) { nodes { id } }
               alumniActivities(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    let ids: Vec<String> = [
        "specialists",
        "alumni",
        "campApplications",
        "alumniActivities",
    ]
    .iter()
    .map(|list| {
        lists["data"][list]["nodes"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("the seed has no {list}: {lists}"))
            .to_owned()
    })
    .collect();
    for id in &ids {
        let one = app
            .gql(
                Some(&analyst),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert!(one["data"]["node"].is_null(), "{one}");
        assert_eq!(one["errors"][0]["extensions"]["code"], "FORBIDDEN", "{one}");
        // An administrator reads the same ID.
        let seen = app
            .gql(
                Some(&admin),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(seen["data"]["node"]["id"], *id, "{seen}");
    }
    let many = app
        .gql(
            Some(&analyst),
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": ids }),
        )
        .await;
    let none = many["data"].is_null()
        || many["data"]["nodes"]
            .as_array()
            .is_some_and(|nodes| nodes.iter().all(Value::is_null));
    assert!(none, "{many}");
    assert_eq!(
        many["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{many}"
    );
}

#[tokio::test]
async fn aggregates_stay_open_to_analysts() {
    let app = seeded().await;
    let figures = app
        .gql(
            Some(&app.token(Role::Analyst)),
            "{ specialistCount(asOf: \"2025-04-01\") deemedAttendanceSavings { approvedClaims } }",
            json!({}),
        )
        .await;
    assert!(figures["errors"].is_null(), "{figures}");
}
