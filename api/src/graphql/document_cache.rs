//! A bounded cache of parsed GraphQL documents, and of which of them passed validation.
//!
//! Partner front-ends send the same few operations over and over (Relay and Apollo compile
//! them ahead of time), and parsing and validating them is a large share of the cost of a
//! small query. The cache maps the exact query text to its parsed document and remembers
//! the operations of it that already passed full validation. Validation of a document
//! against the schema depends on nothing else, except for literal checks of variable
//! values, which resolvers repeat when they read their arguments; limits on depth and
//! complexity are checked on every request. The cache holds only derived data, so
//! replicas need not share it.

use std::{num::NonZeroUsize, sync::Mutex};

use async_graphql::{Request, parser::types::ExecutableDocument};
use lru::LruCache;

use super::limits::{self, Refused};

/// Documents kept per process; the least recently used goes first.
const CAPACITY: usize = 512;
/// Longer query texts are parsed every time rather than kept.
const MAX_QUERY_BYTES: usize = 16 * 1024;

struct Entry {
    document: ExecutableDocument,
    /// Operation names (None: the document's only operation) that passed validation.
    validated: Vec<Option<String>>,
}

pub struct DocumentCache {
    documents: Mutex<LruCache<String, Entry>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        Self {
            documents: Mutex::new(LruCache::new(
                NonZeroUsize::MIN.saturating_add(CAPACITY - 1),
            )),
        }
    }
}

impl DocumentCache {
    /// Attaches the parsed document of `request`'s query, from the cache or freshly parsed,
    /// and tells whether this operation of it already passed full validation. A new
    /// document is checked against the [`limits`] before anything else reads it, and only
    /// one that passes is kept. A query that does not parse is left for execution to report.
    pub fn prepare(&self, mut request: Request) -> Result<(Request, bool), Refused> {
        let cacheable = request.query.len() <= MAX_QUERY_BYTES;
        let cached = cacheable
            .then(|| {
                self.documents.lock().ok().and_then(|mut documents| {
                    documents.get(&request.query).map(|entry| {
                        let validated = entry.validated.contains(&request.operation_name);
                        (entry.document.clone(), validated)
                    })
                })
            })
            .flatten();
        if let Some((document, validated)) = cached {
            request.set_parsed_query(document);
            return Ok((request, validated));
        }
        limits::check_text(&request.query)?;
        let Ok(document) = request.parsed_query() else {
            return Ok((request, false));
        };
        limits::check_document(document)?;
        if cacheable {
            let document = document.clone();
            if let Ok(mut documents) = self.documents.lock() {
                let entry = Entry {
                    document,
                    validated: Vec::new(),
                };
                documents.put(request.query.clone(), entry);
            }
        }
        Ok((request, false))
    }

    /// Records that `operation_name` of `query` passed full validation.
    pub fn mark_validated(&self, query: &str, operation_name: Option<&str>) {
        if let Ok(mut documents) = self.documents.lock()
            && let Some(entry) = documents.get_mut(query)
        {
            let operation = operation_name.map(str::to_owned);
            if !entry.validated.contains(&operation) {
                entry.validated.push(operation);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_parsed_once_and_validation_is_remembered_per_operation() {
        let cache = DocumentCache::default();
        let query = "query A { viewer { authenticated } } query B { viewer { role } }";
        let prepare = |request: Request| cache.prepare(request).unwrap();
        let (mut first, validated) = prepare(Request::new(query).operation_name("A"));
        assert!(!validated);
        let (mut second, validated) = prepare(Request::new(query).operation_name("A"));
        assert!(!validated, "not validated until marked");
        assert_eq!(
            format!("{:?}", first.parsed_query().unwrap()),
            format!("{:?}", second.parsed_query().unwrap())
        );
        cache.mark_validated(query, Some("A"));
        assert!(prepare(Request::new(query).operation_name("A")).1);
        assert!(!prepare(Request::new(query).operation_name("B")).1);
        assert!(!prepare(Request::new(query)).1);
        // Syntax errors are not cached; execution reports them.
        prepare(Request::new("{ viewer {"));
        assert_eq!(cache.documents.lock().unwrap().len(), 1);
        // Nor are documents past the limits, which are refused.
        let deep = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
        assert!(cache.prepare(Request::new(deep)).is_err());
        assert_eq!(cache.documents.lock().unwrap().len(), 1);
    }
}
