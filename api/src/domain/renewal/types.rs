//! Values of renewal, stored as text and parsed once when read.

use crate::domain::stored_enum::stored_enum;
pub use entities::enums::renewal::{ClaimStatus, CourseKind, CycleState, ReminderKind};

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

pub use crate::domain::calendar::fiscal_year;

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
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(fiscal_year(d(2026, 3, 31)), 2025);
        assert_eq!(fiscal_year(d(2026, 4, 1)), 2026);
    }
}
