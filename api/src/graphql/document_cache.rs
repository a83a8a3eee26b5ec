//! A bounded cache of parsed GraphQL documents.
//!
//! Partner front-ends send the same few operations over and over (Relay and Apollo compile
//! them ahead of time), and parsing is a large share of the cost of a small query. The
//! cache maps the exact query text to its parsed document; execution still validates each
//! request. It holds nothing but derived data, so replicas need not share it.

use std::{num::NonZeroUsize, sync::Mutex};

use async_graphql::{Request, parser::types::ExecutableDocument};
use lru::LruCache;

/// Documents kept per process; the least recently used goes first.
const CAPACITY: usize = 512;
/// Longer query texts are parsed every time rather than kept.
const MAX_QUERY_BYTES: usize = 16 * 1024;

pub struct DocumentCache {
    documents: Mutex<LruCache<String, ExecutableDocument>>,
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
    /// Attaches the parsed document of `request`'s query, from the cache or freshly parsed.
    /// A query that does not parse is left for execution to report.
    pub fn prepare(&self, mut request: Request) -> Request {
        if request.query.len() > MAX_QUERY_BYTES {
            return request;
        }
        let cached = self
            .documents
            .lock()
            .ok()
            .and_then(|mut documents| documents.get(&request.query).cloned());
        match cached {
            Some(document) => request.set_parsed_query(document),
            None => {
                if let Ok(document) = request.parsed_query().cloned()
                    && let Ok(mut documents) = self.documents.lock()
                {
                    documents.put(request.query.clone(), document);
                }
            }
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_document_is_the_one_parsed() {
        let cache = DocumentCache::default();
        let first = cache.prepare(Request::new("{ viewer { authenticated } }"));
        let mut second = cache.prepare(Request::new("{ viewer { authenticated } }"));
        assert_eq!(cache.documents.lock().unwrap().len(), 1);
        let mut first = first;
        assert_eq!(
            format!("{:?}", first.parsed_query().unwrap()),
            format!("{:?}", second.parsed_query().unwrap())
        );
        // Syntax errors are not cached; execution reports them.
        cache.prepare(Request::new("{ viewer {"));
        assert_eq!(cache.documents.lock().unwrap().len(), 1);
    }
}
