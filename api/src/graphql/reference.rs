//! Reference data every area speaks of: prefectures and their regions (JIS X 0401) and
//! industries (JSIC major divisions). They belong to no area, so that an area using them
//! depends on none other for them.

use async_graphql::{Enum, Object};

use crate::domain::{
    industry::Industry as DomainIndustry,
    prefecture::{Prefecture as DomainPrefecture, Region as DomainRegion},
};

/// A region of Japan, for breakdowns.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRegion")]
pub enum Region {
    /// 北海道
    Hokkaido,
    /// 東北
    Tohoku,
    /// 関東
    Kanto,
    /// 中部
    Chubu,
    /// 近畿
    Kinki,
    /// 中国
    Chugoku,
    /// 四国
    Shikoku,
    /// 九州・沖縄
    KyushuOkinawa,
}

/// A prefecture of Japan.
pub struct Prefecture(pub &'static DomainPrefecture);

impl Prefecture {
    /// The prefecture of a JIS X 0401 code, if it is one.
    pub fn of_code(code: &str) -> Option<Self> {
        crate::domain::prefecture::PrefectureCode::parse(code)
            .ok()
            .map(|p| Self(p.prefecture()))
    }
}

/// A prefecture of Japan (JIS X 0401).
#[Object]
impl Prefecture {
    /// JIS X 0401 code, two digits (`"13"` is Tokyo).
    async fn code(&self) -> &str {
        self.0.code
    }

    /// Name in Japanese (`東京都`).
    async fn name_ja(&self) -> &str {
        self.0.name_ja
    }

    /// Name in English (`Tokyo`).
    async fn name_en(&self) -> &str {
        self.0.name_en
    }

    /// The region the prefecture belongs to.
    async fn region(&self) -> Region {
        self.0.region.into()
    }
}

/// An industry: a major division of the Japan Standard Industrial Classification (JSIC).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainIndustry")]
pub enum Industry {
    /// A: agriculture and forestry.
    AgricultureAndForestry,
    /// B: fisheries.
    Fisheries,
    /// C: mining and quarrying of stone and gravel.
    Mining,
    /// D: construction.
    Construction,
    /// E: manufacturing.
    Manufacturing,
    /// F: electricity, gas, heat supply and water.
    Utilities,
    /// G: information and communications.
    InformationAndCommunications,
    /// H: transport and postal activities.
    TransportAndPostal,
    /// I: wholesale and retail trade.
    WholesaleAndRetail,
    /// J: finance and insurance.
    FinanceAndInsurance,
    /// K: real estate and goods rental and leasing.
    RealEstateAndRental,
    /// L: scientific research, professional and technical services.
    ProfessionalAndTechnicalServices,
    /// M: accommodations, eating and drinking services.
    AccommodationAndFood,
    /// N: living-related and personal services and amusement services.
    PersonalServicesAndAmusement,
    /// O: education, learning support.
    Education,
    /// P: medical, health care and welfare.
    MedicalAndWelfare,
    /// Q: compound services.
    CompoundServices,
    /// R: services, not elsewhere classified.
    OtherServices,
    /// S: government, except elsewhere classified.
    Government,
    /// T: industries unable to classify.
    Unclassified,
}
