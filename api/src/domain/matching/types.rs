//! Values of organizations, companies, consultation requests and matches.

pub use entities::enums::matching::{
    MatchSide, MatchStatus, OrganizationKind, RequestStatus, SecurityAction, SessionTopic,
    SmeSector, SupplyChainTarget, Urgency,
};
