//! Stored values of active list.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// The six categories of guidance themes.
    ThemeCategory {
        /// Governance: policies, roles, rules.
        Governance = "GOVERNANCE",
        /// Supplier and supply-chain management.
        SupplierManagement = "SUPPLIER_MANAGEMENT",
        /// Identifying assets and risks.
        RiskIdentification = "RISK_IDENTIFICATION",
        /// Protection and detection.
        ProtectionDetection = "PROTECTION_DETECTION",
        /// Incident response.
        IncidentResponse = "INCIDENT_RESPONSE",
        /// Recovery.
        Recovery = "RECOVERY",
    }
}

stored_enum! {
    /// Where an entry stands.
    EntryStatus {
        /// Being written by the specialist; not listed.
        Draft = "DRAFT",
        /// Waiting for staff review; not listed.
        PendingReview = "PENDING_REVIEW",
        /// Published: listed while the specialist is eligible.
        Published = "PUBLISHED",
        /// Sent back by staff with a comment; the specialist may edit and resubmit.
        Rejected = "REJECTED",
        /// Taken off the list by staff.
        Suspended = "SUSPENDED",
        /// Taken off the list by the specialist.
        Withdrawn = "WITHDRAWN",
    }
}

stored_enum! {
    /// How a specialist charges.
    FeePolicy {
        /// At the specialist's fee.
        Paid = "PAID",
        /// Paid for by a subsidy or a support programme.
        Subsidised = "SUBSIDISED",
        /// Free of charge.
        ProBono = "PRO_BONO",
    }
}
