//! Values of the camps and the community.

use crate::domain::stored_enum::stored_enum;

stored_enum! {
    /// A Security Camp program.
    ProgramKind {
        /// The national camp (全国大会), every August; attended once.
        National = "NATIONAL",
        /// Regional mini camps (ミニキャンプ).
        Mini = "MINI",
        /// The junior camp.
        Junior = "JUNIOR",
        /// The advanced next camp.
        Next = "NEXT",
        /// Security Camp Connect: other fields × security.
        Connect = "CONNECT",
        /// Anything else.
        Other = "OTHER",
    }
}

stored_enum! {
    /// Where a cohort stands.
    CohortStatus {
        /// Announced; applications not open yet.
        Planned = "PLANNED",
        /// Taking applications within its window.
        ApplicationsOpen = "APPLICATIONS_OPEN",
        /// Applications closed; staff select.
        Selecting = "SELECTING",
        /// The camp is running.
        InSession = "IN_SESSION",
        /// Over; its graduates are alumni.
        Completed = "COMPLETED",
    }
}

impl CohortStatus {
    /// The one status a cohort may move on to.
    pub fn next(self) -> Option<CohortStatus> {
        match self {
            CohortStatus::Planned => Some(CohortStatus::ApplicationsOpen),
            CohortStatus::ApplicationsOpen => Some(CohortStatus::Selecting),
            CohortStatus::Selecting => Some(CohortStatus::InSession),
            CohortStatus::InSession => Some(CohortStatus::Completed),
            CohortStatus::Completed => None,
        }
    }
}

stored_enum! {
    /// Where an application stands.
    ApplicationStatus {
        /// Submitted, not decided.
        Applied = "APPLIED",
        /// Given a place in a track.
        Selected = "SELECTED",
        /// Next in line should a place free up.
        Waitlisted = "WAITLISTED",
        /// Not selected.
        Rejected = "REJECTED",
        /// Took part in the camp.
        Attended = "ATTENDED",
        /// Completed the camp: an alumnus.
        Completed = "COMPLETED",
        /// Withdrawn by the applicant (or by staff for them).
        Withdrawn = "WITHDRAWN",
    }
}

impl ApplicationStatus {
    /// Whether the application holds a place in its track.
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Selected
                | ApplicationStatus::Attended
                | ApplicationStatus::Completed
        )
    }

    /// Whether staff may move an application from `self` to `next`, and in which cohort
    /// states.
    pub fn decision_allowed(self, next: ApplicationStatus) -> Option<&'static [CohortStatus]> {
        use ApplicationStatus as A;
        use CohortStatus as C;
        match (self, next) {
            (A::Applied, A::Selected | A::Waitlisted | A::Rejected) => Some(&[C::Selecting]),
            (A::Waitlisted, A::Selected | A::Rejected) => Some(&[C::Selecting, C::InSession]),
            (A::Selected, A::Attended) | (A::Attended, A::Completed) => {
                Some(&[C::InSession, C::Completed])
            }
            _ => None,
        }
    }

    /// Whether the application may still be withdrawn.
    pub fn withdrawable(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Applied
                | ApplicationStatus::Selected
                | ApplicationStatus::Waitlisted
        )
    }
}

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

stored_enum! {
    /// What an alumnus reports having done.
    ActivityKind {
        /// A talk at a conference or meetup.
        Talk = "TALK",
        /// A capture-the-flag competition.
        Ctf = "CTF",
        /// Open-source work.
        OpenSource = "OPEN_SOURCE",
        /// Research: a paper, a vulnerability report.
        Research = "RESEARCH",
        /// Tutoring at a later camp.
        Tutoring = "TUTORING",
        /// Mentoring someone.
        Mentoring = "MENTORING",
        /// An award.
        Award = "AWARD",
        /// Anything else.
        Other = "OTHER",
    }
}

stored_enum! {
    /// Whether a community event takes place.
    EventStatus {
        /// It will take place (or took place).
        Scheduled = "SCHEDULED",
        /// Called off.
        Cancelled = "CANCELLED",
    }
}

stored_enum! {
    /// A member's answer to an event.
    RsvpStatus {
        /// Holds a place.
        Going = "GOING",
        /// Waiting for a place, first come first served.
        Waitlisted = "WAITLISTED",
        /// Cancelled by the member.
        Cancelled = "CANCELLED",
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
    fn decisions_follow_the_state_machine() {
        use ApplicationStatus as A;
        for from in A::ALL {
            for to in A::ALL {
                let allowed = from.decision_allowed(*to).is_some();
                let expected = matches!(
                    (from, to),
                    (A::Applied, A::Selected | A::Waitlisted | A::Rejected)
                        | (A::Waitlisted, A::Selected | A::Rejected)
                        | (A::Selected, A::Attended)
                        | (A::Attended, A::Completed)
                );
                assert_eq!(allowed, expected, "{from:?} → {to:?}");
            }
        }
        assert!(!A::Completed.withdrawable() && !A::Rejected.withdrawable());
        assert!(A::Selected.holds_place() && !A::Waitlisted.holds_place());
    }

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
