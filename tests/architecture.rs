//! The shape of the code, checked: the domain knows nothing of GraphQL or HTTP, and names
//! fields by its own keys, which the GraphQL layer maps to the paths clients see.

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
