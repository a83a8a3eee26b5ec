//! Stored values of camp.

use crate::stored_enum::stored_enum;

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
