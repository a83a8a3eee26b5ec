//! Stored values of renewal.

use crate::stored_enum::stored_enum;

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
        /// From the day the registration lapsed (written by the first run after the sweep
        /// that lapsed it, for a year).
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
