//! SMEs, support organizations, consultation requests and matching them with Active List
//! specialists.

pub mod candidates;
pub mod companies;
pub mod corporate_number;
pub mod guide;
pub mod matches;
pub mod organizations;
pub mod permissions;
pub mod requests;
pub mod scope;
pub mod seed;
pub mod types;
