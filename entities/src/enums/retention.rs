//! Stored values of retention.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// A kind of record with a retention period.
    RetentionKind {
        /// Answers of decided camp applications, counted from the cohort's last day.
        CampApplicationAnswers = "CAMP_APPLICATION_ANSWERS",
        /// Profiles of members who left the community, counted from the day they left.
        LeftCommunityProfiles = "LEFT_COMMUNITY_PROFILES",
    }
}
