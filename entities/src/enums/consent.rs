//! Stored values of consent.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// What a consent is for.
    Purpose {
        /// Publishing the consent-based fields of a registration in the public registry.
        RegistryPublication = "REGISTRY_PUBLICATION",
        /// Showing a field of an alumni community profile beyond camp staff.
        CommunityProfile = "COMMUNITY_PROFILE",
        /// The terms of a Security Camp application (one item per cohort).
        CampTerms = "CAMP_TERMS",
    }
}

stored_enum! {
    /// To whom a given disclosure consent discloses.
    Audience {
        /// Anybody.
        Public = "PUBLIC",
        /// Members of the alumni community.
        Alumni = "ALUMNI",
    }
}

stored_enum! {
    /// Whose consent a ledger entry records.
    HolderKind {
        /// A registration (the specialist's key).
        Specialist = "SPECIALIST",
        /// A camp applicant or alumnus (the person's key).
        Person = "PERSON",
    }
}
