//! Stored values of industry.

use crate::stored_enum::stored_enum;

stored_enum! {
    /// A JSIC major division.
    Industry {
        /// A: Agriculture and forestry (農業，林業).
        AgricultureAndForestry = "A",
        /// B: Fisheries (漁業).
        Fisheries = "B",
        /// C: Mining and quarrying of stone and gravel (鉱業，採石業，砂利採取業).
        Mining = "C",
        /// D: Construction (建設業).
        Construction = "D",
        /// E: Manufacturing (製造業).
        Manufacturing = "E",
        /// F: Electricity, gas, heat supply and water (電気・ガス・熱供給・水道業).
        Utilities = "F",
        /// G: Information and communications (情報通信業).
        InformationAndCommunications = "G",
        /// H: Transport and postal activities (運輸業，郵便業).
        TransportAndPostal = "H",
        /// I: Wholesale and retail trade (卸売業，小売業).
        WholesaleAndRetail = "I",
        /// J: Finance and insurance (金融業，保険業).
        FinanceAndInsurance = "J",
        /// K: Real estate and goods rental and leasing (不動産業，物品賃貸業).
        RealEstateAndRental = "K",
        /// L: Scientific research, professional and technical services (学術研究，専門・技術サービス業).
        ProfessionalAndTechnicalServices = "L",
        /// M: Accommodations, eating and drinking services (宿泊業，飲食サービス業).
        AccommodationAndFood = "M",
        /// N: Living-related and personal services and amusement services (生活関連サービス業，娯楽業).
        PersonalServicesAndAmusement = "N",
        /// O: Education, learning support (教育，学習支援業).
        Education = "O",
        /// P: Medical, health care and welfare (医療，福祉).
        MedicalAndWelfare = "P",
        /// Q: Compound services (複合サービス事業).
        CompoundServices = "Q",
        /// R: Services, not elsewhere classified (サービス業（他に分類されないもの）).
        OtherServices = "R",
        /// S: Government, except elsewhere classified (公務).
        Government = "S",
        /// T: Industries unable to classify (分類不能の産業).
        Unclassified = "T",
    }
}
