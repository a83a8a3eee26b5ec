//! Stored values of persisted operations.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// Where a persisted document came from.
    DocumentSource {
        /// Registered by staff from a partner's manifest: checked against the schema
        /// when registered, and the only kind a service account may run while trusted
        /// documents are required.
        Trusted = "TRUSTED",
        /// Stored by a client through Apollo's automatic persisted queries: any caller's
        /// document, kept under the SHA-256 of its text.
        Apq = "APQ",
    }
}
