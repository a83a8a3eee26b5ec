//! Values of renewal, stored as text and parsed once when read.

use chrono::{Datelike, NaiveDate};

use crate::domain::stored_enum::stored_enum;

stored_enum! {
    /// The kind of a course in the catalogue.
    CourseKind {
        /// IPA's online course, one every year.
        Online = "ONLINE",
        /// IPA's practical (group) course, one per cycle.
        Practical = "PRACTICAL",
        /// A private course designated by the minister; may replace the practical course.
        Specified = "SPECIFIED",
        /// Ethics and duties of a registered specialist.
        Ethics = "ETHICS",
    }
}

stored_enum! {
    /// What has become of a cycle, as stored.
    CycleState {
        /// Running, or ended and not yet renewed or lapsed.
        Open = "OPEN",
        /// Renewed: the next cycle has started or will.
        Renewed = "RENEWED",
        /// Ended without renewal.
        Lapsed = "LAPSED",
        /// The registration ended otherwise (revoked or deregistered).
        Closed = "CLOSED",
    }
}

stored_enum! {
    /// Where a cycle stands, as shown to people.
    CycleStatus {
        /// Something is still missing, with 180 days or more to the application deadline.
        OnTrack = "ON_TRACK",
        /// Something is still missing, with fewer than 180 days to the application deadline.
        AtRisk = "AT_RISK",
        /// The application deadline has passed with something missing or no application.
        Overdue = "OVERDUE",
        /// Every requirement is satisfied.
        Complete = "COMPLETE",
        /// Renewed.
        Renewed = "RENEWED",
        /// Ended without renewal.
        Lapsed = "LAPSED",
        /// The registration ended otherwise (revoked or deregistered).
        Closed = "CLOSED",
    }
}

stored_enum! {
    /// Where a deemed-attendance claim stands.
    ClaimStatus {
        /// Waiting for staff review.
        Submitted = "SUBMITTED",
        /// Staff asked the specialist to amend and resubmit it.
        ChangesRequested = "CHANGES_REQUESTED",
        /// Approved: it satisfies its requirement.
        Approved = "APPROVED",
        /// Rejected; final.
        Rejected = "REJECTED",
    }
}

stored_enum! {
    /// Which reminder of a cycle.
    ReminderKind {
        /// A year before the application deadline.
        Days365 = "DAYS_365",
        /// 180 days before the application deadline.
        Days180 = "DAYS_180",
        /// 90 days before the application deadline.
        Days90 = "DAYS_90",
        /// 30 days before the application deadline.
        Days30 = "DAYS_30",
        /// The day after the registration lapsed.
        Lapsed = "LAPSED",
    }
}

impl ReminderKind {
    /// Days before the application deadline, for the reminders that precede it.
    pub fn days_before(self) -> Option<u64> {
        match self {
            ReminderKind::Days365 => Some(365),
            ReminderKind::Days180 => Some(180),
            ReminderKind::Days90 => Some(90),
            ReminderKind::Days30 => Some(30),
            ReminderKind::Lapsed => None,
        }
    }
}

/// The Japanese fiscal year (April to March) a date falls in.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// A cycle with fewer days than this to its application deadline, and something missing,
/// is at risk.
pub const AT_RISK_DAYS: i64 = 180;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip() {
        for kind in CourseKind::ALL {
            assert_eq!(CourseKind::parse(kind.as_str()), Some(*kind));
        }
        for status in CycleStatus::ALL {
            assert_eq!(CycleStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(ClaimStatus::parse("submitted"), None);
    }

    #[test]
    fn fiscal_years_start_in_april() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(fiscal_year(d(2026, 3, 31)), 2025);
        assert_eq!(fiscal_year(d(2026, 4, 1)), 2026);
    }
}
