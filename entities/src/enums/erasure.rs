//! Stored values of erasure.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// What a person asks for.
    ErasureKind {
        /// Erase the parts named.
        Erasure = "ERASURE",
        /// Stop using them; carried out the same way, since what is not held cannot be used.
        StopOfUse = "STOP_OF_USE",
    }
}

stored_enum! {
    /// Where a request stands.
    ErasureStatus {
        /// Made, waiting for staff.
        Requested = "REQUESTED",
        /// Carried out: the parts are anonymised.
        CarriedOut = "CARRIED_OUT",
        /// Refused by staff, with the reason.
        Refused = "REFUSED",
    }
}
