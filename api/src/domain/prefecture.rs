//! Prefectures of Japan (JIS X 0401) and the regions used for breakdowns.

use std::fmt;

/// A region of Japan, as used in national statistics breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    Hokkaido,
    Tohoku,
    Kanto,
    Chubu,
    Kinki,
    Chugoku,
    Shikoku,
    KyushuOkinawa,
}

/// One prefecture: its two-digit JIS X 0401 code and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefecture {
    pub code: &'static str,
    pub name_ja: &'static str,
    pub name_en: &'static str,
    pub region: Region,
}

macro_rules! prefectures {
    ($(($code:literal, $ja:literal, $en:literal, $region:ident)),* $(,)?) => {
        /// All 47 prefectures in code order.
        pub const PREFECTURES: [Prefecture; 47] = [
            $(Prefecture { code: $code, name_ja: $ja, name_en: $en, region: Region::$region }),*
        ];
    };
}

prefectures![
    ("01", "北海道", "Hokkaido", Hokkaido),
    ("02", "青森県", "Aomori", Tohoku),
    ("03", "岩手県", "Iwate", Tohoku),
    ("04", "宮城県", "Miyagi", Tohoku),
    ("05", "秋田県", "Akita", Tohoku),
    ("06", "山形県", "Yamagata", Tohoku),
    ("07", "福島県", "Fukushima", Tohoku),
    ("08", "茨城県", "Ibaraki", Kanto),
    ("09", "栃木県", "Tochigi", Kanto),
    ("10", "群馬県", "Gunma", Kanto),
    ("11", "埼玉県", "Saitama", Kanto),
    ("12", "千葉県", "Chiba", Kanto),
    ("13", "東京都", "Tokyo", Kanto),
    ("14", "神奈川県", "Kanagawa", Kanto),
    ("15", "新潟県", "Niigata", Chubu),
    ("16", "富山県", "Toyama", Chubu),
    ("17", "石川県", "Ishikawa", Chubu),
    ("18", "福井県", "Fukui", Chubu),
    ("19", "山梨県", "Yamanashi", Chubu),
    ("20", "長野県", "Nagano", Chubu),
    ("21", "岐阜県", "Gifu", Chubu),
    ("22", "静岡県", "Shizuoka", Chubu),
    ("23", "愛知県", "Aichi", Chubu),
    ("24", "三重県", "Mie", Kinki),
    ("25", "滋賀県", "Shiga", Kinki),
    ("26", "京都府", "Kyoto", Kinki),
    ("27", "大阪府", "Osaka", Kinki),
    ("28", "兵庫県", "Hyogo", Kinki),
    ("29", "奈良県", "Nara", Kinki),
    ("30", "和歌山県", "Wakayama", Kinki),
    ("31", "鳥取県", "Tottori", Chugoku),
    ("32", "島根県", "Shimane", Chugoku),
    ("33", "岡山県", "Okayama", Chugoku),
    ("34", "広島県", "Hiroshima", Chugoku),
    ("35", "山口県", "Yamaguchi", Chugoku),
    ("36", "徳島県", "Tokushima", Shikoku),
    ("37", "香川県", "Kagawa", Shikoku),
    ("38", "愛媛県", "Ehime", Shikoku),
    ("39", "高知県", "Kochi", Shikoku),
    ("40", "福岡県", "Fukuoka", KyushuOkinawa),
    ("41", "佐賀県", "Saga", KyushuOkinawa),
    ("42", "長崎県", "Nagasaki", KyushuOkinawa),
    ("43", "熊本県", "Kumamoto", KyushuOkinawa),
    ("44", "大分県", "Oita", KyushuOkinawa),
    ("45", "宮崎県", "Miyazaki", KyushuOkinawa),
    ("46", "鹿児島県", "Kagoshima", KyushuOkinawa),
    ("47", "沖縄県", "Okinawa", KyushuOkinawa),
];

/// A validated JIS X 0401 prefecture code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrefectureCode(&'static Prefecture);

impl PrefectureCode {
    /// Accepts the two-digit code (`"13"`); a single digit is not accepted, so that codes
    /// read the same everywhere.
    pub fn parse(value: &str) -> Result<Self, String> {
        PREFECTURES
            .iter()
            .find(|p| p.code == value)
            .map(PrefectureCode)
            .ok_or_else(|| {
                format!("\"{value}\" is not a JIS X 0401 prefecture code (\"01\" to \"47\")")
            })
    }

    /// Parses a code given as input `field` (a filter): a bad one is an invalid input.
    pub fn parse_input(field: &str, value: &str) -> Result<Self, super::error::DomainError> {
        Self::parse(value).map_err(|message| super::error::DomainError::invalid(field, message))
    }

    /// Parses the codes of a filter's list `field`: each bad one is an invalid input
    /// (`field.N`), and a code given twice counts once.
    pub fn parse_all(
        field: &str,
        values: &[String],
    ) -> Result<Vec<&'static str>, super::error::DomainError> {
        let mut violations = super::error::Violations::default();
        let mut codes: Vec<&'static str> = values
            .iter()
            .enumerate()
            .filter_map(|(i, value)| {
                violations.check(
                    &format!("{field}.{i}"),
                    Self::parse(value).map(|p| p.as_str()),
                )
            })
            .collect();
        violations.into_result()?;
        codes.sort_unstable();
        codes.dedup();
        Ok(codes)
    }

    pub fn as_str(&self) -> &'static str {
        self.0.code
    }

    pub fn prefecture(&self) -> &'static Prefecture {
        self.0
    }
}

impl fmt::Display for PrefectureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_run_from_01_to_47_in_order() {
        for (i, p) in PREFECTURES.iter().enumerate() {
            assert_eq!(p.code, format!("{:02}", i + 1));
        }
    }

    #[test]
    fn parses_known_codes_and_refuses_the_rest() {
        assert_eq!(
            PrefectureCode::parse("13").unwrap().prefecture().name_en,
            "Tokyo"
        );
        assert_eq!(
            PrefectureCode::parse("47").unwrap().prefecture().name_ja,
            "沖縄県"
        );
        for bad in ["00", "48", "1", "013", "", "ab", "１３"] {
            assert!(
                PrefectureCode::parse(bad).is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn kanto_is_the_seven_prefectures_around_tokyo() {
        let kanto: Vec<_> = PREFECTURES
            .iter()
            .filter(|p| p.region == Region::Kanto)
            .map(|p| p.code)
            .collect();
        assert_eq!(kanto, ["08", "09", "10", "11", "12", "13", "14"]);
    }
}
