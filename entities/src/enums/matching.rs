//! Stored values of matching.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// What kind of body a support organization is.
    OrganizationKind {
        /// 商工会議所.
        ChamberOfCommerce = "CHAMBER_OF_COMMERCE",
        /// 商工会.
        SocietyOfCommerce = "SOCIETY_OF_COMMERCE",
        /// よろず支援拠点 and prefectural SME support centres.
        SmeSupportCenter = "SME_SUPPORT_CENTER",
        /// An industry association.
        IndustryAssociation = "INDUSTRY_ASSOCIATION",
        /// A prefecture or municipality.
        LocalGovernment = "LOCAL_GOVERNMENT",
        /// Anything else.
        Other = "OTHER",
    }
}

stored_enum! {
    /// A company's SECURITY ACTION self-declaration.
    SecurityAction {
        /// Not declared.
        None = "NONE",
        /// ★: the five basic rules.
        OneStar = "ONE_STAR",
        /// ★★: the self-check and a published basic policy.
        TwoStar = "TWO_STAR",
    }
}

stored_enum! {
    /// The supply-chain security assessment level a company aims for.
    SupplyChainTarget {
        /// None.
        None = "NONE",
        /// ★3.
        Star3 = "STAR3",
        /// ★4.
        Star4 = "STAR4",
    }
}

stored_enum! {
    /// The sectors of the SME Basic Act, each with its own capital and employee lines.
    SmeSector {
        /// Manufacturing, construction, transport and the rest: ¥300 million / 300 people.
        ManufacturingAndOthers = "MANUFACTURING_AND_OTHERS",
        /// Wholesale: ¥100 million / 100 people.
        Wholesale = "WHOLESALE",
        /// Services: ¥50 million / 100 people.
        Services = "SERVICES",
        /// Retail (including eating and drinking places): ¥50 million / 50 people.
        Retail = "RETAIL",
    }
}

stored_enum! {
    /// Where a consultation request stands.
    RequestStatus {
        /// Filed; nobody proposed yet.
        Open = "OPEN",
        /// Specialists have been proposed; none has accepted yet.
        Matching = "MATCHING",
        /// A specialist accepted.
        Matched = "MATCHED",
        /// The engagement is running.
        InProgress = "IN_PROGRESS",
        /// The engagement is over.
        Completed = "COMPLETED",
        /// Withdrawn by the company or its organization.
        Cancelled = "CANCELLED",
        /// Nobody was matched in time.
        Expired = "EXPIRED",
    }
}

impl RequestStatus {
    /// Whether the request still looks for a specialist.
    pub fn is_seeking(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Matching)
    }
}

stored_enum! {
    /// How soon the company needs help.
    Urgency {
        /// Within a few months.
        Low = "LOW",
        /// Within weeks.
        Normal = "NORMAL",
        /// Within days.
        High = "HIGH",
        /// Now: an incident or a deadline.
        Urgent = "URGENT",
    }
}

stored_enum! {
    /// Where a match stands.
    MatchStatus {
        /// Proposed to the specialist, waiting for an answer.
        Proposed = "PROPOSED",
        /// Accepted by the specialist; holds one of their capacity.
        Accepted = "ACCEPTED",
        /// The engagement is running; holds one of their capacity.
        Active = "ACTIVE",
        /// The engagement is over, with its outcome.
        Completed = "COMPLETED",
        /// Declined by the specialist.
        Declined = "DECLINED",
        /// Called off before completion.
        Cancelled = "CANCELLED",
        /// Not answered within the response window.
        Expired = "EXPIRED",
    }
}

impl MatchStatus {
    /// Whether the match holds a place of the specialist's capacity.
    pub fn holds_capacity(self) -> bool {
        matches!(self, MatchStatus::Accepted | MatchStatus::Active)
    }

    /// Whether the match is still going somewhere.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            MatchStatus::Proposed | MatchStatus::Accepted | MatchStatus::Active
        )
    }
}

stored_enum! {
    /// What a session of an engagement was about; the classic plan is four visits.
    SessionTopic {
        /// Finding the risks.
        Risks = "RISKS",
        /// Drafting the basic policy.
        BasicPolicy = "BASIC_POLICY",
        /// Rules and procedures.
        Rules = "RULES",
        /// Reviewing what was put in place.
        Review = "REVIEW",
        /// Anything else.
        Other = "OTHER",
    }
}

stored_enum! {
    /// A side of a match.
    MatchSide {
        /// The specialist.
        Specialist = "SPECIALIST",
        /// The company's side: the company, its support organization or registry staff
        /// acting for it.
        Company = "COMPANY",
    }
}
