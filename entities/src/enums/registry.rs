//! Stored values of the registry.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// The sitting of the national exam a specialist passed.
    ExamSeason {
        /// The spring exam.
        Spring = "SPRING",
        /// The autumn exam.
        Autumn = "AUTUMN",
    }
}

stored_enum! {
    /// Where a specialist's registration stands.
    SpecialistStatus {
        /// Registered and in good standing: the title may be used.
        Active = "ACTIVE",
        /// Use of the title suspended by the ministry.
        Suspended = "SUSPENDED",
        /// Not renewed in time.
        Lapsed = "LAPSED",
        /// Revoked by the ministry.
        Revoked = "REVOKED",
        /// Given up by the specialist.
        Deregistered = "DEREGISTERED",
    }
}

impl SpecialistStatus {
    /// Revocation and voluntary deregistration end a registration for good: a person who
    /// comes back is registered again under a new number.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            SpecialistStatus::Revoked | SpecialistStatus::Deregistered
        )
    }

    /// Whether the registry may move from `self` to `next`.
    pub fn can_become(self, next: SpecialistStatus) -> bool {
        self != next && !self.is_final()
    }
}
