//! Scopes: what a system's token may touch, on top of what its role may do.
//!
//! A token without a `scope` claim is a person's, signed in through a partner front-end:
//! its role alone decides. A token with a `scope` claim (a service account: a support
//! organization's case system, a training provider's roster upload, an analytics job) may
//! do only what both its role and one of its scopes allow. Each area of Kakehashi has a
//! read scope and, where it can be changed, a write scope; a write scope grants reading
//! the same area. Scopes Kakehashi does not know (`openid`, another service's) grant
//! nothing here and are ignored.

use super::{DomainError, DomainResult, actor::Actor};

/// One scope: its name as written in tokens, and what a token without it is told.
#[derive(Debug, PartialEq, Eq)]
pub struct Scope {
    /// `area:read`, `area:write` or `area:manage`.
    pub name: &'static str,
    /// What it grants, for the README's table and the schema's docs.
    pub grants: &'static str,
    /// The other scopes that grant it too (the area's write scope grants its read scope).
    pub granted_by: &'static [&'static str],
    /// The `FORBIDDEN` message of a token that lacks it.
    pub refusal: &'static str,
}

impl Scope {
    /// Whether a token carrying `scopes` has this scope.
    pub fn is_granted_by(&self, scopes: &[String]) -> bool {
        scopes
            .iter()
            .any(|s| s == self.name || self.granted_by.contains(&s.as_str()))
    }
}

/// Declares the scopes and the table of them, [`ALL`].
macro_rules! scopes {
    ($($(#[$meta:meta])* $id:ident = $name:literal $(granted by [$($by:literal),*])? : $grants:literal;)*) => {
        $(
            $(#[$meta])*
            pub const $id: Scope = Scope {
                name: $name,
                grants: $grants,
                granted_by: &[$($($by),*)?],
                refusal: concat!("this token lacks the scope `", $name, "`: ", $grants),
            };
        )*
        /// Every scope Kakehashi knows, in the order of the README's table.
        pub const ALL: &[&Scope] = &[$(&$id),*];
    };
}

scopes! {
    /// The registry of specialists.
    REGISTRY_READ = "registry:read" granted by ["registry:write"]:
        "reading the registry of specialists and their registrations";
    /// Changes to the registry.
    REGISTRY_WRITE = "registry:write": "changing the registry: registrations, corrections, status";
    /// Renewal cycles, training, deemed attendance.
    RENEWAL_READ = "renewal:read" granted by ["renewal:write"]:
        "reading renewal cycles, courses, training records and deemed-attendance claims";
    /// Changes to renewal.
    RENEWAL_WRITE = "renewal:write":
        "recording training (a provider's completion rosters), courses, renewals and claims";
    /// The Active List and its guidance themes.
    ACTIVE_LIST_READ = "activelist:read" granted by ["activelist:write"]:
        "reading the Active List and its guidance themes";
    /// Changes to the Active List.
    ACTIVE_LIST_WRITE = "activelist:write": "changing Active List entries and guidance themes";
    /// Companies, support organizations, requests, matches and sessions.
    MATCHING_READ = "matching:read" granted by ["matching:write"]:
        "reading companies, support organizations, consultation requests, matches and sessions";
    /// Changes to matching.
    MATCHING_WRITE = "matching:write":
        "changing companies, consultation requests, matches and sessions";
    /// Security Camp and its alumni community.
    CAMPS_READ = "camps:read" granted by ["camps:write"]:
        "reading Security Camp programs, cohorts, applications and the alumni community";
    /// Changes to the camps and the community.
    CAMPS_WRITE = "camps:write": "changing camp programs, cohorts, applications and the community";
    /// Aggregates for the national target.
    ANALYTICS_READ = "analytics:read": "reading analytics: the aggregates, charts and files";
    /// The audit trail.
    AUDIT_READ = "audit:read": "reading the audit trail";
    /// The rights of the people in the data (APPI).
    RIGHTS_READ = "rights:read" granted by ["rights:write"]:
        "reading consents, requests to erase and one's own personal data";
    /// Acting on those rights.
    RIGHTS_WRITE = "rights:write": "giving and withdrawing consent, requesting and deciding erasure";
    /// The persisted operations partners' front-ends run by id.
    DOCUMENTS_READ = "documents:read" granted by ["documents:write"]:
        "reading the trusted documents (persisted operations)";
    /// Registering trusted documents.
    DOCUMENTS_WRITE = "documents:write": "registering trusted documents (persisted operations)";
    /// The event log.
    EVENTS_READ = "events:read": "reading the event log of changes";
    /// Webhook endpoints.
    WEBHOOKS_MANAGE = "webhooks:manage": "registering and managing webhook endpoints";
}

/// The scope named `name`, if Kakehashi knows it.
pub fn named(name: &str) -> Option<&'static Scope> {
    ALL.iter().copied().find(|scope| scope.name == name)
}

impl Actor {
    /// The token's scopes, when it carries a `scope` claim (a system's token).
    pub fn scopes(&self) -> Option<&[String]> {
        match self {
            Actor::Principal(p) => p.scopes.as_deref(),
            Actor::Anonymous | Actor::System => None,
        }
    }

    /// Admits a caller whose token carries no `scope` claim, or one that grants `scope`;
    /// refuses the others with `FORBIDDEN` naming the scope.
    pub fn allow_scope(&self, scope: &'static Scope) -> DomainResult<()> {
        match self.scopes() {
            Some(scopes) if !scope.is_granted_by(scopes) => Err(DomainError::MissingScope(scope)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(scope: &Scope, scopes: &[&str]) -> bool {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        scope.is_granted_by(&scopes)
    }

    #[test]
    fn a_write_scope_grants_reading_its_area_and_nothing_else() {
        assert!(granted(&MATCHING_READ, &["matching:write"]));
        assert!(granted(&MATCHING_READ, &["matching:read"]));
        assert!(!granted(&MATCHING_WRITE, &["matching:read"]));
        assert!(!granted(&REGISTRY_READ, &["matching:write"]));
        assert!(!granted(
            &REGISTRY_READ,
            &["read", "write", "registry", "registry:*"]
        ));
        assert!(!granted(&REGISTRY_READ, &[]));
    }

    #[test]
    fn every_scope_is_named_once_and_each_granting_scope_exists() {
        for scope in ALL {
            assert_eq!(named(scope.name), Some(*scope));
            assert_eq!(ALL.iter().filter(|s| s.name == scope.name).count(), 1);
            for by in scope.granted_by {
                assert!(
                    named(by).is_some(),
                    "{} is granted by unknown {by}",
                    scope.name
                );
            }
            assert!(scope.refusal.contains(scope.name));
        }
    }
}
