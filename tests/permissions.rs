//! The authorization table: every named permission of every area, the roles it admits,
//! checked through `Actor::allow` for each role and held as a reviewed snapshot, so a
//! change of who may do what shows in review as a change of this table.

use kakehashi::domain::{
    DomainError, Role, active_list,
    actor::{Actor, Permission, Principal},
    analytics, bulk, camp, community, matching, permissions, registry, renewal,
};

/// Every area's permissions, with the area's prefix.
fn every_permission() -> Vec<(&'static str, &'static Permission)> {
    let areas: [(&str, &[&Permission]); 9] = [
        ("", permissions::ALL),
        ("registry.", registry::permissions::ALL),
        ("renewal.", renewal::permissions::ALL),
        ("active_list.", active_list::permissions::ALL),
        ("matching.", matching::permissions::ALL),
        ("camp.", camp::permissions::ALL),
        ("community.", community::permissions::ALL),
        ("analytics.", analytics::permissions::ALL),
        ("bulk.", bulk::permissions::ALL),
    ];
    areas
        .iter()
        .flat_map(|(prefix, all)| all.iter().map(move |p| (*prefix, *p)))
        .collect()
}

fn signed_in(role: Role) -> Actor {
    Actor::Principal(Principal {
        subject: "someone".into(),
        role,
        specialist_registration_number: None,
        org_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scopes: None,
    })
}

#[test]
fn who_may_do_what_is_one_reviewed_table() {
    let mut names = std::collections::BTreeSet::new();
    let mut table = String::new();
    for (prefix, permission) in every_permission() {
        assert!(
            permission.name.starts_with(prefix) && names.insert(permission.name),
            "{} is named outside its area or twice",
            permission.name
        );
        assert!(!permission.roles.is_empty() && !permission.refusal.is_empty());
        let admitted: Vec<&str> = Role::ALL
            .iter()
            .filter(|role| {
                let allowed = signed_in(**role).allow(permission);
                match &allowed {
                    Err(DomainError::Forbidden(why)) => assert_eq!(*why, permission.refusal),
                    Err(other) => panic!("{}: {other:?}", permission.name),
                    Ok(()) => {}
                }
                allowed.is_ok()
            })
            .map(|role| role.as_str())
            .collect();
        assert!(matches!(
            Actor::Anonymous.allow(permission),
            Err(DomainError::Unauthenticated)
        ));
        assert!(Actor::System.allow(permission).is_ok());
        table.push_str(&format!("{:<40} {}\n", permission.name, admitted.join(" ")));
    }
    insta::assert_snapshot!("authorization_table", table);
}
