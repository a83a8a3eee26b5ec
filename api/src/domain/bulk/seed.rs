//! Bulk data has no demo data of its own: a job is a file somebody uploaded, and the
//! records it brings in are seeded by their own areas.
