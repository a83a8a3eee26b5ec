//! Values of the registry, parsed once at the boundary ("parse, don't validate").

use std::fmt;

use chrono::{Datelike, NaiveDate};

pub use entities::enums::registry::{ExamSeason, SpecialistStatus};

/// A RISS registration number: six ASCII digits, zero-padded (`011172`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistrationNumber(String);

impl RegistrationNumber {
    pub fn parse(value: &str) -> Result<Self, String> {
        if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
            if value == "000000" {
                return Err("000000 is not a registration number".into());
            }
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "\"{value}\" is not a registration number: six digits, zero-padded (e.g. 011172)"
            ))
        }
    }

    /// The number for a sequence position (1 → `000001`).
    pub fn from_sequence(n: u32) -> Result<Self, String> {
        Self::parse(&format!("{n:06}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A year and month, such as a birth month (`1988-07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Result<Self, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not between 1 and 12"));
        }
        if !(1900..=9999).contains(&year) {
            return Err(format!("year {year} is out of range"));
        }
        Ok(Self { year, month })
    }

    /// Parses `YYYY-MM`.
    pub fn parse(value: &str) -> Result<Self, String> {
        let malformed = || format!("\"{value}\" is not a year and month in the form YYYY-MM");
        let (year, month) = value.split_once('-').ok_or_else(malformed)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(malformed());
        }
        let year = year.parse::<i32>().map_err(|_| malformed())?;
        let month = month.parse::<u32>().map_err(|_| malformed())?;
        Self::new(year, month)
    }

    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// An e-mail address: checked for shape only; ownership is the identity provider's job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let bad = || format!("\"{value}\" is not an e-mail address");
        if value.len() > 254 || value.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = value.rsplit_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(bad());
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A telephone number: digits with optional `+`, spaces, hyphens and parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let digits = value.chars().filter(char::is_ascii_digit).count();
        let allowed = value
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
        if allowed && (6..=15).contains(&digits) && value.len() <= 30 {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!("\"{value}\" is not a telephone number"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A personal name in kanji (or Latin letters), trimmed, 1–100 characters.
pub fn parse_name(value: &str) -> Result<String, String> {
    let value = value.trim();
    let len = value.chars().count();
    if len == 0 {
        return Err("must not be empty".into());
    }
    if len > 100 {
        return Err("must be at most 100 characters".into());
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(value.to_owned())
}

/// A name reading in kana: katakana or hiragana (full-width), long-vowel marks, middle dots
/// and spaces.
pub fn parse_kana(value: &str) -> Result<String, String> {
    let value = parse_name(value)?;
    let is_kana =
        |c: char| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | ' ' | '\u{3000}');
    if value.chars().all(is_kana) {
        Ok(value)
    } else {
        Err(format!(
            "\"{value}\" must be written in kana (katakana or hiragana)"
        ))
    }
}

/// Text that must be given, such as an organization's name: trimmed, 1 to `max`
/// characters, no control characters.
pub fn parse_required_text(value: &str, max: usize) -> Result<String, String> {
    parse_optional_text(value, max)?.ok_or_else(|| "must not be empty".to_owned())
}

/// Free text such as an employer's name: trimmed, at most `max` characters, no control
/// characters. Empty text means "none".
pub fn parse_optional_text(value: &str, max: usize) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(Some(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_numbers_are_six_zero_padded_digits() {
        assert_eq!(
            RegistrationNumber::parse("011172").unwrap().as_str(),
            "011172"
        );
        assert_eq!(
            RegistrationNumber::from_sequence(42).unwrap().as_str(),
            "000042"
        );
        for bad in [
            "11172",
            "0111720",
            "01117a",
            "",
            " 11172",
            "０１１１７２",
            "000000",
        ] {
            assert!(
                RegistrationNumber::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn year_month_parses_only_the_iso_form() {
        assert_eq!(
            YearMonth::parse("1988-07").unwrap(),
            YearMonth {
                year: 1988,
                month: 7
            }
        );
        assert_eq!(YearMonth::parse("1988-07").unwrap().to_string(), "1988-07");
        for bad in [
            "1988-13", "1988-00", "1988-7", "88-07", "1988/07", "", "1899-12",
        ] {
            assert!(YearMonth::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn email_needs_a_local_part_and_a_dotted_domain() {
        assert!(Email::parse("hanako@example.jp").is_ok());
        assert_eq!(Email::parse("  a@b.jp ").unwrap().as_str(), "a@b.jp");
        for bad in [
            "", "a", "a@b", "@b.jp", "a@.jp", "a@b.", "a b@c.jp", "a@b..jp",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn phone_numbers_allow_common_punctuation() {
        assert!(Phone::parse("03-1234-5678").is_ok());
        assert!(Phone::parse("+81 3 1234 5678").is_ok());
        for bad in ["12345", "03-1234-5678 ext", "3+1234567", ""] {
            assert!(Phone::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn kana_accepts_katakana_and_hiragana_only() {
        assert_eq!(parse_kana("ヤマダ").unwrap(), "ヤマダ");
        assert!(parse_kana("やまだ").is_ok());
        assert!(parse_kana("ジョー・スミス").is_ok());
        assert!(parse_kana("山田").is_err());
        assert!(parse_kana("Yamada").is_err());
        assert!(parse_kana("  ").is_err());
    }

    #[test]
    fn final_statuses_cannot_change() {
        use SpecialistStatus::*;
        assert!(Active.can_become(Suspended));
        assert!(Suspended.can_become(Active));
        assert!(Lapsed.can_become(Active));
        assert!(!Active.can_become(Active));
        for status in SpecialistStatus::ALL {
            assert!(!Revoked.can_become(*status));
            assert!(!Deregistered.can_become(*status));
        }
    }
}
