//! Values of the alumni community.

use crate::domain::stored_enum::stored_enum;
pub use entities::enums::camp::{ActivityKind, EventStatus, RsvpStatus};

stored_enum! {
    /// Who may see a field of a community profile. Stored as its rank (see
    /// [`Visibility::rank`]).
    Visibility {
        /// Anybody, signed in or not.
        Public = "PUBLIC",
        /// Members of the alumni community (and staff).
        Alumni = "ALUMNI",
        /// Camp staff only.
        Staff = "STAFF",
    }
}

impl Visibility {
    /// 0 public, 1 alumni, 2 staff: a viewer of rank r sees fields of rank ≤ r.
    pub fn rank(self) -> i16 {
        match self {
            Visibility::Public => 0,
            Visibility::Alumni => 1,
            Visibility::Staff => 2,
        }
    }

    pub fn of_rank(rank: i16) -> Visibility {
        match rank {
            0 => Visibility::Public,
            1 => Visibility::Alumni,
            _ => Visibility::Staff,
        }
    }
}

stored_enum! {
    /// A field of a community profile whose visibility the member chooses.
    ProfileField {
        /// The name shown; a member is listed only to those who may see it.
        DisplayName = "DISPLAY_NAME",
        /// School or employer.
        Affiliation = "AFFILIATION",
        /// Prefecture (from their personal details).
        Prefecture = "PREFECTURE",
        /// A few words about them.
        Bio = "BIO",
        /// Their interests.
        Interests = "INTERESTS",
        /// Whether they are open to mentoring.
        OpenToMentoring = "OPEN_TO_MENTORING",
        /// The cohorts they completed.
        Cohorts = "COHORTS",
        /// Their web page.
        Link = "LINK",
        /// Their e-mail address (from their personal details).
        Email = "EMAIL",
        /// Their activity reports.
        Activities = "ACTIVITIES",
        /// Whether they are a registered specialist.
        Specialist = "SPECIALIST",
    }
}

impl ProfileField {
    /// Who sees the field when the member does not say.
    pub fn default_visibility(self) -> Visibility {
        match self {
            ProfileField::Email | ProfileField::Specialist => Visibility::Staff,
            _ => Visibility::Alumni,
        }
    }
}

/// A web address given for a profile or an activity: `http` or `https`, at most 500
/// characters, no spaces.
pub fn parse_link(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && value.len() <= 500
                && !value.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(Some(value.to_owned()))
        }
        _ => Err(format!(
            "\"{value}\" is not an http(s) address of at most 500 characters"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_ranks_round_trip() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::of_rank(v.rank()), *v);
        }
    }

    #[test]
    fn links_must_be_web_addresses() {
        assert_eq!(parse_link(" ").unwrap(), None);
        assert!(parse_link("https://example.jp/me").unwrap().is_some());
        assert!(parse_link("javascript:alert(1)").is_err());
        assert!(parse_link("https://").is_err());
        assert!(parse_link("https://a b").is_err());
    }
}
