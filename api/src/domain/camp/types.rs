//! Values of the camps.

pub use entities::enums::camp::{ApplicationStatus, CohortStatus, ProgramKind};

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
}
