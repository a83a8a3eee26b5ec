//! The shape of the code, checked: the domain knows nothing of GraphQL or HTTP, names
//! fields by its own keys, which the GraphQL layer maps to the paths clients see, and its
//! areas depend on each other in one direction and share one skeleton.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn domain_files() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    rust_files(&dir)
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}

#[test]
fn the_domain_knows_nothing_of_graphql_or_http() {
    for (path, text) in domain_files() {
        for word in ["async_graphql", "axum", "crate::graphql", "crate::http"] {
            assert!(!text.contains(word), "{} uses {word}", path.display());
        }
    }
}

#[test]
fn the_domain_names_fields_by_its_own_keys_not_input_paths() {
    for (path, text) in domain_files() {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let shows_an_input_path = code.contains("\"input.") || code.contains("\"input\"");
            assert!(!shows_an_input_path, "{}:{}: {line}", path.display(), n + 1);
        }
    }
}

#[test]
fn the_domain_reads_the_time_from_the_callers_clock_alone() {
    for (path, text) in domain_files() {
        if path.ends_with("domain/mod.rs") {
            continue; // where `Clock` reads the system clock
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let reads_the_clock = ["Utc::now", "Local::now", "SystemTime::now", "Instant::now"]
                .iter()
                .any(|read| line.contains(read));
            assert!(!reads_the_clock, "{}:{}: {line}", path.display(), n + 1);
        }
    }
}

/// The domain's areas, each with the areas it may use: registry → renewal → Active List →
/// matching, camps beside them on the registry and the community on the camps, analytics
/// reading all, bulk data calling the commands of the areas whose records it imports. A
/// later area's reaction to an earlier one's change goes through `domain::hooks`.
const AREAS: [(&str, &[&str]); 8] = [
    ("registry", &[]),
    ("renewal", &["registry"]),
    ("active_list", &["registry", "renewal"]),
    ("matching", &["registry", "renewal", "active_list"]),
    ("camp", &["registry"]),
    ("community", &["registry", "camp"]),
    (
        "analytics",
        &[
            "registry",
            "renewal",
            "active_list",
            "matching",
            "camp",
            "community",
        ],
    ),
    ("bulk", &["registry", "renewal", "active_list", "matching"]),
];

/// The first segments of every path `text` names under `prefix` (in `use` groups too:
/// `use crate::domain::{Caller, registry::own_specialist_id}` names `Caller` and
/// `registry`).
fn paths_under(text: &str, prefix: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `some_entities::` or `a::entities::`: another path
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level items of the group, up to its closing brace.
            let (mut depth, mut item) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        named.insert(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            named.insert(first_segment(&item));
        } else {
            named.insert(first_segment(rest));
        }
    }
    named.remove("");
    named
}

fn domain_paths(text: &str) -> BTreeSet<String> {
    paths_under(text, "crate::domain::")
}

/// The tables `text` reads or writes (`entities::<table>`) and the areas whose stored
/// enums it names (`entities::enums::<area>`).
fn entity_paths(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut tables = paths_under(text, "entities::");
    tables.remove("enums");
    let mut enums = BTreeSet::new();
    for group in paths_under(text, "entities::enums::") {
        enums.insert(group);
    }
    // `entities::{enums::camp::X, person}` names the enum module inside a group.
    for (at, _) in text.match_indices("enums::") {
        enums.insert(first_segment(&text[at + "enums::".len()..]));
    }
    enums.remove("");
    (tables, enums)
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn areas_depend_on_each_other_in_one_direction() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let names: Vec<&str> = AREAS.iter().map(|(area, _)| *area).collect();
    let mut seen: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (area, allowed) in AREAS {
        let files = rust_files(&dir.join(area));
        assert!(!files.is_empty(), "no files for the area {area}");
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for used in domain_paths(&text) {
                if names.contains(&used.as_str()) && used != area {
                    assert!(
                        allowed.contains(&used.as_str()),
                        "{} ({area}) uses the area {used}, which comes after it: react \
                         through domain::hooks instead",
                        path.display()
                    );
                    seen.entry(area).or_default().insert(used);
                }
            }
        }
    }
    // The check reads real imports: the later areas do use the earlier ones.
    assert!(seen["matching"].contains("active_list"), "{seen:?}");
    assert!(seen["active_list"].contains("renewal"), "{seen:?}");
    assert!(seen["community"].contains("camp"), "{seen:?}");
}

/// The tables each area keeps, as the area declares them.
fn tables_of(area: &str) -> &'static [&'static str] {
    use kakehashi::domain;
    match area {
        "registry" => domain::registry::TABLES,
        "renewal" => domain::renewal::TABLES,
        "active_list" => domain::active_list::TABLES,
        "matching" => domain::matching::TABLES,
        "camp" => domain::camp::TABLES,
        "community" => domain::community::TABLES,
        "analytics" => domain::analytics::TABLES,
        "bulk" => domain::bulk::TABLES,
        other => panic!("no such area: {other}"),
    }
}

#[test]
fn every_table_is_kept_by_one_area_or_shared() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../entities/src");
    let mut keepers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (area, _) in AREAS {
        for table in tables_of(area) {
            keepers.entry(table).or_default().push(area);
        }
    }
    for table in kakehashi::domain::SHARED_TABLES {
        keepers.entry(table).or_default().push("shared");
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() || ["lib", "stored_enum"].contains(&name.as_str()) {
            continue;
        }
        assert_eq!(
            keepers.get(name.as_str()).map(Vec::len),
            Some(1),
            "the table `{name}` must be declared by exactly one area's TABLES (or \
             domain::SHARED_TABLES): {:?}",
            keepers.get(name.as_str())
        );
    }
}

#[test]
fn areas_read_only_their_own_tables_and_those_of_earlier_areas() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let names: Vec<&str> = AREAS.iter().map(|(area, _)| *area).collect();
    let keeper = |table: &str| {
        AREAS
            .iter()
            .map(|(area, _)| *area)
            .find(|area| tables_of(area).contains(&table))
    };
    let mut read_elsewhere = 0;
    for (area, allowed) in AREAS {
        for path in rust_files(&dir.join(area)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            let (tables, enums) = entity_paths(text);
            for table in &tables {
                let Some(owner) = keeper(table) else {
                    assert!(
                        kakehashi::domain::SHARED_TABLES.contains(&table.as_str()),
                        "{} ({area}) uses `entities::{table}`, which no area declares",
                        path.display()
                    );
                    continue;
                };
                if owner != area {
                    read_elsewhere += 1;
                }
                assert!(
                    owner == area || allowed.contains(&owner),
                    "{} ({area}) reads the table `{table}` of {owner}, which comes after \
                     it: ask through domain::hooks instead",
                    path.display()
                );
            }
            for group in enums.iter().filter(|g| names.contains(&g.as_str())) {
                assert!(
                    group == area || allowed.contains(&group.as_str()),
                    "{} ({area}) uses the stored enums of {group}, which comes after it",
                    path.display()
                );
            }
        }
    }
    // The check reads real imports: later areas do read earlier areas' tables.
    assert!(read_elsewhere > 0);
}

#[test]
fn reading_entity_imports_finds_tables_and_enum_groups() {
    let text = "use entities::{\n    camp_cohort, // person\n    enums::camp::{X, Y},\n    \
                matching::Column as M,\n};\nlet n = entities::person::Entity::find();\n\
                use entities::enums::renewal::Z;";
    let (tables, enums) = entity_paths(text);
    assert_eq!(
        tables,
        ["camp_cohort", "matching", "person"]
            .map(String::from)
            .into()
    );
    assert_eq!(enums, ["camp", "renewal"].map(String::from).into());
}

#[test]
fn reading_a_use_group_finds_every_area_it_names() {
    let text = "use crate::domain::{\n    Caller, // a comment naming camp::x\n    \
                registry::{own_specialist_id, types::X},\n    renewal,\n};\n\
                let n = crate::domain::matching::count();";
    let found = domain_paths(text);
    for name in ["Caller", "registry", "renewal", "matching"] {
        assert!(found.contains(name), "{found:?}");
    }
    assert!(
        !found.contains("camp") && !found.contains("types"),
        "{found:?}"
    );
}

/// The most lines a source file holds: past it, a file holds more than one subject (or a
/// subject both its writes and its reads) and splits.
const MAX_LINES: usize = 700;

fn has_module(dir: &Path, name: &str) -> bool {
    dir.join(format!("{name}.rs")).is_file() || dir.join(name).join("mod.rs").is_file()
}

#[test]
fn every_area_has_the_same_skeleton() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (area, _) in AREAS {
        // Analytics only reads: it has no states, no demo data and no mutations.
        let reads_only = area == "analytics";
        let domain = src.join("domain").join(area);
        let modules: &[&str] = if reads_only {
            &["permissions"]
        } else {
            &["types", "permissions", "seed"]
        };
        assert!(
            domain.join("mod.rs").is_file(),
            "{area}: domain/{area}/mod.rs"
        );
        for module in modules {
            assert!(
                has_module(&domain, module),
                "{area}: domain/{area}/{module}.rs"
            );
        }
        // A subject that grew into a directory keeps its lifecycle in `mod.rs`, its writes
        // in `commands.rs` and its reads in `queries.rs`. (The registry's one subject is
        // the area itself: its `commands/` holds one file per command.)
        for entry in std::fs::read_dir(&domain).unwrap() {
            let dir = entry.unwrap().path();
            if !dir.is_dir() || (area == "registry" && dir.ends_with("commands")) {
                continue;
            }
            for file in ["mod.rs", "commands.rs", "queries.rs"] {
                assert!(dir.join(file).is_file(), "{}: {file}", dir.display());
            }
        }
        let graphql = src.join("graphql").join(area);
        let modules: &[&str] = if reads_only {
            &["query"]
        } else {
            &["query", "mutation", "inputs", "objects", "loaders"]
        };
        assert!(
            graphql.join("mod.rs").is_file(),
            "{area}: graphql/{area}/mod.rs"
        );
        for module in modules {
            assert!(
                has_module(&graphql, module),
                "{area}: graphql/{area}/{module}.rs"
            );
        }
    }
}

#[test]
fn no_source_file_holds_more_than_one_subject() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for path in rust_files(&src) {
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        assert!(
            lines <= MAX_LINES,
            "{} has {lines} lines: split it by subject, or a subject into commands and queries",
            path.display()
        );
    }
}

/// The most lines a business function holds: past it, it does more than one step, and
/// reads better as its steps. Demo data (`seed.rs`) is exempt: it is a script.
const MAX_FUNCTION_LINES: usize = 100;

/// Each function in `text` (outside `#[cfg(test)]`) with its first line and its length.
fn function_lengths(text: &str) -> Vec<(usize, usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let head = lines[i].trim_start();
        let head = head.strip_prefix("pub ").unwrap_or(head);
        let head = head
            .strip_prefix("pub(crate) ")
            .or_else(|| head.strip_prefix("pub(super) "))
            .unwrap_or(head);
        let head = head.strip_prefix("async ").unwrap_or(head);
        if !head.starts_with("fn ") {
            i += 1;
            continue;
        }
        let (mut depth, mut opened, mut j) = (0i32, false, i);
        while j < lines.len() {
            for c in lines[j].chars() {
                match c {
                    '{' => (depth, opened) = (depth + 1, true),
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if (opened && depth == 0) || (!opened && lines[j].trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        found.push((i + 1, j - i + 1, lines[i].trim().to_owned()));
        i = j + 1;
    }
    found
}

#[test]
fn business_functions_read_as_their_steps() {
    for (path, text) in domain_files() {
        if path.ends_with("seed.rs") {
            continue;
        }
        for (line, length, head) in function_lengths(&text) {
            assert!(
                length <= MAX_FUNCTION_LINES,
                "{}:{line}: `{head}` is {length} lines; split it into its steps",
                path.display()
            );
        }
    }
}

#[test]
fn measuring_a_function_counts_its_lines_to_the_closing_brace() {
    let text = "fn a() {\n    if x { y }\n}\n\npub async fn b(\n    x: i32,\n) -> i32 {\n    x\n}\nfn c();";
    let found: Vec<(usize, usize)> = function_lengths(text)
        .into_iter()
        .map(|(line, length, _)| (line, length))
        .collect();
    assert_eq!(found, vec![(1, 3), (5, 5), (10, 1)]);
}
