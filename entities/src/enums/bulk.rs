//! Stored values of bulk data.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// What a bulk import brings in.
    BulkKind {
        /// Companies, one per row, registered as `registerCompany` would register them.
        Companies = "COMPANIES",
        /// Corrections of registrations, one per row, by registry staff.
        RegistryCorrections = "REGISTRY_CORRECTIONS",
    }
}

stored_enum! {
    /// Where a bulk job stands.
    BulkStatus {
        /// Accepted, not started yet.
        Queued = "QUEUED",
        /// Rows are being applied.
        Running = "RUNNING",
        /// Every row was applied or rejected.
        Done = "DONE",
        /// Stopped by a failure of the service (the database); the rows applied before it stay.
        Failed = "FAILED",
    }
}
